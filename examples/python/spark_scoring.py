"""A nightly Spark job that scores every lead with leadcore (run by the test suite).

    pip install leadcore pyspark pandas pyarrow       # and a Java runtime (OpenJDK 17)
    python examples/python/spark_scoring.py            # local[2] on 127.0.0.1

On a cluster, drop `local_session()` and read your tables instead of `demo_tables()`:

    leads = spark.read.table("crm.leads")      # id, created_at, source.channel / attribute columns
    events = spark.read.table("crm.events")    # lead_id, kind, at, id, properties.url ...

The model is validated and compiled once on the driver and broadcast once; each executor scores
its buckets of leads (a lead always meets all its events) from Arrow batches, and the quantile
tiers are the whole population's.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

import numpy as np
import pandas as pd

import leadcore
from leadcore import spark as lcs

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)


def local_session():  # type: ignore[no-untyped-def]
    """Spark in local mode, bound to loopback, with this interpreter as the Python worker."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("leadcore-nightly-scoring")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def demo_tables(n: int = 20_000, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seeded leads and ~6 events each, in the layout `leadcore.score_frame` reads."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"L{i:06d}" for i in range(n)], dtype=object)
    day = 86_400
    leads = pd.DataFrame({
        "id": ids,
        "created_at": pd.to_datetime(int(NOW.timestamp()) - rng.integers(10 * day, 120 * day, n), unit="s", utc=True),
        "source.channel": rng.choice(np.array(["sem", "seo", "event", "referral"], dtype=object), n),
        "industry": rng.choice(np.array(["saas", "retail", "finance", "education"], dtype=object), n),
        "role": rng.choice(np.array(["ceo", "sales_director", "staff"], dtype=object), n),
        "employees": rng.integers(5, 3000, n).astype(float),
    })
    per = rng.poisson(6, n)
    m = int(per.sum())
    kinds = np.array(["page_view", "download", "email_open", "form_submit", "meeting"], dtype=object)
    events = pd.DataFrame({
        "lead_id": np.repeat(ids, per),
        "kind": rng.choice(kinds, m, p=[0.55, 0.15, 0.2, 0.07, 0.03]),
        "at": pd.to_datetime(int(NOW.timestamp()) - rng.integers(0, 90 * day, m), unit="s", utc=True),
        "id": np.arange(m),
    })
    return leads, events


def main(spark) -> None:  # type: ignore[no-untyped-def]
    config = leadcore.ScoringModel.preset("b2b_default").to_dict()
    config["tiers"] = {"type": "quantiles", "high": 0.8, "mid": 0.4}  # top 20 % high, next 40 % mid
    model = leadcore.ScoringModel(config)  # validated and compiled once, here on the driver

    leads_pd, events_pd = demo_tables()
    leads, events = spark.createDataFrame(leads_pd), spark.createDataFrame(events_pd)

    scores = lcs.score(model, leads, events, NOW, buckets=8)  # lead_id, behavior, fit, grade, ...
    # A real job writes them: scores.write.mode("overwrite").saveAsTable("crm.lead_scores")
    result = scores.toPandas()
    print(f"scored {len(result)} leads")
    print(result.groupby("tier")["combined"].agg(["count", "min", "max"]).round(2).to_string())

    # The same numbers as one process scoring everything (bit for bit):
    alone = leadcore.score_frame(model, leads_pd, events_pd, NOW).reset_index()
    same = result.set_index("lead_id").reindex(alone["lead_id"])
    identical = bool(
        (same["combined"].to_numpy() == alone["combined"].to_numpy()).all()
        and (same["tier"].to_numpy() == alone["tier"].astype(str).to_numpy()).all()
    )
    print(f"identical to one process: {identical}")


if __name__ == "__main__":
    session = local_session()
    try:
        main(session)
    finally:
        session.stop()
