"""Scoring tables of leads and events (pandas DataFrames, pyarrow or polars tables) into a
DataFrame.

A thin layer over :func:`leadcore.score_table`, which reads the tables through the core's table
layer (the same checks and errors as every other table argument); this module only names the
result's rows by lead id and wraps the arrays in a DataFrame. Needs ``numpy`` and ``pandas``.

Leads: one row per lead with columns ``id`` (or a DataFrame index named ``id``) and
``created_at`` (datetime64, tz-aware datetimes, Unix seconds or RFC 3339 text), optional
``owner`` and ``stage``, ``source.<field>`` (``channel``, ``campaign``, ``utm_source``,
``utm_medium``, ``utm_campaign``, ``utm_term``, ``utm_content``, ``referrer``), and attributes:
``attributes.<name>`` or any other column. Missing cells (None, NaN, NaT, ``pd.NA``) are left
out of the lead. A list of lead dicts works too.

Events: one row per event with ``lead_id`` (matched to the leads' ids; events of other leads
are dropped and counted) or ``lead`` (row index of the lead), ``kind`` (names, categorical, or
codes of :data:`leadcore.EVENT_KINDS`), ``at`` (datetime64 — naive values are UTC —, tz-aware
datetimes, or Unix seconds; NaT is a missing time), optional ``id`` (text or integers:
repeated ids of a lead are duplicates), ``name`` (custom events) and ``properties.<key>``
columns (the event's properties, for rule conditions and ``once_per``).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

import numpy as np

from . import _native

__all__ = ["score_frame"]


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("leadcore.score_frame needs pandas: pip install numpy pandas") from e
    return pd


def _ids(leads: Any) -> Any:
    """The leads' ids, in order, as the index of the result (integer ids as their text, as the
    core reads them)."""
    if isinstance(leads, (list, tuple)):
        return np.asarray([lead.get("id") for lead in leads], dtype=object)
    col = leads.column("id") if hasattr(leads, "column_names") else leads["id"]
    arr = col.to_numpy() if hasattr(col, "to_numpy") else np.asarray(col)
    if arr.dtype.kind in "iu":
        arr = arr.astype(str)
    return np.asarray(arr, dtype=object)


def score_frame(
    model: Any,
    leads: Any,
    events: Any,
    now: Any,
    *,
    threads: Optional[int] = None,
) -> Any:
    """Scores a table of leads from a table of events as of ``now``.

    ``model`` is a :class:`leadcore.ScoringModel` (compiled once), a dict or JSON text.
    Returns a DataFrame indexed by lead id (``lead_id``) with ``behavior``, ``fit``, ``source``
    and ``combined`` scores, ``grade`` and ``tier`` (ordered categoricals; tier is NaN without
    tiers), in the order of ``leads``. ``df.attrs`` holds ``cutoffs`` (the tier cutoffs used),
    ``ignored`` (events left out: future, missing time, duplicates) and ``unmatched_events``.
    The GIL is released while scoring; ``threads=None`` uses every available core and never
    changes the result.
    """
    pd = _pandas()
    if isinstance(leads, pd.DataFrame) and "id" not in leads.columns and leads.index.name == "id":
        leads = leads.reset_index()
    ids = _ids(leads)
    if isinstance(events, Mapping):  # a dict of columns is a table here, not the compact form
        events = pd.DataFrame(events)
    t = _native.score_table(model, leads, events, now, threads)
    df = pd.DataFrame(
        {
            "behavior": t["behavior"],
            "fit": t["fit"],
            "grade": pd.Categorical.from_codes(t["grade"].astype(np.int8), categories=list(_native.GRADES), ordered=True),
            "source": t["source"],
            "combined": t["combined"],
            "tier": pd.Categorical.from_codes(t["tier"], categories=list(_native.TIERS), ordered=True),
        },
        index=pd.Index(ids, name="lead_id"),
    )
    df.attrs["cutoffs"] = t["cutoffs"]
    df.attrs["ignored"] = t["ignored"]
    df.attrs["unmatched_events"] = t["unmatched_events"]
    return df
