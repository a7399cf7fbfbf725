"""leadcore inside a real Dask cluster (``LocalCluster``: 2 worker processes, loopback only):
scoring through ``map_partitions`` equals scoring in one process lead for lead, bit for bit, and
accumulators built per partition and tree-merged equal one pass.

The cluster is started once per run (``dask_client`` fixture in conftest.py); data is made with
numpy (tests/python/synthetic.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import leadcore
import synthetic
from leadcore import dask as lcd

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


def test_predict_proba_through_dask_equals_one_process(dask_client: Any, model: Any, features: pd.DataFrame) -> None:
    import dask.dataframe as dd

    expected = model.predict_proba(features[model.feature_names])
    ddf = dd.from_pandas(features, npartitions=PARTITIONS)
    lazy = lcd.predict_proba(ddf, model, keep=["lead_id"])
    assert list(lazy.columns) == ["lead_id", "probability"] and lazy.npartitions == PARTITIONS
    out = lazy.compute()
    assert out["lead_id"].tolist() == features["lead_id"].tolist()  # partitions keep their order
    assert same_floats(out["probability"], expected)


def test_predict_proba_checks_columns_before_running(dask_client: Any, model: Any, features: pd.DataFrame) -> None:
    import dask.dataframe as dd

    ddf = dd.from_pandas(features.head(100).drop(columns=["employees"]), npartitions=2)
    with pytest.raises(ValueError, match="employees"):
        lcd.predict_proba(ddf, model)
