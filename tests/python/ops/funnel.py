"""Vector ops for the `funnel` area: each op is one call of the public Python API."""

from __future__ import annotations

import json
from typing import Any, Callable

import leadcore


def funnel_accumulate(config: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    """One accumulator per part, each shipped through its binary and JSON state, merged in order."""
    total = leadcore.FunnelAccumulator(config)
    for part in inputs.get("parts") or []:
        acc = leadcore.FunnelAccumulator(config)
        acc.add_leads(part.get("leads", []))
        shipped = leadcore.FunnelAccumulator.from_bytes(acc.to_bytes())
        total.merge(leadcore.FunnelAccumulator.from_json(shipped.to_json()))
    return {"report": total.finish(), "state": json.loads(total.to_json())}


OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "funnel": lambda c, i: leadcore.funnel(c, i.get("leads", [])),
    "funnel_accumulate": funnel_accumulate,
    "channel_roi": lambda c, i: leadcore.channel_roi(c, i.get("leads", []), i.get("spend")),
    "forecast": lambda c, i: leadcore.forecast(c, i.get("leads", [])),
    "mlg_index": lambda c, i: leadcore.mlg_index(c, i.get("leads", [])),
    "capacity_plan": lambda c, i: leadcore.capacity_plan(c, i.get("plan")),
    "capacity_monte_carlo": lambda c, i: leadcore.capacity_monte_carlo(c, i.get("plan"), i.get("simulation")),
}
