"""Behaviour of the pool bindings beyond the shared vectors: the natively held PoolState
(all-or-nothing apply, pickling, JSON, copies), class and functional forms, threads."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import pathlib
import threading
from typing import Any

import pytest

import leadcore

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

POLICY: dict[str, Any] = {
    "utc_offset": "+08:00",
    "pools": [
        {"id": "east_active", "kind": "active", "region": "east"},
        {"id": "east_general", "kind": "general", "region": "east"},
    ],
    "reps": [
        {"id": "wang", "region": "east", "holding_cap": 3},
        {"id": "zhao", "region": "east", "holding_cap": 1000},
        {"id": "li", "region": "east", "holding_cap": 1000},
    ],
    "protection": {"default_days": 10, "extension_days": 3, "max_days": 20, "warn_days": 2},
    "reclaim": {"cooldown_hours": 72},
    "escalation": {"ladder": [{"pool_kind": "active"}, {"pool_kind": "general", "min_days_since_previous": 180}]},
}


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def deposit(lead: str) -> dict[str, Any]:
    return {"type": "deposit", "lead": lead, "pool": "east_active"}


def claim(lead: str, rep: str) -> dict[str, Any]:
    return {"type": "claim", "lead": lead, "rep": rep}


@pytest.fixture(scope="module")
def policy() -> leadcore.PoolPolicy:
    return leadcore.PoolPolicy(POLICY)


def held(policy: leadcore.PoolPolicy, n: int = 3) -> leadcore.PoolState:
    """A state with n leads deposited and claimed by wang (n ≤ 3, his cap)."""
    state = leadcore.PoolState()
    for i in range(n):
        state.apply(policy, deposit(f"L{i}"), T0)
        state.apply(policy, claim(f"L{i}", "wang"), T0)
    return state


def test_apply_changes_the_state_in_place_and_returns_effects(policy: leadcore.PoolPolicy) -> None:
    state = leadcore.PoolState()
    assert len(state) == 0 and state.clock is None
    out = state.apply(policy, deposit("L1"), T0)
    assert [e["type"] for e in out["effects"]] == ["moved"]
    out = state.apply(policy, claim("L1", "wang"), T0)
    assert out["effects"][0]["to"] == {"status": "owned", "rep": "wang"}
    assert out["next_check_at"] == "2026-01-13T01:00:00Z"  # the warning, 2 days before the end
    assert [r["code"] for r in out["reasons"]] == ["holding", "daily_intake", "protected"]
    assert len(state) == 1 and state.holdings("wang") == 1
    assert state.clock == "2026-01-05T01:00:00Z" and state.next_check_at == "2026-01-13T01:00:00Z"
    assert state.lead("L1")["holder"] == {"status": "owned", "rep": "wang"}
    assert state.lead("L1")["protected_until"] == "2026-01-15T01:00:00Z"  # protected 10 days
    assert state.lead("nope") is None and state.lead_ids() == ["L1"]


@pytest.mark.parametrize(
    "command, code",
    [
        (claim("L9", "zhao"), "unknown_lead"),
        (claim("L0", "zhao"), "already_owned"),
        (claim("P1", "nobody"), "unknown_rep"),
        (claim("P1", "wang"), "holding_cap_reached"),
        ({"type": "bulk_assign", "leads": ["P1", "P2", "L0"], "rep": "zhao"}, "already_owned"),
        ({"type": "return", "lead": "L0", "rep": "wang", "reason": ""}, "missing_reason"),
        ({"type": "deposit", "lead": "P3", "pool": "nowhere"}, "unknown_pool"),
    ],
)
def test_a_refused_command_leaves_the_state_unchanged(
    policy: leadcore.PoolPolicy, command: dict[str, Any], code: str
) -> None:
    state = held(policy)
    state.apply(policy, deposit("P1"), T0)
    state.apply(policy, deposit("P2"), T0)
    before, before_json = state.to_dict(), state.to_json()
    snapshot = state.copy()
    with pytest.raises(leadcore.PoolError) as info:
        state.apply(policy, command, at(1))
    assert info.value.code == code
    assert isinstance(info.value, leadcore.LeadcoreError)
    assert state.to_dict() == before and state.to_json() == before_json and state == snapshot
    assert state.clock == "2026-01-05T01:00:00Z"  # the refused call did not move the clock


def test_clock_backwards_and_bad_input_are_coded(policy: leadcore.PoolPolicy) -> None:
    state = held(policy, 1)
    before = state.to_dict()
    with pytest.raises(leadcore.PoolError) as info:
        state.tick(policy, at(-1))
    assert info.value.code == "clock_backwards"
    with pytest.raises(leadcore.InputError) as info:
        state.apply(policy, deposit("L5"), dt.datetime(2026, 1, 6))
    assert (info.value.code, info.value.path) == ("naive_datetime", "now")
    with pytest.raises(leadcore.InputError) as info:
        state.apply(policy, {"type": "steal", "lead": "L0"}, at(1))
    assert info.value.path == "command.type"
    with pytest.raises(leadcore.InputError) as info:
        state.apply(policy, None, at(1))
    assert (info.value.code, info.value.path) == ("missing_field", "command")
    with pytest.raises(leadcore.ConfigError) as info:
        state.apply({**POLICY, "protection": {"default_days": -1}}, deposit("L5"), at(1))
    assert info.value.path == "protection.default_days"
    assert state.to_dict() == before


def test_state_json_and_dict_round_trip(policy: leadcore.PoolPolicy) -> None:
    state = held(policy)
    state.apply(policy, {"type": "follow_up", "lead": "L1", "rep": "wang", "kind": "call"}, at(30))
    text = state.to_json()
    assert json.loads(text) == state.to_dict()
    again = leadcore.PoolState.from_json(text)
    assert again == state and again.to_json() == text
    assert leadcore.PoolState(text) == state
    assert leadcore.PoolState(state.to_dict()) == state == leadcore.PoolState.from_dict(state.to_dict())
    # The loaded state carries on exactly like the original (deadline index rebuilt).
    later = at(24 * 11)
    assert again.tick(policy, later) == state.tick(policy, later)
    assert again == state
    with pytest.raises(leadcore.InputError) as info:
        leadcore.PoolState.from_dict({"leads": {"L1": {"holder": {"status": "lost"}}}})
    assert info.value.path.startswith("state.leads.L1")
    with pytest.raises(leadcore.InputError) as info:
        leadcore.PoolState.from_json("{not json")
    assert info.value.code == "json_syntax"


def test_pickle_and_copies_are_independent(policy: leadcore.PoolPolicy) -> None:
    state = held(policy)
    for restored in (pickle.loads(pickle.dumps(state)), copy.copy(state), copy.deepcopy(state), state.copy()):
        assert restored == state and restored is not state
        restored.apply(policy, {"type": "return", "lead": "L0", "rep": "wang", "reason": "wrong region"}, at(1))
        assert restored != state and state.holdings("wang") == 3
    assert pickle.loads(pickle.dumps(policy)) == policy
    assert leadcore.PoolPolicy(policy.to_json()) == policy
    assert policy.to_dict()["protection"]["max_days"] == 20.0


def test_policy_as_class_dict_or_json_gives_the_same_answers() -> None:
    results = []
    for p in (leadcore.PoolPolicy(POLICY), POLICY, json.dumps(POLICY)):
        state = leadcore.PoolState()
        state.apply(p, deposit("L1"), T0)
        results.append((state.apply(p, claim("L1", "zhao"), T0), state.to_dict()))
    assert results[0] == results[1] == results[2]
    with pytest.raises(leadcore.ConfigError) as info:
        leadcore.PoolPolicy({**POLICY, "reps": [{"id": "a"}, {"id": "a"}]})
    assert (info.value.code, info.value.path) == ("duplicate_id", "reps[1].id")


ROUTING = {
    "default_pool": "east_active",
    "rules": [
        {"id": "large", "when": {"field": "attributes.employees", "gte": 1000}, "to": {"type": "rep", "rep": "zhao"}},
        {"id": "rest", "to": {"type": "pool", "pool": "east_active"}},
    ],
}


def commands() -> list[tuple[dict[str, Any], dt.datetime]]:
    return [
        (deposit("L1"), at(0)),
        (deposit("L2"), at(0)),
        (claim("L1", "wang"), at(1)),
        ({"type": "follow_up", "lead": "L1", "rep": "wang", "kind": "call"}, at(30)),
        ({"type": "transfer", "lead": "L1", "from": "wang", "to": "zhao"}, at(31)),
        ({"type": "assign", "lead": "L2", "rep": "li"}, at(32)),
        ({"type": "return", "lead": "L2", "rep": "li", "reason": "duplicate", "pool": "east_general"}, at(33)),
        ({"type": "mark_converted", "lead": "L1"}, at(40)),
    ]


def test_class_and_functional_forms_agree(policy: leadcore.PoolPolicy) -> None:
    state = leadcore.PoolState()
    as_dict: Any = None
    for command, now in commands():
        a = state.apply(policy, command, now)
        b = leadcore.pool_apply(as_dict, policy, command, now)
        as_dict = b.pop("state")
        assert a == b
        assert state.to_dict() == as_dict
    late = at(24 * 30)
    a, b = state.tick(policy, late), leadcore.pool_tick(as_dict, policy, late)
    assert b.pop("state") == state.to_dict() and a == b
    assert state.due(policy, late) == leadcore.pool_due(as_dict, policy, late)
    lead = {"id": "N1", "created_at": "2026-02-04T00:00:00Z"}
    routed = {**POLICY, "routing": ROUTING}
    assert state.assign_preview(routed, lead, late) == leadcore.pool_assign_preview(as_dict, routed, lead, late)
    arrivals = [
        {"id": f"N{i}", "created_at": f"2026-02-05T0{i}:00:00Z", "attributes": {"employees": 500 * i}} for i in range(4)
    ]
    assert state.simulate_day(routed, arrivals) == leadcore.pool_simulate_day(as_dict, routed, arrivals)


def test_replay_rebuilds_the_state_and_leaves_the_start_alone(policy: leadcore.PoolPolicy) -> None:
    log = [{"op": "apply", "at": now, "command": c} for c, now in commands()]
    log.append({"op": "tick", "at": at(24 * 30)})
    state = leadcore.PoolState()
    results = [state.apply(policy, c, now) for c, now in commands()] + [state.tick(policy, at(24 * 30))]
    replayed, replay_results = leadcore.PoolState.replay(policy, log)
    assert replayed == state and replay_results == results
    functional = leadcore.pool_replay(None, policy, log)
    assert functional["state"] == state.to_dict() and functional["results"] == results
    start = held(policy, 1)
    before = start.to_dict()
    more, _ = leadcore.PoolState.replay(policy, [{"op": "tick", "at": at(24 * 11)}], start)
    assert start.to_dict() == before and more.holdings("wang") == 0
    assert leadcore.PoolState.replay(policy, [{"op": "tick", "at": at(24 * 11)}], before)[0] == more
    with pytest.raises(leadcore.PoolError) as info:
        leadcore.PoolState.replay(policy, log + [{"op": "tick", "at": at(0)}])
    assert info.value.code == "clock_backwards"


def test_a_shared_state_is_safe_across_threads() -> None:
    policy = leadcore.PoolPolicy(
        {
            "pools": [{"id": "p", "kind": "active"}],
            "reps": [{"id": f"r{i}", "holding_cap": 10_000} for i in range(4)],
            "protection": {},
        }
    )
    state = leadcore.PoolState()
    errors: list[BaseException] = []
    n = 300

    def worker(k: int) -> None:
        try:
            for i in range(n):
                lead = f"T{k}-{i}"
                state.apply(policy, {"type": "deposit", "lead": lead, "pool": "p"}, T0)
                state.apply(policy, claim(lead, f"r{k}"), T0)
                if i % 50 == 0:
                    state.tick(policy, T0)
                    state.to_dict()
                    state.due(policy, T0)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
        assert not t.is_alive(), "deadlock"
    assert not errors, errors
    assert len(state) == 4 * n
    assert [state.holdings(f"r{k}") for k in range(4)] == [n] * 4
    # Same commands in one thread, same result (each lead's commands were in order).
    serial = leadcore.PoolState()
    for k in range(4):
        for i in range(n):
            serial.apply(policy, {"type": "deposit", "lead": f"T{k}-{i}", "pool": "p"}, T0)
            serial.apply(policy, claim(f"T{k}-{i}", f"r{k}"), T0)
    assert serial == state


def test_comparing_states_both_ways_in_threads_does_not_deadlock(policy: leadcore.PoolPolicy) -> None:
    a, b = held(policy), held(policy)
    done = threading.Event()

    def compare(x: leadcore.PoolState, y: leadcore.PoolState) -> None:
        while not done.is_set():
            x == y  # noqa: B015 - only the locking matters here

    def write() -> None:
        for i in range(200):
            a.apply(policy, deposit(f"W{i}"), T0)
            b.apply(policy, deposit(f"W{i}"), T0)
        done.set()

    threads = [threading.Thread(target=compare, args=(a, b)), threading.Thread(target=compare, args=(b, a))]
    for t in threads:
        t.start()
    write()
    for t in threads:
        t.join(timeout=60)
        assert not t.is_alive(), "deadlock"


def test_a_claim_at_the_never_sentinel_round_trips(policy: leadcore.PoolPolicy) -> None:
    """Issue 15: a claim at 9999-12-25 wrote `+10000-…` that from_json, the constructor and
    pickle refused; computed instants now saturate at 9999-12-31T23:59:59.999999999Z."""
    state = leadcore.PoolState()
    never = "9999-12-25T00:00:00Z"
    state.apply(policy, deposit("L1"), never)
    state.apply(policy, claim("L1", "wang"), never)
    assert state.lead("L1")["protected_until"] == "9999-12-31T23:59:59.999999999Z"
    for again in [
        leadcore.PoolState.from_json(state.to_json()),
        leadcore.PoolState(state.to_dict()),
        leadcore.PoolState(state.to_json()),
        pickle.loads(pickle.dumps(state)),
    ]:
        assert again == state
    with pytest.raises(leadcore.InputError) as e:
        state.due(policy, "9999-12-31T23:00:00-05:00")
    assert e.value.code == "invalid_datetime"


def test_due_on_a_stored_pause_of_1e17_seconds_lists_no_step() -> None:
    """Issue 15: `paused_secs: 1e17`, accepted by from_json, panicked in chrono on `due`."""
    path = pathlib.Path(__file__).parent.parent / "vectors" / "pools" / "hardening.json"
    case = json.loads(path.read_text(encoding="utf-8"))["cases"][0]
    text = json.dumps(case["input"]["state"]).replace("9007199254740991", "100000000000000000")
    due = leadcore.PoolState.from_json(text).due(case["config"], case["input"]["now"])
    assert [s["lead"] for s in due["nurture"]] == ["N2"]


def test_refusals_carry_their_facts_and_the_command_field(policy: leadcore.PoolPolicy) -> None:
    state = held(policy)
    with pytest.raises(leadcore.PoolError) as info:
        state.apply(policy, claim("L0", "zhao"), T0)
    assert (info.value.code, info.value.path) == ("already_owned", "lead")
    assert info.value.details == {"lead": "L0", "holder": "wang"}
    state.apply(policy, deposit("L9"), T0)
    with pytest.raises(leadcore.PoolError) as info:
        state.apply(policy, claim("L9", "wang"), T0)
    assert (info.value.code, info.value.path) == ("holding_cap_reached", "rep")
    assert info.value.details == {"rep": "wang", "count": 3, "cap": 3}
    with pytest.raises(leadcore.PoolError) as info:
        state.apply(policy, {"type": "bulk_assign", "leads": ["L9", "L0"], "rep": "zhao"}, T0)
    assert (info.value.code, info.value.path) == ("already_owned", "leads[1]")
