"""Deliberate mistakes: each must fail to type-check (`warn_unused_ignores` fails the run when
the `# type: ignore[...]` on a line catches nothing)."""

import datetime as dt

import leadcore
from leadcore.types import RuleSetJson, Tier

now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
state = leadcore.PoolState()
policy = leadcore.PoolPolicy("{}")
# a misspelt command type (mypy: no command TypedDict matches the dict)
state.apply(policy, {"type": "folow_up", "lead": "L1", "rep": "wang"}, now)  # type: ignore[misc, arg-type]
# `clam` is not a command
state.apply(policy, {"type": "clam", "lead": "L1", "rep": "wang"}, now)  # type: ignore[misc, arg-type]
# tiers are high / mid / low
tier: Tier = "top"  # type: ignore[assignment]
# a misspelt result key
print(leadcore.normalize_phone("13800138000")["vaild"], tier)  # type: ignore[typeddict-item]
# a misspelt config key
rules: RuleSetJson = {"gatez": []}  # type: ignore[typeddict-item]
print(rules)
try:
    state.apply(policy, {"type": "claim", "lead": "L1", "rep": "wang"}, now)
except leadcore.PoolError as e:
    # error codes are a literal union, and this one is misspelt
    print(e.code == "alredy_owned", e.details)  # type: ignore[comparison-overlap]
