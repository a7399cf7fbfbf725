"""leadcore: lead-management logic for B2B CRMs, from a Rust core.

Functions take plain Python data (dicts, lists, aware datetimes) and return plain data; the
JSON shapes are the same in Rust, Python and Node. Timestamps in results are RFC 3339 strings
in UTC. Configurations (``Pipeline``, ``RuleSet``, ...) are loaded and validated once and can be
passed wherever a config is expected; a dict or JSON text works too. Errors are
:class:`LeadcoreError` subclasses with a stable ``code`` and the ``path`` of the bad field.

Scoring tables: :func:`score_frame` scores a pandas DataFrame or pyarrow Table of events
(``leadcore.frame``; needs numpy and pandas, imported on first use).

Attribution and funnel reports are dicts with a ``to_pandas()`` method (see
:mod:`leadcore.results`; pandas is optional).

Every document and result is typed in :mod:`leadcore.types` (TypedDicts and Literal unions
generated from the JSON Schemas: ``PipelineJson``, ``Lead``, ``Qualification``, ``PhoneParse``,
``PoolRequest``, ``Tier``, ...), imported on first use.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import _native, errors, results
from ._native import *  # noqa: F403 - the native module is the API
from .errors import *  # noqa: F403
from .results import *  # noqa: F403

if TYPE_CHECKING:
    from . import types
    from .frame import score_frame

__version__: str = _native.__version__
__all__ = sorted(n for n in dir(_native) if not n.startswith("_")) + ["__version__", "schema", "score_frame", *errors.__all__, *results.__all__]


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a config document, e.g. ``schema("pipeline")``.

    Names are the files of ``leadcore/schemas/`` (``pipeline``, ``rule_set``, ``scoring_model``,
    ``pool_policy``, ...); ``leadcore`` bundles every config, input and result shape.
    """
    text = resources.files(__name__).joinpath("schemas", f"{name}.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def __getattr__(name: str) -> object:
    # `score_frame` lives in `leadcore.frame`, imported on first use so that numpy and pandas
    # stay optional for everything else.
    if name == "score_frame":
        from .frame import score_frame

        return score_frame
    # `leadcore.types` (generated TypedDicts, ~10k lines) only matters to type checkers: loaded
    # when first named.
    if name == "types":
        import importlib

        return importlib.import_module(".types", __name__)
    raise AttributeError(f"module 'leadcore' has no attribute {name!r}")
