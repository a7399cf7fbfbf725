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
