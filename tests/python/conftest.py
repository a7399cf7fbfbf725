"""Shared helpers for the Python suite: loading the shared vectors and comparing results."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Iterator

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors"


def vector_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every case of every vector file, with a readable id."""
    for path in sorted(VECTORS.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(doc["cases"]):
            yield f"{path.relative_to(VECTORS)}#{i}", case


def subset_diffs(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Differences where ``expected`` is not a subset of ``actual`` (see tests/vectors/README.md)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        out: list[str] = []
        for k, v in expected.items():
            if k not in actual:
                out.append(f"{path}.{k}: missing in result")
            else:
                out.extend(subset_diffs(v, actual[k], f"{path}.{k}"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out.extend(subset_diffs(e, a, f"{path}[{i}]"))
        return out
    if isinstance(expected, bool) or isinstance(actual, bool):
        return [] if expected is actual else [f"{path}: expected {expected!r}, got {actual!r}"]
    if expected == actual:
        return []
    return [f"{path}: expected {expected!r}, got {actual!r}"]


# -- real local clusters for the scale-out tests (test_spark.py, test_dask.py, the examples) -----
#
# One SparkSession and one Dask LocalCluster per test run, started on first use and bound to
# loopback only. Spark's Python workers run this interpreter (the venv's) and can import the
# test helpers and the examples (PYTHONPATH is inherited by the JVM and its Python workers).

import os
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLES = HERE.parents[1] / "examples" / "python"


def _worker_path() -> None:
    """Worker processes (Spark's Python workers, Dask's spawned workers) import the test
    helpers and the examples by name."""
    paths = [str(HERE), str(EXAMPLES), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    _worker_path()
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("leadcore-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "3g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.files.minPartitionNum", "8")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
        # Not UTC on purpose: pandas UDFs see naive wall-clock times of this zone, which the
        # helpers must turn back into the right instants.
        .config("spark.sql.session.timeZone", "Asia/Shanghai")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    _worker_path()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        memory_limit="4GiB",
    )
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


# -- shared data sets of the scale-out tests (made once per run, read by Spark and Dask) ---------

SCALE_LEADS = 200_000
SCALE_JOURNEYS = 1_000_000
SCALE_PARTS = 8


@pytest.fixture(scope="session")
def scoring_population() -> tuple[Any, Any]:
    """200 k leads and ~1 M events (pandas)."""
    import synthetic

    return synthetic.leads_and_events(SCALE_LEADS)


@pytest.fixture(scope="session")
def scoring_parquet(scoring_population: Any, tmp_path_factory: Any) -> tuple[pathlib.Path, pathlib.Path]:
    """The population as two Parquet datasets of 8 files each: leads, events (time order)."""
    import synthetic

    leads, events = scoring_population
    root = tmp_path_factory.mktemp("scoring")
    return synthetic.write_parts(leads, root / "leads"), synthetic.write_parts(events.sort_values("at", kind="stable"), root / "events")


@pytest.fixture(scope="session")
def journeys_parquet(tmp_path_factory: Any) -> pathlib.Path:
    """1 M journeys, one row each, as a Parquet dataset of 8 files."""
    import synthetic

    return synthetic.write_parts(synthetic.journey_frame(SCALE_JOURNEYS), tmp_path_factory.mktemp("journeys"), SCALE_PARTS)


@pytest.fixture(scope="session")
def funnel_parquet(tmp_path_factory: Any) -> pathlib.Path:
    """1 M leads with stage histories, one row each, as a Parquet dataset of 8 files."""
    import synthetic

    return synthetic.write_parts(synthetic.funnel_frame(SCALE_JOURNEYS), tmp_path_factory.mktemp("funnel"), SCALE_PARTS)


def _one_process(template: Any, directory: pathlib.Path, add: Any) -> Any:
    """``template``'s class filled in this process, file by file (one pass, in order)."""
    import pandas as pd

    acc = type(template)(template.config)
    for path in sorted(directory.glob("*.parquet")):
        add(acc, pd.read_parquet(path))
    return acc.finish()


@pytest.fixture(scope="session")
def attribution_reference(journeys_parquet: pathlib.Path) -> Any:
    """The one-process attribution report of the 1 M journeys under every model."""
    import leadcore
    import synthetic

    return _one_process(leadcore.AttributionAccumulator(synthetic.ATTRIBUTION), journeys_parquet,
                        synthetic.add_journeys)


@pytest.fixture(scope="session")
def funnel_reference(funnel_parquet: pathlib.Path) -> Any:
    """The one-process funnel of the 1 M leads."""
    import leadcore
    import synthetic

    return _one_process(leadcore.FunnelAccumulator(synthetic.FUNNEL), funnel_parquet,
                        synthetic.add_funnel_leads)
