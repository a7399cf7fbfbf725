"""Vector ops for the `scoring` area: each op is one call of the public Python API."""

from __future__ import annotations

from typing import Any, Callable

import leadcore
from arrow_tables import arrow_table


def _table(t: dict[str, Any]) -> dict[str, Any]:
    """The numpy table in the JSON shape of the Rust `ScoreTable` (codes → names)."""
    out = {k: v.tolist() if hasattr(v, "tolist") else v for k, v in t.items()}
    out["grade"] = [leadcore.GRADES[g] for g in out["grade"]]
    out["tier"] = [leadcore.TIERS[c] if c >= 0 else None for c in out["tier"]]
    return out


OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "load_scoring_model": lambda c, i: leadcore.ScoringModel(c).to_dict(),
    "score_lead": lambda c, i: leadcore.score_lead(c, i.get("lead"), i.get("events"), i.get("now")),
    "score_batch": lambda c, i: leadcore.score_batch(
        c, i.get("leads"), i.get("events"), i.get("now"), i.get("threads")
    ),
    "score_batch_table": lambda c, i: leadcore.score_batch(
        c, arrow_table(i["leads"]), i.get("events"), i.get("now"), i.get("threads")
    ),
    "score_columns": lambda c, i: leadcore.score_columns(
        c, i.get("leads"), i.get("events"), i.get("now"), i.get("threads")
    ),
    "score_columns_table": lambda c, i: leadcore.score_columns(
        c, i.get("leads"), arrow_table(i["events"]), i.get("now"), i.get("threads")
    ),
    "score_table": lambda c, i: _table(
        leadcore.score_table(c, i.get("leads"), i.get("events"), i.get("now"), i.get("threads"))
    ),
    "source_quality": lambda c, i: leadcore.source_quality(c),
    "source_counts": lambda c, i: leadcore.source_counts(i.get("converted_stages"), i.get("outcomes")),
    "what_if": lambda c, i: leadcore.what_if(c, i.get("leads"), i.get("events"), i.get("now"), i.get("threads")),
}
