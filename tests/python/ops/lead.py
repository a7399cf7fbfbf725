"""Vector ops for the `lead` area: each op is one call of the public Python API."""

from __future__ import annotations

from typing import Any, Callable

import leadcore

OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "load_lead": lambda c, i: leadcore.load_lead(i.get("lead")),
    "normalize_events": lambda c, i: leadcore.normalize_events(i.get("events")),
}
