"""Typed tables of the shared vectors as pyarrow Tables (see tests/vectors/README.md)."""

from __future__ import annotations

import re
from typing import Any, Optional

import pyarrow as pa

TYPES: dict[str, Any] = {
    "utf8": pa.string(),
    "large_utf8": pa.large_string(),
    "int64": pa.int64(),
    "int32": pa.int32(),
    "uint32": pa.uint32(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp_s": pa.timestamp("s", tz="UTC"),
    "timestamp_ms": pa.timestamp("ms", tz="UTC"),
    "timestamp_ns": pa.timestamp("ns", tz="UTC"),
}


def column(spec: dict[str, Any]) -> pa.Array:
    """One typed column."""
    if spec["type"] == "dictionary":
        return pa.array(spec["values"], pa.string()).dictionary_encode()
    return pa.array(spec["values"], TYPES[spec["type"]])


def arrow_table(spec: dict[str, Any]) -> pa.Table:
    """The table of a vector: its columns, cut into batches of the given sizes."""
    cols = spec["columns"]
    names = [c["name"] for c in cols]
    arrays = [column(c) for c in cols]
    sizes = spec.get("batches") or [len(arrays[0]) if arrays else 0]
    batches, start = [], 0
    for size in sizes:
        batches.append(pa.RecordBatch.from_arrays([a.slice(start, size) for a in arrays], names=names))
        start += size
    return pa.Table.from_batches(batches)


def paths_as_table(paths: Any) -> Optional[dict[str, Any]]:
    """The typed table of a JSON list of path counts (columns of the keys the rows use, absent
    cells null), or None when a row has a value a typed column cannot hold as it is."""
    if not isinstance(paths, list) or not paths:
        return None
    names = ["path", "conversions", "nulls", "value"]
    for p in paths:
        if not isinstance(p, dict) or set(p) - set(names) or not isinstance(p.get("path"), str):
            return None
        for k in ("conversions", "nulls"):
            v = p.get(k, 0)
            if not isinstance(v, int) or isinstance(v, bool) or not -(2**63) <= v < 2**63:
                return None
        v = p.get("value", 0.0)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or abs(v) >= 2**53:
            return None
    types = {"path": "utf8", "conversions": "int64", "nulls": "int64", "value": "float64"}
    columns = []
    for name in names:
        if any(name in p for p in paths):
            values = [p.get(name) for p in paths]
            if name == "value":
                values = [None if v is None else float(v) for v in values]
            columns.append({"name": name, "type": types[name], "values": values})
    return {"columns": columns}


def table_path(path: str) -> str:
    """A JSON list's error path in a table's words: `paths[3].value` → `paths.value[3]`."""
    return re.sub(r"^paths\[(\d+)\]\.(\w+)$", r"paths.\2[\1]", path)
