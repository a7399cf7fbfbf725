"""Compare leadcore's attribution with ChannelAttribution and marketing-attribution-models.

Same seeded synthetic paths for every tool (power-law channel popularity over 12 channels,
lengths 1-20, ~3% conversion), written as CSV by the leadcore bench binary. Each tool runs in
its own process so that time and peak RSS are its own; times exclude loading the CSV.

    python3 -m venv /work/venvs/attribution
    /work/venvs/attribution/bin/pip install ChannelAttribution marketing-attribution-models pandas matplotlib
    cargo build --release -p leadcore-benches --bin attribution
    /work/venvs/attribution/bin/python benches/python/compare_attribution.py --sizes 100000,1000000

The leadcore side is one command (`--leadcore-cmd`, default the release bench binary's `run`
subcommand); it can be swapped for the Python binding once that exists.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(tool, model, csv, seed, max_step=None):
    """Runs one tool on one CSV and prints JSON: seconds, peak RSS, credits, removal effects."""
    import pandas as pd

    df = pd.read_csv(csv)
    out = {"tool": tool, "model": model}
    c0 = time.process_time()
    if tool == "ca":
        import contextlib, io
        import ChannelAttribution as ca

        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            if model == "heuristics":
                r = ca.heuristic_models(df, "path", "total_conversions", var_value="total_conversion_value", flg_pro=False)
            else:
                r = ca.markov_model(df, "path", "total_conversions", var_value="total_conversion_value",
                                    var_null="total_null", order=1, out_more=True, seed=seed, verbose=False, flg_pro=False,
                                    max_step=max_step)
        out["seconds"] = time.perf_counter() - t
        if model == "heuristics":
            out["credits"] = {row.channel_name: {"first_touch": row.first_touch_conversions, "last_touch": row.last_touch_conversions,
                                                 "linear": row.linear_touch_conversions, "first_touch_value": row.first_touch_value,
                                                 "last_touch_value": row.last_touch_value, "linear_value": row.linear_touch_value}
                              for row in r.itertuples()}
        else:
            res, re = r["result"], r["removal_effects"]
            out["credits"] = {row.channel_name: {"markov": row.total_conversions, "markov_value": row.total_conversion_value} for row in res.itertuples()}
            out["removal_effects"] = {row[1]: row[2] for row in re.itertuples()}
    elif tool == "mam":
        import polars as pl
        from mam import MAM

        df["occurrences"] = 1
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
            re = r.metadata["removal_effect"]
            out["removal_effects"] = {str(k): float(v) for k, v in re["removal_effect"].items()}
    out["cpu_seconds"] = time.process_time() - c0
    out["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(out))


def run_worker(tool, model, csv, seed=0, max_step=0):
    cmd = [sys.executable, __file__, "--worker", tool, model, csv, str(seed), str(max_step)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return {"tool": tool, "model": model, "error": (p.stderr or p.stdout)[-600:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def run_leadcore(cmd, model, csv):
    p = subprocess.run(cmd + ["run", "--csv", csv, "--models", model], capture_output=True, text=True, check=True)
    d = json.loads(p.stdout)
    credits, re = {}, {}
    for m in d["report"]["models"]:
        for c in m["credits"]:
            credits.setdefault(c["key"], {})[m["name"]] = c["conversions"]
            credits[c["key"]][m["name"] + "_value"] = c["value"]
        if m.get("markov"):
            re = {e["key"]: e["conversions"] for e in m["markov"]["removal_effects"]}
    return {"tool": "leadcore", "model": model, "seconds": d["seconds"], "cpu_seconds": d["cpu_seconds"], "seconds_load": d["seconds_load"],
            "peak_rss_mib": d["peak_rss_mib"], "credits": credits, "removal_effects": re}


def max_rel_diff(a, b, keys):
    worst = 0.0
    for ch in a:
        for k in keys:
            x, y = a[ch].get(k, 0.0), b.get(ch, {}).get(k, 0.0)
            worst = max(worst, abs(x - y) / max(1.0, abs(y)))
    return worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=5)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", default="/tmp/leadcore-attribution")
    ap.add_argument("--leadcore-cmd", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "attribution"))
    ap.add_argument("--tools", default="ca,mam")
    ap.add_argument("--ca-seeds", type=int, default=5, help="CA Markov runs (seeds) used to estimate its sampling error")
    ap.add_argument("--ca-max-step", type=int, default=200,
                    help="max_step for CA's agreement runs: CA's default (the longest path) cuts long simulated walks "
                         "and biases removal effects downwards")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    if a.worker:
        tool, model, csv, seed, max_step = a.worker
        worker(tool, model, csv, int(seed), int(max_step) or None)
        return
    os.makedirs(a.data_dir, exist_ok=True)
    cmd = a.leadcore_cmd.split()
    tools = [t for t in a.tools.split(",") if t]
    results = []
    for n in [int(float(s)) for s in a.sizes.split(",")]:
        csv = os.path.join(a.data_dir, f"paths_{n}_{a.seed}.csv")
        if not os.path.exists(csv):
            subprocess.run(cmd + ["data", "--n", str(n), "--seed", str(a.seed), "--out", csv], check=True)
        row = {"paths": n}
        ours_h = run_leadcore(cmd, "heuristics", csv)
        ours_m = run_leadcore(cmd, "markov", csv)
        row["leadcore"] = {"heuristics_s": ours_h["seconds"], "markov_s": ours_m["seconds"], "load_s": ours_h["seconds_load"],
                           "heuristics_cpu_s": ours_h["cpu_seconds"], "markov_cpu_s": ours_m["cpu_seconds"],
                           "peak_rss_mib": max(ours_h["peak_rss_mib"], ours_m["peak_rss_mib"])}
        for tool in tools:
            h = run_worker(tool, "heuristics", csv)
            mk = run_worker(tool, "markov", csv)
            entry = {"heuristics_s": h.get("seconds"), "markov_s": mk.get("seconds"),
                     "heuristics_cpu_s": h.get("cpu_seconds"), "markov_cpu_s": mk.get("cpu_seconds"),
                     "peak_rss_mib": max(h.get("peak_rss_mib", 0), mk.get("peak_rss_mib", 0)),
                     "errors": [x["error"] for x in (h, mk) if "error" in x]}
            if "credits" in h:
                keys = ["first_touch", "last_touch", "linear"] + (["first_touch_value", "last_touch_value", "linear_value"] if tool == "ca" else [])
                entry["heuristics_max_rel_diff"] = max_rel_diff(ours_h["credits"], h["credits"], keys)
            if "removal_effects" in mk:
                diffs = {ch: ours_m["removal_effects"].get(ch, 0.0) - v for ch, v in mk["removal_effects"].items()}
                entry["markov_re_max_abs_diff"] = max(abs(d) for d in diffs.values())
            if tool == "ca" and "removal_effects" in mk and a.ca_seeds > 1:
                # CA seeds its folds with seed + fold (0..9), so seeds 1000 apart give independent runs.
                runs = [run_worker("ca", "markov", csv, 1000 * s, a.ca_max_step) for s in range(a.ca_seeds)]
                import statistics
                chans = list(runs[0]["removal_effects"])
                sd = {ch: statistics.stdev([r["removal_effects"][ch] for r in runs]) for ch in chans}
                mean = {ch: statistics.mean([r["removal_effects"][ch] for r in runs]) for ch in chans}
                # Our exact removal effect vs the mean of k CA runs, in standard errors of that mean.
                k = len(runs) ** 0.5
                entry["markov_re_max_z"] = max(abs(ours_m["removal_effects"].get(ch, 0.0) - mean[ch]) / max(sd[ch] / k, 1e-12) for ch in sd)
                entry["markov_re_ca_sd_max"] = max(sd.values())
                entry["markov_re_ca_default_bias"] = max(abs(ours_m["removal_effects"].get(ch, 0.0) - v) for ch, v in mk["removal_effects"].items())
            row[tool] = entry
        results.append(row)
        print(json.dumps(row), flush=True)
    print("\n| paths | tool | heuristics s (cpu) | markov o1 s (cpu) | peak RSS MiB | heuristics max rel diff | Markov RE max abs diff | max z vs CA |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        for tool in ["leadcore"] + tools:
            e = r.get(tool, {})
            fmt = lambda v, f="{:.3f}": "-" if v is None else f.format(v)
            print(f"| {r['paths']:,} | {tool} | {fmt(e.get('heuristics_s'))} ({fmt(e.get('heuristics_cpu_s'), '{:.2f}')}) | "
                  f"{fmt(e.get('markov_s'))} ({fmt(e.get('markov_cpu_s'), '{:.2f}')}) | {fmt(e.get('peak_rss_mib'), '{:.0f}')} | "
                  f"{fmt(e.get('heuristics_max_rel_diff'), '{:.1e}')} | {fmt(e.get('markov_re_max_abs_diff'), '{:.1e}')} | {fmt(e.get('markov_re_max_z'), '{:.2f}')} |")
    if a.out:
        json.dump(results, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
