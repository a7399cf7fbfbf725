"""Vector ops for the `qualify` area: each op is one call of the public Python API."""

from __future__ import annotations

from typing import Any, Callable

import leadcore

OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "load_rules": lambda c, i: leadcore.RuleSet(c).to_dict(),
    "qualify": lambda c, i: leadcore.qualify(c, i.get("lead"), i.get("events"), i.get("now"), i.get("scores")),
    "qualify_gate": lambda c, i: leadcore.qualify_gate(
        c, i.get("gate"), i.get("lead"), i.get("events"), i.get("now"), i.get("scores")
    ),
    "evaluate_condition": lambda c, i: leadcore.evaluate_condition(
        c, i.get("lead"), i.get("events"), i.get("now"), i.get("scores")
    ),
    "temperature": lambda c, i: leadcore.temperature(i.get("score"), c),
}
