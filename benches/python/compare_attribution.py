"""Compare leadcore's attribution (Python binding) with ChannelAttribution and
marketing-attribution-models, in the same run, on the same seeded synthetic paths.

    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install ./leadcore-py ChannelAttribution marketing-attribution-models pandas matplotlib
    /tmp/venv/bin/python benches/python/compare_attribution.py --sizes 100000,1000000

Neutral shapes against ChannelAttribution, heuristics and Markov order 1 and 3, leadcore on one
thread, the path column as Python objects and as pandas' Arrow-backed `str` dtype:

    /tmp/venv/bin/python benches/python/compare_attribution.py --sizes 1000000 --tools ca \
        --shape neutral,short,long,few,many,aggregated

(ChannelAttribution imports matplotlib.) The script installs nothing. Paths: power-law channel
popularity over 12 channels, lengths 1-20, about 3% conversion; the generator is a port of
`leadcore_benches::attribution_data` and writes the same paths for the same seed. They are
cached as CSV under --data-dir (`paths_<n>_<seed>.csv`, also read by compare_attribution.mjs).

Each tool runs in its own process, on the same pandas DataFrame read from the CSV (not timed),
so that time and peak RSS are its own. leadcore is timed from the DataFrame to the report
(conversion included), like the others. What is checked besides time and memory:
- heuristics (first, last, linear touch; conversions and value) against both: equal up to
  floating-point rounding;
- Markov order-1 removal effects against mam, which inverts the fundamental matrix exactly, and
  against CA, which simulates: CA's default max_step (the longest observed path) cuts long
  simulated walks and biases its removal effects low, so the agreement runs use
  --ca-max-step (default 200) and report the largest distance of leadcore's exact value from
  the mean of --ca-seeds CA runs, in standard errors of that mean (max z).
"""
from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time

CHANNELS = ["sem", "seo", "direct", "email", "social", "display", "event", "referral", "content", "video",
            "affiliate", "partner", "webinar", "sms", "app"]
MASK = (1 << 64) - 1


class SplitMix64:
    """leadcore::attribution::rng::SplitMix64."""

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK

    def u64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def f64(self) -> float:
        return (self.u64() >> 11) * (1.0 / 9007199254740992.0)

    def below(self, n: int) -> int:
        threshold = ((1 << 64) - n) % n
        while True:
            m = self.u64() * n
            if (m & MASK) >= threshold:
                return m >> 64

    def normal(self) -> float:
        u1 = 1.0 - self.f64()
        u2 = self.f64()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(math.tau * u2)


def write_paths(out: str, n: int, seed: int, channels: int = 12) -> None:
    """`PathGenerator::new(seed, channels)` of leadcore_benches, written as CSV."""
    rng = SplitMix64(seed)
    weights = [1.0 / (i + 1) ** 1.2 for i in range(channels)]
    total, acc, cumulative = sum(weights), 0.0, []
    for w in weights:
        acc += w / total
        cumulative.append(acc)
    log_effect = [math.log(0.5 + rng.f64()) for _ in range(channels)]
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("path,total_conversions,total_null,total_conversion_value\n")
        for _ in range(n):
            length = 1 + rng.below(20)
            path, effect = [], 0.0
            for _ in range(length):
                c = min(bisect.bisect_right(cumulative, rng.f64()), channels - 1)
                effect += log_effect[c]
                path.append(CHANNELS[c])
            converted = rng.f64() < 0.03 * math.exp(effect / length)
            value = round(5000.0 * math.exp(0.5 * rng.normal())) if converted else 0
            f.write(f"{' > '.join(path)},{int(converted)},{int(not converted)},{value}\n")
    os.replace(tmp, out)


# Neutral shapes (`--shape`): path sets drawn by a generator of their own (numpy), not the
# project's `synthetic_paths`. Channels have power-law popularity (weight 1 / rank^1.2), path
# lengths are geometric (1, 2, ... with the given mean), each channel has a random effect on
# the conversion odds, and the base rate is set so that about 3% of journeys convert.
# `rows`: "journey" writes one row per journey (conversions 0/1, nulls 1/0, the value);
# "aggregated" writes one row per distinct path with its totals, as ChannelAttribution users
# usually feed it (`total_conversions`, `total_null`, `total_conversion_value`).
SHAPES = {
    "neutral": {"channels": 12, "mean_length": 4.4, "rows": "journey"},
    "short": {"channels": 12, "mean_length": 1.5, "rows": "journey"},
    "long": {"channels": 12, "mean_length": 15.0, "rows": "journey"},
    "few": {"channels": 4, "mean_length": 4.4, "rows": "journey"},
    "many": {"channels": 200, "mean_length": 4.4, "rows": "journey"},
    "aggregated": {"channels": 12, "mean_length": 4.4, "rows": "aggregated"},
}


def channel_names(k: int) -> list[str]:
    """`k` distinct channel names: the usual ones, then numbered variants (`sem_2`)."""
    return [CHANNELS[i % len(CHANNELS)] + ("" if i < len(CHANNELS) else f"_{i // len(CHANNELS) + 1}") for i in range(k)]


def write_shape(out: str, n: int, seed: int, channels: int, mean_length: float, rows: str) -> None:
    """`n` journeys of a neutral shape (see SHAPES), written as CSV (a temporary file renamed)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, channels + 1) ** 1.2
    lengths = rng.geometric(1.0 / mean_length, n)
    touches = rng.choice(channels, size=int(lengths.sum()), p=weights / weights.sum())
    effect = np.log(0.5 + rng.random(channels))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    odds = np.exp(np.add.reduceat(effect[touches], starts) / lengths)
    converted = rng.random(n) < np.minimum(1.0, 0.03 * odds / odds.mean())
    value = np.where(converted, np.round(5000.0 * np.exp(0.5 * rng.standard_normal(n))), 0).astype(np.int64)
    names = np.array(channel_names(channels), dtype=object)[touches].tolist()
    paths = [" > ".join(names[a:a + m]) for a, m in zip(starts.tolist(), lengths.tolist())]
    conv = converted.astype(np.int64)
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("path,total_conversions,total_null,total_conversion_value\n")
        if rows == "journey":
            for p, c, v in zip(paths, conv.tolist(), value.tolist()):
                f.write(f"{p},{c},{1 - c},{v}\n")
        else:
            totals: dict[str, list[int]] = {}
            for p, c, v in zip(paths, conv.tolist(), value.tolist()):
                t = totals.setdefault(p, [0, 0, 0])
                t[0] += c
                t[1] += 1 - c
                t[2] += v
            for p, (c, u, v) in totals.items():
                f.write(f"{p},{c},{u},{v}\n")
    os.replace(tmp, out)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


HEURISTICS = [{"type": "first_touch"}, {"type": "last_touch"}, {"type": "linear"}]


def read_paths(csv: str, strings: str):
    """The CSV as a DataFrame; `strings`: "object" reads the path column as Python `str`
    objects, "str" as pandas' Arrow-backed string dtype (pandas 3's default), "default" as
    pandas reads it by default."""
    import pandas as pd

    if strings == "default":
        return pd.read_csv(csv)
    if strings == "object":
        return pd.read_csv(csv, dtype={"path": object})
    # pandas 2 reads "str" as object unless `future.infer_string` is on; pandas 3 always
    # gives the Arrow-backed `str` dtype.
    with pd.option_context("future.infer_string", True):
        return pd.read_csv(csv, dtype={"path": "str"})


def worker(tool: str, model: str, csv: str, seed: int, max_step: int | None, threads: int, strings: str) -> None:
    """Runs one tool on one CSV and prints JSON: seconds, CPU seconds of the call, peak RSS,
    credits, removal effects. `model`: heuristics, markov (order 1) or markov3 (order 3)."""
    df = read_paths(csv, strings)
    out = {"tool": tool, "model": model, "strings": str(df["path"].dtype), "load_rss_mib": peak_rss_mib()}
    order = 3 if model == "markov3" else 1
    if tool == "leadcore":
        import leadcore

        markov = [{"type": "markov", "order": order}]
        config = leadcore.AttributionConfig({"models": HEURISTICS if model == "heuristics" else markov})
        columns = {"path": df["path"], "conversions": df["total_conversions"], "nulls": df["total_null"],
                   "value": df["total_conversion_value"]}
        c0 = time.process_time()
        t = time.perf_counter()
        report = leadcore.attribute(config, paths=columns, threads=threads)
        out["seconds"] = time.perf_counter() - t
        credits: dict[str, dict[str, float]] = {}
        for m in report["models"]:
            for c in m["credits"]:
                credits.setdefault(c["key"], {})[m["name"]] = c["conversions"]
                credits[c["key"]][m["name"] + "_value"] = c["value"]
            if m.get("markov"):
                out["removal_effects"] = {e["key"]: e["conversions"] for e in m["markov"]["removal_effects"]}
        out["credits"] = credits
    elif tool == "ca":
        import contextlib
        import io

        import ChannelAttribution as ca

        c0 = time.process_time()
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            if model == "heuristics":
                r = ca.heuristic_models(df, "path", "total_conversions", var_value="total_conversion_value", flg_pro=False)
            else:
                r = ca.markov_model(df, "path", "total_conversions", var_value="total_conversion_value",
                                    var_null="total_null", order=order, out_more=True, seed=seed, verbose=False,
                                    flg_pro=False, max_step=max_step)
        out["seconds"] = time.perf_counter() - t
        if model == "heuristics":
            out["credits"] = {row.channel_name: {"first_touch": row.first_touch_conversions, "last_touch": row.last_touch_conversions,
                                                 "linear": row.linear_touch_conversions, "first_touch_value": row.first_touch_value,
                                                 "last_touch_value": row.last_touch_value, "linear_value": row.linear_touch_value}
                              for row in r.itertuples()}
        else:
            out["removal_effects"] = {row[1]: row[2] for row in r["removal_effects"].itertuples()}
    elif tool == "mam":
        import polars as pl
        from mam import MAM

        df["occurrences"] = 1
        c0 = time.process_time()
        t = time.perf_counter()
        m = MAM(pl.from_pandas(df), format_type="grouped_journey", channels_colname="path",
                journey_with_conv_colname="total_conversions", occurrences_colname="occurrences", path_separator=" > ")
        if model == "heuristics":
            res = {name: getattr(m, f"run_{name}")() for name in ("first_click", "last_click", "linear")}
            out["seconds"] = time.perf_counter() - t
            credits = {}
            for name, r in res.items():
                key = {"first_click": "first_touch", "last_click": "last_touch", "linear": "linear"}[name]
                for row in r.to_polars().iter_rows(named=True):
                    credits.setdefault(str(row["channels"]), {})[key] = row["attribution"]
            out["credits"] = credits
        else:
            r = m.run_markov()
            out["seconds"] = time.perf_counter() - t
            out["removal_effects"] = {str(k): float(v) for k, v in r.metadata["removal_effect"]["removal_effect"].items()}
    out["cpu_seconds"] = time.process_time() - c0
    out["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(out))


def run_worker(tool: str, model: str, csv: str, seed: int = 0, max_step: int = 0, threads: int = 1,
               strings: str = "default") -> dict:
    cmd = [sys.executable, __file__, "--worker", tool, model, csv, str(seed), str(max_step), str(threads), strings]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return {"tool": tool, "model": model, "error": "timed out after 900 s"}
    if p.returncode != 0:
        return {"tool": tool, "model": model, "error": (p.stderr or p.stdout)[-600:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def max_rel_diff(ours: dict, theirs: dict, keys: list[str]) -> float:
    worst = 0.0
    for ch in ours:
        for k in keys:
            x, y = ours[ch].get(k, 0.0), theirs.get(ch, {}).get(k, 0.0)
            worst = max(worst, abs(x - y) / max(1.0, abs(y)))
    return worst


def compare_shapes(a: argparse.Namespace) -> None:
    """leadcore (one thread) against ChannelAttribution on the neutral shapes: one table row per
    shape, size and model, in CPU seconds of the call (wall seconds in brackets)."""
    models = [m for m in a.models.split(",") if m]
    strings = [s for s in a.strings.split(",") if s]
    tools = [t for t in a.tools.split(",") if t == "ca"]
    results = []
    print("| shape | journeys | rows | model | " + " | ".join(f"leadcore, {s} CPU s (wall)" for s in strings)
          + (" | CA CPU s (wall) | CA / leadcore (CPU) | max diff |" if tools else " |"), flush=True)
    print("|---" * (4 + len(strings) + (3 if tools else 0)) + "|", flush=True)
    for shape in a.shape.split(","):
        spec = SHAPES[shape]
        for n in [int(float(s)) for s in a.sizes.split(",")]:
            csv = os.path.join(a.data_dir, f"{shape}_{n}_{a.seed}.csv")
            if not os.path.exists(csv):
                t = time.perf_counter()
                write_shape(csv, n, a.seed, **spec)
                print(f"wrote {csv} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
            with open(csv) as f:
                rows = sum(1 for _ in f) - 1
            for model in models:
                load = os.getloadavg()[0]
                ours = {s: run_worker("leadcore", model, csv, threads=1, strings=s) for s in strings}
                theirs = run_worker("ca", model, csv, strings=strings[0]) if tools else None
                load = f"{load:.1f}–{os.getloadavg()[0]:.1f}"
                results.append({"shape": shape, "journeys": n, "rows": rows, "model": model, "load": load,
                                "leadcore": ours, "ca": theirs})
                cells = []
                for s in strings:
                    r = ours[s]
                    cells.append(f"{r['cpu_seconds']:.3f} ({r['seconds']:.3f})" if "error" not in r
                                 else "refused: " + r["error"].strip().splitlines()[-1][-90:])
                line = f"| {shape} | {n:,} | {rows:,} | {model} | " + " | ".join(cells)
                if theirs is not None:
                    base = ours[strings[0]]
                    if "error" in theirs:
                        line += f" | error: {theirs['error'][-100:]!r} | | |"
                    elif "error" in base:
                        # leadcore refused (e.g. the Markov work bound): CA's time alone.
                        line += f" | {theirs['cpu_seconds']:.2f} ({theirs['seconds']:.2f}) | – | – |"
                    else:
                        if model == "heuristics":
                            keys = ["first_touch", "last_touch", "linear", "first_touch_value", "last_touch_value", "linear_value"]
                            diff = f"{max_rel_diff(base['credits'], theirs['credits'], keys):.1e} rel"
                        else:
                            exact = base.get("removal_effects", {})
                            diff = f"{max(abs(exact.get(c, 0.0) - v) for c, v in theirs['removal_effects'].items()):.3f} RE"
                        line += (f" | {theirs['cpu_seconds']:.2f} ({theirs['seconds']:.2f}) | "
                                 f"{theirs['cpu_seconds'] / max(base['cpu_seconds'], 1e-9):.1f}× | {diff} |")
                else:
                    line += " |"
                print(line + f" load {load}", flush=True)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(results, f, indent=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--worker", nargs=7, help=argparse.SUPPRESS)
    ap.add_argument("--shape", default="project",
                    help="path set: project (the project's own generator, the default) or neutral shapes, "
                         "comma-separated: " + ", ".join(SHAPES))
    ap.add_argument("--models", default="heuristics,markov,markov3", help="models of the --shape runs")
    ap.add_argument("--strings", default="object,str",
                    help="path column dtypes of the --shape runs: leadcore runs each, CA the first")
    ap.add_argument("--sizes", default="100000,1000000", help="numbers of paths, comma-separated")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", default="/tmp/leadcore-attribution")
    ap.add_argument("--tools", default="ca,mam", help="tools compared with leadcore")
    ap.add_argument("--threads", default="1,2", help="leadcore thread counts to time")
    ap.add_argument("--ca-seeds", type=int, default=5, help="CA Markov runs (seeds) for its sampling error; 0: none")
    ap.add_argument("--ca-max-step", type=int, default=200, help="max_step of CA's agreement runs")
    ap.add_argument("--out", default=None, help="write all results as JSON here")
    a = ap.parse_args()
    if a.worker:
        tool, model, csv, seed, max_step, threads, strings = a.worker
        worker(tool, model, csv, int(seed), int(max_step) or None, int(threads), strings)
        return
    os.makedirs(a.data_dir, exist_ok=True)
    if a.shape != "project":
        compare_shapes(a)
        return
    tools = [t for t in a.tools.split(",") if t]
    thread_counts = [int(t) for t in a.threads.split(",") if t]
    results = []
    for n in [int(float(s)) for s in a.sizes.split(",")]:
        csv = os.path.join(a.data_dir, f"paths_{n}_{a.seed}.csv")
        if not os.path.exists(csv):
            t = time.perf_counter()
            write_paths(csv, n, a.seed)
            print(f"wrote {csv} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        row: dict = {"paths": n, "runs": {}}
        ours = {}
        for threads in thread_counts:
            h = run_worker("leadcore", "heuristics", csv, threads=threads)
            m = run_worker("leadcore", "markov", csv, threads=threads)
            row["runs"][f"leadcore t{threads}"] = {"heuristics": h, "markov": m}
            ours = ours or {"heuristics": h, "markov": m}
        for tool in tools:
            h = run_worker(tool, "heuristics", csv)
            m = run_worker(tool, "markov", csv)
            entry = {"heuristics": h, "markov": m}
            if "credits" in h and "credits" in ours["heuristics"]:
                keys = ["first_touch", "last_touch", "linear"]
                if tool == "ca":
                    keys += ["first_touch_value", "last_touch_value", "linear_value"]
                entry["heuristics_max_rel_diff"] = max_rel_diff(ours["heuristics"]["credits"], h["credits"], keys)
            exact = ours["markov"].get("removal_effects", {})
            if "removal_effects" in m:
                entry["markov_re_max_abs_diff"] = max(abs(exact.get(ch, 0.0) - v) for ch, v in m["removal_effects"].items())
            if tool == "ca" and "removal_effects" in m and a.ca_seeds > 1:
                # CA seeds its folds with seed + fold, so seeds 1000 apart give independent runs.
                runs = [run_worker("ca", "markov", csv, 1000 * s, a.ca_max_step) for s in range(a.ca_seeds)]
                chans = list(runs[0]["removal_effects"])
                sd = {ch: statistics.stdev([r["removal_effects"][ch] for r in runs]) for ch in chans}
                mean = {ch: statistics.mean([r["removal_effects"][ch] for r in runs]) for ch in chans}
                k = len(runs) ** 0.5
                entry["markov_re_max_z"] = max(abs(exact.get(ch, 0.0) - mean[ch]) / max(sd[ch] / k, 1e-12) for ch in chans)
            row["runs"][tool] = entry
        results.append(row)
        print(json.dumps({"paths": n, "done": list(row["runs"])}), file=sys.stderr, flush=True)

    def fmt(v, f="{:.2f}"):
        return "-" if v is None else f.format(v)

    print("| paths | tool | heuristics s (CPU s) | Markov o1 s (CPU s) | peak RSS MiB (after load) "
          "| heuristics max rel diff | Markov RE max abs diff | max z vs CA |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        for tool, e in r["runs"].items():
            h, m = e["heuristics"], e["markov"]
            if "error" in h or "error" in m:
                print(f"| {r['paths']:,} | {tool} | error: {(h.get('error') or m.get('error'))[-120:]!r} |")
                continue
            rss = max(h["peak_rss_mib"], m["peak_rss_mib"])
            load = max(h["load_rss_mib"], m["load_rss_mib"])
            print(f"| {r['paths']:,} | {tool} | {fmt(h['seconds'])} ({fmt(h['cpu_seconds'])}) | "
                  f"{fmt(m['seconds'])} ({fmt(m['cpu_seconds'])}) | {rss:.0f} ({load:.0f}) | "
                  f"{fmt(e.get('heuristics_max_rel_diff'), '{:.1e}')} | {fmt(e.get('markov_re_max_abs_diff'), '{:.1e}')} | "
                  f"{fmt(e.get('markov_re_max_z'))} |")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
