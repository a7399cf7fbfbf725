"""Attribution of many journeys with Dask: an accumulator per partition, merged in a tree on the
workers (run by the test suite).

    pip install leadcore "dask[distributed]" pandas pyarrow
    python examples/python/dask_attribution.py --journeys 200000

On a cluster, connect to your scheduler instead of starting a LocalCluster
(`Client("tcp://scheduler:8786")`) and read your journeys instead of `demo_journeys()`:

    journeys = dd.read_parquet("s3://crm/journeys/")   # one row per journey

A journey's touches must stay in one partition: keep one row per journey (channels and times as
list columns) or shuffle by journey id first (`ddf.shuffle("journey_id")`).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

import leadcore
from leadcore import dask as lcd

CONFIG = leadcore.AttributionConfig({"models": [
    {"type": "first_touch"}, {"type": "last_touch"}, {"type": "linear"}, {"type": "w_shaped"},
    {"type": "time_decay", "half_life_days": 7}, {"type": "markov"}, {"type": "shapley"},
]})


def demo_journeys(n: int, seed: int = 7) -> pd.DataFrame:
    """Seeded journeys, one row each: id, channels, times (Unix seconds), converted, value."""
    rng = np.random.default_rng(seed)
    channels = np.array(["sem", "seo", "event", "email", "direct", "referral"], dtype=object)
    lengths = rng.integers(1, 6, n)
    cuts = np.cumsum(lengths)[:-1]
    start = 1_767_225_600 + rng.integers(0, 300 * 86_400, n)  # during 2026
    steps = rng.integers(3_600, 15 * 86_400, int(lengths.sum()))
    times = [s + np.concatenate([[0], np.cumsum(g[1:])]) for s, g in zip(start, np.split(steps, cuts))]
    converted = rng.random(n) < 0.1 + 0.04 * lengths
    # Arrow list columns: Dask would turn object columns (numpy arrays per row) into strings.
    as_lists = lambda rows: pd.arrays.ArrowExtensionArray(pa.array([r.tolist() for r in rows]))  # noqa: E731
    return pd.DataFrame({
        "id": [f"J{i:07d}" for i in range(n)],
        "channels": as_lists(np.split(rng.choice(channels, int(lengths.sum())), cuts)),
        "times": as_lists(times),
        "converted": converted,
        "value": np.where(converted, np.round(rng.uniform(2_000, 50_000, n), 2), 0.0),
    })


def journeys(pdf: pd.DataFrame) -> list[dict[str, Any]]:
    """leadcore's journey dicts from rows of the table (per partition, on a worker)."""
    out = []
    for jid, chans, times, converted, value in zip(pdf["id"], pdf["channels"], pdf["times"], pdf["converted"], pdf["value"]):
        stamps = np.datetime_as_string(np.asarray(times, dtype="int64").astype("datetime64[s]"), unit="s")
        touches = [{"channel": c, "at": f"{t}Z"} for c, t in zip(list(chans), stamps.tolist())]
        out.append({"id": jid, "touchpoints": touches, "converted": bool(converted), "value": float(value)})
    return out


def add(acc: leadcore.AttributionAccumulator, pdf: pd.DataFrame) -> None:
    acc.add_journeys(journeys(pdf))


def main(n: int) -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    table = demo_journeys(n)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster, Client(cluster):
        ddf = dd.from_pandas(table, npartitions=8)
        t = time.perf_counter()
        acc = lcd.accumulate(ddf, leadcore.AttributionAccumulator(CONFIG), add)
        report = acc.finish()
        print(f"attributed {n} journeys in {ddf.npartitions} partitions ({time.perf_counter() - t:.1f} s)")
    credits = report.to_pandas()  # one row per channel, one column per model
    print(credits.round(1).to_string())
    state = acc.to_bytes()  # keep it: tomorrow, accumulate(new_journeys, from_bytes(state), add)
    print(f"accumulator state: {len(state)} bytes")

    one = leadcore.attribute(CONFIG, journeys=journeys(table))  # one process, everything at once
    print(f"identical to one process: {report == one}")


if __name__ == "__main__":  # worker processes re-import this file: start the cluster only here
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=200_000)
    main(parser.parse_args().journeys)
