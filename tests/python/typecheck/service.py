"""A service-style file: a pool worker that claims, ticks and reports, typed end to end."""

import datetime as dt

import numpy
import numpy.typing

import leadcore
from leadcore.types import (
    Lead,
    LeadEvent,
    PoolApplied,
    PoolDue,
    PoolEffectOutput,
    PoolPolicyJson,
    PoolStateJsonOutput,
    ScoredLead,
)

policy_json: PoolPolicyJson = {"pools": [{"id": "general", "kind": "general"}], "reps": [{"id": "wang"}]}
policy = leadcore.PoolPolicy(policy_json)
state = leadcore.PoolState()


def claim(lead: str, rep: str, now: dt.datetime) -> list[PoolEffectOutput]:
    out: PoolApplied = state.apply(policy, {"type": "claim", "lead": lead, "rep": rep, "id": f"claim-{lead}"}, now)
    for effect in out["effects"]:
        if effect["type"] == "moved":
            print(effect["lead"], effect["to"])
    return out["effects"]


def tick(now: dt.datetime) -> str | None:
    out = state.tick(policy, now)
    due: PoolDue = state.due(policy, now)
    print(len(due["timers"]))
    return out.get("next_check_at")


def snapshot() -> PoolStateJsonOutput:
    return state.to_dict()


def refusal(e: leadcore.LeadcoreError) -> tuple[int, dict[str, object]]:
    """A refusal as an HTTP answer: codes and facts are typed."""
    status = 409 if e.code in ("already_owned", "holding_cap_reached") else 422
    return status, {"code": e.code, "path": e.path, "details": e.details}


def ingest(lead_id: str, seen: dt.datetime) -> ScoredLead:
    """Documents hold aware ``datetime``s where they hold instants, as the binding reads them."""
    lead: Lead = {"id": lead_id, "created_at": seen, "attributes": {"industry": "saas"}}
    events: list[LeadEvent] = [{"id": f"{lead_id}-1", "lead_id": lead_id, "kind": "page_view", "at": seen}]
    return leadcore.score_lead(leadcore.ScoringModel.preset("b2b_default"), lead, events, seen)


def tiers_of(leads: list[Lead], events: dict[str, object], now: dt.datetime) -> "numpy.typing.NDArray[numpy.int8]":
    """``score_table``'s arrays are typed: tier codes are int8."""
    return leadcore.score_table(leadcore.ScoringModel.preset("b2b_default"), leads, events, now)["tier"]
