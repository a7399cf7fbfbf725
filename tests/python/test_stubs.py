"""The type stub must describe exactly what the native module exports."""

from __future__ import annotations

import ast
import pathlib

import leadcore
from leadcore import _native

STUB = pathlib.Path(leadcore.__file__).with_name("_native.pyi")


def stub_names() -> set[str]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names - {"Json", "Instant", "ConfigLike", "Lead", "Event", "Journey", "PathCount", "PathCounts", "ArrowTableLike", "_Config", "_Doc", "_PoolAppliedState", "_PoolRecords", "_ScoreTableArrays"}


def test_stub_matches_native_module() -> None:
    exported = {n for n in dir(_native) if not n.startswith("_") or n == "__version__"}
    assert stub_names() == exported


def test_package_reexports_everything_native() -> None:
    exported = {n for n in dir(_native) if not n.startswith("_")}
    assert exported <= set(leadcore.__all__)
