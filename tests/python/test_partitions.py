"""The engine-neutral pieces of leadcore.spark / leadcore.dask, without a cluster: the exact
distributed quantile selection, the stable buckets, and accumulator state merging."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import leadcore
import synthetic
from leadcore import _partitions as p


def reference(values: np.ndarray, q: float) -> float:
    """leadcore's rule: sort the finite values (total order), take s[min(floor(q n), n - 1)]."""
    finite = np.sort(values[np.isfinite(values)], kind="stable")
    finite = np.array(sorted(finite.tolist(), key=lambda v: (v, math.copysign(1, v))))
    return float(finite[min(math.floor(q * len(finite)), len(finite) - 1)])


def distributed(parts: list[np.ndarray], high: float, mid: float) -> dict[str, float] | None:
    def histograms(prefixes, level):  # type: ignore[no-untyped-def]
        cells = pd.concat([p.sparse(p.radix_histograms(part, prefixes, level)) for part in parts])
        return p.dense(cells["r"], cells["d"], cells["c"], len(prefixes))

    return p.exact_quantile_cutoffs(histograms, high, mid)


@pytest.mark.parametrize("seed", range(6))
def test_exact_quantiles_across_partitions_equal_sorting_everything(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5_000))
    values = np.concatenate([
        np.round(rng.normal(40, 25, n), int(rng.integers(0, 3))),  # many ties
        rng.choice([0.0, -0.0, 1e-300, -1e300, 100.0, np.nan, np.inf, -np.inf], int(rng.integers(0, 50))),
    ])
    rng.shuffle(values)
    cuts = np.sort(rng.integers(0, len(values), int(rng.integers(0, 9))))
    parts = np.split(values, cuts)
    for high, mid in [(0.75, 0.25), (1.0, 0.0), (0.999, 0.5), (0.2, 0.2)]:
        got = distributed(parts, high, mid)
        assert got is not None
        for key, q in (("high", high), ("mid", mid)):
            want = reference(values, q)
            assert got[key] == want and math.copysign(1, got[key]) == math.copysign(1, want), (key, q)


def test_no_finite_score_gives_no_cutoffs() -> None:
    assert distributed([np.array([np.nan, np.inf]), np.array([])], 0.75, 0.25) is None
    out = p.apply_cutoffs(pd.DataFrame({"combined": [1.0]}), None)
    assert out["tier"].tolist() == [None]


def test_population_quantiles_equal_the_cores() -> None:
    leads, events = synthetic.leads_and_events(5_000, seed=2)
    model = leadcore.ScoringModel(synthetic.scoring_model("quantiles"))
    one = leadcore.score_frame(model, leads, events, synthetic.NOW)
    parts = np.array_split(one["combined"].to_numpy(), 7)
    cutoffs = distributed(parts, 0.75, 0.25)
    assert cutoffs == {"high": one.attrs["cutoffs"]["high"], "mid": one.attrs["cutoffs"]["mid"]}
    tiers = p.apply_cutoffs(one.reset_index()[["combined"]], cutoffs)["tier"]
    assert tiers.tolist() == one["tier"].astype(str).tolist()


def test_buckets_are_stable_and_independent_of_the_text_dtype() -> None:
    ids = [f"L{i}" for i in range(1_000)]
    b = p.bucket_of(pd.Series(ids, dtype=object), 8)
    assert b.min() >= 0 and b.max() < 8 and len(set(b.tolist())) == 8
    assert (p.bucket_of(pd.Series(ids, dtype="string[pyarrow]"), 8) == b).all()
    assert (p.bucket_of(pd.Series(ids, dtype="category"), 8) == b).all()
    assert (p.bucket_of(np.array(ids, dtype=object), 8) == b).all()
    assert p.bucket_of(pd.Series(["L7"]), 8)[0] == b[7]


def test_merging_states_in_any_order_equals_one_pass() -> None:
    frame = synthetic.journey_frame(2_000, seed=5)
    template = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    one = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    synthetic.add_journeys(one, frame)
    states = [p.accumulate(template, [chunk], synthetic.add_journeys) for chunk in (frame.iloc[i : i + 400] for i in range(0, 2_000, 400))]
    merged = p.merge_states(leadcore.AttributionAccumulator, [states[3], None, *states[:3], states[4]])
    assert p.finish_merge(template, merged).finish() == one.finish()
    assert p.merge_states(leadcore.AttributionAccumulator, [None, None]) is None
    assert p.finish_merge(template, None).finish() == template.finish()
