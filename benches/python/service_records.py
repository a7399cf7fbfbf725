"""What one request of a reference service spends inside leadcore, by call and by record size.

    .venv/bin/python benches/python/service_records.py [--cycles 6] [--n 2000]

A service passes leadcore the records it loaded (a lead with its ownership history and the
command ids it remembers, the rep's counters) on every call. This times ``pool_needs`` (without
and with records) and ``pool_apply_rows`` for a claim on a lead that has been through
``--cycles`` claim / follow-up / return cycles, in Python and (when the addon is built) in Node,
so the cost of carrying records across the binding is visible next to the decision itself; and
``pool_apply_rows`` with the records as JSON text in and out (``text=True``), as a service that
keeps records in a text column can call it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import time
from pathlib import Path

import leadcore

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "utc_offset": "+08:00",
    "pools": [{"id": "pool", "kind": "active"}],
    "reps": [{"id": f"b{i}", "holding_cap": 100000, "daily_claim_cap": 100000} for i in range(50)],
    "protection": {"default_days": 10, "extension_days": 3, "max_days": 20, "warn_days": 2},
    "reclaim": {"cooldown_hours": 0.001},
}

NODE = r"""
const lc = require(process.argv[1])
const [cycles, n] = [Number(process.argv[2]), Number(process.argv[3])]
const pol = new lc.PoolPolicy(JSON.parse(process.argv[4]))
let now = Date.now()
const out = lc.poolApplyRows(null, [{ id: 'd', type: 'deposit', lead: 'L1', pool: 'pool' }], pol, new Date(now))
const recs = { leads: { L1: out.rows[0].record }, reps: {}, teams: {} }
for (let k = 0; k < cycles; k++) {
  for (const cmd of [{ type: 'claim', lead: 'L1', rep: `b${k}` }, { type: 'follow_up', lead: 'L1', rep: `b${k}`, kind: 'call' },
    { type: 'return', lead: 'L1', rep: `b${k}`, reason: 'x' }]) {
    cmd.id = `c${k}${cmd.type}`; now += 1000
    for (const r of lc.poolApplyRows(recs, [cmd], pol, new Date(now)).rows) if (r.record) recs[r.kind + 's'][r.id] = r.record
  }
}
const cmd = { id: 'zz', type: 'claim', lead: 'L1', rep: 'b40' }
const at = new Date(now + 5000)
const text = { leads: { L1: JSON.stringify(recs.leads.L1) }, reps: {}, teams: {} }
const time = f => { const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) f(); return Number(process.hrtime.bigint() - t) / n / 1e3 }
console.log(JSON.stringify({
  bytes: JSON.stringify(recs.leads.L1).length,
  needs_empty: time(() => lc.poolNeeds([cmd], pol, null, at)),
  needs_records: time(() => lc.poolNeeds([cmd], pol, recs, at)),
  apply_rows: time(() => lc.poolApplyRows(recs, [cmd], pol, at)),
  apply_rows_text: time(() => lc.poolApplyRows(text, [cmd], pol, at, { text: true }))
}))
"""


def python_side(cycles: int, n: int) -> dict:
    pol = leadcore.PoolPolicy(POLICY)
    now = dt.datetime.now(dt.timezone.utc)
    out = leadcore.pool_apply_rows(None, pol, [{"id": "d", "type": "deposit", "lead": "L1", "pool": "pool"}], now)
    recs: dict = {"leads": {"L1": out["rows"][0]["record"]}, "reps": {}, "teams": {}}
    for k in range(cycles):
        for cmd in ({"type": "claim", "lead": "L1", "rep": f"b{k}"},
                    {"type": "follow_up", "lead": "L1", "rep": f"b{k}", "kind": "call"},
                    {"type": "return", "lead": "L1", "rep": f"b{k}", "reason": "x"}):
            cmd["id"] = f"c{k}{cmd['type']}"
            now += dt.timedelta(seconds=1)
            for r in leadcore.pool_apply_rows(recs, pol, [cmd], now)["rows"]:
                if "record" in r:
                    recs[r["kind"] + "s"][r["id"]] = r["record"]
    cmd = {"id": "zz", "type": "claim", "lead": "L1", "rep": "b40"}
    at = now + dt.timedelta(seconds=5)
    text = json.dumps(recs["leads"]["L1"])
    as_text = {"leads": {"L1": text}, "reps": {}, "teams": {}}  # records as a text column returns them

    def time_it(f) -> float:
        t = time.perf_counter()
        for _ in range(n):
            f()
        return (time.perf_counter() - t) / n * 1e6

    return {
        "bytes": len(text),
        "needs_empty": time_it(lambda: leadcore.pool_needs(None, pol, [cmd], at)),
        "needs_records": time_it(lambda: leadcore.pool_needs(recs, pol, [cmd], at)),
        "apply_rows": time_it(lambda: leadcore.pool_apply_rows(recs, pol, [cmd], at)),
        "apply_rows_text": time_it(lambda: leadcore.pool_apply_rows(as_text, pol, [cmd], at, text=True)),
        "json_loads": time_it(lambda: json.loads(text)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cycles", type=int, default=6, help="claim / follow-up / return cycles the lead went through")
    ap.add_argument("--n", type=int, default=2000, help="calls per measurement")
    args = ap.parse_args()
    rows = [("Python", python_side(args.cycles, args.n))]
    addon = ROOT / "leadcore-node"
    if shutil.which("node") and list(addon.glob("*.node")):
        out = subprocess.run(["node", "-e", NODE, str(addon), str(args.cycles), str(args.n), json.dumps(POLICY)],
                             check=True, capture_output=True, text=True)
        rows.append(("Node", json.loads(out.stdout)))
    print(f"a claim on a lead after {args.cycles} claim / follow-up / return cycles; µs per call, 1 thread")
    print(f"{'':8} {'record bytes':>12} {'needs (no records)':>19} {'needs (records)':>16} {'apply_rows':>11}"
          f" {'apply_rows (text)':>18}")
    for name, r in rows:
        print(f"{name:8} {r['bytes']:12} {r['needs_empty']:19.0f} {r['needs_records']:16.0f} {r['apply_rows']:11.0f}"
              f" {r['apply_rows_text']:18.0f}"
              + (f"   (json.loads of the record: {r['json_loads']:.0f} µs)" if "json_loads" in r else ""))


if __name__ == "__main__":
    main()
