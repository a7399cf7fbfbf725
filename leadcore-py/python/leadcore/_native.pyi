"""Type stubs for the native extension ``leadcore._native``."""

from typing import Any, Mapping, Sequence

Json = Any
"""A JSON-shaped value: dict, list, str, int, float, bool or None (datetimes allowed in input)."""

__version__: str

def all_error_codes() -> list[str]:
    """Every error code leadcore can raise, sorted."""

def load_lead(lead: Mapping[str, Json]) -> dict[str, Json]:
    """Validates a lead and returns it in canonical JSON form."""

def normalize_events(events: Sequence[Mapping[str, Json]]) -> list[dict[str, Json]]:
    """Sorts events by time and drops duplicates by id."""
