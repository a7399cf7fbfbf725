"""Vector ops for the `pools` area: each op is one call of the public Python API (the functional
forms, on a state given as a dict; an absent state is the empty state)."""

from __future__ import annotations

from typing import Any, Callable

import leadcore

OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "pool_load_policy": lambda c, i: leadcore.PoolPolicy(c).to_dict(),
    "pool_apply": lambda c, i: leadcore.pool_apply(i.get("state"), c, i.get("command"), i.get("now")),
    "pool_tick": lambda c, i: leadcore.pool_tick(i.get("state"), c, i.get("now")),
    "pool_due": lambda c, i: leadcore.pool_due(i.get("state"), c, i.get("now")),
    "pool_replay": lambda c, i: leadcore.pool_replay(i.get("state"), c, i.get("log")),
    "pool_assign_preview": lambda c, i: leadcore.pool_assign_preview(i.get("state"), c, i.get("lead"), i.get("now")),
    "pool_simulate_day": lambda c, i: leadcore.pool_simulate_day(i.get("state"), c, i.get("arrivals")),
    "pool_needs": lambda c, i: leadcore.pool_needs(i.get("records"), c, i.get("commands"), i.get("now")),
    "pool_apply_rows": lambda c, i: leadcore.pool_apply_rows(i.get("records"), c, i.get("commands"), i.get("now")),
    "pool_tick_rows": lambda c, i: leadcore.pool_tick_rows(i.get("records"), c, i.get("now")),
}
