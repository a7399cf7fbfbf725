"""Vector ops for the `lifecycle` area: each op is one call of the public Python API."""

from __future__ import annotations

from typing import Any, Callable

import leadcore

OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "load_pipeline": lambda c, i: leadcore.Pipeline(c).to_dict(),
    "pipeline_edges": lambda c, i: leadcore.pipeline_edges(c, i.get("from")),
    "transition": lambda c, i: leadcore.transition(c, i.get("lead"), i.get("request"), i.get("now")),
    "due": lambda c, i: leadcore.due(c, i.get("lead"), i.get("events"), i.get("now")),
    "stage_times": lambda c, i: leadcore.stage_times(i.get("lead"), i.get("now")),
    "convert_lead": lambda c, i: leadcore.convert_lead(c, i.get("lead")),
}
