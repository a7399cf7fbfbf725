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
