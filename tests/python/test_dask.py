"""leadcore inside a real Dask cluster (``LocalCluster``: 2 worker processes, loopback only):
scoring through ``map_partitions`` equals scoring in one process lead for lead, bit for bit, and
accumulators built per partition and tree-merged equal one pass.

The cluster is started once per run (``dask_client`` fixture in conftest.py); the data sets are
made once per run with numpy (tests/python/synthetic.py) and read from Parquet, as a job reads
them."""

from __future__ import annotations

import pathlib
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest

import leadcore
import synthetic
from conftest import EXAMPLES, SCALE_LEADS, SCALE_PARTS
from leadcore import dask as lcd


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


# -- predictive ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> leadcore.PredictiveModel:
    return synthetic.predictive_model()


@pytest.fixture(scope="module")
def features_parquet(tmp_path_factory: Any) -> tuple[pd.DataFrame, pathlib.Path]:
    x, _ = synthetic.feature_frame(SCALE_LEADS, seed=1)
    x.insert(0, "lead_id", [f"L{i:07d}" for i in range(SCALE_LEADS)])
    return x, synthetic.write_parts(x, tmp_path_factory.mktemp("features"), SCALE_PARTS)


def test_predict_proba_of_200k_leads_through_dask_equals_one_process(dask_client: Any, model: Any, features_parquet: Any) -> None:
    import dask.dataframe as dd

    features, directory = features_parquet
    expected = model.predict_proba(features[model.feature_names])
    lazy = lcd.predict_proba(dd.read_parquet(str(directory)), model, keep=["lead_id"])
    assert list(lazy.columns) == ["lead_id", "probability"] and lazy.npartitions == SCALE_PARTS
    out = lazy.compute()
    assert out["lead_id"].tolist() == features["lead_id"].tolist()  # partitions keep their order
    assert same_floats(out["probability"], expected)


def test_predict_proba_checks_columns_before_running(dask_client: Any, model: Any, features_parquet: Any) -> None:
    import dask.dataframe as dd

    ddf = dd.from_pandas(features_parquet[0].head(100).drop(columns=["employees"]), npartitions=2)
    with pytest.raises(ValueError, match="employees"):
        lcd.predict_proba(ddf, model)


# -- rule-based scoring -------------------------------------------------------------------------


@pytest.mark.parametrize("tiers", ["quantiles", "thresholds"])
def test_scoring_200k_leads_through_dask_equals_one_process(
    dask_client: Any, scoring_parquet: Any, scoring_population: Any, tiers: str
) -> None:
    import dask.dataframe as dd

    model = leadcore.ScoringModel(synthetic.scoring_model(tiers))
    expected = leadcore.score_frame(model, *scoring_population, synthetic.NOW, threads=2)
    assert expected["tier"].nunique() == 3 and expected["behavior"].nunique() > 1000
    # The events' files are in time order, not partitioned like the leads: the helper aligns them.
    leads_dir, events_dir = scoring_parquet
    lazy = lcd.score(model, dd.read_parquet(str(leads_dir)), dd.read_parquet(str(events_dir)), synthetic.NOW)
    assert list(lazy.columns) == list(leadcore._partitions.SCORE_COLUMNS) and lazy.npartitions == SCALE_PARTS
    assert_same_scores(lazy.compute(), expected)


# -- attribution and funnel ---------------------------------------------------------------------

needs_accumulators = pytest.mark.skipif(
    not hasattr(leadcore, "AttributionAccumulator"), reason="the attribution / funnel bindings are not in this build"
)



@needs_accumulators
def test_attribution_of_1m_journeys_through_dask_equals_one_process(
    dask_client: Any, journeys_parquet: Any, attribution_reference: Any
) -> None:
    import dask.dataframe as dd

    ddf = dd.read_parquet(str(journeys_parquet))
    assert ddf.npartitions >= SCALE_PARTS
    acc = lcd.accumulate(ddf, leadcore.AttributionAccumulator(synthetic.ATTRIBUTION), synthetic.add_journeys, split_every=3)
    assert acc.finish() == attribution_reference


@needs_accumulators
def test_funnel_of_1m_leads_through_dask_equals_one_process(dask_client: Any, funnel_parquet: Any, funnel_reference: Any) -> None:
    import dask.dataframe as dd

    ddf = dd.read_parquet(str(funnel_parquet))
    assert ddf.npartitions >= SCALE_PARTS
    acc = lcd.accumulate(ddf, leadcore.FunnelAccumulator(synthetic.FUNNEL), synthetic.add_funnel_leads)
    assert acc.finish() == funnel_reference


@needs_accumulators
def test_accumulate_adds_to_the_given_state(dask_client: Any) -> None:
    import dask.dataframe as dd

    frame = synthetic.journey_frame(3_000, seed=8)
    one = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    synthetic.add_journeys(one, frame)
    yesterday = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    synthetic.add_journeys(yesterday, frame.iloc[:1_000])
    today = dd.from_pandas(synthetic.arrow_lists(frame.iloc[1_000:]), npartitions=5)
    total = lcd.accumulate(today, yesterday, synthetic.add_journeys, split_every=2)
    assert total.finish() == one.finish()
    assert yesterday.finish() != one.finish()  # the template is not changed


# -- the example and the import ----------------------------------------------------------------


@needs_accumulators
def test_the_dask_example_runs_as_a_script() -> None:
    # A script of its own: it starts (and stops) its own LocalCluster behind the __main__ guard.
    script = EXAMPLES / "dask_attribution.py"
    out = subprocess.run([sys.executable, str(script), "--journeys", "40000"], capture_output=True, text=True, timeout=600, cwd=EXAMPLES)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "attributed 40000 journeys in 8 partitions" in out.stdout
    assert "identical to one process: True" in out.stdout


def test_importing_leadcore_imports_neither_spark_nor_dask() -> None:
    code = "import sys, leadcore; import leadcore.spark, leadcore.dask; print(sorted(m for m in ('pyspark', 'dask', 'distributed') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
