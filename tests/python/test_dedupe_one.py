"""Dedupe one lead at a time: keys for a lookup table, and the decision against candidates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import leadcore

UTC8 = dt.timezone(dt.timedelta(hours=8))


def lead(id: str, day: int, **attributes: Any) -> dict[str, Any]:
    return {"id": id, "created_at": dt.datetime(2026, 11, day, 9, tzinfo=UTC8), "attributes": attributes}


STREAM = [
    lead("L1", 1, phone="138 0013 8000"),
    lead("L2", 2, email="Li@Acme.cn", company="阿里巴巴（中国）网络技术有限公司", contact_name="张 三"),
    lead("L3", 3, mobile="+86 13800138000", email="li@acme.cn"),
    lead("L4", 4, phone="139 0013 9000"),
    lead("L5", 5, company="阿里巴巴网络技术有限公司", contact_name="张三"),
    lead("L6", 6, email="bad", phone=["123", "１３９-００１３-９０００"]),
]


def test_keys_are_documented_text_with_kinds() -> None:
    keys = leadcore.dedupe_keys(STREAM[1], leadcore.DedupPolicy())
    assert [k["key"] for k in keys] == ["email:li@acme.cn", "company_contact:阿里巴巴网络技术|张三"]
    assert keys[1] == {
        "key": "company_contact:阿里巴巴网络技术|张三",
        "kind": "company_contact",
        "value": "阿里巴巴网络技术",
        "contact": "张三",
    }
    assert leadcore.dedupe_keys(lead("x", 1, phone="123")) == []


def test_streaming_with_a_key_table_matches_the_batch() -> None:
    """A host's ingest loop: look the new lead's keys up, decide, then index the lead."""
    key_table: dict[str, set[str]] = {}
    stored: dict[str, dict[str, Any]] = {}
    for i, new in enumerate(STREAM):
        keys = [k["key"] for k in leadcore.dedupe_keys(new)]
        found = sorted({lead_id for k in keys for lead_id in key_table.get(k, ())})
        decision = leadcore.dedupe_one(new, [stored[c] for c in found])
        batch = leadcore.dedupe(STREAM[: i + 1])
        mine = batch["leads"][i]
        # A direct key hit is necessary and sufficient for a duplicate.
        assert decision["duplicate"] == (mine["cluster"] is not None)
        assert decision["values"] == mine["values"]
        if decision["duplicate"]:
            # The candidates found directly are part of the batch cluster.
            assert set(decision["cluster"]["members"]) <= set(batch["clusters"][mine["cluster"]]["members"])
        for k in keys:
            key_table.setdefault(k, set()).add(new["id"])
        stored[new["id"]] = new
    assert key_table["phone:13900139000"] == {"L4", "L6"}


def test_decision_equals_the_batch_cluster() -> None:
    *candidates, new = STREAM[:5]
    decision = leadcore.dedupe_one(new, candidates, policy={"survivor": {"type": "most_complete"}})
    batch = leadcore.dedupe(STREAM[:5], policy={"survivor": {"type": "most_complete"}})
    assert decision["id"] == "L5" and decision["duplicate"] is True
    assert decision["cluster"] == batch["clusters"][batch["leads"][4]["cluster"]]
    assert decision["cluster"]["members"] == ["L1", "L2", "L3", "L5"]


def test_events_pick_the_most_recent_activity_survivor() -> None:
    events = [{"id": "e1", "lead_id": "L1", "kind": "call", "at": dt.datetime(2026, 12, 1, tzinfo=UTC8)}]
    policy = leadcore.DedupPolicy({"survivor": {"type": "most_recent_activity"}})
    with_events = leadcore.dedupe_one(STREAM[2], STREAM[:1], events, policy)
    assert with_events["cluster"]["survivor"] == "L1"
    assert with_events["cluster"]["survivor_reason"]["source"] == "event"
    assert leadcore.dedupe_one(STREAM[2], STREAM[:1], policy=policy)["cluster"]["survivor"] == "L3"


def test_the_lead_among_its_candidates_is_a_dedup_error() -> None:
    with pytest.raises(leadcore.DedupError) as info:
        leadcore.dedupe_one(STREAM[0], STREAM[:2])
    assert (info.value.code, info.value.path) == ("duplicate_lead_id", "lead.id")
    with pytest.raises(leadcore.DedupError) as info:
        leadcore.dedupe_one(STREAM[2], [STREAM[0], STREAM[1], STREAM[0]])
    assert (info.value.code, info.value.path) == ("duplicate_lead_id", "candidates[2].id")


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_values_are_input_errors_naming_the_argument(bad: float) -> None:
    with pytest.raises(leadcore.InputError) as info:
        leadcore.dedupe_keys(lead("x", 1, phone=bad))
    assert (info.value.code, info.value.path) == ("not_finite", "lead.attributes.phone")
    with pytest.raises(leadcore.InputError) as info:
        leadcore.dedupe_one(lead("x", 1), [lead("c", 1), lead("d", 1, phone=bad)])
    assert (info.value.code, info.value.path) == ("not_finite", "candidates[1].attributes.phone")


def test_missing_arguments_are_input_errors() -> None:
    with pytest.raises(leadcore.InputError) as info:
        leadcore.dedupe_one(STREAM[0], None)  # type: ignore[arg-type]
    assert (info.value.code, info.value.path) == ("missing_field", "candidates")
    with pytest.raises(leadcore.ConfigError):
        leadcore.dedupe_keys(STREAM[0], {"keys": []})
