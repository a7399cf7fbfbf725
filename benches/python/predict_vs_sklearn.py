"""leadcore's random forest (through the Python binding) against scikit-learn's, in one run.

Builds one seeded synthetic lead set as numpy arrays (33 features in the column layout of a
leadcore feature spec: event counts in 7/30/180/365-day windows, recency, active days, silence,
age, city tier, source quality, keyword flags; a hidden propensity; ~5 % positive), splits it
stratified into training and holdout rows, then trains scikit-learn's RandomForestClassifier and
leadcore's forest with the same parameters on the same rows and reports holdout ROC AUC, fit
time and the time to score a separate set of 1 M rows.

    pip install ./leadcore-py scikit-learn numpy    # or, in leadcore-py: maturin develop --release
    python benches/python/predict_vs_sklearn.py [--threads 2] [--predict-rows 1000000]

Installs nothing itself. Times are wall-clock on whatever else the machine is doing: run it on
an idle machine, or compare the two columns of one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

import numpy as np

import leadcore

KINDS = ["page_view", "download", "favorite", "search", "inquiry"]
WINDOWS = [7, 30, 180, 365]
KEYWORDS = ["price", "contract", "trial"]
SPEC = {
    "windows_days": WINDOWS,
    "event_kinds": KINDS,
    "active_days_window": 365,
    "city_tier": {"attribute": "city", "tiers": {"北京": 1, "上海": 1, "杭州": 2, "成都": 3, "西安": 4}},
    "source_quality": {"scores": {"event": 0.9, "sem": 0.7, "referral": 0.5, "seo": 0.3, "content": 0.1}},
    "keywords": [{"attribute": "chat", "keywords": KEYWORDS}],
}


def synthetic(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``n`` seeded rows in the spec's column order (float64) and their labels.

    Each lead has a hidden propensity ``z``; engaged leads do more (Poisson counts with many
    ties, nested windows), tier-1 cities, good channels and the `price` / `contract` keywords
    convert more. A lead that never did a kind has recency 365 (the host imputes "never").
    """
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(n)
    engagement = np.exp(0.7 * z + 0.3 * rng.standard_normal(n))
    rates = {"page_view": 3.0, "download": 0.6, "favorite": 0.4, "search": 1.5, "inquiry": 0.15}
    # An event's position u ~ U(a, a + 0.8) in the year, later for engaged leads; it counts in
    # window w when u < w / 365.
    a = 0.2 * (1.0 - 1.0 / (1.0 + engagement))
    cols: dict[str, np.ndarray] = {}
    totals = {}
    for kind in KINDS:
        year = rng.poisson(rates[kind] * engagement * 4.0)
        totals[kind] = year
        inside, left, prev_p = np.zeros(n, dtype=np.int64), year.copy(), np.zeros(n)
        for w in WINDOWS:
            p = np.clip((w / 365.0 - a) / 0.8, 0.0, 1.0)
            # Of the events not yet counted, those that fall in (previous window, w].
            step = np.where(prev_p < 1.0, (p - prev_p) / np.maximum(1.0 - prev_p, 1e-12), 0.0)
            new = rng.binomial(left, np.clip(step, 0.0, 1.0))
            inside, left, prev_p = inside + new, left - new, p
            cols[f"{kind}_count_{w}d"] = inside.astype(np.float64)
    for kind in KINDS:
        days = np.minimum(np.floor(rng.random(n) * 60.0 / engagement), 364.0)
        cols[f"{kind}_recency_days"] = np.where(totals[kind] == 0, 365.0, days)
    cols["active_days_365d"] = np.minimum(sum(totals.values()), 90).astype(np.float64)
    cols["silence_days"] = np.floor(rng.random(n) * 90.0 / (1.0 + engagement))
    cols["age_days"] = np.floor(rng.random(n) * 720.0)
    tier = rng.integers(1, 5, n)
    cols["city_tier"] = tier.astype(np.float64)
    quality = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], n)
    cols["source_quality"] = quality
    kw = [rng.random(n) < 0.05 + 0.05 * np.minimum(engagement, 4.0) * (i + 1) / 3.0 for i in range(3)]
    for word, flag in zip(KEYWORDS, kw):
        cols[f"chat:{word}"] = flag.astype(np.float64)
    logit = -4.1 + 1.3 * z + 0.6 * (tier == 1) + 1.2 * (quality - 0.5) + 0.8 * kw[0] + 0.5 * kw[1]
    y = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
    names = list(cols)
    return np.column_stack([cols[c] for c in names]), y, names


def stratified_split(y: np.ndarray, test_rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of a seeded stratified split with ``test_rows`` held out."""
    rng = np.random.default_rng(seed)
    test = []
    for cls in (False, True):
        rows = rng.permutation(np.flatnonzero(y == cls))
        test.append(rows[: round(test_rows * len(rows) / len(y))])
    test_idx = np.sort(np.concatenate(test))
    return np.setdiff1d(np.arange(len(y)), test_idx), test_idx


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train-rows", type=int, default=90_000)
    ap.add_argument("--test-rows", type=int, default=10_000)
    ap.add_argument("--predict-rows", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--depth", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    import sklearn
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import roc_auc_score

    x, y, names = synthetic(a.train_rows + a.test_rows, a.seed)
    train, test = stratified_split(y, a.test_rows, a.seed + 6)
    x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]
    x_score, _, _ = synthetic(a.predict_rows, a.seed + 1)

    # The encoding of the spec (no categorical levels to learn): its columns are the data's.
    encoding = leadcore.build_training_set(SPEC, [], [], [])["encoding"]
    assert [c["name"] for c in encoding["columns"]] == names, "the data's columns are the spec's"
    config = {
        "features": SPEC,
        "model": {"type": "random_forest", "n_trees": a.trees, "max_depth": a.depth},
        "seed": 42,
        "test_fraction": 0.0,  # the holdout is ours, shared with scikit-learn
        "permutation_repeats": 0,
    }
    trained_at = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    t = time.perf_counter()
    model = leadcore.train_set(
        config, {"encoding": encoding, "features": x_train, "labels": y_train}, trained_at, threads=a.threads
    )
    fit_s = time.perf_counter() - t
    auc = roc_auc_score(y_test, model.predict_proba(x_test, threads=a.threads))
    t = time.perf_counter()
    scored = model.predict_proba(x_score, threads=a.threads)
    predict_s = time.perf_counter() - t
    ours = {"impl": f"leadcore {leadcore.__version__} (Python binding)", "fit_s": fit_s, "auc": auc,
            "predict_rows": len(scored), "predict_s": predict_s, "model_bytes": len(model.to_bytes())}

    # scikit-learn gets float32 (what its trees use), converted outside its timings.
    x_train32, x_test32, x_score32 = (m.astype(np.float32) for m in (x_train, x_test, x_score))
    clf = RandomForestClassifier(n_estimators=a.trees, max_depth=a.depth, n_jobs=a.threads, random_state=0)
    t = time.perf_counter()
    clf.fit(x_train32, y_train)
    fit_s = time.perf_counter() - t
    auc = roc_auc_score(y_test, clf.predict_proba(x_test32)[:, 1])
    t = time.perf_counter()
    clf.predict_proba(x_score32)
    predict_s = time.perf_counter() - t
    theirs = {"impl": f"scikit-learn {sklearn.__version__}", "fit_s": fit_s, "auc": auc,
              "predict_rows": len(x_score32), "predict_s": predict_s}

    print(json.dumps(ours))
    print(json.dumps(theirs))
    print()
    print(f"{len(y_train)} training rows x {x.shape[1]} features, {y_train.mean():.1%} positive; "
          f"{len(y_test)} holdout rows; {a.trees} trees, max_depth {a.depth}, max_features sqrt, "
          f"bootstrap; {a.threads} threads each")
    print()
    print(f"| implementation | holdout ROC AUC | fit (s) | predict_proba {a.predict_rows:,} rows (s) |")
    print("| --- | --- | --- | --- |")
    for r in (ours, theirs):
        print(f"| {r['impl']} | {r['auc']:.4f} | {r['fit_s']:.2f} | {r['predict_s']:.2f} |")


if __name__ == "__main__":
    main()
