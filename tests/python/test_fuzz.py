"""Property fuzzing of the public API: arbitrary JSON-shaped values (deep-ish nesting, huge
numbers, long and odd unicode text) fed to every entry point that takes plain data.

The only exceptions allowed out are ``leadcore.LeadcoreError`` subclasses: a ``PanicException``
(a Rust panic), ``TypeError``, ``UnicodeEncodeError``... is a binding bug. Seeded
(``derandomize``) and bounded, so it runs in the normal test command.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leadcore
from conftest import VECTORS

NOW = "2026-01-05T09:00:00+08:00"
KEYS = [
    "id", "type", "lead", "pool", "rep", "team", "created_at", "at", "attributes", "source",
    "kind", "models", "stages", "rules", "when", "field", "eq", "gte", "any", "all", "hours",
    "preset", "config", "leads", "clock", "holder", "status", "events", "path", "channel",
    "touchpoints", "converted", "value", "weights", "utc_offset", "calendars", "sla",
]
ODD_TEXT = [
    "", " ", "2026-01-05T09:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-01", "-001-W52",
    "+08:00", "北京星云科技有限公司", "13800138000", "li@example.com", "\u0000", "\ud800",
    "a\udfffb", "\U0010ffff", "x" * 100_000, "seo > sem > direct",
]
ODD_NUMBERS = [
    0, -1, 2**31, 2**32 - 1, 2**53 + 1, 2**63 - 1, 2**64 - 1, 2**64, -(2**63) - 1,
    1e308, -1e308, 5e-324, -0.0, 1e17, 0.1,
]

# Text includes lone surrogates (what a web form can send through `json.loads`).
text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(ODD_TEXT)
numbers = (
    st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(ODD_NUMBERS)
)
scalars = st.none() | st.booleans() | numbers | text
keys = st.sampled_from(KEYS) | text


def _nest(depth: int, leaf):
    for i in range(depth):
        leaf = [leaf] if i % 2 else {"when": leaf}
    return leaf


json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=24,
) | st.builds(_nest, st.integers(min_value=50, max_value=140), scalars)

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _vector_config(area: str, op: str) -> dict:
    for path in sorted((VECTORS / area).glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            if case.get("op") == op and isinstance(case.get("config"), dict):
                return case["config"]
    raise LookupError(op)


POLICY = leadcore.PoolPolicy(_vector_config("pools", "pool_due"))
SCORING = leadcore.ScoringModel.preset(leadcore.ScoringModel.preset_names()[0])
RULES = leadcore.RuleSet.preset(leadcore.RuleSet.preset_names()[0])
PIPELINE = leadcore.Pipeline.preset(leadcore.Pipeline.preset_names()[0])
MAPPING = leadcore.FieldMapping.preset(leadcore.FieldMapping.preset_names()[0])
LEAD = {"id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": {"employees": 250}}

CONFIG_CLASSES = [
    "Pipeline", "FieldMapping", "RuleSet", "Condition", "TemperatureThresholds", "DedupPolicy",
    "PhoneRegions", "EmailOptions", "CompanyOptions", "TrainConfig", "FeatureSpec", "SourceModel",
    "AttributionConfig", "OwnershipConfig", "FunnelConfig", "RoiConfig", "ForecastConfig",
    "MlgConfig", "CapacityConfig", "ScoringModel", "PoolPolicy", "PredictiveModel",
]

ENTRY_POINTS = {
    **{f"{name}(value)": (lambda v, c=name: getattr(leadcore, c)(v)) for name in CONFIG_CLASSES},
    **{f"{name}(text)": (lambda v, c=name: getattr(leadcore, c)(json.dumps(v, ensure_ascii=False)))
       for name in CONFIG_CLASSES},
    "PoolState(value)": lambda v: leadcore.PoolState(v),
    "PoolState.from_json": lambda v: leadcore.PoolState.from_json(json.dumps(v, ensure_ascii=False)),
    "PoolState.apply": lambda v: leadcore.PoolState().apply(POLICY, v, NOW),
    "PoolState.apply_all": lambda v: leadcore.PoolState().apply_all(POLICY, v, NOW),
    "PoolState.due(now)": lambda v: leadcore.PoolState().due(POLICY, v),
    "pool_apply(state)": lambda v: leadcore.pool_apply(v, POLICY, {"type": "deposit", "lead": "L1", "pool": "inbox"}, NOW),
    "pool_due(state)": lambda v: leadcore.pool_due(v, POLICY, NOW),
    "pool_tick(state)": lambda v: leadcore.pool_tick(v, POLICY, NOW),
    "score_lead(lead)": lambda v: leadcore.score_lead(SCORING, v, None, NOW),
    "score_lead(events)": lambda v: leadcore.score_lead(SCORING, LEAD, v, NOW),
    "score_batch(leads)": lambda v: leadcore.score_batch(SCORING, v, None, NOW),
    "qualify(lead)": lambda v: leadcore.qualify(RULES, v, None, NOW),
    "qualify(scores)": lambda v: leadcore.qualify(RULES, LEAD, None, NOW, v),
    "evaluate_condition": lambda v: leadcore.evaluate_condition(v, LEAD, None, NOW),
    "transition(request)": lambda v: leadcore.transition(PIPELINE, LEAD, v, NOW),
    "convert_lead(lead)": lambda v: leadcore.convert_lead(MAPPING, v),
    "load_lead": lambda v: leadcore.load_lead(v),
    "normalize_events": lambda v: leadcore.normalize_events(v),
    "dedupe(leads)": lambda v: leadcore.dedupe(v),
    "dedupe_keys(lead)": lambda v: leadcore.dedupe_keys(v),
    "temperature(thresholds)": lambda v: leadcore.temperature(50.0, v),
    "attribute(journeys)": lambda v: leadcore.attribute({}, v),
    "add_paths": lambda v: leadcore.AttributionAccumulator({}).add_paths(v),
    "AttributionAccumulator.from_json": lambda v: leadcore.AttributionAccumulator.from_json(json.dumps(v)),
    "funnel(leads)": lambda v: leadcore.funnel(_vector_config("funnel", "funnel"), v),
}
STRING_ENTRY_POINTS = {
    "normalize_phone": leadcore.normalize_phone,
    "normalize_email": leadcore.normalize_email,
    "normalize_company": leadcore.normalize_company,
    "is_personal_email_domain": leadcore.is_personal_email_domain,
}


def _call(fn, value) -> None:
    try:
        fn(value)
    except leadcore.LeadcoreError:
        pass


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
@FUZZ
@given(value=json_values)
def test_plain_data_entry_points_raise_only_leadcore_errors(name, value):
    _call(ENTRY_POINTS[name], value)


@pytest.mark.parametrize("name", sorted(STRING_ENTRY_POINTS))
@FUZZ
@given(value=text)
def test_text_entry_points_raise_only_leadcore_errors(name, value):
    _call(STRING_ENTRY_POINTS[name], value)


# Any text, and runs of one character of each UTF-8 width past every buffer size a binding
# might use (the Node binding's twin in tests/node/fuzz.test.mjs).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=300) | st.tuples(
    st.sampled_from(["a", "é", "百", "😀", "\ud800"]), st.integers(0, 700)
).map(lambda t: t[0] * t[1])


@settings(derandomize=True, max_examples=300, deadline=None)
@given(s=any_text)
def test_any_text_is_read_as_it_is_or_refused_as_not_unicode(s):
    lead = {"id": s, "created_at": "2026-01-01T00:00:00Z", "attributes": {"note": s}}
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate is not text Python can encode: refused at the id, named.
        with pytest.raises(leadcore.InputError) as e:
            leadcore.load_lead(lead)
        assert (e.value.code, e.value.path) == ("invalid_value", "lead.id")
        return
    got = leadcore.load_lead(lead)
    assert got["id"] == s and got["attributes"]["note"] == s
