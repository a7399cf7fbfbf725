"""Runs every shared vector under tests/vectors through the Python API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest

import leadcore
from conftest import subset_diffs, vector_cases


def instant(text: Any) -> Any:
    """Vectors write instants as text; Python callers pass datetimes (naive ones stay naive)."""
    if not isinstance(text, str):
        return text
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text


Op = Callable[[Any, dict[str, Any]], Any]

OPS: dict[str, Op] = {
    # lead model
    "load_lead": lambda c, i: leadcore.load_lead(i.get("lead")),
    "normalize_events": lambda c, i: leadcore.normalize_events(i.get("events")),
    # lifecycle
    "load_pipeline": lambda c, i: leadcore.Pipeline(c).to_dict(),
    "pipeline_edges": lambda c, i: leadcore.pipeline_edges(c, i.get("from")),
    "transition": lambda c, i: leadcore.transition(i.get("lead"), i.get("request"), c, i.get("now")),
    "due": lambda c, i: leadcore.due(i.get("lead"), i.get("events"), c, i.get("now")),
    "stage_times": lambda c, i: leadcore.stage_times(i.get("lead"), i.get("now")),
    "convert_lead": lambda c, i: leadcore.convert_lead(i.get("lead"), c),
    # qualification
    "load_rules": lambda c, i: leadcore.RuleSet(c).to_dict(),
    "qualify": lambda c, i: leadcore.qualify(c, i.get("lead"), i.get("now"), i.get("events"), i.get("scores")),
    "qualify_gate": lambda c, i: leadcore.qualify_gate(
        c, i.get("gate"), i.get("lead"), i.get("now"), i.get("events"), i.get("scores")
    ),
    "evaluate_condition": lambda c, i: leadcore.evaluate_condition(
        c, i.get("lead"), i.get("now"), i.get("events"), i.get("scores")
    ),
    "temperature": lambda c, i: leadcore.temperature(i.get("score"), c),
    # cleaning
    "normalize_phone": lambda c, i: leadcore.normalize_phone(i.get("raw")),
    "locate_phone": lambda c, i: leadcore.locate_phone(i.get("raw"), c),
    "normalize_email": lambda c, i: leadcore.normalize_email(i.get("raw"), c),
    "is_personal_email_domain": lambda c, i: leadcore.is_personal_email_domain(i.get("domain")),
    "normalize_company": lambda c, i: leadcore.normalize_company(i.get("raw"), c),
    "dedupe": lambda c, i: leadcore.dedupe(i.get("leads"), c, i.get("events")),
}


@pytest.mark.parametrize("case", [c for _, c in vector_cases()], ids=[n for n, _ in vector_cases()])
def test_vector(case: dict[str, Any]) -> None:
    op = OPS.get(case["op"])
    assert op is not None, f"no python runner for op `{case['op']}`"
    config = case.get("config")
    inputs = dict(case.get("input") or {})
    if "now" in inputs:
        inputs["now"] = instant(inputs["now"])
    if "error" in case:
        with pytest.raises(leadcore.LeadcoreError) as info:
            op(config, inputs)
        assert info.value.code == case["error"]["code"], str(info.value)
        if "path" in case["error"]:
            assert info.value.path == case["error"]["path"], str(info.value)
    else:
        actual = op(config, inputs)
        diffs = subset_diffs(case["expected"], actual)
        assert not diffs, "\n".join(diffs)
