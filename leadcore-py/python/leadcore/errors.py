"""Exceptions raised by leadcore.

Every exception is a :class:`LeadcoreError` with a stable ``code`` (branch on it, not on the
message), ``path``, the JSON path of the field at fault within the call's arguments (``"$"``
when no single field is), and ``details``, the error's facts as a dict (documented per code in
the README: ``{"lead": ..., "holder": ...}`` for ``already_owned``). Errors in configurations
and arguments are also :class:`ValueError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from .types import ErrorCode


class LeadcoreError(Exception):
    """Base class of every leadcore error."""

    code: ErrorCode
    path: str
    details: dict[str, Any]

    def __init__(
        self, message: str, code: str, path: str = "$", details: Optional[dict[str, Any]] = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.path = path
        self.details = {} if details is None else details

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.code, self.path, self.details))


class ConfigError(LeadcoreError, ValueError):
    """A configuration (pipeline, rules, mapping, policy, model) failed to load or validate."""


class InputError(LeadcoreError, ValueError):
    """An argument (lead, event, timestamp, ...) is not valid data."""


class TransitionError(LeadcoreError):
    """A lifecycle move the pipeline does not allow (unknown stage, illegal edge, cooldown...)."""


class ConversionError(LeadcoreError):
    """A lead cannot be converted into account, contact and opportunity (missing field...)."""


class QualifyError(LeadcoreError):
    """A qualification call named a gate the rule set does not have."""


class DedupError(LeadcoreError):
    """A batch of leads cannot be de-duplicated (blank or repeated lead ids)."""


class AttributionError(LeadcoreError):
    """Journeys or paths that cannot be attributed (empty journey, reserved channel name...)."""


class FunnelError(LeadcoreError):
    """Funnel, ROI, forecast or capacity input that cannot be computed (bad amount, period...)."""


class PoolError(LeadcoreError):
    """A pool command, tick or query was refused (unknown lead or rep, cap reached, cooldown...)."""


class PredictError(LeadcoreError):
    """Predictive scoring failed: unusable training data (one class, too few rows), feature
    columns that do not match the model, or a model file that is newer or corrupted."""


__all__ = [
    "LeadcoreError",
    "ConfigError",
    "InputError",
    "TransitionError",
    "ConversionError",
    "QualifyError",
    "DedupError",
    "AttributionError",
    "FunnelError",
    "PoolError",
    "PredictError",
]
