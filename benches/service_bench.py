"""Throughput and latency of the reference services (examples/service), and leadcore's share.

    .venv/bin/python benches/service_bench.py                     # both services, SQLite and PostgreSQL
    .venv/bin/python benches/service_bench.py --db sqlite --service python --seconds 20

For each (database, service): one service process on 127.0.0.1, N leads ingested through
POST /leads (clean -> dedupe -> qualify -> deposit), then pool commands with command ids (claim,
follow-up, return: each client thread a rep working through its own share of the leads) for a fixed time. Prints requests/s, p50 / p99
latency as the client saw it, and leadcore's share of the handler time (the services time every
leadcore call with perf_counter / performance.now and report the totals on GET /metrics; the
same split is on every response's Server-Timing header).

Not a timed test: the numbers depend on the machine and its load (the client threads, the
service and PostgreSQL share the same cores). Needs the leadcore wheel in the venv, the Node
addon built (leadcore-node) and `npm install` in examples/service/node; PostgreSQL comes from
the Debian package (installed if missing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "service"))

from harness import Client, Service, postgres_cluster, running  # noqa: E402

REPS = [f"b{i:03d}" for i in range(50)]
POLICY = {
    "utc_offset": "+08:00",
    "pools": [{"id": "pool", "kind": "active"}],
    "reps": [{"id": r, "holding_cap": 100000, "daily_claim_cap": 100000} for r in REPS],
    "protection": {"default_days": 10, "extension_days": 3, "max_days": 20, "warn_days": 2},
    "reclaim": {"cooldown_hours": 0.0001},  # 0.36 s: a rep may take a lead back on its next pass
}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def drive(svc: Service, threads: int, seconds: float, make) -> dict:
    """Runs `make(rng, k, n) -> (method, path, body)` from `threads` threads for `seconds`."""
    lat: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    before = Client(svc.port).request("GET", "/metrics")[1]
    deadline = time.perf_counter() + seconds

    def worker(k: int) -> None:
        rng = random.Random(k)
        c = Client(svc.port, timeout=60)
        mine, codes, n = [], {}, 0
        while time.perf_counter() < deadline:
            method, path, body = make(rng, k, n)
            n += 1
            t = time.perf_counter()
            status, _, _ = c.request(method, path, body)
            mine.append(time.perf_counter() - t)
            codes[status] = codes.get(status, 0) + 1
        c.close()
        with lock:
            lat.extend(mine)
            for s, v in codes.items():
                statuses[s] = statuses.get(s, 0) + v

    t0 = time.perf_counter()
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t0
    after = Client(svc.port).request("GET", "/metrics")[1]
    handler = after["handler_seconds"] - before["handler_seconds"]
    lc = after["leadcore_seconds"] - before["leadcore_seconds"]
    db = after["db_seconds"] - before["db_seconds"]
    return {
        "requests": len(lat),
        "rps": len(lat) / wall,
        "mean_ms": statistics.fmean(lat) * 1e3 if lat else float("nan"),
        "p50_ms": percentile(lat, 0.50) * 1e3,
        "p99_ms": percentile(lat, 0.99) * 1e3,
        "leadcore_share": lc / handler if handler else float("nan"),
        "db_share": db / handler if handler else float("nan"),
        "leadcore_us_per_request": lc / max(1, after["requests"] - before["requests"]) * 1e6,
        "statuses": statuses,
        "conflicts_retried": after["conflicts_retried"] - before["conflicts_retried"],
    }


def bench_one(kind: str, db: str, args: argparse.Namespace, workdir: Path) -> list[dict]:
    policy = workdir / "bench_policy.json"
    policy.write_text(json.dumps(POLICY))
    svc = Service(kind, db, policy, logdir=workdir)
    rows = []
    with running([svc]):
        prefix = f"{kind[0]}{random.randrange(10**6)}-"
        base = random.randrange(10**9)  # phones differ from any earlier run's: no dedupe hits
        counter = iter(range(10**9))
        lock = threading.Lock()

        def ingest(rng, k, n):
            with lock:
                i = next(counter)
            return "POST", "/leads", {"id": f"{prefix}{i}", "source": {"channel": "sem"},
                                      "attributes": {"phone": f"13{(base + i) % 10**9:09d}", "wanted_item_id": "SKU1",
                                                     "industry": "saas", "employees": 50}}

        r = drive(svc, args.threads, args.seconds / 2, ingest)
        rows.append({"service": kind, "db": db.split(":")[0], "workload": "ingest (POST /leads)", **r})
        made = next(counter)

        def pool_mix(rng, k, n):
            # Thread k is rep k working through its share of the leads: claim, follow up, return.
            mine = range(k, made, args.threads)
            lead = f"{prefix}{mine[(n // 3) % len(mine)]}"
            rep = REPS[k % len(REPS)]
            step = n % 3
            if step == 0:
                return "POST", f"/leads/{lead}/claim", {"rep": rep, "command_id": f"{rep}-{n}"}
            if step == 1:
                return "POST", f"/leads/{lead}/follow-up", {"rep": rep, "kind": "call", "command_id": f"{rep}-{n}"}
            return "POST", f"/leads/{lead}/return", {"rep": rep, "reason": "bench", "command_id": f"{rep}-{n}"}

        r = drive(svc, args.threads, args.seconds, pool_mix)
        rows.append({"service": kind, "db": db.split(":")[0], "workload": "pool: claim, follow-up, return", **r})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--service", choices=["python", "node", "both"], default="both")
    ap.add_argument("--seconds", type=float, default=10.0, help="pool workload length (ingest: half)")
    ap.add_argument("--threads", type=int, default=8, help="client threads")
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args()
    kinds = ["python", "node"] if args.service == "both" else [args.service]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="leadcore-bench-") as tmp:
        work = Path(tmp)
        if args.db in ("sqlite", "both"):
            for kind in kinds:
                rows += bench_one(kind, f"sqlite:///{work / f'{kind}.db'}", args, work)
        if args.db in ("postgres", "both"):
            with postgres_cluster() as url:
                for kind in kinds:
                    rows += bench_one(kind, url, args, work)
    load = os.getloadavg()
    print(f"\n{os.cpu_count()} cores, {args.threads} client threads, load average {load[0]:.1f} / {load[1]:.1f}")
    print("leadcore / db: share of the handler's time (GET /metrics); lc µs: leadcore time per request;")
    print("lc / latency: that time over the mean latency the client saw (HTTP, JSON, queueing included)")
    print(f"{'service':8} {'db':10} {'workload':32} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'leadcore':>9} {'db':>6} "
          f"{'lc µs':>6} {'lc/latency':>10}")
    for r in rows:
        print(f"{r['service']:8} {r['db']:10} {r['workload']:32} {r['rps']:7.0f} {r['p50_ms']:7.1f} {r['p99_ms']:7.1f} "
              f"{r['leadcore_share'] * 100:8.1f}% {r['db_share'] * 100:5.0f}% {r['leadcore_us_per_request']:6.0f} "
              f"{r['leadcore_us_per_request'] / 1e3 / r['mean_ms'] * 100:9.1f}%   {r['statuses']} retried {r['conflicts_retried']}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
