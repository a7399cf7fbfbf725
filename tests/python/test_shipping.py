"""Every object a Spark or Dask job ships: each public class of ``leadcore._native`` pickles,
unpickles in another process (a spawned interpreter, as Dask and Spark workers are) and works
there as it does here; one shared instance used from 4 threads gives what sequential use gives.

Classes are enumerated from ``leadcore._native``, so a new class is covered as soon as it is
exported: config classes are built from their presets or defaults; classes that need data have
a factory in ``FACTORIES`` (the test fails, naming the class, until one is added)."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable

import numpy as np
import pytest

import leadcore
import synthetic
from conftest import vector_cases
from test_pools import POLICY, held
from leadcore import _native

NOW = synthetic.NOW


def public_classes() -> dict[str, type]:
    return {n: v for n, v in sorted(vars(_native).items()) if isinstance(v, type) and not n.startswith("_")}


def _journeys(n: int, seed: int) -> list[dict[str, Any]]:
    return synthetic.journeys(synthetic.journey_frame(n, seed))


def _attribution_accumulator() -> Any:
    acc = _native.AttributionAccumulator(synthetic.ATTRIBUTION)
    acc.add_journeys(_journeys(300, 1))
    return acc


def _funnel_accumulator() -> Any:
    acc = _native.FunnelAccumulator(synthetic.FUNNEL)
    acc.add_leads(synthetic.funnel_leads(synthetic.funnel_frame(300, 1)))
    return acc


# Classes that need data to be built (the others come from presets or their defaults).
FACTORIES: dict[str, Callable[[], list[Any]]] = {
    "PredictiveModel": lambda: [synthetic.predictive_model(rows=3_000, trees=8)],
    "TrainConfig": lambda: [_native.TrainConfig({"features": synthetic.FEATURE_SPEC})],
    "FeatureSpec": lambda: [_native.FeatureSpec(synthetic.FEATURE_SPEC)],
    "AttributionConfig": lambda: [_native.AttributionConfig(synthetic.ATTRIBUTION)],
    "AttributionAccumulator": lambda: [_attribution_accumulator()],
    "FunnelConfig": lambda: [_native.FunnelConfig(synthetic.FUNNEL)],
    "FunnelAccumulator": lambda: [_funnel_accumulator()],
    "LeadTable": lambda: [_native.LeadTable(synthetic.scoring_lead_dicts(_LEADS.head(200)))],
    "PoolPolicy": lambda: [_native.PoolPolicy(POLICY)],
    "PoolState": lambda: [_native.PoolState(), held(_native.PoolPolicy(POLICY), 3)],
    "ScoringModel": lambda: [_native.ScoringModel(synthetic.scoring_model()), _native.ScoringModel(synthetic.scoring_model("quantiles"))],
}


def from_vectors(cls: type) -> list[Any]:
    """The first config of the shared vectors that loads as ``cls`` (valid configs only)."""
    for _, case in vector_cases():
        config = case.get("config")
        if isinstance(config, dict) and config and "error" not in case:
            try:
                return [cls(config)]
            except Exception:  # noqa: BLE001 - another area's config
                continue
    return []


def instances(name: str, cls: type) -> list[Any]:
    """Instances of a class: from its factory, its presets, its defaults or the shared vectors."""
    if name in FACTORIES:
        return FACTORIES[name]()
    if hasattr(cls, "preset_names"):
        return [cls.preset(p) for p in cls.preset_names()]
    try:
        return [cls()]
    except Exception:  # noqa: BLE001 - no defaults: look in the vectors
        pass
    found = from_vectors(cls)
    if not found:
        pytest.fail(f"leadcore._native.{name} has no presets, defaults or vector configs: add a factory to FACTORIES")
    return found


def state(obj: Any) -> Any:
    """What an object holds: its binary form where it has one, else its JSON, else its list."""
    if hasattr(obj, "to_bytes"):
        return bytes(obj.to_bytes())
    if hasattr(obj, "to_json"):
        return obj.to_json()
    return json.dumps(obj.to_list(), sort_keys=True, default=str)


# What each kind of object is used for in a job; anything else is read (`to_json`, equality).
_X, _ = synthetic.feature_frame(2_000, seed=9)
_LEADS, _EVENTS = synthetic.leads_and_events(2_000, seed=9)


def _score(model: Any) -> bytes:
    t = leadcore.score_frame(model, _LEADS, _EVENTS, NOW, threads=1)
    return pickle.dumps((t.index.tolist(), t["combined"].to_numpy().tobytes(), t["behavior"].to_numpy().tobytes(),
                         t["fit"].to_numpy().tobytes(), t["grade"].astype(str).tolist(), t["tier"].astype(str).tolist()))


USES: dict[str, Callable[[Any], Any]] = {
    "PredictiveModel": lambda m: m.predict_proba(_X, threads=1).tobytes(),
    "ScoringModel": _score,
    "LeadTable": lambda t: json.dumps(leadcore.score_batch(synthetic.scoring_model(), t, None, NOW, threads=1), sort_keys=True),
    "AttributionAccumulator": lambda a: json.dumps(a.finish(), sort_keys=True),
    "FunnelAccumulator": lambda a: json.dumps(a.finish(), sort_keys=True),
}


def use(name: str, obj: Any) -> Any:
    f = USES.get(name)
    return f(obj) if f else (state(obj), state(pickle.loads(pickle.dumps(obj))))


def in_another_process(blobs: list[tuple[str, bytes]]) -> list[tuple[Any, Any, bytes]]:
    """Runs in a spawned interpreter: unpickles each object, uses it, pickles it again."""
    out = []
    for name, blob in blobs:
        obj = pickle.loads(blob)
        out.append((state(obj), use(name, obj), pickle.dumps(obj)))
    return out


@pytest.fixture(scope="module")
def objects() -> list[tuple[str, Any]]:
    return [(name, obj) for name, cls in public_classes().items() for obj in instances(name, cls)]


def test_every_public_class_is_covered(objects: list[tuple[str, Any]]) -> None:
    assert {name for name, _ in objects} == set(public_classes())
    for name, obj in objects:
        assert type(obj).__module__ == "leadcore._native", name


def test_every_object_pickles_and_works_in_another_process(objects: list[tuple[str, Any]]) -> None:
    blobs = [(name, pickle.dumps(obj)) for name, obj in objects]
    for (name, obj), (_, blob) in zip(objects, blobs):
        again = pickle.loads(blob)
        assert type(again) is type(obj) and state(again) == state(obj), name
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        remote = pool.submit(in_another_process, blobs).result(timeout=300)
    for (name, obj), (remote_state, remote_use, reblob) in zip(objects, remote):
        assert remote_state == state(obj), f"{name}: state differs after unpickling in another process"
        assert remote_use == use(name, obj), f"{name}: works differently in another process"
        assert state(pickle.loads(reblob)) == state(obj), f"{name}: re-pickled in another process"


def test_four_threads_sharing_each_object_give_sequential_results(objects: list[tuple[str, Any]]) -> None:
    for name, obj in objects:
        sequential = [use(name, obj) for _ in range(4)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            parallel = list(pool.map(lambda _: use(name, obj), range(4)))
        assert parallel == sequential, name


@pytest.mark.parametrize("kind", ["attribution", "funnel"])
def test_four_threads_adding_to_one_accumulator_equal_one_pass(kind: str) -> None:
    if kind == "attribution":
        make = lambda: _native.AttributionAccumulator(synthetic.ATTRIBUTION)  # noqa: E731
        chunks = [_journeys(2_000, seed) for seed in range(8)]
        add = lambda acc, chunk: acc.add_journeys(chunk)  # noqa: E731
    else:
        make = lambda: _native.FunnelAccumulator(synthetic.FUNNEL)  # noqa: E731
        chunks = [synthetic.funnel_leads(synthetic.funnel_frame(2_000, seed)) for seed in range(8)]
        add = lambda acc, chunk: acc.add_leads(chunk)  # noqa: E731
    one = make()
    for chunk in chunks:
        add(one, chunk)
    shared = make()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda chunk: add(shared, chunk), chunks))
    assert shared.finish() == one.finish()
    # Per-thread accumulators merged, as a distributed job does.
    parts = [make() for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda i: [add(parts[i], c) for c in chunks[i::4]], range(4)))
    merged = make()
    for p in reversed(parts):
        merged.merge(pickle.loads(pickle.dumps(p)))
    assert merged.finish() == one.finish()


def test_heavy_calls_from_four_threads_equal_sequential_calls() -> None:
    model = synthetic.predictive_model(rows=5_000, trees=20)
    blocks = [synthetic.feature_frame(50_000, seed)[0] for seed in range(4)]
    sequential = [model.predict_proba(b, threads=1) for b in blocks]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda b: model.predict_proba(b, threads=1), blocks))
    assert all(np.array_equal(a, b) for a, b in zip(parallel, sequential))


def test_config_schemas_ship_in_the_wheel() -> None:
    import leadcore

    pipeline = leadcore.schema("pipeline")
    assert pipeline["title"] == "Pipeline" and pipeline["type"] == "object"
    assert "PoolPolicyJson" in leadcore.schema("leadcore")["$defs"]
