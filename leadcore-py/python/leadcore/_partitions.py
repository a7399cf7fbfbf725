"""Per-partition work shared by :mod:`leadcore.spark` and :mod:`leadcore.dask`.

Everything here takes and returns pandas / numpy objects and calls plain leadcore API; the
engine modules only wire these functions into ``mapInPandas`` / ``applyInPandas`` /
``map_partitions`` and reduce what they return. No rule, default or threshold of leadcore's
lives here: scores, tiers and reports all come from the core.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

from . import _native

# -- model arguments ----------------------------------------------------------------------------


def scoring_model(model: Any) -> Any:
    """A compiled ``ScoringModel`` from a ``ScoringModel``, dict or JSON text (validated and
    compiled once, on the driver, before anything is shipped)."""
    cls = _native.ScoringModel
    return model if isinstance(model, cls) else cls(model)


def utc_instant(now: Any) -> dt.datetime:
    """``now`` as an aware UTC datetime (an aware datetime or RFC 3339 text), checked on the
    driver so that a bad ``now`` fails before a job starts."""
    if isinstance(now, str):
        now = dt.datetime.fromisoformat(now.replace("Z", "+00:00"))
    if not isinstance(now, dt.datetime) or now.tzinfo is None:
        from .errors import InputError

        raise InputError("expected an aware datetime or RFC 3339 text with an offset", "invalid_type", "now")
    return now.astimezone(dt.timezone.utc)


# -- columns ------------------------------------------------------------------------------------


def to_utc(pdf: Any, tz: Optional[str]) -> Any:
    """Naive datetime64 columns read as wall-clock time in ``tz`` (Spark hands pandas UDFs its
    session time zone's wall clock) converted to naive UTC, which leadcore reads as UTC."""
    if tz is None or tz.upper() in ("UTC", "Z", "GMT", "ETC/UTC", "+00:00"):
        return pdf
    out = pdf.copy(deep=False)
    for name in pdf.columns:
        col = pdf[name]
        if col.dtype.kind == "M" and getattr(col.dtype, "tz", None) is None:
            out[name] = col.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC").dt.tz_localize(None)
    return out


def bucket_of(ids: Any, buckets: int) -> np.ndarray:
    """A stable bucket number in ``[0, buckets)`` for each id: the same id gets the same bucket
    in every process and on every machine (pandas' fixed-key hash of the value, which is the
    same for a text id held as object, string or categorical)."""
    import pandas as pd

    values = ids if isinstance(ids, pd.Series) else pd.Series(np.asarray(ids, dtype=object))
    return (pd.util.hash_pandas_object(values, index=False).to_numpy() % np.uint64(buckets)).astype(np.int64)


# -- predictive scoring -------------------------------------------------------------------------


def predict_frame(
    model: Any,
    pdf: Any,
    keep: Sequence[str],
    segment: Optional[str],
    column: str,
    threads: int,
) -> Any:
    """``keep`` columns of ``pdf`` and the model's probability for each row, from the model's
    feature columns (checked by name by the model)."""
    x = pdf[list(model.feature_names)]
    segments = None
    if segment is not None:
        segments = [None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in pdf[segment].tolist()]
    probs = model.predict_proba(x, segments=segments, threads=threads)
    out = pdf[list(keep)].copy()
    out[column] = probs
    return out


def predict_meta(dtypes: Any, keep: Sequence[str], column: str) -> Any:
    """The empty output frame of :func:`predict_frame` for input columns of ``dtypes``."""
    import pandas as pd

    out = pd.DataFrame({k: pd.Series(dtype=dtypes[k]) for k in keep})
    out[column] = pd.Series(dtype="float64")
    return out


# -- rule-based scoring -------------------------------------------------------------------------

SCORE_COLUMNS = ("lead_id", "behavior", "fit", "grade", "source", "combined", "tier")


def score_meta() -> Any:
    """The empty output frame of :func:`score_frames`."""
    import pandas as pd

    return pd.DataFrame(
        {
            "lead_id": pd.Series(dtype=object),
            "behavior": pd.Series(dtype="float64"),
            "fit": pd.Series(dtype="float64"),
            "grade": pd.Series(dtype=object),
            "source": pd.Series(dtype="float64"),
            "combined": pd.Series(dtype="float64"),
            "tier": pd.Series(dtype=object),
        }
    )


def quantile_tiers(model: Any) -> Optional[tuple[float, float]]:
    """``(high, mid)`` when the model's tiers are quantiles of the scored population (which a
    partition alone cannot know), else ``None``."""
    tiers = model.to_dict().get("tiers")
    if isinstance(tiers, dict) and tiers.get("type") == "quantiles":
        return float(tiers["high"]), float(tiers["mid"])
    return None


def score_frames(
    model: Any,
    leads: Any,
    events: Any,
    now: dt.datetime,
    threads: int,
    lead_id: str,
    event_lead_id: str,
    tz: Optional[str] = None,
) -> Any:
    """Scores one partition: the leads of a set of ids and all their events (the engine puts
    the events of a lead in the lead's partition). One row per lead: ``lead_id``, ``behavior``,
    ``fit``, ``grade``, ``source``, ``combined``, ``tier`` (names, or None)."""
    import pandas as pd

    from .frame import score_frame

    if len(leads) == 0:
        return score_meta()
    leads = to_utc(leads, tz)
    if lead_id != "id":
        leads = leads.rename(columns={lead_id: "id"})
    leads = leads.assign(id=leads["id"].astype(str))
    if len(events) == 0 or len(events.columns) == 0:
        events = pd.DataFrame({"lead": np.zeros(0, dtype=np.uint32), "kind": np.zeros(0, dtype=np.uint8), "at": np.zeros(0, dtype="datetime64[ns]")})
    else:
        events = to_utc(events, tz)
        if event_lead_id != "lead_id":
            events = events.rename(columns={event_lead_id: "lead_id"})
        events = events.assign(lead_id=events["lead_id"].astype(str))
    scores = score_frame(model, leads, events, now, threads=threads)
    out = scores.reset_index()
    return pd.DataFrame(
        {
            "lead_id": out["lead_id"].astype(object).to_numpy(),
            "behavior": out["behavior"].to_numpy(),
            "fit": out["fit"].to_numpy(),
            "grade": out["grade"].astype(object).to_numpy(),
            "source": out["source"].to_numpy(),
            "combined": out["combined"].to_numpy(),
            "tier": out["tier"].astype(object).where(out["tier"].notna(), None).to_numpy(),
        }
    )


# Exact quantile cutoffs over a distributed column -------------------------------------------
#
# leadcore's quantile tiers sort the population's finite combined scores and take
# `s[min(floor(q * n), n - 1)]`. A partition cannot know that value, so the engines run a few
# passes of an exact radix selection over the scores: each pass sums, over every partition, a
# 65 536-bin histogram of the next 16 bits of each score's order-preserving 64-bit key, which
# pins down 16 more bits of the selected key. Four passes select the exact value (no sample,
# no approximation) while moving only histograms to the driver.

_BITS = 16
_BINS = 1 << _BITS


def order_keys(scores: np.ndarray) -> np.ndarray:
    """Finite scores as unsigned keys in the order of ``f64::total_cmp`` (the core's sort)."""
    x = np.ascontiguousarray(scores, dtype=np.float64)
    x = x[np.isfinite(x)]
    bits = x.view(np.uint64)
    negative = (bits >> np.uint64(63)).astype(bool)
    return np.where(negative, ~bits, bits | np.uint64(1 << 63))


def key_value(key: int) -> float:
    bits = (~key) & ((1 << 64) - 1) if key < (1 << 63) else key & ~(1 << 63)
    return float(np.array([bits], dtype=np.uint64).view(np.float64)[0])


def radix_histograms(scores: np.ndarray, prefixes: Sequence[int], level: int) -> np.ndarray:
    """For each prefix (the key bits selected so far), the histogram of the next 16 bits of the
    finite scores' keys that share it: a ``len(prefixes) × 65536`` count array."""
    keys = order_keys(scores)
    shift = np.uint64(64 - _BITS * (level + 1))
    out = np.zeros((len(prefixes), _BINS), dtype=np.int64)
    for i, prefix in enumerate(prefixes):
        selected = keys if level == 0 else keys[(keys >> np.uint64(64 - _BITS * level)) == np.uint64(prefix)]
        digits = ((selected >> shift) & np.uint64(_BINS - 1)).astype(np.int64)
        out[i] = np.bincount(digits, minlength=_BINS)
    return out


def sparse(histograms: np.ndarray) -> Any:
    """The non-zero cells of :func:`radix_histograms` as a frame (``r``: prefix, ``d``: digit,
    ``c``: count), for an engine to sum by ``(r, d)`` before anything reaches the driver."""
    import pandas as pd

    r, d = np.nonzero(histograms)
    return pd.DataFrame({"r": r.astype(np.int32), "d": d.astype(np.int32), "c": histograms[r, d].astype(np.int64)})


def dense(r: Any, d: Any, c: Any, prefixes: int) -> np.ndarray:
    """The summed histograms from :func:`sparse` cells."""
    out = np.zeros((prefixes, _BINS), dtype=np.int64)
    np.add.at(out, (np.asarray(r, dtype=np.int64), np.asarray(d, dtype=np.int64)), np.asarray(c, dtype=np.int64))
    return out


def exact_quantile_cutoffs(
    histograms: Callable[[Sequence[int], int], np.ndarray], high: float, mid: float
) -> Optional[dict[str, float]]:
    """The core's quantile cutoffs ``{"high", "mid"}`` of a distributed score column, or
    ``None`` when it has no finite score. ``histograms(prefixes, level)`` sums
    :func:`radix_histograms` over every partition."""
    ranks: list[int] = []
    prefixes = [0, 0]
    below = [0, 0]
    for level in range(64 // _BITS):
        h = histograms(prefixes, level)
        if level == 0:
            n = int(h[0].sum())
            if n == 0:
                return None
            ranks = [min(math.floor(q * n), n - 1) for q in (high, mid)]
        for i, rank in enumerate(ranks):
            cumulative = np.cumsum(h[i])
            digit = int(np.searchsorted(cumulative, rank - below[i], side="right"))
            below[i] += int(cumulative[digit - 1]) if digit > 0 else 0
            prefixes[i] = (prefixes[i] << _BITS) | digit
    return {"high": key_value(prefixes[0]), "mid": key_value(prefixes[1])}


def apply_cutoffs(pdf: Any, cutoffs: Optional[dict[str, float]]) -> Any:
    """Tiers from population cutoffs, as ``TierModel::Quantiles`` assigns them: at or above the
    high cutoff ``high``, else at or above the mid cutoff ``mid``, else ``low``; no cutoffs (an
    empty population) gives no tier."""
    out = pdf.copy()
    if cutoffs is None:
        out["tier"] = None
        return out
    s = out["combined"].to_numpy()
    names = np.asarray(_native.TIERS, dtype=object)
    codes = np.where(s >= cutoffs["high"], 2, np.where(s >= cutoffs["mid"], 1, 0))
    out["tier"] = names[codes]
    return out


# -- accumulators -------------------------------------------------------------------------------


def fresh(template: Any) -> Any:
    """An empty accumulator of the template's class and configuration."""
    return type(template)(template.config)


def accumulate(template: Any, batches: Iterable[Any], add: Callable[[Any, Any], Any]) -> bytes:
    """Adds every batch of one partition to a fresh accumulator and returns its state."""
    acc = fresh(template)
    for batch in batches:
        add(acc, batch)
    return bytes(acc.to_bytes())


def merge_states(cls: type, states: Sequence[Optional[bytes]]) -> Optional[bytes]:
    """One state from several (``None``: nothing); merging is exact, so the order does not
    matter and the result equals one pass over everything."""
    present = [s for s in states if s is not None]
    if not present:
        return None
    acc = cls.from_bytes(present[0])
    for s in present[1:]:
        acc.merge(cls.from_bytes(s))
    return bytes(acc.to_bytes())


def finish_merge(template: Any, state: Optional[bytes]) -> Any:
    """A copy of ``template`` (which may already hold state, e.g. yesterday's) with the merged
    partition state added."""
    cls = type(template)
    out = cls.from_bytes(template.to_bytes())
    if state is not None:
        out.merge(cls.from_bytes(state))
    return out
