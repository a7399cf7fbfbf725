"""Vector ops for the `attribution` area: each op is one call of the public Python API."""

from __future__ import annotations

import json
from typing import Any, Callable

import leadcore

from arrow_tables import arrow_table


def accumulate(config: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    """One accumulator per part, each shipped through its binary and JSON state, merged in order."""
    total = leadcore.AttributionAccumulator(config)
    for part in inputs.get("parts") or []:
        acc = leadcore.AttributionAccumulator(config)
        acc.add_journeys(part.get("journeys") or [])
        acc.add_paths(part.get("paths") or [])
        shipped = leadcore.AttributionAccumulator.from_bytes(acc.to_bytes())
        total.merge(leadcore.AttributionAccumulator.from_json(shipped.to_json()))
    return {"report": total.finish(), "state": json.loads(total.to_json())}


def accumulate_columns(config: Any, inputs: dict[str, Any]) -> Any:
    """The report of one accumulator fed a long touch table (a dict of column lists)."""
    acc = leadcore.AttributionAccumulator(config)
    acc.add_journey_columns(inputs.get("touches"))
    return acc.finish()


def accumulate_table(config: Any, inputs: dict[str, Any]) -> Any:
    """The report of one accumulator fed a typed touch table as a pyarrow Table."""
    acc = leadcore.AttributionAccumulator(config)
    acc.add_journey_columns(arrow_table(inputs["touches"]))
    return acc.finish()


OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "attribute": lambda c, i: leadcore.attribute(c, i.get("journeys"), i.get("paths")),
    "explain_journey": lambda c, i: leadcore.explain_journey(c, i.get("journey")),
    "ownership": lambda c, i: leadcore.ownership(c, i.get("journeys", [])),
    "accumulate": accumulate,
    "accumulate_columns": accumulate_columns,
    "attribute_table": lambda c, i: leadcore.attribute(c, paths=arrow_table(i["paths"])),
    "accumulate_table": accumulate_table,
}
