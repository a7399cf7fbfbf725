"""Scoring tables of leads and events (pandas DataFrames or pyarrow Tables).

A thin layer over :func:`leadcore.score_table`: it turns table columns into the numpy columns
the native call reads (in place where the dtype already fits) and returns the scores as a
DataFrame. Every rule, default and check stays in the core. Needs ``numpy`` and ``pandas``;
pyarrow Tables are read column by column through ``to_numpy``.

Leads: one row per lead with columns ``id`` and ``created_at`` (datetime64, tz-aware
datetimes, or Unix seconds), optional ``owner`` and ``stage``, ``source.<field>`` (``channel``,
``campaign``, ``utm_source``, ``utm_medium``, ``utm_campaign``, ``utm_term``, ``utm_content``,
``referrer``), and attributes: ``attributes.<name>`` or any other column. Missing cells (None,
NaN, NaT, ``pd.NA``) are left out of the lead. A list of lead dicts works too.

Events: one row per event with ``lead_id`` (matched to the leads' ids; events of other leads
are dropped and counted) or ``lead`` (row index of the lead), ``kind`` (names, categorical, or
codes of :data:`leadcore.EVENT_KINDS`), ``at`` (datetime64 — naive values are UTC —, tz-aware
datetimes, or Unix seconds; NaT is a missing time), optional ``id`` (any hashable values:
repeated ids of a lead are duplicates), ``name`` (custom events) and ``properties.<key>``
columns (the event's properties, for rule conditions and ``once_per``).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

import numpy as np

from . import _native

__all__ = ["score_frame"]

_NO_ID = np.uint64(2**64 - 1)
_NO_DETAIL = 2**32 - 1
_KIND_CODES: dict[str, int] = {name: code for code, name in enumerate(_native.EVENT_KINDS)}
_LEAD_FIELDS = ("id", "created_at", "owner", "stage")


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("leadcore.score_frame needs pandas: pip install numpy pandas") from e
    return pd


def _columns(table: Any) -> dict[str, Any]:
    """Column name → column of a DataFrame, a pyarrow Table or a mapping of arrays."""
    pd = _pandas()
    if isinstance(table, pd.DataFrame):
        return {str(c): table[c] for c in table.columns}
    if hasattr(table, "column_names") and hasattr(table, "column"):  # pyarrow.Table
        return {str(c): table.column(c) for c in table.column_names}
    if isinstance(table, Mapping):
        return {str(k): v for k, v in table.items()}
    raise TypeError(f"expected a DataFrame, a pyarrow Table or a dict of columns, got {type(table).__name__}")


def _numpy(col: Any) -> np.ndarray:
    """A column as a 1-d numpy array: numbers and datetime64 stay typed, the rest are objects
    with None for missing cells; tz-aware times become UTC datetime64."""
    pd = _pandas()
    if isinstance(col, pd.Series):
        dtype = col.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            return col.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        if isinstance(dtype, np.dtype):
            return col.to_numpy()
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            return col.to_numpy(dtype="float64", na_value=np.nan)
        return col.to_numpy(dtype=object, na_value=None)
    if hasattr(col, "to_numpy") and type(col).__module__.startswith("pyarrow"):
        arr = col.to_numpy()
        if arr.dtype.kind == "M" and getattr(getattr(col, "type", None), "tz", None):
            arr = arr.astype("datetime64[ns]")
        return arr
    return np.asarray(col)


def _lead_columns(leads: Any) -> tuple[Any, np.ndarray]:
    """The native leads argument and the lead ids."""
    if isinstance(leads, (list, tuple)):
        return list(leads), np.asarray([lead.get("id") for lead in leads], dtype=object)
    cols = _columns(leads)
    if "id" not in cols and getattr(getattr(leads, "index", None), "name", None) == "id":
        cols = {"id": leads.index.to_series(), **cols}
    out: dict[str, Any] = {}
    source: dict[str, np.ndarray] = {}
    attributes: dict[str, np.ndarray] = {}
    for name, col in cols.items():
        arr = _numpy(col)
        if name in _LEAD_FIELDS:
            out[name] = arr
        elif name.startswith("source."):
            source[name[len("source.") :]] = arr
        elif name.startswith("attributes."):
            attributes[name[len("attributes.") :]] = arr
        else:
            attributes[name] = arr
    if "id" in out and out["id"].dtype.kind in "iu":
        out["id"] = out["id"].astype(str).astype(object)
    if source:
        out["source"] = source
    if attributes:
        out["attributes"] = attributes
    ids = out.get("id", np.empty(0, dtype=object))
    return out, np.asarray(ids, dtype=object)


def _kind_codes(col: Any) -> np.ndarray:
    """Kind codes when every name is known (fast); otherwise the names, so that the core
    reports the bad one with its row."""
    pd = _pandas()
    if isinstance(col, pd.Series) and isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy()
        lut = [_KIND_CODES.get(str(c)) for c in col.cat.categories]
        if None not in lut and (codes >= 0).all():
            return np.asarray(lut, dtype=np.uint8)[codes] if lut else np.zeros(0, dtype=np.uint8)
        return _numpy(col)
    arr = _numpy(col)
    if arr.dtype.kind in "iu":
        return arr
    codes, uniques = pd.factorize(arr)
    lut = [_KIND_CODES.get(u) if isinstance(u, str) else None for u in uniques]
    if None in lut or (codes < 0).any():
        return arr
    return np.asarray(lut, dtype=np.uint8)[codes] if lut else np.zeros(0, dtype=np.uint8)


def _id_codes(arr: np.ndarray) -> np.ndarray:
    """Event ids as non-negative integers (values numbered in sorted order; missing: none)."""
    if arr.dtype.kind == "u" or (arr.dtype.kind == "i" and (arr >= 0).all()):
        return arr
    codes, _ = _pandas().factorize(arr, sort=True)
    out = codes.astype(np.uint64)
    out[codes < 0] = _NO_ID
    return out


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _factorize(col: Any) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for missing) and distinct values of a column; categoricals use their codes."""
    pd = _pandas()
    if isinstance(col, pd.Series) and isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy().astype(np.int64), [_plain(c) for c in col.cat.categories]
    codes, uniques = pd.factorize(col if isinstance(col, pd.Series) else _numpy(col))
    return codes.astype(np.int64), [_plain(u) for u in np.asarray(uniques, dtype=object)]


def _details(cols: dict[str, Any], keep: Optional[np.ndarray]) -> tuple[Optional[np.ndarray], list[dict[str, Any]]]:
    """Dictionary-encodes the `name` and `properties.<key>` columns: a detail index per event
    and the distinct details (numbered in the order of their codes)."""
    if not cols:
        return None, []
    key: Optional[np.ndarray] = None
    parts = []
    radix = 1
    for name, col in cols.items():
        codes, uniques = _factorize(col)
        if keep is not None:
            codes = codes[keep]
        size = len(uniques) + 1
        radix *= size
        if radix >= 2**62:
            raise ValueError("too many distinct event properties to encode")
        key = codes + 1 if key is None else key * size + (codes + 1)
        parts.append((name, size, uniques))
    assert key is not None
    if radix <= 1 << 24:
        # Few combinations: number the ones present through a lookup table.
        present = np.zeros(radix, dtype=bool)
        present[key] = True
        keys = np.flatnonzero(present)
        lut = np.cumsum(present) - 1
        detail = lut[key]
    else:
        detail, keys = _pandas().factorize(key)
    details: list[dict[str, Any]] = []
    for k in np.asarray(keys).tolist():
        entry: dict[str, Any] = {}
        props: dict[str, Any] = {}
        for name, size, uniques in reversed(parts):
            k, code = divmod(k, size)
            if code == 0:
                continue
            if name == "name":
                entry["name"] = uniques[code - 1]
            else:
                props[name[len("properties.") :]] = uniques[code - 1]
        if props:
            entry["properties"] = dict(sorted(props.items()))
        details.append(entry)
    out = detail.astype(np.uint32)
    # Events without a name or any property have no detail.
    empty = np.flatnonzero(np.asarray(keys) == 0)
    if empty.size:
        out[detail == empty[0]] = _NO_DETAIL
    return out, details


def _event_columns(events: Any, ids: np.ndarray) -> tuple[dict[str, Any], int]:
    """The native events argument and the number of events dropped for matching no lead."""
    pd = _pandas()
    cols = _columns(events)
    names = set(cols)
    if {"lead", "lead_id"} <= names:
        raise _native_input_error(
            "an event table names its leads by `lead_id` or by `lead`, not both", "invalid_value", "events.lead"
        )
    if "lead" in names:
        lead = _numpy(cols["lead"])
        keep = None
    elif "lead_id" in names:
        index = pd.Index(ids)
        if not index.is_unique:
            dup = index[index.duplicated()][0]
            raise _native_input_error(f"duplicate lead id `{dup}`", "duplicate_id", "leads.id")
        found = index.get_indexer(_numpy(cols["lead_id"]))
        keep = found >= 0
        lead = found[keep].astype(np.uint32) if not keep.all() else found.astype(np.uint32)
        if keep.all():
            keep = None
    else:
        raise _native_input_error("missing field `lead_id` (or `lead`)", "missing_field", "events.lead_id")
    unmatched = 0 if keep is None else int((~keep).sum())

    def take(arr: np.ndarray) -> np.ndarray:
        return arr if keep is None else arr[keep]

    out: dict[str, Any] = {"lead": lead}
    for name in ("kind", "at"):
        if name not in cols:
            raise _native_input_error(f"missing field `{name}`", "missing_field", f"events.{name}")
    out["kind"] = take(_kind_codes(cols["kind"]))
    out["at"] = take(_numpy(cols["at"]))
    if "id" in cols:
        out["id"] = take(_id_codes(_numpy(cols["id"])))
    detail_cols = {name: col for name, col in cols.items() if name == "name" or name.startswith("properties.")}
    detail, details = _details(detail_cols, keep)
    if detail is not None:
        out["detail"] = detail
        out["details"] = details
    known = {"lead", "lead_id", "kind", "at", "id", "name"}
    for name in names:
        if name not in known and not name.startswith("properties."):
            raise _native_input_error(
                f"unknown column `{name}`: events have lead_id (or lead), kind, at, id, name, properties.<key>",
                "unknown_field",
                f"events.{name}",
            )
    return out, unmatched


def _native_input_error(message: str, code: str, path: str) -> Exception:
    from .errors import InputError

    return InputError(message, code, path)


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
    lead_cols, ids = _lead_columns(leads)
    event_cols, unmatched = _event_columns(events, ids)
    t = _native.score_table(model, lead_cols, event_cols, now, threads)
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
    df.attrs["unmatched_events"] = unmatched
    return df
