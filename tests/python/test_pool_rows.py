"""The row-level pool API through the binding: records as rows with versions, writers that
retry on conflicts, command ids, and the rows equal to a replay of the commit log."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leadcore

POLICY: dict[str, Any] = {
    "seed": 3, "utc_offset": "+08:00", "clock_skew_seconds": 5,
    "pools": [{"id": "a", "kind": "active", "region": "r"}, {"id": "g", "kind": "general", "region": "r"}],
    "teams": [{"id": "t", "strategy": "weighted_round_robin"}],
    "reps": [{"id": "r1", "team": "t", "holding_cap": 2, "daily_claim_cap": 3, "weight": 2},
             {"id": "r2", "team": "t", "holding_cap": 3},
             {"id": "r3", "team": "t", "holding_cap": 1}],
    "protection": {"default_days": 2, "extension_days": 1, "max_days": 4},
    "reclaim": {"cooldown_hours": 12},
    "routing": {"default_pool": "a", "rules": [{"id": "all", "to": {"type": "team", "team": "t"}}]},
}
LEADS = ["L0", "L1", "L2", "L3"]
REPS = ["r1", "r2", "r3"]
TABLES = {"lead": "leads", "rep": "reps", "team": "teams"}


class Db:
    """A database of rows with versions and a commit log (what a service keeps)."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {"leads": {}, "reps": {}, "teams": {}}
        self.gone: dict[str, int] = {}  # deleted leads' rows (tombstones): their versions
        self.log: list[dict[str, Any]] = []

    def load(self, commands: list[dict[str, Any]], policy: leadcore.PoolPolicy, now: Any) -> dict[str, Any]:
        records: dict[str, Any] = {"leads": {}, "reps": {}, "teams": {}, "gone": {}}
        for lead in leadcore.pool_needs(None, policy, commands)["leads"]:
            if lead in self.rows["leads"]:
                records["leads"][lead] = copy.deepcopy(self.rows["leads"][lead])
            elif lead in self.gone:
                records["gone"][lead] = self.gone[lead]
        needs = leadcore.pool_needs(records, policy, commands, now)
        for table in ("reps", "teams"):
            for key in needs[table]:
                if key in self.rows[table]:
                    records[table][key] = copy.deepcopy(self.rows[table][key])
        return records

    def commit(self, out: dict[str, Any]) -> bool:
        for row in out["rows"]:
            have = self.rows[TABLES[row["kind"]]].get(row["id"], {}).get("version", 0)
            if row["kind"] == "lead":
                have = have or self.gone.get(row["id"], 0)
            if have != row["expected"]:
                return False
        for row in out["rows"]:
            if row.get("check"):
                continue
            table = self.rows[TABLES[row["kind"]]]
            if "record" in row:
                table[row["id"]] = row["record"]
                self.gone.pop(row["id"], None)
            else:  # a deleted lead (its row may already be a tombstone: a list re-created it)
                table.pop(row["id"], None)
                self.gone[row["id"]] = row["version"]
        self.log.extend(out["log"])
        return True


@pytest.fixture(scope="module")
def policy() -> leadcore.PoolPolicy:
    return leadcore.PoolPolicy(POLICY)


def test_a_claim_is_two_rows_and_a_retry_changes_nothing(policy: leadcore.PoolPolicy) -> None:
    db = Db()
    now = "2026-01-05T01:00:00Z"
    assert db.commit(leadcore.pool_apply_rows(None, policy, {"type": "deposit", "lead": "L1", "pool": "a"}, now))
    claim = [{"id": "req-1", "type": "claim", "lead": "L1", "rep": "r1"}]
    out = leadcore.pool_apply_rows(db.load(claim, policy, now), policy, claim, now)
    assert [(r["kind"], r["id"], r["expected"]) for r in out["rows"]] == [("lead", "L1", 1), ("rep", "r1", 0)]
    assert out["log"][0]["policy"] == policy.fingerprint and out["log"][0]["id"] == "req-1"
    assert db.commit(out)
    assert not db.commit(out)  # the same rows again: a version conflict
    again = leadcore.pool_apply_rows(db.load(claim, policy, now), policy, claim, now)
    assert again["results"][0]["duplicate"] is True
    assert all(r.get("check") for r in again["rows"])
    assert again["results"][0]["effects"] == out["results"][0]["effects"]
    state, _ = leadcore.PoolState.replay(policy, db.log)
    assert state.to_dict()["leads"] == db.rows["leads"]


def test_refusals_are_typed_and_write_nothing(policy: leadcore.PoolPolicy) -> None:
    with pytest.raises(leadcore.PoolError) as info:
        leadcore.pool_apply_rows(None, policy, {"type": "claim", "lead": "nope", "rep": "r1"}, "2026-01-05T00:00:00Z")
    assert info.value.code == "unknown_lead"
    with pytest.raises(leadcore.InputError) as bad:
        leadcore.pool_apply_rows(None, policy, [{"type": "claim", "lead": "L1", "rep": "r1", "id": {}}], "2026-01-05T00:00:00Z")
    assert (bad.value.code, bad.value.path) == ("invalid_value", "commands[0].id")
    other = leadcore.PoolPolicy({**POLICY, "reps": POLICY["reps"][:2]})
    log = leadcore.pool_apply_rows(None, other, {"type": "deposit", "lead": "L1", "pool": "a"}, "2026-01-05T00:00:00Z")["log"]
    with pytest.raises(leadcore.PoolError) as mismatch:
        leadcore.PoolState.replay(policy, log)
    assert mismatch.value.code == "policy_mismatch"
    state, _ = leadcore.PoolState.replay([policy, other], log)
    text = "\n".join(json.dumps(e) for e in log)
    again, count = leadcore.PoolState.replay_jsonl([other], text)
    assert count == 1 and again == state


def test_a_list_in_memory_is_all_or_nothing(policy: leadcore.PoolPolicy) -> None:
    state = leadcore.PoolState()
    state.apply(policy, {"type": "deposit", "lead": "L1", "pool": "a"}, "2026-01-05T00:00:00Z")
    before = state.copy()
    with pytest.raises(leadcore.PoolError):
        state.apply_all(policy, [{"type": "claim", "lead": "L1", "rep": "r1"}, {"type": "claim", "lead": "L9", "rep": "r1"}], "2026-01-05T01:00:00Z")
    assert state == before
    assert len(state.apply_all(policy, [{"type": "claim", "lead": "L1", "rep": "r1"}], "2026-01-05T01:00:00Z")) == 1
    preview = state.tick_preview(policy, "2026-01-08T00:00:00Z")
    assert preview["effects"][0]["via"] == "auto_reclaim" and state.holdings("r1") == 1


def at_(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


command = st.one_of(
    st.builds(lambda l: {"type": "route", "lead": {"id": l, "created_at": "2026-01-01T00:00:00Z"}}, st.sampled_from(LEADS)),
    st.builds(lambda l, r: {"type": "claim", "lead": l, "rep": r}, st.sampled_from(LEADS), st.sampled_from(REPS)),
    st.builds(lambda l, r: {"type": "return", "lead": l, "rep": r, "reason": "x"}, st.sampled_from(LEADS), st.sampled_from(REPS)),
    st.builds(lambda l, a, b: {"type": "transfer", "lead": l, "from": a, "to": b}, st.sampled_from(LEADS), st.sampled_from(REPS), st.sampled_from(REPS)),
    st.builds(lambda l, r: {"type": "follow_up", "lead": l, "rep": r}, st.sampled_from(LEADS), st.sampled_from(REPS)),
    st.builds(lambda l: {"type": "archive", "lead": l}, st.sampled_from(LEADS)),
    st.builds(lambda a, b: {"type": "merge", "survivor": a, "duplicate": b}, st.sampled_from(LEADS), st.sampled_from(LEADS)),
)
# (writer, seconds later, commands, commit now?)
step = st.tuples(st.integers(0, 2), st.integers(0, 90_000), st.lists(command, min_size=1, max_size=2), st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(step, min_size=1, max_size=30))
def test_writers_that_retry_keep_caps_and_equal_the_replay(steps: list[tuple[int, int, list[dict[str, Any]], bool]]) -> None:
    policy = leadcore.PoolPolicy(POLICY)
    db = Db()
    t = 1_767_571_200  # 2026-01-05T00:00:00Z
    deposits = [{"type": "deposit", "lead": l, "pool": "a"} for l in LEADS]
    assert db.commit(leadcore.pool_apply_rows(None, policy, deposits, at_(t)))
    held: dict[int, tuple[list[dict[str, Any]], dt.datetime, dict[str, Any]]] = {}
    n = 0
    for writer, later, commands, commit in steps:
        t += later
        at = at_(t - writer)  # writers' clocks lag by up to 2 s, within the 5 s tolerance
        if writer in held and commit:
            reqs, when, out = held.pop(writer)
            while not db.commit(out):
                try:
                    out = leadcore.pool_apply_rows(db.load(reqs, policy, when), policy, reqs, when)
                except leadcore.PoolError:
                    break
            continue
        reqs = []
        for c in commands:
            n += 1
            reqs.append({**c, "id": f"c{n}"})
        try:
            held[writer] = (reqs, at, leadcore.pool_apply_rows(db.load(reqs, policy, at), policy, reqs, at))
        except leadcore.PoolError:
            pass
        if t % 3 == 0:
            due = {"leads": {k: v for k, v in db.rows["leads"].items() if "next_check_at" in v}, "reps": {}, "teams": {}}
            needs = leadcore.pool_tick_needs(due, policy, at_(t))
            due["reps"] = {k: db.rows["reps"][k] for k in needs["reps"] if k in db.rows["reps"]}
            assert db.commit(leadcore.pool_tick_rows(due, policy, at_(t)))
    owned: dict[str, int] = {}
    for rec in db.rows["leads"].values():
        if rec["holder"]["status"] == "owned":
            owned[rec["holder"]["rep"]] = owned.get(rec["holder"]["rep"], 0) + 1
    caps = {r["id"]: r.get("holding_cap") for r in POLICY["reps"]}
    for rep, count in owned.items():
        assert db.rows["reps"][rep]["holdings"] == count
        assert caps[rep] is None or count <= caps[rep]
    state, _ = leadcore.PoolState.replay(policy, db.log)
    replayed = state.to_dict()
    assert replayed["leads"] == db.rows["leads"]
    assert replayed.get("gone", {}) == db.gone
    assert {k: v for k, v in replayed["reps"].items()} == {k: v for k, v in db.rows["reps"].items() if v.get("version")}


def test_a_policy_change_reschedules_the_rows_and_replays(policy: leadcore.PoolPolicy) -> None:
    db = Db()
    now = "2026-01-05T00:00:00Z"
    for c in ({"type": "deposit", "lead": "L1", "pool": "a"}, {"type": "claim", "lead": "L1", "rep": "r2"}):
        assert db.commit(leadcore.pool_apply_rows(db.load([c], policy, now), policy, c, now))
    shorter = leadcore.PoolPolicy({**POLICY, "protection": {"default_days": 1, "max_days": 4}})
    out = leadcore.pool_reschedule_rows({"leads": db.rows["leads"]}, shorter)
    assert [r["id"] for r in out["rows"]] == [] and out["log"] == []  # protected_until is stored
    faster = leadcore.PoolPolicy({**POLICY, "reclaim": {"cooldown_hours": 12, "no_follow_up_days": 1}})
    out = leadcore.pool_reschedule_rows({"leads": db.rows["leads"]}, faster)
    assert [(r["id"], r["expected"], r["due_at"]) for r in out["rows"]] == [("L1", 2, "2026-01-06T00:00:00Z")]
    assert db.commit(out) and out["log"][0]["op"] == "reschedule"
    state, _ = leadcore.PoolState.replay([policy, faster], db.log)
    assert state.to_dict()["leads"] == db.rows["leads"]


def test_records_travel_as_json_text(policy: leadcore.PoolPolicy) -> None:
    now = "2026-01-05T00:00:00Z"
    first = leadcore.pool_apply_rows(None, policy, {"type": "deposit", "lead": "L1", "pool": "a"}, now, text=True)
    text = first["rows"][0]["record"]
    assert isinstance(text, str) and json.loads(text)["version"] == 1
    claim = {"type": "claim", "lead": "L1", "rep": "r1"}
    as_text = leadcore.pool_apply_rows({"leads": {"L1": text}}, policy, claim, now)
    as_dict = leadcore.pool_apply_rows({"leads": {"L1": json.loads(text)}}, policy, claim, now)
    assert as_text == as_dict
    assert leadcore.pool_needs(json.dumps({"leads": {"L1": json.loads(text)}}), policy, claim) == leadcore.pool_needs(None, policy, claim)
    with pytest.raises(leadcore.InputError) as bad:
        leadcore.pool_apply_rows({"leads": {"L1": '{"holder": 1}'}}, policy, claim, now)
    assert bad.value.path == "records.leads.L1.holder"
    with pytest.raises(leadcore.InputError) as unknown:
        leadcore.pool_apply_rows({"lead": {}}, policy, claim, now)
    assert (unknown.value.code, unknown.value.path) == ("unknown_field", "records.lead")


json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2026-01-05T00:00:00Z", "L1", "r1", "owned"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["lead", "rep"]), st.text(max_size=16) | st.sampled_from(
    ["holder", "owners", "seen", "version", "clock", "next_check_at", "pending", "holdings", "day", "intake", "nurture"]
), json_value)
def test_hostile_records_are_answers_not_crashes(kind: str, field: str, value: Any) -> None:
    """A stored record with any field set to any JSON value: a typed error or an answer, never a
    panic or another exception."""
    policy = leadcore.PoolPolicy(POLICY)
    now = "2026-01-05T00:00:00Z"
    out = leadcore.pool_apply_rows(None, policy, [{"type": "deposit", "lead": "L1", "pool": "a"},
                                         {"type": "claim", "lead": "L1", "rep": "r1"}], now)
    records: dict[str, Any] = {"leads": {}, "reps": {}, "teams": {}}
    for row in out["rows"]:
        records[TABLES[row["kind"]]][row["id"]] = row["record"]
    target = records["leads"]["L1"] if kind == "lead" else records["reps"]["r1"]
    target[field] = value
    for call in (
        lambda: leadcore.pool_apply_rows(records, policy, {"id": "x", "type": "follow_up", "lead": "L1", "rep": "r1"}, now),
        lambda: leadcore.pool_tick_rows(records, policy, "2026-03-01T00:00:00Z"),
        lambda: leadcore.pool_needs(records, policy, {"type": "return", "lead": "L1", "rep": "r1", "reason": "x"}, now),
        lambda: leadcore.pool_reschedule_rows(records, policy),
    ):
        try:
            call()
        except leadcore.LeadcoreError:
            pass


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["deposit", "route", "claim", "assign", "bulk_assign", "return", "reclaim", "transfer", "follow_up",
                     "mark_converted", "merge", "archive", "remove", "milestone", "stage_changed", "nope"]),
    st.dictionaries(st.sampled_from(["id", "lead", "leads", "rep", "pool", "reason", "from", "to", "survivor",
                                     "duplicate", "name", "stage", "by", "kind"]), json_value, max_size=5),
)
def test_hostile_commands_are_answers_not_crashes(kind: str, fields: dict[str, Any]) -> None:
    policy = leadcore.PoolPolicy(POLICY)
    records = leadcore.pool_apply_rows(None, policy, {"type": "deposit", "lead": "L1", "pool": "a"}, "2026-01-05T00:00:00Z")
    rows = {"leads": {"L1": records["rows"][0]["record"]}}
    command = {"type": kind, **fields}
    for call in (
        lambda: leadcore.pool_needs(rows, policy, [command, command]),
        lambda: leadcore.pool_apply_rows(rows, policy, [command, command], "2026-01-05T01:00:00Z"),
        lambda: leadcore.PoolState().apply_all(policy, [command], "2026-01-05T01:00:00Z"),
    ):
        try:
            call()
        except leadcore.LeadcoreError:
            pass
