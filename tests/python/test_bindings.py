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
        assert again.details == e.details == {"field": "created_at"}
    else:
        raise AssertionError("expected an error")


def test_error_codes_in_python_match_the_core() -> None:
    codes = leadcore.all_error_codes()
    assert codes == sorted(set(codes)) and "naive_datetime" in codes


CONFIG_CLASSES = [
    leadcore.Pipeline.preset("seed_003"),
    leadcore.RuleSet.preset("seed_001"),
    leadcore.FieldMapping.preset("standard"),
    leadcore.Condition({"field": "attributes.industry", "in": ["saas", "retail"]}),
    leadcore.TemperatureThresholds(),
    leadcore.DedupPolicy(),
    leadcore.EmailOptions({"gmail_dots": True}),
    leadcore.CompanyOptions(),
    leadcore.PhoneRegions({"prefixes": {"1380013": {"province": "北京", "city": "北京"}}}),
    leadcore.AttributionConfig({"models": [{"type": "u_shaped"}, {"type": "markov", "order": 2}, {"type": "shapley"}]}),
    leadcore.OwnershipConfig({"window": {"days": 90}}),
    leadcore.FunnelConfig({"stages": [{"id": "MQL"}, {"id": "SQL"}], "time_basis": "recorded", "dimensions": ["channel"]}),
    leadcore.RoiConfig({"funnel": {"stages": [{"id": "Leads"}, {"id": "Won", "amount": "amount"}], "entry_stage": "Leads"}}),
    leadcore.ForecastConfig({"probabilities": {"Proposal": 0.6}}),
    leadcore.MlgConfig({"customer_stage": "Won", "marketing_channels": ["sem"]}),
    leadcore.CapacityConfig({"stages": [{"id": "Leads"}, {"id": "Deal", "rate": 0.1}], "roles": [{"id": "Rep", "handles": "Deal", "capacity": 10}]}),
]


@pytest.mark.parametrize("config", CONFIG_CLASSES, ids=lambda c: type(c).__name__)
def test_config_classes_pickle_compare_and_round_trip(config: object) -> None:
    again = pickle.loads(pickle.dumps(config))
    assert again == config
    cls = type(config)
    assert cls(config.to_dict()) == config  # type: ignore[attr-defined]
    assert cls(config.to_json()) == config  # type: ignore[attr-defined]
    assert repr(config).startswith(cls.__name__ + "(")


def test_unknown_preset_is_a_config_error() -> None:
    with pytest.raises(leadcore.ConfigError) as info:
        leadcore.Pipeline.preset("nope")
    assert (info.value.code, info.value.path) == ("unknown_preset", "preset")


def test_config_errors_name_the_json_path() -> None:
    with pytest.raises(leadcore.ConfigError) as info:
        leadcore.RuleSet({"gates": [{"stage": "MQL", "condition": {"all": [{"field": "x", "equals": 1}]}}]})
    assert info.value.code == "unknown_field"
    assert info.value.path == "gates[0].condition.all[0].equals"


def test_lifecycle_errors_are_transition_errors() -> None:
    lead = {"id": "L1", "created_at": "2026-11-01T00:00:00Z", "stage": "MQL",
            "history": [{"to": "MQL", "at": "2026-11-01T00:00:00Z", "recorded_at": "2026-11-01T00:00:00Z", "edge": "enter"}]}
    with pytest.raises(leadcore.TransitionError) as info:
        leadcore.transition(leadcore.Pipeline.preset("seed_003"), lead, {"to": "Nowhere"},
                            dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc))
    assert info.value.code == "unknown_stage"


def test_a_config_dict_works_where_a_config_object_does() -> None:
    lead = {"id": "L1", "created_at": "2026-11-01T00:00:00Z"}
    now = dt.datetime(2026, 11, 2, tzinfo=UTC8)
    by_obj = leadcore.transition(leadcore.Pipeline.preset("seed_003"), lead, {"to": "MAL"}, now)
    by_dict = leadcore.transition({"preset": "seed_003"}, lead, {"to": "MAL"}, now)
    assert by_obj == by_dict and by_obj["lead"]["stage"] == "MAL"


LONE_SURROGATE = "\ud800"  # what json.loads('"\\ud800"') gives, e.g. from a web form


@pytest.mark.parametrize(
    "call, code, path",
    [
        (lambda: leadcore.normalize_phone(LONE_SURROGATE), "invalid_value", "raw"),
        (lambda: leadcore.normalize_phone(12345), "invalid_type", "raw"),
        (lambda: leadcore.dedupe([{"id": LONE_SURROGATE, "created_at": "2026-01-01T00:00:00Z"}]), "invalid_value", "leads[0].id"),
        (lambda: leadcore.PoolState().lead(1), "invalid_type", "lead"),
        (lambda: leadcore.PoolState().lead(LONE_SURROGATE), "invalid_value", "lead"),
        (lambda: leadcore.PoolState().holdings(None), "invalid_type", "rep"),
        (lambda: leadcore.PoolState.from_json(b"{}"), "invalid_type", "state"),
        (lambda: leadcore.PoolState(LONE_SURROGATE), "invalid_value", "state"),
        (lambda: leadcore.PoolState.replay_jsonl([], 7), "invalid_type", "text"),
        (lambda: leadcore.pool_apply_rows(None, {"pools": []}, [], "2026-01-01T00:00:00Z", text=1), "invalid_type", "text"),
        (lambda: leadcore.pipeline_edges(leadcore.Pipeline.preset("seed_003"), 5), "invalid_type", "from_stage"),
        (lambda: leadcore.FunnelAccumulator.from_json(None), "invalid_type", "state"),
    ],
)
def test_wrong_types_and_bad_text_are_input_errors(call: object, code: str, path: str) -> None:
    """Bad text and wrong argument types raise the library's InputError with a code and a path,
    never a bare TypeError, OverflowError or UnicodeEncodeError."""
    with pytest.raises(leadcore.InputError) as info:
        call()  # type: ignore[operator]
    assert (info.value.code, info.value.path) == (code, path)


@pytest.mark.parametrize("columns", [{LONE_SURROGATE: None}, {"attributes": {LONE_SURROGATE: [1]}, "id": ["L1"]}])
def test_column_names_with_bad_text_are_input_errors(columns: dict) -> None:
    """Found by tests/python/test_fuzz.py: a column dict keyed by a lone surrogate."""
    with pytest.raises(leadcore.InputError) as info:
        leadcore.score_batch(leadcore.ScoringModel.preset("b2b_default"), columns, None, "2026-01-01T00:00:00Z")
    assert info.value.code == "invalid_value"
