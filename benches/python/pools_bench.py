"""Pool state machine through the Python binding: the workloads of the criterion bench
`benches/benches/pools.rs`, to compare with Rust.

- apply N mixed commands (8 per lead: deposit, claim, follow-up, transfer, follow-up, return,
  claim, convert; 1,000 reps; one millisecond apart) on a natively held `PoolState`;
- tick over N held leads: every lead due (N reclaims, the result converted to Python), and 1 %
  due (warnings);
- the state's JSON round trip (`to_json`, `from_json`) and a copy, for the host's persistence;
- the same N commands as a command log replayed: JSON lines parsed in the core
  (`replay_jsonl`), and a list of dicts (`replay`, one result dict per entry).

Commands are built as dicts before the clock starts, so the times are the binding's (argument
conversion, the call, the result as dicts). Installs nothing: run it with a Python where the
`leadcore` wheel is installed (a release build, e.g. `pip install ./leadcore-py`):

    python benches/python/pools_bench.py            # N = 1,000,000
    python benches/python/pools_bench.py --n 200000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import time
from typing import Any, Callable

import leadcore

REPS = 1_000
START = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)


def policy() -> leadcore.PoolPolicy:
    return leadcore.PoolPolicy(
        {
            "pools": [{"id": "p", "kind": "active"}, {"id": "q", "kind": "general"}],
            "reps": [{"id": f"r{i}", "holding_cap": 100_000} for i in range(REPS)],
            "protection": {"default_days": 10, "extension_days": 3, "max_days": 20, "warn_days": 2},
            "reclaim": {"no_follow_up_days": 7, "warn_days": 1, "cooldown_hours": 72},
        }
    )


def mixed_commands(n: int) -> list[tuple[dict[str, Any], dt.datetime]]:
    """The Rust bench's commands: 8 per lead, every one accepted, one millisecond apart."""
    out: list[tuple[dict[str, Any], dt.datetime]] = []
    i = 0
    ms = dt.timedelta(milliseconds=1)
    while len(out) < n:
        lead = f"L{i}"
        ai = i % REPS
        bi = (ai + 1 + (i * 7) % (REPS - 1)) % REPS
        ci = (bi + 1) % REPS
        a, b, c = f"r{ai}", f"r{bi}", f"r{ci}"
        for cmd in (
            {"type": "deposit", "lead": lead, "pool": "p"},
            {"type": "claim", "lead": lead, "rep": a},
            {"type": "follow_up", "lead": lead, "rep": a, "kind": "call"},
            {"type": "transfer", "lead": lead, "from": a, "to": b},
            {"type": "follow_up", "lead": lead, "rep": b},
            {"type": "return", "lead": lead, "rep": b, "reason": "wrong region", "pool": "q"},
            {"type": "claim", "lead": lead, "rep": c},
            {"type": "mark_converted", "lead": lead},
        ):
            if len(out) == n:
                break
            out.append((cmd, START + len(out) * ms))
        i += 1
    return out


def held_state(p: leadcore.PoolPolicy, n: int) -> leadcore.PoolState:
    """n leads held by the reps, claimed one millisecond apart."""
    state = leadcore.PoolState()
    ms = dt.timedelta(milliseconds=1)
    for i in range(n):
        at = START + i * ms
        state.apply(p, {"type": "deposit", "lead": f"H{i}", "pool": "p"}, at)
        state.apply(p, {"type": "claim", "lead": f"H{i}", "rep": f"r{i % REPS}"}, at)
    return state


def timed(label: str, f: Callable[[], Any], per: int = 0) -> Any:
    """Runs f, printing wall and CPU time (CPU is the fairer number on a shared machine)."""
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    out = f()
    s, cpu = time.perf_counter() - t, time.process_time() - c
    rate = f"  {cpu / per * 1e9:7.0f} ns CPU each" if per else ""
    print(f"{label:<44} {s:8.3f} s wall {cpu:8.3f} s CPU{rate}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="commands, and held leads (default 1,000,000)")
    n = ap.parse_args().n
    p = policy()
    print(f"leadcore {leadcore.__version__}, N = {n:,}")

    commands = mixed_commands(n)
    state = leadcore.PoolState()
    apply = state.apply

    def run() -> None:
        for cmd, at in commands:
            apply(cmd, p, at)

    timed(f"apply {n:,} mixed commands", run, n)
    # The same history as a command log of JSON lines (what a service appends), replayed in the
    # core line by line, and as a list of dicts.
    fp = p.fingerprint
    lines = "\n".join(
        json.dumps({"op": "apply", "at": at.isoformat(), "command": cmd, "policy": fp}) for cmd, at in commands
    )
    replayed, count = timed(f"replay_jsonl {n:,} log lines", lambda: leadcore.PoolState.replay_jsonl(p, lines), n)
    assert count == n and replayed == state
    log = [json.loads(line) for line in lines.split("\n")]
    timed(f"replay {n:,} log entries (dicts)", lambda: leadcore.PoolState.replay(p, log), n)
    del commands, state, lines, log, replayed

    held = timed(f"build {n:,} held leads ({2 * n:,} applies)", lambda: held_state(p, n), 2 * n)
    text = timed("to_json (held state)", held.to_json)
    print(f"{'':<44} {len(text) / 1e6:8.1f} MB of JSON")
    timed("from_json (held state)", lambda: leadcore.PoolState.from_json(text))
    del text
    copy = timed("copy (held state)", held.copy)
    all_due = START + dt.timedelta(days=30)
    out = timed(f"tick, all {n:,} due (reclaims)", lambda: copy.tick(p, all_due), n)
    assert len(out["effects"]) == 2 * n and copy.holdings("r0") == 0
    del out, copy
    copy = held.copy()
    # The leads claimed in the first n / 100 milliseconds are due for their no-follow-up warning.
    some_due = START + dt.timedelta(days=6, milliseconds=n // 100 - 1)
    out = timed(f"tick, 1 % of {n:,} due (warnings)", lambda: copy.tick(p, some_due))
    print(f"{'':<44} {len(out['effects']):,} warnings")


if __name__ == "__main__":
    main()
