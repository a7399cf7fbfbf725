"""Predictive scoring through the Python binding: model files and pickling, numpy batch
scoring, thread-count independence, and the GIL released while training and scoring."""

from __future__ import annotations

import datetime as dt
import pickle
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

import leadcore

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)

CONFIG = {
    "features": {
        "windows_days": [7, 30],
        "event_kinds": ["download", "page_view"],
        "categorical": [{"attribute": "industry"}],
        "numeric": [{"attribute": "employees"}],
        "source_quality": {"scores": {"sem": 0.8, "seo": 0.3}},
    },
    "model": {"type": "random_forest", "n_trees": 20, "max_depth": 6},
    "test_fraction": 0.25,
    "permutation_repeats": 1,
}


def history(n: int = 240, seed: int = 7) -> tuple[list[dict], list[dict], list[dict]]:
    """Synthetic leads: more downloads and the `saas` industry make a conversion likelier."""
    rng = random.Random(seed)
    leads: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for i in range(n):
        lid = f"L{i}"
        industry = rng.choice(["saas", "retail", "media"])
        leads.append({
            "id": lid,
            "created_at": NOW - dt.timedelta(days=rng.randrange(30, 300)),
            "attributes": {"industry": industry, "employees": rng.randrange(10, 500)},
            "source": {"channel": rng.choice(["sem", "seo"])},
        })
        downloads = rng.randrange(6)
        for d in range(downloads):
            events.append({"id": f"{lid}/d{d}", "lead_id": lid, "kind": "download",
                           "at": NOW - dt.timedelta(days=rng.randrange(1, 60))})
        for d in range(rng.randrange(5)):
            events.append({"id": f"{lid}/p{d}", "lead_id": lid, "kind": "page_view",
                           "at": NOW - dt.timedelta(days=rng.randrange(1, 60))})
        converted = downloads + (2 if industry == "saas" else 0) + 2 * rng.random() >= 5.5
        labels.append({"lead_id": lid, "converted": converted, "cutoff": NOW})
    return leads, events, labels


LEADS, EVENTS, LABELS = history()


@pytest.fixture(scope="module")
def model() -> leadcore.PredictiveModel:
    return leadcore.train(CONFIG, LEADS, EVENTS, LABELS, NOW, threads=2)


def test_a_trained_model_reports_its_metrics_and_features(model: leadcore.PredictiveModel) -> None:
    assert model.metrics is not None and model.metrics["roc_auc"] > 0.8
    assert model.metadata["rows"] == 240 and model.metadata["test_rows"] == 60
    assert model.feature_names[:2] == ["download_count_7d", "download_count_30d"]
    assert set(model.tiers) == {"high", "mid"}
    assert model.config == leadcore.TrainConfig(CONFIG)
    assert model.format_version >= 1
    assert repr(model).startswith("PredictiveModel(random_forest, ")
    top = max(model.score(LEADS, EVENTS, NOW), key=lambda s: s["probability"])
    assert top["tier"] == "high" and top["positive"]


def test_model_pickles_through_its_binary_form(model: leadcore.PredictiveModel) -> None:
    again = pickle.loads(pickle.dumps(model))
    assert again == model
    assert again.score(LEADS, EVENTS, NOW) == model.score(LEADS, EVENTS, NOW)
    assert len(pickle.dumps(model)) < len(model.to_json())


def test_save_load_score_is_identical(model: leadcore.PredictiveModel) -> None:
    scores = model.score(LEADS, EVENTS, NOW)
    for loaded in (
        leadcore.PredictiveModel(model.to_json()),
        leadcore.PredictiveModel(model.to_dict()),
        leadcore.PredictiveModel.from_bytes(model.to_bytes()),
        leadcore.PredictiveModel.from_bytes(bytearray(model.to_bytes())),
        leadcore.PredictiveModel.from_bytes(memoryview(model.to_bytes())),
    ):
        assert loaded == model
        assert loaded.score(LEADS, EVENTS, NOW) == scores


def test_damaged_or_newer_model_files_are_predict_errors(model: leadcore.PredictiveModel) -> None:
    data = bytearray(model.to_bytes())
    data[-1] ^= 0xFF
    with pytest.raises(leadcore.PredictError) as info:
        leadcore.PredictiveModel.from_bytes(bytes(data))
    assert info.value.code == "corrupted_model"
    doc = model.to_dict()
    doc["format_version"] = 99
    with pytest.raises(leadcore.PredictError) as info:
        leadcore.PredictiveModel(doc)
    assert info.value.code == "unsupported_format_version"
    with pytest.raises(leadcore.InputError) as info:
        leadcore.PredictiveModel.from_bytes("not bytes")
    assert (info.value.code, info.value.path) == ("invalid_type", "data")


def test_numpy_batch_equals_per_lead_scores(model: leadcore.PredictiveModel) -> None:
    scores = model.score(LEADS, EVENTS, NOW)
    x = model.build_features(LEADS, EVENTS, NOW)
    assert x.shape == (len(LEADS), len(model.feature_names)) and x.dtype == np.float64
    probs = model.predict_proba(x)
    assert isinstance(probs, np.ndarray) and probs.dtype == np.float64
    assert probs.tolist() == [s["probability"] for s in scores]
    alone = [model.score([lead], EVENTS, NOW)[0]["probability"] for lead in LEADS[:10]]
    assert alone == probs[:10].tolist()
    # Non-contiguous, float32 and list-of-rows input read the same values.
    assert model.predict_proba(np.asfortranarray(x)).tolist() == probs.tolist()
    assert model.predict_proba(x.astype(np.float32)).tolist() == probs.tolist()
    assert model.predict_proba(x[:3].tolist()).tolist() == probs[:3].tolist()


def test_the_training_set_matrix_scores_like_the_model_features(model: leadcore.PredictiveModel) -> None:
    ts = leadcore.build_training_set(model.config.to_dict()["features"], LEADS, EVENTS, LABELS)
    x = np.array(ts["features"]["data"], dtype=np.float64).T
    assert np.array_equal(x, model.build_features(LEADS, EVENTS, NOW), equal_nan=True)
    assert [c["name"] for c in ts["features"]["columns"]] == model.feature_names


def test_data_frames_are_checked_by_column_name(model: leadcore.PredictiveModel) -> None:
    pd = pytest.importorskip("pandas")
    x = model.build_features(LEADS, EVENTS, NOW)
    df = pd.DataFrame(x, columns=model.feature_names)
    df["extra"] = 1.0
    assert model.predict_proba(df[model.feature_names]).tolist() == model.predict_proba(x).tolist()
    with pytest.raises(leadcore.PredictError) as info:
        model.predict_proba(df[list(reversed(model.feature_names))])
    assert info.value.code == "feature_mismatch"
    pa = pytest.importorskip("pyarrow")
    table = pa.Table.from_pandas(df[model.feature_names], preserve_index=False)
    assert model.predict_proba(table).tolist() == model.predict_proba(x).tolist()
    with pytest.raises(leadcore.PredictError) as info:
        model.predict_proba(table.select(list(reversed(model.feature_names))))
    assert info.value.code == "feature_mismatch"



def test_bad_matrices_are_typed_errors(model: leadcore.PredictiveModel) -> None:
    x = model.build_features(LEADS[:5], EVENTS, NOW)
    with pytest.raises(leadcore.PredictError) as info:
        model.predict_proba(x[:, 1:])
    assert info.value.code == "feature_mismatch"
    with pytest.raises(leadcore.InputError) as info:
        model.predict_proba(x[0])
    assert (info.value.code, info.value.path) == ("invalid_type", "x")
    with pytest.raises(leadcore.InputError) as info:
        model.predict_proba([["a"] * x.shape[1]])
    assert (info.value.code, info.value.path) == ("invalid_type", "x")
    with pytest.raises(leadcore.InputError) as info:
        model.predict_proba(x, segments=["a"])
    assert (info.value.code, info.value.path) == ("invalid_value", "segments")


def test_missing_values_in_numpy_are_nan() -> None:
    m = leadcore.train(CONFIG, LEADS, EVENTS, LABELS, NOW, threads=1)
    x = m.build_features(LEADS[:4], EVENTS, NOW)
    x[:, m.feature_names.index("employees")] = np.nan
    probs = m.predict_proba(x)
    assert ((probs >= 0) & (probs <= 1)).all()


def test_results_do_not_depend_on_the_thread_count(model: leadcore.PredictiveModel) -> None:
    for threads in (1, 3, None):
        again = leadcore.train(CONFIG, LEADS, EVENTS, LABELS, NOW, threads=threads)
        assert again.to_bytes() == model.to_bytes()
    scores = [model.score(LEADS, EVENTS, NOW, threads=t) for t in (1, 4, None)]
    assert scores[0] == scores[1] == scores[2]
    x = model.build_features(LEADS, EVENTS, NOW, threads=3)
    assert model.predict_proba(x, threads=1).tolist() == model.predict_proba(x, threads=4).tolist()


def test_train_set_from_numpy_equals_training_from_leads(model: leadcore.PredictiveModel) -> None:
    ts = leadcore.build_training_set(CONFIG["features"], LEADS, EVENTS, LABELS)
    x = np.array(ts["features"]["data"], dtype=np.float64).T
    y = np.array(ts["labels"], dtype=bool)
    from_numpy = leadcore.train_set(CONFIG, {"encoding": ts["encoding"], "features": x, "labels": y}, NOW)
    from_dict = leadcore.train_set(CONFIG, ts, NOW)
    assert from_numpy == from_dict
    assert from_numpy.predict_proba(x).tolist() == model.predict_proba(x).tolist()
    with pytest.raises(leadcore.PredictError) as info:
        leadcore.train_set(CONFIG, {"encoding": ts["encoding"], "features": x[:, :-1], "labels": y}, NOW)
    assert info.value.code == "feature_mismatch"
    with pytest.raises(leadcore.InputError) as info:
        leadcore.train_set(CONFIG, {"encoding": ts["encoding"], "features": x, "labels": y[:-1]}, NOW)
    assert (info.value.code, info.value.path) == ("invalid_value", "features")


def test_four_threads_give_what_sequential_calls_give(model: leadcore.PredictiveModel) -> None:
    def work(seed: int) -> tuple[bytes, list[dict[str, Any]], list[float]]:
        config = dict(CONFIG, seed=seed)
        m = leadcore.train(config, LEADS, EVENTS, LABELS, NOW, threads=1)
        x = m.build_features(LEADS, EVENTS, NOW, threads=1)
        return m.to_bytes(), m.score(LEADS, EVENTS, NOW, threads=1), m.predict_proba(x).tolist()

    sequential = [work(s) for s in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(work, range(4)))
    assert parallel == sequential


def test_the_gil_is_released_while_training() -> None:
    rng = np.random.default_rng(3)
    ts = leadcore.build_training_set(CONFIG["features"], LEADS, EVENTS, LABELS)
    x = rng.random((20_000, len(ts["encoding"]["columns"])))
    y = x[:, 0] + 0.3 * rng.random(len(x)) > 0.9
    config = dict(CONFIG, model={"type": "random_forest", "n_trees": 40}, permutation_repeats=0)
    span: list[float] = []
    ticks: list[float] = []
    done = threading.Event()

    def fit() -> None:
        span.append(time.perf_counter())
        leadcore.train_set(config, {"encoding": ts["encoding"], "features": x, "labels": y}, NOW, threads=1)
        span.append(time.perf_counter())
        done.set()

    worker = threading.Thread(target=fit)
    worker.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    start, end = span
    middle = [t for t in ticks if start + (end - start) / 4 < t < end - (end - start) / 4]
    assert middle, f"no Python thread ran during the {end - start:.3f} s fit: the GIL was held"


def test_evaluate_takes_lists_or_numpy_arrays() -> None:
    scores, labels = [0.9, 0.8, 0.3, 0.1], [True, False, True, False]
    tiers = {"high": 0.5, "mid": 0.2}
    expected = leadcore.evaluate(tiers, scores, labels)
    assert leadcore.evaluate(tiers, np.array(scores), np.array(labels)) == expected
    as_f32 = leadcore.evaluate(tiers, np.array(scores, dtype=np.float32), labels)  # read via tolist()
    assert as_f32["roc_auc"] == expected["roc_auc"]
    assert expected["roc_auc"] == 0.75


def test_config_classes_validate_and_pickle() -> None:
    spec = leadcore.FeatureSpec(CONFIG["features"])
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert leadcore.TrainConfig(leadcore.TrainConfig(CONFIG).to_json()) == leadcore.TrainConfig(CONFIG)
    with pytest.raises(leadcore.ConfigError) as info:
        leadcore.TrainConfig({"model": {"type": "random_forest", "n_trees": 0}})
    assert (info.value.code, info.value.path) == ("invalid_value", "model.n_trees")
    with pytest.raises(leadcore.PredictError) as info:
        leadcore.train(CONFIG, LEADS, EVENTS, [dict(lb, converted=False) for lb in LABELS], NOW)
    assert info.value.code == "single_class"


@pytest.mark.parametrize(
    "bad, code",
    [(-1, "invalid_value"), (2.5, "invalid_value"), (float("nan"), "not_finite"), (float("inf"), "not_finite")],
)
def test_bad_thread_counts_are_coded_and_huge_ones_clamped(
    model: leadcore.PredictiveModel, bad: float, code: str
) -> None:
    """Issue 15: a huge `threads` spawned one OS thread per chunk and aborted."""
    x = model.build_features(LEADS, EVENTS, NOW, threads=10**9)
    assert model.predict_proba(x, threads=2**63).tolist() == model.predict_proba(x, threads=1).tolist()
    with pytest.raises(leadcore.InputError) as e:
        model.predict_proba(x, threads=bad)
    assert (e.value.code, e.value.path) == (code, "threads")
    with pytest.raises(leadcore.InputError) as e:
        model.build_features(LEADS, EVENTS, NOW, threads=bad)
    assert e.value.path == "threads"


def test_rows_without_columns_are_refused_not_allocated(model: leadcore.PredictiveModel) -> None:
    """Issue 15: np.empty((10**12, 0)) claims rows no memory backs."""
    with pytest.raises(leadcore.InputError) as e:
        model.predict_proba(np.empty((10**12, 0)))
    assert e.value.code == "invalid_value"


def test_arrow_event_tables_are_row_events(model: leadcore.PredictiveModel) -> None:
    """Events as an Arrow table (pyarrow, polars) train, score and build features like the
    event dicts, and go to what_if and score_lead too."""
    pa = pytest.importorskip("pyarrow")
    table = pa.table({
        "lead_id": [e["lead_id"] for e in EVENTS],
        "kind": pa.array([e["kind"] for e in EVENTS]).dictionary_encode(),
        "at": pa.array([e["at"] for e in EVENTS], pa.timestamp("us", tz="UTC")),
        "id": [e["id"] for e in EVENTS],
    })
    frames: list[Any] = [table, table.to_reader(max_chunksize=101)]
    try:
        import polars as pl

        frames.append(pl.from_arrow(table))
    except ImportError:  # pragma: no cover
        pass
    expected = model.score(LEADS, EVENTS, NOW)
    for frame in frames:
        assert model.score(LEADS, frame, NOW) == expected
    assert np.array_equal(model.build_features(LEADS, table, NOW), model.build_features(LEADS, EVENTS, NOW), equal_nan=True)
    again = leadcore.train(CONFIG, LEADS, table, LABELS, NOW, threads=2)
    assert again.to_bytes() == model.to_bytes()
    scoring = leadcore.ScoringModel.preset("b2b_default")
    mine = [i for i, e in enumerate(EVENTS) if e["lead_id"] == LEADS[0]["id"]]
    assert scoring.score_lead(LEADS[0], table.take(mine), NOW) == scoring.score_lead(
        LEADS[0], [EVENTS[i] for i in mine], NOW
    )
    with pytest.raises(leadcore.InputError) as info:
        # Row events need each lead's id: an index column (score_columns' form) is refused.
        by_index = table.drop_columns(["lead_id"]).append_column("lead", pa.array([0] * len(table), pa.uint32()))
        model.score(LEADS, by_index, NOW)
    assert (info.value.code, info.value.path) == ("missing_field", "events.lead_id")
