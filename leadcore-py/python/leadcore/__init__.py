"""leadcore: lead-management logic for B2B CRMs, from a Rust core.

Functions take plain Python data (dicts, lists, aware datetimes) and return plain data; the
JSON shapes are the same in Rust, Python and Node. Timestamps in results are RFC 3339 strings
in UTC. Errors are :class:`LeadcoreError` subclasses with a stable ``code``.
"""

from __future__ import annotations

from . import _native
from ._native import (
    __version__,
    all_error_codes,
    load_lead,
    normalize_events,
)
from .errors import ConfigError, InputError, LeadcoreError

__all__ = [
    "__version__",
    "all_error_codes",
    "load_lead",
    "normalize_events",
    "LeadcoreError",
    "ConfigError",
    "InputError",
]

del _native
