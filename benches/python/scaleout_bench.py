"""leadcore inside Dask on this machine: throughput, peak memory per worker, and the overhead of
the cluster against one process doing the same work.

    pip install ./leadcore-py "dask[distributed]" pandas pyarrow psutil
    python benches/python/scaleout_bench.py --leads 10000000 --journeys 10000000

Two jobs, each run twice on the same seeded synthetic data (tests/python/synthetic.py), made
partition by partition where it is used so that no process ever holds all of it:

1. scoring: ``--leads`` leads with ~``--events-per-lead`` events each, scored (behavior, fit,
   source, combined, grade, tier: the ``b2b_default`` preset plus a ``/pricing`` rule)
   - *one process*: a loop over the partitions, each scored by ``leadcore.score_frame`` with
     one thread (the events of a partition's leads are generated with it);
   - *Dask*: ``leadcore.dask.score`` on a 2-worker ``LocalCluster`` (1 thread each), which
     shuffles leads and events by lead-id bucket first (the events arrive in their own
     partitions, as they would from a table), as a job on a cluster does;
   - *Dask, co-partitioned*: the same when the inputs are already partitioned by lead (no
     shuffle: ``map_partitions`` of ``leadcore.score_frame``);
2. attribution: ``--journeys`` journeys under every attribution model, accumulated
   - *one process*: one ``AttributionAccumulator`` fed partition by partition;
   - *Dask*: ``leadcore.dask.accumulate`` (an accumulator per partition, merged in a tree).

Each Dask result is checked against the one-process result (scores bit for bit through an
order-independent 64-bit checksum; the attribution report by equality). Peak memory is each
process's peak resident set (``ru_maxrss``): the one-process runs happen in a fresh child
process, and each Dask run in a fresh cluster. CPU time (user + system) is summed over the
workers and the client / scheduler process, so the cluster's overhead shows even when the
shared machine's load makes wall times noisy.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import pathlib
import resource
import sys
import time
from typing import Any

HERE = pathlib.Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[2] / "tests" / "python"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import leadcore  # noqa: E402
import synthetic  # noqa: E402

# -- the partitions (made where they are used) --------------------------------------------------


@functools.lru_cache(maxsize=2)
def lead_and_event_part(i: int, size: int, per: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Partition ``i``'s leads and their events, made once per process: Dask asks for the two
    halves in separate tasks, usually on the same worker."""
    return synthetic.leads_and_events(size, per, seed=1000 + i, start=i * size)


def lead_part(i: int, size: int, per: float) -> pd.DataFrame:
    return lead_and_event_part(i, size, per)[0]


def event_part(i: int, size: int, per: float) -> pd.DataFrame:
    return lead_and_event_part(i, size, per)[1]


def journey_part(i: int, size: int) -> pd.DataFrame:
    return synthetic.arrow_lists(synthetic.journey_frame(size, seed=2000 + i, start=i * size))


def checksum(ids: Any, values: np.ndarray) -> int:
    """An order-independent checksum of (lead id, exact float bits) pairs."""
    h = pd.util.hash_pandas_object(pd.Series(np.asarray(ids, dtype=object)), index=False).to_numpy()
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
    return int(np.bitwise_xor(h * np.uint64(0x9E3779B97F4A7C15), bits).sum(dtype=np.uint64))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU time (user + system) of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# -- one process --------------------------------------------------------------------------------


def single_scoring(parts: int, size: int, per: float) -> dict[str, Any]:
    model = leadcore.ScoringModel(synthetic.scoring_model())
    gen = score = score_cpu = 0.0
    total = 0
    rows = events = 0
    for i in range(parts):
        t = time.perf_counter()
        leads, evs = synthetic.leads_and_events(size, per, seed=1000 + i, start=i * size)
        gen += time.perf_counter() - t
        t, c = time.perf_counter(), time.process_time()
        out = leadcore.score_frame(model, leads, evs, synthetic.NOW, threads=1)
        score += time.perf_counter() - t
        score_cpu += time.process_time() - c
        total = (total + checksum(out.index, out["combined"].to_numpy())) % 2**64
        rows += len(out)
        events += len(evs)
    return {"rows": rows, "events": events, "generate_s": gen, "score_s": score, "score_cpu_s": score_cpu,
            "checksum": total,
            "peak_rss_mib": peak_rss_mib(), "cpu_s": cpu_s()}


def single_attribution(parts: int, size: int) -> dict[str, Any]:
    acc = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    gen = work = work_cpu = 0.0
    for i in range(parts):
        t = time.perf_counter()
        frame = journey_part(i, size)
        gen += time.perf_counter() - t
        t, c = time.perf_counter(), time.process_time()
        synthetic.add_journeys(acc, frame)
        work += time.perf_counter() - t
        work_cpu += time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    report = acc.finish()
    work += time.perf_counter() - t
    work_cpu += time.process_time() - c
    return {"rows": parts * size, "generate_s": gen, "attribute_s": work, "attribute_cpu_s": work_cpu,
            "report": json.dumps(report, sort_keys=True),
            "peak_rss_mib": peak_rss_mib(), "cpu_s": cpu_s()}


def in_child(fn: Any, *args: Any) -> dict[str, Any]:
    """``fn(*args)`` in a fresh spawned process (its own peak memory)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


# -- Dask ---------------------------------------------------------------------------------------


def cluster() -> Any:
    from distributed import Client, LocalCluster

    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                     memory_limit="8GiB")
    return c, Client(c)


def worker_peaks(client: Any) -> list[float]:
    return sorted(round(v, 1) for v in client.run(peak_rss_mib).values())


class CpuMeter:
    """CPU time of the workers and of this process (client and scheduler) over a run."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.workers = client.run(cpu_s)
        self.here = cpu_s()

    def total(self) -> float:
        after = self.client.run(cpu_s)
        return sum(after[w] - self.workers[w] for w in after) + cpu_s() - self.here


def score_partition(leads: pd.DataFrame, events: pd.DataFrame, model: Any) -> pd.DataFrame:
    out = leadcore.score_frame(model, leads, events, synthetic.NOW, threads=1)
    return pd.DataFrame({"lead_id": out.index.to_numpy(dtype=object), "combined": out["combined"].to_numpy()})


def partition_checksum(pdf: pd.DataFrame) -> pd.Series:
    return pd.Series([checksum(pdf["lead_id"], pdf["combined"].to_numpy())], dtype="uint64")


def sizes(*frames: pd.DataFrame) -> pd.DataFrame:
    """A stand-in for leadcore in the baseline graphs: the partitions' row counts."""
    return pd.DataFrame({"n": [sum(len(f) for f in frames)]})


def dask_scoring(parts: int, size: int, per: float, co_partitioned: bool) -> dict[str, Any]:
    """One Dask run, and the same graph without leadcore (the data made and moved, nothing
    scored), so leadcore's part of the time is the difference."""
    import dask.dataframe as dd

    from leadcore import dask as lcd

    c, client = cluster()
    try:
        model = leadcore.ScoringModel(synthetic.scoring_model())
        leads = dd.from_map(lead_part, range(parts), size=size, per=per)
        events = dd.from_map(event_part, range(parts), size=size, per=per)
        meter = CpuMeter(client)
        t = time.perf_counter()
        dd.map_partitions(sizes, leads, events, align_dataframes=False, meta={"n": "i8"}).compute()
        base_wall, base_cpu = time.perf_counter() - t, meter.total()
        meter = CpuMeter(client)
        t = time.perf_counter()
        if co_partitioned:
            scores = dd.map_partitions(score_partition, leads, events, model, align_dataframes=False,
                                       meta={"lead_id": object, "combined": "f8"})
        else:
            scores = lcd.score(model, leads, events, synthetic.NOW, npartitions=parts)
        sums = scores.map_partitions(partition_checksum, meta=("sum", "uint64")).compute()
        wall = time.perf_counter() - t
        total = int(sums.to_numpy(dtype=np.uint64).sum(dtype=np.uint64)) % 2**64
        return {"wall_s": wall, "checksum": total, "worker_peak_rss_mib": worker_peaks(client), "cpu_s": meter.total(),
                "base_wall_s": base_wall, "base_cpu_s": base_cpu}
    finally:
        client.close()
        c.close()


def dask_attribution(parts: int, size: int) -> dict[str, Any]:
    """One Dask run, and the same data made without leadcore (see :func:`dask_scoring`)."""
    import dask.dataframe as dd

    from leadcore import dask as lcd

    c, client = cluster()
    try:
        journeys = dd.from_map(journey_part, range(parts), size=size)
        meter = CpuMeter(client)
        t = time.perf_counter()
        journeys.map_partitions(sizes, meta={"n": "i8"}).compute()
        base_wall, base_cpu = time.perf_counter() - t, meter.total()
        meter = CpuMeter(client)
        t = time.perf_counter()
        acc = lcd.accumulate(journeys, leadcore.AttributionAccumulator(synthetic.ATTRIBUTION), synthetic.add_journeys)
        report = acc.finish()
        wall = time.perf_counter() - t
        return {"wall_s": wall, "report": json.dumps(report, sort_keys=True), "worker_peak_rss_mib": worker_peaks(client),
                "cpu_s": meter.total(), "base_wall_s": base_wall, "base_cpu_s": base_cpu}
    finally:
        client.close()
        c.close()


def report_dask(label: str, d: dict[str, Any], n: int, unit: str, one_wall: float, one_cpu: float, same: bool) -> None:
    """Prints a Dask run: in all, the data alone, and leadcore's part against one process."""
    wall, cpu = d["wall_s"] - d["base_wall_s"], d["cpu_s"] - d["base_cpu_s"]
    print(f"  {label}: {d['wall_s']:.1f} s wall / {d['cpu_s']:.1f} s CPU in all; making and moving the data alone "
          f"{d['base_wall_s']:.1f} s / {d['base_cpu_s']:.1f} s; leadcore's part {wall:.1f} s wall "
          f"({n / wall:,.0f} {unit}/s), {cpu:.1f} s CPU: {one_wall / wall:.2f}× one process's speed, "
          f"{cpu / one_cpu:.2f}× its CPU time; peak RSS per worker {d['worker_peak_rss_mib']} MiB; identical: {same}")


def main() -> None:
    p = argparse.ArgumentParser(description="leadcore with Dask: throughput, memory, overhead vs one process")
    p.add_argument("--leads", type=int, default=10_000_000)
    p.add_argument("--events-per-lead", type=float, default=3.0)
    p.add_argument("--lead-partitions", type=int, default=40)
    p.add_argument("--journeys", type=int, default=10_000_000)
    p.add_argument("--journey-partitions", type=int, default=40)
    p.add_argument("--skip", choices=["scoring", "attribution"], action="append", default=[])
    a = p.parse_args()
    print(f"leadcore {leadcore.__version__}, 2 Dask workers × 1 thread on 127.0.0.1; load average {os.getloadavg()[0]:.1f}")

    if "scoring" not in a.skip:
        size = a.leads // a.lead_partitions
        n = size * a.lead_partitions
        one = in_child(single_scoring, a.lead_partitions, size, a.events_per_lead)
        print(f"\nscoring {n:,} leads, {one['events']:,} events, {a.lead_partitions} partitions of {size:,} leads")
        print(f"  one process (1 thread) : score {one['score_s']:7.1f} s  ({n / one['score_s']:,.0f} leads/s)  "
              f"+ making the data {one['generate_s']:.1f} s; peak RSS {one['peak_rss_mib']:,.0f} MiB")
        print(f"  one process, scoring CPU time {one['score_cpu_s']:.1f} s")
        for co in (False, True):
            d = dask_scoring(a.lead_partitions, size, a.events_per_lead, co)
            label = "Dask, co-partitioned (map_partitions of score_frame)" if co else "Dask, leadcore.dask.score (shuffle by lead)"
            report_dask(label, d, n, "leads", one["score_s"], one["score_cpu_s"], d["checksum"] == one["checksum"])

    if "attribution" not in a.skip:
        size = a.journeys // a.journey_partitions
        n = size * a.journey_partitions
        one = in_child(single_attribution, a.journey_partitions, size)
        models = len(synthetic.ATTRIBUTION["models"])
        print(f"\nattribution of {n:,} journeys under {models} models, {a.journey_partitions} partitions of {size:,}")
        print(f"  one process (1 thread) : {one['attribute_s']:7.1f} s  ({n / one['attribute_s']:,.0f} journeys/s)  "
              f"+ making the data {one['generate_s']:.1f} s; peak RSS {one['peak_rss_mib']:,.0f} MiB")
        print(f"  one process, attribution CPU time {one['attribute_cpu_s']:.1f} s")
        d = dask_attribution(a.journey_partitions, size)
        report_dask("Dask, leadcore.dask.accumulate", d, n, "journeys", one["attribute_s"], one["attribute_cpu_s"],
                    d["report"] == one["report"])


if __name__ == "__main__":  # Dask's worker processes re-import this file
    main()
