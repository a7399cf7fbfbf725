"""Vector ops for the `predict` area: each op is one call of the public Python API."""

from __future__ import annotations

from typing import Any, Callable

import leadcore


def _hex(text: Any) -> Any:
    """The vectors write binary model files as hex; Python callers hold bytes."""
    return bytes.fromhex(text) if isinstance(text, str) else text


OPS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "predict_build_training_set": lambda c, i: leadcore.build_training_set(
        c, i.get("leads"), i.get("events"), i.get("labels"), threads=1
    ),
    "predict_train": lambda c, i: leadcore.train(
        c, i.get("leads"), i.get("events"), i.get("labels"), i.get("trained_at"), threads=2
    ).to_dict(),
    "predict_cross_validate": lambda c, i: leadcore.cross_validate(
        c, i.get("leads"), i.get("events"), i.get("labels"), i.get("folds"), threads=2
    ),
    "predict_score": lambda c, i: leadcore.PredictiveModel(c).score(
        i.get("leads"), i.get("events"), i.get("now"), threads=2
    ),
    "predict_load_model": lambda c, i: leadcore.PredictiveModel(c).to_dict(),
    "predict_load_model_bytes": lambda c, i: leadcore.PredictiveModel.from_bytes(_hex(i.get("hex"))).to_dict(),
    "predict_evaluate": lambda c, i: leadcore.evaluate(i.get("tiers"), i.get("scores"), i.get("labels")),
}
