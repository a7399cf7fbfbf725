"""leadcore inside Apache Spark (PySpark ≥ 3.4): partition-wise scoring and mergeable analytics.

Three helpers remove the boilerplate a Spark job would otherwise repeat; everything else is plain
leadcore API called inside your own ``mapInPandas`` / ``applyInPandas`` functions:

- :func:`predict_proba` — a :class:`leadcore.PredictiveModel`'s probabilities for every row of a
  DataFrame of feature columns (``mapInPandas``; :func:`predict_proba_fn` gives the function and
  the output schema if you want to call ``mapInPandas`` yourself).
- :func:`score` — behavior, fit, source and combined scores, grade and tier of a DataFrame of
  leads from a DataFrame of their events. Leads and events are hashed by lead id into
  ``buckets`` groups (``cogroup(...).applyInPandas``), so a lead always meets all its events;
  quantile tiers are computed over the whole population with an exact distributed selection.
  :func:`score_fn` gives the per-bucket function and schema.
- :func:`accumulate` — an :class:`~leadcore.AttributionAccumulator` /
  :class:`~leadcore.FunnelAccumulator` (or any leadcore accumulator) built per partition and
  merged with ``treeAggregate`` on the executors; the driver gets one accumulator whose report
  equals one pass over all the data, bit for bit.

Models and configs are validated once on the driver and shipped once as a broadcast variable
(their compact pickled form); each Python worker unpickles them once and reuses them for every
batch. Data moves as Arrow record batches converted to pandas columns, never as per-row Python
objects. Each task scores with ``threads=1`` by default: Spark already runs one task per core.

Spark hands pandas UDFs naive timestamps in the session time zone
(``spark.sql.session.timeZone``); the helpers convert them back to UTC before leadcore reads them.

pyspark is imported when a helper is called, never by ``import leadcore``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Sequence

from . import _partitions as _p

__all__ = ["accumulate", "predict_proba", "predict_proba_fn", "score", "score_fn", "SCORE_SCHEMA"]

SCORE_SCHEMA = (
    "lead_id string, behavior double, fit double, grade string, source double, combined double, tier string"
)
"""The schema of :func:`score`'s output (``tier`` is null for models without tiers)."""


def _broadcast(spark: Any, value: Any) -> Callable[[], Any]:
    """A getter for ``value`` on the workers: a broadcast variable (shipped once per executor,
    unpickled once per Python worker) where the session has a SparkContext, else the value
    captured in the function's closure (Spark Connect)."""
    try:
        bc = spark.sparkContext.broadcast(value)
    except Exception:  # Spark Connect sessions have no SparkContext
        return lambda: value
    return lambda: bc.value


_DOT = "__dot__"


def _plain_names(df: Any) -> Any:
    """``df`` with dots in column names (``source.channel``, ``properties.url``: leadcore's
    flat column layout) replaced, since Spark reads a dot as a struct field; the partition
    functions put them back (:func:`_dotted_names`)."""
    return df.toDF(*[c.replace(".", _DOT) for c in df.columns])


def _dotted_names(pdf: Any) -> Any:
    return pdf.rename(columns=lambda c: c.replace(_DOT, "."))


def _session_tz(spark: Any) -> str:
    return str(spark.conf.get("spark.sql.session.timeZone"))


# -- predictive scoring -------------------------------------------------------------------------


def predict_proba_fn(
    df: Any,
    model: Any,
    *,
    keep: Sequence[str] = (),
    segment: Optional[str] = None,
    column: str = "probability",
    threads: int = 1,
) -> tuple[Callable[[Iterator[Any]], Iterator[Any]], Any]:
    """The ``(function, schema)`` pair for ``df.mapInPandas``: each Arrow batch's feature
    columns (``model.feature_names``, doubles, null = missing) go through
    ``model.predict_proba``; the output has the ``keep`` columns and ``column`` (double).
    ``segment`` names the column holding each row's segment for a segmented model."""
    from pyspark.sql.types import DoubleType, StructField, StructType

    fields = {f.name: f for f in df.schema.fields}
    missing = [c for c in [*model.feature_names, *keep, *([segment] if segment else [])] if c not in fields]
    if missing:
        raise ValueError(f"columns missing from the DataFrame: {missing}")
    schema = StructType([fields[k] for k in keep] + [StructField(column, DoubleType(), False)])
    get_model = _broadcast(df.sparkSession, model)
    keep = list(keep)

    def fn(batches: Iterator[Any]) -> Iterator[Any]:
        m = get_model()
        for pdf in batches:
            yield _p.predict_frame(m, pdf, keep, segment, column, threads)

    return fn, schema


def predict_proba(
    df: Any,
    model: Any,
    *,
    keep: Sequence[str] = (),
    segment: Optional[str] = None,
    column: str = "probability",
    threads: int = 1,
) -> Any:
    """``df.mapInPandas`` with :func:`predict_proba_fn`: a DataFrame of the ``keep`` columns
    and each row's probability (lazy, like any DataFrame)."""
    fn, schema = predict_proba_fn(df, model, keep=keep, segment=segment, column=column, threads=threads)
    return df.mapInPandas(fn, schema)


# -- rule-based scoring -------------------------------------------------------------------------


def score_fn(
    spark: Any,
    model: Any,
    now: Any,
    *,
    lead_id: str = "id",
    event_lead_id: str = "lead_id",
    threads: int = 1,
    drop: Sequence[str] = (),
) -> tuple[Callable[[Any, Any], Any], str]:
    """The ``(function, schema)`` pair for ``cogroup(...).applyInPandas``: the function scores
    the leads of one group (a pandas frame in :func:`leadcore.score_frame`'s lead layout) from
    the events of the same group, and returns :data:`SCORE_SCHEMA` rows. ``drop`` names grouping
    columns to remove before scoring. Spell a dot in a column name (``properties.url``) as
    ``__dot__`` (``properties__dot__url``): Spark reads dots as struct fields. Tiers are the group's own for quantile tier models; use
    :func:`score` for population-wide quantiles."""
    model = _p.scoring_model(model)
    now = _p.utc_instant(now)
    get_model = _broadcast(spark, model)
    tz = _session_tz(spark)
    drop = list(drop)

    def fn(leads: Any, events: Any) -> Any:
        leads = _dotted_names(leads.drop(columns=[c for c in drop if c in leads.columns]))
        events = _dotted_names(events.drop(columns=[c for c in drop if c in events.columns]))
        return _p.score_frames(get_model(), leads, events, now, threads, lead_id, event_lead_id, tz)

    return fn, SCORE_SCHEMA


def score(
    model: Any,
    leads: Any,
    events: Any,
    now: Any,
    *,
    buckets: Optional[int] = None,
    lead_id: str = "id",
    event_lead_id: str = "lead_id",
    threads: int = 1,
) -> Any:
    """Scores a DataFrame of leads from a DataFrame of events as of ``now``.

    ``model``: a :class:`leadcore.ScoringModel`, dict or JSON text (compiled once here).
    ``leads``: one row per lead in :func:`leadcore.score_frame`'s layout (``id``, ``created_at``,
    ``source.<field>``, attribute columns...); ``events``: ``lead_id``, ``kind``, ``at``,
    optional ``id``, ``name``, ``properties.<key>``. Both are hashed by lead id into ``buckets``
    groups (default: 4 × the default parallelism; size them so a group's leads and events fit in
    one task's memory, e.g. ~1 M leads each). Events of leads not in ``leads`` are dropped.

    Returns a DataFrame with :data:`SCORE_SCHEMA`, one row per lead (no particular order). With
    quantile tiers (``{"tiers": {"type": "quantiles"}}``), the scores are cached, the cutoffs are
    selected exactly over all leads (four histogram passes) and the tiers assigned from them, as
    a one-process :func:`leadcore.score_frame` over the whole population would.
    """
    from pyspark.sql import functions as F

    spark = leads.sparkSession
    model = _p.scoring_model(model)
    n = int(buckets or 4 * spark.sparkContext.defaultParallelism)
    key = "__leadcore_bucket"
    fn, schema = score_fn(spark, model, now, lead_id=lead_id, event_lead_id=event_lead_id, threads=threads, drop=[key])
    leads, events = _plain_names(leads), _plain_names(events)
    grouped_leads = leads.withColumn(key, F.pmod(F.xxhash64(F.col(lead_id.replace(".", _DOT)).cast("string")), F.lit(n))).groupBy(key)
    grouped_events = events.withColumn(key, F.pmod(F.xxhash64(F.col(event_lead_id.replace(".", _DOT)).cast("string")), F.lit(n))).groupBy(key)
    scores = grouped_leads.cogroup(grouped_events).applyInPandas(fn, schema)
    quantiles = _p.quantile_tiers(model)
    if quantiles is None:
        return scores
    return _population_tiers(scores.persist(), quantiles)


def _population_tiers(scores: Any, quantiles: tuple[float, float]) -> Any:
    import numpy as np

    def histograms(prefixes: Sequence[int], level: int) -> np.ndarray:
        prefixes = list(prefixes)

        def part(batches: Iterator[Any]) -> Iterator[Any]:
            for pdf in batches:
                yield _p.sparse(_p.radix_histograms(pdf["combined"].to_numpy(), prefixes, level))

        # Summed on the executors; the driver gets at most 2 × 65 536 cells.
        cells = scores.select("combined").mapInPandas(part, "r int, d int, c long").groupBy("r", "d").sum("c").toPandas()
        return _p.dense(cells["r"], cells["d"], cells["sum(c)"], len(prefixes))

    cutoffs = _p.exact_quantile_cutoffs(histograms, *quantiles)

    def tiers(batches: Iterator[Any]) -> Iterator[Any]:
        for pdf in batches:
            yield _p.apply_cutoffs(pdf, cutoffs)

    return scores.mapInPandas(tiers, SCORE_SCHEMA)


# -- accumulators -------------------------------------------------------------------------------


def accumulate(df: Any, accumulator: Any, add: Callable[[Any, Any], Any], *, depth: int = 2) -> Any:
    """Builds accumulators per partition and merges them on the executors.

    ``accumulator`` is the template: an ``AttributionAccumulator`` / ``FunnelAccumulator`` (its
    configuration is shipped once; every partition starts from an empty one). ``add(acc, pdf)``
    adds one pandas batch of ``df`` to ``acc`` — e.g. ``acc.add_paths(pdf)`` or
    ``acc.add_journeys(journeys_of(pdf))``; a record that needs several rows (a journey spread
    over touch rows) must not be split: group it into one row first (``groupBy`` +
    ``collect_list``). Partition states travel as the accumulator's compact bytes and are merged
    with ``treeAggregate(depth)``; the result is a new accumulator holding ``accumulator``'s own
    state plus everything in ``df``: ``finish()`` it, or keep it (``to_bytes``) for tomorrow.
    """
    template = _p.fresh(accumulator)
    cls = type(template)
    get_template = _broadcast(df.sparkSession, template)

    def part(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        yield pd.DataFrame({"state": [_p.accumulate(get_template(), batches, add)]})

    def merge(a: Optional[bytes], b: Optional[bytes]) -> Optional[bytes]:
        return _p.merge_states(cls, [a, b])

    states = df.mapInPandas(part, "state binary").rdd.map(lambda row: bytes(row.state))
    merged = states.treeAggregate(None, merge, merge, depth=depth)
    return _p.finish_merge(accumulator, merged)
