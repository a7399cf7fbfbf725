"""Runs every shared vector under tests/vectors through the Python API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import pytest

import leadcore
from arrow_tables import arrow_table, paths_as_table, table_path
from conftest import subset_diffs, vector_cases
from ops import OPS


def instant(text: Any) -> Any:
    """Vectors write instants as text; Python callers pass datetimes (naive ones stay naive)."""
    if not isinstance(text, str):
        return text
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text


@pytest.mark.parametrize("case", [c for _, c in vector_cases()], ids=[n for n, _ in vector_cases()])
def test_vector(case: dict[str, Any]) -> None:
    op = OPS.get(case["op"])
    assert op is not None, f"no python runner for op `{case['op']}`"
    config = case.get("config")
    inputs = dict(case.get("input") or {})
    if "now" in inputs:
        inputs["now"] = instant(inputs["now"])
    if "error" in case:
        with pytest.raises(leadcore.LeadcoreError) as info:
            op(config, inputs)
        assert info.value.code == case["error"]["code"], str(info.value)
        if "path" in case["error"]:
            assert info.value.path == case["error"]["path"], str(info.value)
        if "details" in case["error"]:
            diffs = subset_diffs(case["error"]["details"], info.value.details)
            assert not diffs, "\n".join(diffs)
    else:
        actual = op(config, inputs)
        diffs = subset_diffs(case["expected"], actual)
        assert not diffs, "\n".join(diffs)


def _as_table(case: dict[str, Any]) -> Optional[dict[str, Any]]:
    inputs = case.get("input") or {}
    if case["op"] != "attribute" or inputs.get("journeys") or "paths" not in inputs:
        return None
    return paths_as_table(inputs["paths"])


TABLE_CASES = [(n, c) for n, c in vector_cases() if _as_table(c) is not None]


@pytest.mark.parametrize("case", [c for _, c in TABLE_CASES], ids=[n for n, _ in TABLE_CASES])
def test_path_vector_as_arrow_table(case: dict[str, Any]) -> None:
    """Every JSON path-count case again as a pyarrow Table: the same report, or the same error
    code at the same cell (`paths[3].value` is `paths.value[3]` in a table)."""
    spec = _as_table(case)
    call = lambda: leadcore.attribute(case.get("config"), paths=arrow_table(spec))  # noqa: E731
    if "error" in case:
        with pytest.raises(leadcore.LeadcoreError) as info:
            call()
        assert info.value.code == case["error"]["code"], str(info.value)
        if "path" in case["error"]:
            assert info.value.path == table_path(case["error"]["path"]), str(info.value)
    else:
        diffs = subset_diffs(case["expected"], call())
        assert not diffs, "\n".join(diffs)


def _host_tables() -> list[tuple[str, dict[str, Any]]]:
    """Every vector with a typed table, for the host forms below: cases whose integer columns
    have missing cells are left out (pandas holds those as floats, which counts refuse)."""
    out = []
    for name, case in vector_cases():
        tables = [v for v in (case.get("input") or {}).values() if isinstance(v, dict) and "columns" in v]
        if not tables:
            continue
        ints_with_nulls = any(
            c["type"].startswith(("int", "uint")) and None in c["values"] for t in tables for c in t["columns"]
        )
        if not ints_with_nulls:
            out.append((name, case))
    return out


HOST_CASES = _host_tables()


def _as_pandas(spec: dict[str, Any]) -> Any:
    return arrow_table(spec).to_pandas()


def _as_numpy(spec: dict[str, Any]) -> Any:
    import pyarrow.types

    table = arrow_table(spec)

    def column(name: str) -> Any:
        # A dictionary decoded first: pyarrow's `to_numpy` fails on an empty one.
        col = table.column(name)
        if pyarrow.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        return col.to_numpy()

    return {name: column(name) for name in table.column_names}


@pytest.mark.parametrize("form", [_as_pandas, _as_numpy], ids=["pandas", "numpy"])
@pytest.mark.parametrize("case", [c for _, c in HOST_CASES], ids=[n for n, _ in HOST_CASES])
def test_table_vector_as_host_table(case: dict[str, Any], form: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table case again as a pandas DataFrame (`to_pandas()`: tz-aware times, categoricals,
    object text) and as a dict of numpy arrays: the same result or the same error at the same
    column and row. A dict of event columns is the compact form of `score_columns`, not a table."""
    pytest.importorskip("pandas")
    if form is _as_numpy and case["op"].startswith("score_") and "columns" in (case["input"].get("events") or {}):
        pytest.skip("a dict of event columns is the compact form")
    import ops.attribution
    import ops.scoring

    monkeypatch.setattr(ops.attribution, "arrow_table", form)
    monkeypatch.setattr(ops.scoring, "arrow_table", form)
    test_vector(case)
