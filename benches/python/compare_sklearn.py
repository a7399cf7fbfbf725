"""Compare leadcore's random forest with scikit-learn's on the same seeded synthetic lead set.

Runs, in one go: the Rust program `predict_compare` (which generates the data, writes it as
CSV, and times leadcore), then scikit-learn's RandomForestClassifier with the same parameters on
the same CSV files. Prints both results and a markdown table.

    cargo build --release -p leadcore-benches --bin predict_compare
    python benches/python/compare_sklearn.py --bin target/release/predict_compare --threads 2

Needs numpy, pandas and scikit-learn (a private venv is fine).
"""

import argparse
import json
import subprocess
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="path to the predict_compare binary")
    ap.add_argument("--out", default="/tmp/leadcore_predict_compare")
    ap.add_argument("--train-rows", type=int, default=90_000)
    ap.add_argument("--test-rows", type=int, default=10_000)
    ap.add_argument("--predict-rows", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--depth", type=int, default=12)
    a = ap.parse_args()

    cmd = [a.bin, a.out, str(a.train_rows), str(a.test_rows), str(a.predict_rows),
           str(a.threads), str(a.trees), str(a.depth)]
    ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

    train = pd.read_csv(f"{a.out}/train.csv", dtype=np.float32)
    test = pd.read_csv(f"{a.out}/test.csv", dtype=np.float32)
    score = pd.read_csv(f"{a.out}/score.csv", dtype=np.float32)
    y_train = train.pop("converted").astype(int).to_numpy()
    y_test = test.pop("converted").astype(int).to_numpy()
    clf = RandomForestClassifier(n_estimators=a.trees, max_depth=a.depth, n_jobs=a.threads,
                                 random_state=0)
    t = time.perf_counter()
    clf.fit(train.to_numpy(), y_train)
    fit_s = time.perf_counter() - t
    auc = roc_auc_score(y_test, clf.predict_proba(test.to_numpy())[:, 1])
    x_score = score.to_numpy()
    t = time.perf_counter()
    clf.predict_proba(x_score)
    predict_s = time.perf_counter() - t
    import sklearn
    theirs = {"impl": f"scikit-learn {sklearn.__version__}", "threads": a.threads,
              "fit_s": fit_s, "auc": auc, "predict_rows": len(x_score), "predict_s": predict_s}
    print(json.dumps(ours))
    print(json.dumps(theirs))
    print()
    print(f"{a.train_rows} training rows x {train.shape[1]} features, "
          f"{y_train.mean():.1%} positive; {a.trees} trees, max_depth {a.depth}, "
          f"{a.threads} threads each")
    print()
    print("| implementation | holdout ROC AUC | fit (s) | predict_proba 1M rows (s) |")
    print("| --- | --- | --- | --- |")
    for r in (ours, theirs):
        print(f"| {r['impl']} | {r['auc']:.4f} | {r['fit_s']:.2f} | {r['predict_s']:.2f} |")


if __name__ == "__main__":
    main()
