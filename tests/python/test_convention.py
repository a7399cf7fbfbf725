"""One calling convention (README, "One calling convention"; CHANGELOG 0.2.0).

Arguments come in one order by role: the config or model that decides (for pool calls the state
or rows, then the policy), what is decided about, the events, ``now``, then options. Checked on
every public signature, and the 0.1 orders must fail loudly with a leadcore error rather than
compute something else.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import pytest

import leadcore

DECIDERS = {"pipeline", "rules", "model", "mapping", "regions", "config", "condition", "spec", "tiers",
            "proposal", "converted_stages"}
SUBJECTS = {"lead", "leads", "request", "command", "commands", "arrivals", "log", "text", "raw", "gate",
            "candidates", "journey", "journeys", "outcomes", "scores", "labels", "proposed", "plan"}
OPTIONS = {"threads", "text", "scores", "options", "mql", "segments", "simulation", "state"}


def _public_callables() -> list[tuple[str, Callable[..., Any]]]:
    out = []
    for name in sorted(dir(leadcore)):
        obj = getattr(leadcore, name)
        if name.startswith("_") or inspect.ismodule(obj):
            continue
        if inspect.isclass(obj):
            if issubclass(obj, BaseException):
                continue
            out += [(f"{name}.{m}", getattr(obj, m)) for m in sorted(vars(obj)) if not m.startswith("_")
                    and callable(getattr(obj, m))]
        elif callable(obj):
            out.append((name, obj))
    return out


def _params(fn: Callable[..., Any]) -> list[str] | None:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    return [p.name for p in sig.parameters.values() if p.name not in ("self", "cls", "$self", "$cls")]


def test_signatures_follow_the_convention() -> None:
    checked = 0
    for name, fn in _public_callables():
        ps = _params(fn)
        if not ps:
            continue
        checked += 1
        where = f"{name}({', '.join(ps)})"
        if "events" in ps and "now" in ps:
            assert ps.index("events") < ps.index("now"), where
        if "now" in ps:
            for p in ps[ps.index("now") + 1:]:
                assert p in OPTIONS or p in ("events", "candidates"), where
        if "policy" in ps and not name.startswith(("dedupe", "DedupPolicy")):
            before = ps[: ps.index("policy")]
            assert set(before) <= {"state", "records"}, where
        for p in ps:
            if p in DECIDERS and p not in ("tiers", "scores") and not name.startswith("PredictiveModel"):
                assert ps.index(p) == 0 or (p == "proposal"), where
    assert checked > 40


NOW = "2026-11-23T09:00:00+08:00"
LEAD = {"id": "L1", "created_at": "2026-11-20T10:00:00+08:00"}
POLICY = {"pools": [{"id": "inbox", "kind": "general"}], "reps": [{"id": "wang"}]}
DEPOSIT = {"type": "deposit", "lead": "L1", "pool": "inbox"}
PIPELINE = leadcore.Pipeline.preset("seed_001")
MODEL = leadcore.ScoringModel.preset("b2b_default")

OLD_ORDERS: dict[str, Callable[[], Any]] = {
    "transition(lead, request, pipeline, now)": lambda: leadcore.transition(LEAD, {}, PIPELINE, NOW),
    "due(lead, events, pipeline, now)": lambda: leadcore.due(LEAD, [], PIPELINE, NOW),
    "convert_lead(lead, mapping)": lambda: leadcore.convert_lead(LEAD, leadcore.FieldMapping.preset(
        leadcore.FieldMapping.preset_names()[0])),
    "locate_phone(raw, regions)": lambda: leadcore.locate_phone("13800138000", {"prefixes": {}}),
    "qualify(rules, lead, now)": lambda: leadcore.qualify(leadcore.RuleSet.preset("seed_001"), LEAD, NOW),  # type: ignore[call-arg]
    "score_lead(model, lead, now, events)": lambda: leadcore.score_lead(MODEL, LEAD, NOW, []),  # type: ignore[arg-type]
    "score_batch(model, leads, now)": lambda: leadcore.score_batch(MODEL, [LEAD], NOW),  # type: ignore[call-arg]
    "ScoringModel.score_lead(lead, now, events)": lambda: MODEL.score_lead(LEAD, NOW, []),  # type: ignore[arg-type]
    "dedupe(leads, policy)": lambda: leadcore.dedupe([LEAD], {}),  # type: ignore[arg-type]
    "dedupe_one(lead, candidates, policy)": lambda: leadcore.dedupe_one(LEAD, [], {}),  # type: ignore[arg-type]
    "evaluate(scores, labels, tiers)": lambda: leadcore.evaluate([0.5], [True], {"high": 0.7, "mid": 0.3}),  # type: ignore[arg-type]
    "source_counts(outcomes, stages)": lambda: leadcore.source_counts([{"source": "sem"}], ["Won"]),  # type: ignore[arg-type]
    "PoolState.apply(command, policy, now)": lambda: leadcore.PoolState().apply(DEPOSIT, POLICY, NOW),  # type: ignore[arg-type]
    "PoolState.simulate_day(arrivals, policy)": lambda: leadcore.PoolState().simulate_day([LEAD], POLICY),  # type: ignore[arg-type]
    "PoolState.replay(log, policy)": lambda: leadcore.PoolState.replay([], POLICY),  # type: ignore[arg-type]
    "pool_apply(state, command, policy, now)": lambda: leadcore.pool_apply(None, DEPOSIT, POLICY, NOW),  # type: ignore[arg-type]
    "pool_apply_rows(records, commands, policy, now)": lambda: leadcore.pool_apply_rows(None, [DEPOSIT], POLICY, NOW),  # type: ignore[arg-type]
    "pool_needs(commands, policy)": lambda: leadcore.pool_needs([DEPOSIT], POLICY),  # type: ignore[call-arg]
}


@pytest.mark.parametrize("call", sorted(OLD_ORDERS))
def test_old_orders_fail_loudly(call: str) -> None:
    with pytest.raises((leadcore.LeadcoreError, TypeError)):
        OLD_ORDERS[call]()
