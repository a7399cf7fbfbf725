"""Exceptions raised by leadcore.

Every exception is a :class:`LeadcoreError` with a stable ``code`` (branch on it, not on the
message) and ``path``, the JSON path of the bad field when there is one. Errors in
configurations and arguments are also :class:`ValueError`.
"""

from __future__ import annotations

from typing import Optional


class LeadcoreError(Exception):
    """Base class of every leadcore error."""

    code: str
    path: Optional[str]

    def __init__(self, message: str, code: str, path: Optional[str] = None) -> None:
        super().__init__(message)
        self.code = code
        self.path = path

    def __reduce__(self):
        return (type(self), (str(self), self.code, self.path))


class ConfigError(LeadcoreError, ValueError):
    """A configuration (pipeline, rules, mapping, policy, model) failed to load or validate."""


class InputError(LeadcoreError, ValueError):
    """An argument (lead, event, timestamp, ...) is not valid data."""


__all__ = ["LeadcoreError", "ConfigError", "InputError"]
