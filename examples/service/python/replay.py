"""Rebuilds the pool state from the ``log`` table and compares it with the rows.

    LEADCORE_DB=postgresql://... python replay.py      # exit 1 and the differences if any

The log is the history; the ``leads`` / ``reps`` / ``teams`` rows are what the services read
and write. A replay of the log in (at, seq) order through ``PoolState.replay`` must give back
every row's record exactly: that is what makes the rows trustworthy (and a snapshot plus the
log after it enough to rebuild them, or to rebuild them under a new policy).
"""

from __future__ import annotations

import json
import sys
from typing import Any, Optional

import leadcore

try:
    from store import Store, open_store
except ImportError:  # pragma: no cover
    from .store import Store, open_store

KINDS = ("leads", "reps", "teams")


def replayed(store: Store, snapshot_at: Optional[int] = None) -> dict[str, dict[str, Any]]:
    """The leads / reps / teams records a replay of the whole log gives.

    With ``snapshot_at = k``: the first k entries are replayed into a snapshot (what a host would
    have saved as ``PoolState.to_dict()``, with the position of its last entry), and the rest of
    the log is replayed from that snapshot: the result must be the same."""
    entries = store.log_entries()
    policies = {fp: leadcore.PoolPolicy(cfg) for fp, cfg in store.policies().items()}
    log = [entry for _, _, entry in entries]
    used = {fp for _, fp, _ in entries}
    missing = used - set(policies)
    if missing:
        raise RuntimeError(f"the log names policies the policies table lacks: {sorted(missing)}")
    # Each entry carries its policy's fingerprint; the replay runs it under that policy.
    every = list(policies.values())
    state: Any = None
    if snapshot_at is not None and 0 < snapshot_at < len(log):
        snap, _ = leadcore.PoolState.replay(every, log[:snapshot_at])
        state = json.loads(json.dumps(snap.to_dict()))  # as stored: plain JSON
        log = log[snapshot_at:]
    if log:
        state, _ = leadcore.PoolState.replay(every, log, state)
    d = state.to_dict() if state is not None and not isinstance(state, dict) else (state or {})
    return {k: d.get(k, {}) for k in (*KINDS, "gone")}


def differences(store: Store, limit: int = 10, snapshot_at: Optional[int] = None) -> list[str]:
    """Where the rows and the replayed log disagree (empty: they agree)."""
    want = replayed(store, snapshot_at)
    got: dict[str, dict[str, Any]] = {k: store.all_rows(k[:-1]) for k in KINDS}
    got["gone"] = dict(store.tombstones())
    out = []
    for kind in (*KINDS, "gone"):
        for rid in sorted(set(want[kind]) | set(got[kind])):
            a, b = got[kind].get(rid), want[kind].get(rid)
            if a != b:
                out.append(f"{kind}/{rid}: row {json.dumps(a, sort_keys=True)} != replay {json.dumps(b, sort_keys=True)}")
                if len(out) >= limit:
                    return out
    return out


if __name__ == "__main__":
    diffs = differences(open_store(sys.argv[1] if len(sys.argv) > 1 else None))
    print("\n".join(diffs) if diffs else "rows equal the replayed log")
    sys.exit(1 if diffs else 0)
