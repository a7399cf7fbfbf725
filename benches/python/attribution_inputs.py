"""Times leadcore's attribution (Python binding, one thread) on one path set in every input
form a Python user may hold it in, and writes it as an Arrow IPC stream for the Node twin
(benches/node/attribution_inputs.mjs).

    python benches/python/compare_attribution.py --shape neutral --sizes 1000000 --tools ca  # writes the CSV
    python benches/python/attribution_inputs.py --shape neutral
    node benches/node/attribution_inputs.mjs --shape neutral

Forms: a pandas DataFrame with the path column as Python objects, as pandas' Arrow `str` and
as a categorical; a pyarrow Table with the path column as text, dictionary-encoded (values in
order of first use) and converted from the categorical (values sorted); a polars DataFrame
with the path column as text and as a Categorical; and a list of row dicts. Prints CPU seconds of the call, best
of --repeat, per model (heuristics: first / last touch and linear; Markov order 1). Needs pandas,
pyarrow and polars.
"""

import argparse
import os
import time

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

import leadcore

MODELS = {
    "heuristics": [{"type": "first_touch"}, {"type": "last_touch"}, {"type": "linear"}],
    "markov": [{"type": "markov", "order": 1}],
}
NAMES = ["path", "conversions", "nulls", "value"]


def best(config, paths, repeat):
    out = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        leadcore.attribute(config, paths=paths, threads=1)
        out = min(out, time.process_time() - t)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", default="neutral")
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--seed", default="42")
    ap.add_argument("--data-dir", default="/tmp/leadcore-attribution")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    stem = os.path.join(a.data_dir, f"{a.shape}_{a.size}_{a.seed}")
    table = pacsv.read_csv(stem + ".csv").rename_columns(NAMES)
    table = table.set_column(3, "value", table["value"].cast(pa.float64()))
    with pa.ipc.new_stream(stem + ".arrows", table.schema) as w:
        w.write_table(table)
    frame = table.to_pandas()
    # pandas 2 casts to "str" as object unless `future.infer_string` is on; pandas 3 always
    # gives the Arrow-backed `str` dtype.
    with pd.option_context("future.infer_string", True):
        arrow_str = frame.astype({"path": "str"})
    categorical = frame.astype({"path": "category"})
    forms = {
        "pandas, object path column": frame.astype({"path": object}),
        "pandas, Arrow `str` path column": arrow_str,
        "pandas, categorical path column": categorical,
        "pyarrow Table": table,
        "pyarrow Table, `dictionary_encode()` path column": table.set_column(
            0, "path", table["path"].dictionary_encode()
        ),
        "pyarrow Table from the categorical (sorted dictionary)": pa.Table.from_pandas(
            categorical, preserve_index=False
        ),
        "polars DataFrame": pl.from_arrow(table),
        "polars DataFrame, Categorical path column": pl.from_arrow(table).with_columns(
            pl.col("path").cast(pl.Categorical)
        ),
        "list of row dicts": frame.to_dict("records"),
    }
    print(f"{a.shape}: {table.num_rows:,} rows; CPU s, one thread, best of {a.repeat}; wrote {stem}.arrows")
    print("| input | " + " | ".join(MODELS) + " |")
    print("|---|" + "---|" * len(MODELS))
    configs = {m: leadcore.AttributionConfig({"models": models}) for m, models in MODELS.items()}
    for name, paths in forms.items():
        times = [best(configs[m], paths, a.repeat) for m in MODELS]
        print(f"| {name} | " + " | ".join(f"{t:.3f}" for t in times) + " |")


if __name__ == "__main__":
    main()
