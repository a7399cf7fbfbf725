"""leadcore inside Dask (``dask.dataframe`` + ``dask.distributed``): partition-wise scoring and
mergeable analytics.

The same three helpers as :mod:`leadcore.spark`; everything else is plain leadcore API inside
your own ``map_partitions`` functions:

- :func:`predict_proba` — a :class:`leadcore.PredictiveModel`'s probabilities for every row of a
  Dask DataFrame of feature columns (``map_partitions`` with the right ``meta``).
- :func:`score` — behavior, fit, source and combined scores, grade and tier of a Dask DataFrame
  of leads from a Dask DataFrame of their events. Both are shuffled by a stable hash of the lead
  id into ``npartitions`` aligned partitions, so a lead always meets all its events; quantile
  tiers are computed over the whole population with an exact distributed selection.
- :func:`accumulate` — an :class:`~leadcore.AttributionAccumulator` /
  :class:`~leadcore.FunnelAccumulator` built per partition and merged in a tree on the workers;
  the client gets one accumulator whose report equals one pass over all the data, bit for bit.

With a ``distributed.Client``, the model or config is scattered to every worker once
(``Client.scatter(..., broadcast=True)``) and each task receives the worker's copy; without one
(the local schedulers) it is shared by reference. Each task scores with ``threads=1`` by
default: give workers one thread per core, or raise ``threads`` for few, fat workers.

dask is imported when a helper is called, never by ``import leadcore``.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from . import _partitions as _p

__all__ = ["accumulate", "predict_proba", "score"]


def _shared(value: Any) -> Any:
    """``value`` scattered to every worker of the current distributed client (a Future that
    tasks receive as the worker's copy), or ``value`` itself without a client."""
    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):
        return value
    return client.scatter([value], broadcast=True, hash=False)[0]


# -- predictive scoring -------------------------------------------------------------------------


def predict_proba(
    ddf: Any,
    model: Any,
    *,
    keep: Sequence[str] = (),
    segment: Optional[str] = None,
    column: str = "probability",
    threads: int = 1,
) -> Any:
    """A lazy Dask DataFrame of the ``keep`` columns and each row's probability under
    ``model`` (a :class:`leadcore.PredictiveModel`), from its feature columns
    (``model.feature_names``, floats, NaN = missing). ``segment`` names the column holding each
    row's segment for a segmented model. Partitions keep their index and divisions."""
    missing = [c for c in [*model.feature_names, *keep, *([segment] if segment else [])] if c not in ddf.columns]
    if missing:
        raise ValueError(f"columns missing from the DataFrame: {missing}")
    meta = _p.predict_meta(ddf.dtypes, keep, column)
    return ddf.map_partitions(
        _predict_partition, _shared(model), list(keep), segment, column, threads, meta=meta, align_dataframes=False
    )


def _predict_partition(pdf: Any, model: Any, keep: list, segment: Optional[str], column: str, threads: int) -> Any:
    return _p.predict_frame(model, pdf, keep, segment, column, threads)


# -- rule-based scoring -------------------------------------------------------------------------


def _with_bucket(ddf: Any, id_column: str, n: int) -> Any:
    import numpy as np

    key = "__leadcore_bucket"

    def add(pdf: Any) -> Any:
        return pdf.assign(**{key: _p.bucket_of(pdf[id_column], n)})

    meta = ddf._meta.assign(**{key: np.zeros(0, dtype=np.int64)})
    bucketed = ddf.map_partitions(add, meta=meta)
    # Both frames hash the same int64 buckets into n partitions, so partition i of the leads meets
    # partition i of the events (no sort, unlike set_index; Dask picks its fastest shuffle).
    return bucketed.shuffle(on=key, npartitions=n).drop(columns=[key])


def _score_partition(leads: Any, events: Any, model: Any, now: Any, threads: int, lead_id: str, event_lead_id: str) -> Any:
    return _p.score_frames(model, leads.reset_index(drop=True), events.reset_index(drop=True), now, threads, lead_id, event_lead_id)


def score(
    model: Any,
    leads: Any,
    events: Any,
    now: Any,
    *,
    npartitions: Optional[int] = None,
    lead_id: str = "id",
    event_lead_id: str = "lead_id",
    threads: int = 1,
) -> Any:
    """Scores a Dask DataFrame of leads from a Dask DataFrame of events as of ``now``.

    ``model``: a :class:`leadcore.ScoringModel`, dict or JSON text (compiled once here).
    ``leads``: one row per lead in :func:`leadcore.score_frame`'s layout; ``events``:
    ``lead_id``, ``kind``, ``at``, optional ``id``, ``name``, ``properties.<key>``. Both are
    shuffled into ``npartitions`` (default: ``leads.npartitions``) partitions by a stable hash
    of the lead id, so partition *b* of the leads meets partition *b* of the events; size them
    so one partition's leads and events fit in a worker thread's memory. Events of leads not in
    ``leads`` are dropped.

    Returns a lazy Dask DataFrame (columns ``lead_id``, ``behavior``, ``fit``, ``grade``,
    ``source``, ``combined``, ``tier``), one row per lead, grouped by bucket. With quantile
    tiers, the scores are computed and persisted, the cutoffs selected exactly over all leads
    (four histogram passes), and the tiers assigned from them, as a one-process
    :func:`leadcore.score_frame` over the whole population would.
    """
    import dask.dataframe as dd

    model = _p.scoring_model(model)
    now = _p.utc_instant(now)
    n = int(npartitions or leads.npartitions)
    lb = _with_bucket(leads, lead_id, n)
    eb = _with_bucket(events, event_lead_id, n)
    scores = dd.map_partitions(
        _score_partition, lb, eb, _shared(model), now, threads, lead_id, event_lead_id,
        meta=_p.score_meta(), align_dataframes=False,
    ).clear_divisions()
    quantiles = _p.quantile_tiers(model)
    if quantiles is None:
        return scores
    scores = scores.persist()
    combined = scores["combined"]

    def histograms(prefixes: Sequence[int], level: int) -> Any:
        import dask

        parts = [dask.delayed(_p.radix_histograms)(p.to_numpy(), list(prefixes), level) for p in combined.to_delayed()]
        while len(parts) > 1:  # summed on the workers, 8 at a time
            parts = [dask.delayed(sum)(parts[i : i + 8]) for i in range(0, len(parts), 8)]
        (total,) = dask.compute(parts[0])
        return total

    cutoffs = _p.exact_quantile_cutoffs(histograms, *quantiles)
    return scores.map_partitions(_p.apply_cutoffs, cutoffs, meta=_p.score_meta())


# -- accumulators -------------------------------------------------------------------------------


def _accumulate_partition(pdf: Any, template: Any, add: Callable[[Any, Any], Any]) -> bytes:
    return _p.accumulate(template, [pdf], add)


def _merge(cls: type, *states: Optional[bytes]) -> Optional[bytes]:
    return _p.merge_states(cls, states)


def accumulate(ddf: Any, accumulator: Any, add: Callable[[Any, Any], Any], *, split_every: int = 8) -> Any:
    """Builds accumulators per partition and merges them in a tree on the workers.

    ``accumulator`` is the template: an ``AttributionAccumulator`` / ``FunnelAccumulator`` (its
    configuration is shipped once; every partition starts from an empty one). ``add(acc, pdf)``
    adds one partition of ``ddf`` (a pandas DataFrame) to ``acc``. A record that needs several
    rows (a journey spread over touch rows) must not be split between partitions: shuffle by its
    key first (``ddf.shuffle("journey_id")``). Partition states travel as the accumulator's
    compact bytes and are merged ``split_every`` at a time; the result is a new accumulator
    holding ``accumulator``'s own state plus everything in ``ddf``.
    """
    import dask

    template = _p.fresh(accumulator)
    cls = type(template)
    shared = _shared(template)
    states = [dask.delayed(_accumulate_partition)(part, shared, add) for part in ddf.to_delayed()]
    if not states:
        return _p.finish_merge(accumulator, None)
    while len(states) > 1:
        states = [dask.delayed(_merge)(cls, *states[i : i + split_every]) for i in range(0, len(states), split_every)]
    (merged,) = dask.compute(states[0])
    return _p.finish_merge(accumulator, merged)
