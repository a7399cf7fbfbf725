"""Typed tables of the shared vectors as pyarrow Tables (see tests/vectors/README.md)."""

from __future__ import annotations

from typing import Any

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
