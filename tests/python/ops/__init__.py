"""Vector ops per area, merged: op name → call of the public Python API (config, inputs)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable

OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    _ops = importlib.import_module(f"{__name__}.{_info.name}").OPS
    assert not set(_ops) & set(OPS), f"op defined twice: {set(_ops) & set(OPS)}"
    OPS.update(_ops)
