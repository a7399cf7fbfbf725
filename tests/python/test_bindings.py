"""Behaviour of the Python binding itself: datetimes, exceptions, NaN, depth, pickling."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

import leadcore

UTC8 = dt.timezone(dt.timedelta(hours=8))


def test_aware_datetimes_are_accepted_and_returned_as_utc_text() -> None:
    lead = leadcore.load_lead({"id": "L1", "created_at": dt.datetime(2026, 11, 1, 9, 30, tzinfo=UTC8)})
    assert lead["created_at"] == "2026-11-01T01:30:00Z"


def test_naive_datetime_is_an_input_error_with_path() -> None:
    with pytest.raises(leadcore.InputError) as info:
        leadcore.load_lead({"id": "L1", "created_at": dt.datetime(2026, 11, 1)})
    assert info.value.code == "naive_datetime"
    assert info.value.path == "lead.created_at"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_are_refused(bad: float) -> None:
    with pytest.raises(leadcore.InputError) as info:
        leadcore.load_lead({"id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": {"n": bad}})
    assert (info.value.code, info.value.path) == ("not_finite", "lead.attributes.n")


def test_deep_input_is_refused_not_crashed() -> None:
    deep: object = []
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(leadcore.InputError) as info:
        leadcore.load_lead({"id": "L1", "created_at": "2026-01-01T00:00:00Z", "x": deep})
    assert info.value.code == "too_deep"


def test_unsupported_python_types_are_input_errors() -> None:
    with pytest.raises(leadcore.InputError) as info:
        leadcore.load_lead({"id": "L1", "created_at": "2026-01-01T00:00:00Z", "x": object()})
    assert info.value.code == "invalid_type"


def test_errors_pickle_with_their_code() -> None:
    try:
        leadcore.load_lead({"id": "L1"})
    except leadcore.LeadcoreError as e:
        again = pickle.loads(pickle.dumps(e))
        assert type(again) is type(e) and again.code == e.code and again.path == e.path
    else:
        raise AssertionError("expected an error")


def test_error_codes_in_python_match_the_core() -> None:
    codes = leadcore.all_error_codes()
    assert codes == sorted(set(codes)) and "naive_datetime" in codes
