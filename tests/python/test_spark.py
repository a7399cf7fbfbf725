"""leadcore inside a real Spark (``local[2]``, loopback only, this venv's Python workers): scoring
through ``mapInPandas`` / ``cogroup().applyInPandas`` equals scoring in one process lead for
lead, bit for bit, and accumulators built per partition and tree-merged equal one pass.

The session is started once per run (``spark`` fixture in conftest.py); data is made with numpy
(tests/python/synthetic.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import leadcore
import synthetic
from leadcore import spark as lcs

LEADS = 200_000
JOURNEYS = 1_000_000
PARTITIONS = 8


def same_floats(a: Any, b: Any) -> bool:
    """Bit-identical float arrays (NaN included)."""
    a, b = np.ascontiguousarray(a, dtype=np.float64), np.ascontiguousarray(b, dtype=np.float64)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


# -- predictive ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> leadcore.PredictiveModel:
    return synthetic.predictive_model()


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    x, _ = synthetic.feature_frame(LEADS, seed=1)
    x.insert(0, "lead_id", [f"L{i:07d}" for i in range(LEADS)])
    return x


def test_predict_proba_through_spark_equals_one_process(spark: Any, model: Any, features: pd.DataFrame) -> None:
    expected = model.predict_proba(features[model.feature_names])
    sdf = spark.createDataFrame(features).repartition(PARTITIONS)
    out = lcs.predict_proba(sdf, model, keep=["lead_id"]).toPandas()
    assert list(out.columns) == ["lead_id", "probability"] and len(out) == LEADS
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
