"""leadcore inside a real Spark (``local[2]``, loopback only, this venv's Python workers): scoring
through ``mapInPandas`` / ``cogroup().applyInPandas`` equals scoring in one process lead for
lead, bit for bit, and accumulators built per partition and tree-merged equal one pass.

The session is started once per run (``spark`` fixture in conftest.py); the data sets are made
once per run with numpy (tests/python/synthetic.py) and read from Parquet, as a job reads them."""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pandas as pd
import pytest

import leadcore
import synthetic
from conftest import EXAMPLES, SCALE_LEADS, SCALE_PARTS
from leadcore import spark as lcs


def same_floats(a: Any, b: Any) -> bool:
    """Bit-identical float arrays (NaN included)."""
    a, b = np.ascontiguousarray(a, dtype=np.float64), np.ascontiguousarray(b, dtype=np.float64)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def assert_same_scores(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Lead for lead: bit-identical scores, the same grade and tier."""
    assert len(got) == len(expected) and got["lead_id"].is_unique
    got = got.set_index("lead_id").reindex(expected.index)
    for col in ("behavior", "fit", "source", "combined"):
        assert same_floats(got[col], expected[col]), col
    assert got["grade"].tolist() == expected["grade"].astype(str).tolist()
    assert got["tier"].tolist() == [None if pd.isna(t) else str(t) for t in expected["tier"]]


def one_process(model: Any, leads: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    return leadcore.score_frame(model, leads, events, synthetic.NOW, threads=2)


# -- predictive ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> leadcore.PredictiveModel:
    return synthetic.predictive_model()


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    x, _ = synthetic.feature_frame(SCALE_LEADS, seed=1)
    x.insert(0, "lead_id", [f"L{i:07d}" for i in range(SCALE_LEADS)])
    return x


def test_predict_proba_of_200k_leads_through_spark_equals_one_process(spark: Any, model: Any, features: pd.DataFrame) -> None:
    expected = model.predict_proba(features[model.feature_names])
    sdf = spark.createDataFrame(features).repartition(SCALE_PARTS)
    out = lcs.predict_proba(sdf, model, keep=["lead_id"]).toPandas()
    assert list(out.columns) == ["lead_id", "probability"] and len(out) == SCALE_LEADS
    got = out.set_index("lead_id")["probability"].reindex(features["lead_id"]).to_numpy()
    assert same_floats(got, expected)


def test_predict_proba_fn_gives_the_schema_and_checks_columns(spark: Any, model: Any, features: pd.DataFrame) -> None:
    sdf = spark.createDataFrame(features.head(100))
    fn, schema = lcs.predict_proba_fn(sdf, model, keep=["lead_id"], column="p")
    assert schema.simpleString() == "struct<lead_id:string,p:double>"
    out = sdf.mapInPandas(fn, schema).toPandas()
    assert same_floats(out["p"], model.predict_proba(features.head(100)[model.feature_names]))
    with pytest.raises(ValueError, match="employees"):
        lcs.predict_proba(sdf.drop("employees"), model)


# -- rule-based scoring -------------------------------------------------------------------------


def test_scoring_200k_leads_through_spark_equals_one_process(spark: Any, scoring_parquet: Any, scoring_population: Any) -> None:
    # Quantile tiers: the cutoffs are the whole population's, selected exactly across partitions.
    model = leadcore.ScoringModel(synthetic.scoring_model("quantiles"))
    expected = one_process(model, *scoring_population)
    assert expected["tier"].nunique() == 3 and expected["behavior"].nunique() > 1000
    leads_dir, events_dir = scoring_parquet
    leads, events = spark.read.parquet(str(leads_dir)), spark.read.parquet(str(events_dir))
    out = lcs.score(model, leads, events, synthetic.NOW, buckets=SCALE_PARTS)
    assert [f"{f.name} {f.dataType.simpleString()}" for f in out.schema.fields] == lcs.SCORE_SCHEMA.split(", ")
    assert_same_scores(out.toPandas(), expected)


def test_scoring_with_threshold_tiers_in_a_utc_session(spark: Any, scoring_population: Any) -> None:
    leads, events = scoring_population
    few = leads.head(20_000)
    theirs = events[events["lead_id"].isin(few["id"])]
    model = synthetic.scoring_model()  # a dict: compiled once by the helper
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    try:
        out = lcs.score(model, spark.createDataFrame(few), spark.createDataFrame(theirs), synthetic.NOW).toPandas()
    finally:
        spark.conf.set("spark.sql.session.timeZone", "Asia/Shanghai")
    assert_same_scores(out, one_process(model, few, theirs))


def test_score_fn_scores_one_group_with_its_own_events(spark: Any, scoring_population: Any) -> None:
    leads, events = scoring_population
    few = leads.head(50)
    theirs = events[events["lead_id"].isin(few["id"])]
    # Spark reads a dot in a column name as a struct field: spell it `__dot__`.
    spell = lambda df: df.rename(columns=lambda c: c.replace(".", "__dot__")).assign(g=1)  # noqa: E731
    fn, schema = lcs.score_fn(spark, synthetic.scoring_model(), synthetic.NOW, drop=["g"])
    grouped = spark.createDataFrame(spell(few)).groupBy("g").cogroup(spark.createDataFrame(spell(theirs)).groupBy("g"))
    assert_same_scores(grouped.applyInPandas(fn, schema).toPandas(), one_process(synthetic.scoring_model(), few, theirs))


# -- attribution and funnel ---------------------------------------------------------------------

needs_accumulators = pytest.mark.skipif(
    not hasattr(leadcore, "AttributionAccumulator"), reason="the attribution / funnel bindings are not in this build"
)



@needs_accumulators
def test_attribution_of_1m_journeys_through_spark_equals_one_process(
    spark: Any, journeys_parquet: Any, attribution_reference: Any
) -> None:
    df = spark.read.parquet(str(journeys_parquet))
    assert df.rdd.getNumPartitions() >= SCALE_PARTS
    acc = lcs.accumulate(df, leadcore.AttributionAccumulator(synthetic.ATTRIBUTION), synthetic.add_journeys)
    report = acc.finish()
    assert [m["name"] for m in report["models"]] == [m["name"] for m in attribution_reference["models"]]
    assert report == attribution_reference


@needs_accumulators
def test_funnel_of_1m_leads_through_spark_equals_one_process(spark: Any, funnel_parquet: Any, funnel_reference: Any) -> None:
    df = spark.read.parquet(str(funnel_parquet))
    assert df.rdd.getNumPartitions() >= SCALE_PARTS
    acc = lcs.accumulate(df, leadcore.FunnelAccumulator(synthetic.FUNNEL), synthetic.add_funnel_leads, depth=3)
    assert acc.finish() == funnel_reference


@needs_accumulators
def test_accumulate_adds_to_the_given_state_and_handles_an_empty_frame(spark: Any) -> None:
    frame = synthetic.journey_frame(3_000, seed=8)
    one = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    synthetic.add_journeys(one, frame)
    yesterday = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    synthetic.add_journeys(yesterday, frame.iloc[:1_000])
    today = spark.createDataFrame(frame.iloc[1_000:]).repartition(3)
    total = lcs.accumulate(today, yesterday, synthetic.add_journeys)
    assert total.finish() == one.finish()
    assert yesterday.finish() != one.finish()  # the template is not changed
    nothing = lcs.accumulate(today.limit(0), yesterday, synthetic.add_journeys)
    assert nothing.finish() == yesterday.finish()


# -- the example ----------------------------------------------------------------------------------


def test_the_spark_example_runs(spark: Any, capsys: Any, monkeypatch: Any) -> None:
    # Imported and run on the shared session (a second JVM would cost a minute).
    monkeypatch.syspath_prepend(str(EXAMPLES))
    example = importlib.import_module("spark_scoring")
    example.main(spark)
    out = capsys.readouterr().out
    assert "scored 20000 leads" in out and "identical to one process: True" in out
