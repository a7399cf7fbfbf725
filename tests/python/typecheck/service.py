"""A service-style file: a pool worker that claims, ticks and reports, typed end to end."""

import datetime as dt

import leadcore
from leadcore.types import PoolApplied, PoolDue, PoolEffectOutput, PoolPolicyJson, PoolStateJsonOutput

policy_json: PoolPolicyJson = {"pools": [{"id": "general", "kind": "general"}], "reps": [{"id": "wang"}]}
policy = leadcore.PoolPolicy(policy_json)
state = leadcore.PoolState()


def claim(lead: str, rep: str, now: dt.datetime) -> list[PoolEffectOutput]:
    out: PoolApplied = state.apply({"type": "claim", "lead": lead, "rep": rep, "id": f"claim-{lead}"}, policy, now)
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
