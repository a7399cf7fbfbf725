"""Scoring from Python: the compiled model, the columnar path over numpy / pandas / pyarrow,
bit-identical results across input forms and threads, the GIL released, pickling."""

from __future__ import annotations

import datetime as dt
import pickle
import random
import sys
import threading
from typing import Any

import numpy as np
import pandas as pd
import pytest

import leadcore

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
NOW_S = int(NOW.timestamp())
KINDS = ["page_view", "download", "favorite", "search", "form_submit", "inquiry", "event_checkin", "email_open", "email_click"]
PAGES = ["/pricing", "/product", "/blog"]


def model() -> leadcore.ScoringModel:
    """The preset plus a property condition, so that details matter."""
    m = leadcore.ScoringModel.preset("b2b_default").to_dict()
    m["behavior"]["groups"][0]["rules"].insert(
        0,
        {"id": "pricing", "kind": "page_view", "points": 5, "where": {"field": "properties.url", "eq": "/pricing"}},
    )
    return leadcore.ScoringModel(m)


def population(seed: int, leads: int, per_lead: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Seeded leads and row events (some duplicated, some in the future, out of order)."""
    rng = random.Random(seed)
    out_leads, events = [], []
    for i in range(leads):
        lead: dict[str, Any] = {
            "id": f"L{i:04d}",
            "created_at": f"2026-0{rng.randint(6, 8)}-0{rng.randint(1, 9)}T00:00:00Z",
            "attributes": {"industry": rng.choice(["saas", "retail", "education"]), "employees": rng.randint(5, 900)},
            "source": {"channel": rng.choice(["sem", "event", "content"])},
        }
        if rng.random() < 0.5:
            lead["attributes"]["city"] = rng.choice(["北京", "成都"])
        out_leads.append(lead)
        for j in range(rng.randint(0, per_lead)):
            t = NOW_S - rng.randint(-3 * 86_400, 90 * 86_400)
            kind = rng.choice(KINDS)
            e: dict[str, Any] = {
                "id": f"e{i}-{j}",
                "lead_id": lead["id"],
                "kind": kind,
                "at": dt.datetime.fromtimestamp(t, dt.timezone.utc),
            }
            if kind == "page_view":
                e["properties"] = {"url": rng.choice(PAGES)}
            elif kind == "email_open":
                e["properties"] = {"email_id": f"m{rng.randint(0, 3)}"}
            events.append(e)
            if rng.random() < 0.05:
                events.append(dict(e))
    rng.shuffle(events)
    return out_leads, events


def event_frame(events: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": [e["lead_id"] for e in events],
            "kind": [e["kind"] for e in events],
            "at": pd.to_datetime([e["at"] for e in events], utc=True),
            "id": [e["id"] for e in events],
            "properties.url": [e.get("properties", {}).get("url") for e in events],
            "properties.email_id": [e.get("properties", {}).get("email_id") for e in events],
        }
    )


def lead_frame(leads: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [l["id"] for l in leads],
            "created_at": pd.to_datetime([l["created_at"] for l in leads], utc=True),
            "source.channel": [l["source"]["channel"] for l in leads],
            "industry": pd.Categorical([l["attributes"]["industry"] for l in leads]),
            "employees": [l["attributes"]["employees"] for l in leads],
            "city": [l["attributes"].get("city") for l in leads],
        }
    )


@pytest.fixture(scope="module")
def data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return population(7, 300, 40)


@pytest.fixture(scope="module")
def rows(data: Any) -> dict[str, Any]:
    leads, events = data
    return model().score_batch(leads, events, NOW, threads=1)


def test_columnar_scores_equal_row_scores_bit_for_bit(data: Any, rows: dict[str, Any]) -> None:
    leads, events = data
    df = leadcore.score_frame(model(), lead_frame(leads), event_frame(events), NOW)
    assert list(df.index) == [l["id"] for l in leads]
    for name in ("behavior", "fit", "combined"):
        expected = np.array([s[name]["score"] for s in rows["leads"]])
        assert np.array_equal(df[name].to_numpy(), expected), name
    assert list(df["grade"].astype(str)) == [s["fit"]["grade"] for s in rows["leads"]]
    assert list(df["tier"].astype(str)) == [s["combined"]["tier"] for s in rows["leads"]]
    assert df.attrs["cutoffs"] == rows["cutoffs"]
    total = {k: sum(s["behavior"]["ignored"][k] for s in rows["leads"]) for k in ("future", "duplicates")}
    assert {k: df.attrs["ignored"][k] for k in total} == total
    assert df.attrs["ignored"]["duplicates"] > 0 and df.attrs["ignored"]["future"] > 0


def numpy_events(leads: list[dict[str, Any]], events: list[dict[str, Any]]) -> dict[str, Any]:
    """The events as plain numpy columns: uint32 lead, uint8 kind, datetime64[s], details."""
    index = {l["id"]: i for i, l in enumerate(leads)}
    details: list[dict[str, Any]] = []
    keys: dict[str, int] = {}
    detail = []
    for e in events:
        props = e.get("properties")
        if props is None:
            detail.append(2**32 - 1)
            continue
        key = repr(sorted(props.items()))
        if key not in keys:
            keys[key] = len(details)
            details.append({"properties": props})
        detail.append(keys[key])
    ids = sorted({e["id"] for e in events})
    id_code = {s: i for i, s in enumerate(ids)}
    return {
        "lead": np.array([index[e["lead_id"]] for e in events], dtype=np.uint32),
        "kind": np.array([leadcore.EVENT_KINDS.index(e["kind"]) for e in events], dtype=np.uint8),
        "at": np.array([int(e["at"].timestamp()) for e in events], dtype="datetime64[s]"),
        "id": np.array([id_code[e["id"]] for e in events], dtype=np.uint64),
        "detail": np.array(detail, dtype=np.uint32),
        "details": details,
    }


def assert_same(t: dict[str, Any], rows: dict[str, Any]) -> None:
    for name in ("behavior", "fit", "combined"):
        assert np.array_equal(t[name], np.array([s[name]["score"] for s in rows["leads"]])), name
    assert [leadcore.GRADES[g] for g in t["grade"]] == [s["fit"]["grade"] for s in rows["leads"]]
    assert [leadcore.TIERS[c] for c in t["tier"]] == [s["combined"]["tier"] for s in rows["leads"]]


@pytest.mark.parametrize(
    "variant",
    ["plain", "int64_lead", "kind_names", "kind_object", "at_ns", "at_us", "at_int64", "at_float", "id_int64"],
)
def test_numpy_column_dtypes_give_the_same_scores(data: Any, rows: dict[str, Any], variant: str) -> None:
    leads, events = data
    cols = numpy_events(leads, events)
    if variant == "int64_lead":
        cols["lead"] = cols["lead"].astype(np.int64)
    elif variant == "kind_names":
        cols["kind"] = np.array([leadcore.EVENT_KINDS[k] for k in cols["kind"]])
    elif variant == "kind_object":
        cols["kind"] = [leadcore.EVENT_KINDS[k] for k in cols["kind"]]
    elif variant == "at_ns":
        cols["at"] = cols["at"].astype("datetime64[ns]")
    elif variant == "at_us":
        cols["at"] = cols["at"].astype("datetime64[us]")
    elif variant == "at_int64":
        cols["at"] = cols["at"].astype(np.int64)
    elif variant == "at_float":
        cols["at"] = cols["at"].astype(np.int64).astype(np.float64) + 0.25
    elif variant == "id_int64":
        cols["id"] = cols["id"].astype(np.int64)
    t = leadcore.score_table(model(), leads, cols, NOW, threads=1)
    assert t["behavior"].dtype == np.float64 and t["grade"].dtype == np.uint8 and t["tier"].dtype == np.int8
    assert_same(t, rows)


def test_lead_columns_equal_lead_dicts(data: Any, rows: dict[str, Any]) -> None:
    leads, events = data
    cols = {
        "id": np.array([l["id"] for l in leads], dtype=object),
        "created_at": np.array([l["created_at"][:-1] for l in leads], dtype="datetime64[ns]"),
        "source": {"channel": [l["source"]["channel"] for l in leads]},
        "attributes": {
            "industry": np.array([l["attributes"]["industry"] for l in leads]),
            "employees": np.array([l["attributes"]["employees"] for l in leads], dtype=np.int32),
            "city": np.array([l["attributes"].get("city") for l in leads], dtype=object),
        },
    }
    t = model().score_table(cols, numpy_events(leads, events), NOW)
    assert_same(t, rows)
    full = model().score_columns(cols, numpy_events(leads, events), NOW)
    assert full["leads"] == rows["leads"]


def test_a_lead_table_is_read_once_and_scores_like_its_leads(data: Any, rows: dict[str, Any]) -> None:
    leads, events = data
    table = leadcore.LeadTable(leads)
    assert len(table) == len(leads) and repr(table) == f"LeadTable({len(leads)} leads)"
    m = model()
    assert_same(m.score_table(table, numpy_events(leads, events), NOW), rows)
    assert m.score_batch(table, events, NOW) == rows
    again = pickle.loads(pickle.dumps(table))
    assert again.to_list() == table.to_list()
    with pytest.raises(leadcore.InputError) as info:
        leadcore.LeadTable([{"id": "L1"}])
    assert (info.value.code, info.value.path) == ("missing_field", "leads[0].created_at")


def test_full_breakdowns_from_columns_equal_rows(data: Any, rows: dict[str, Any]) -> None:
    leads, events = data
    full = leadcore.score_columns(model(), leads, numpy_events(leads, events), NOW, threads=2)
    assert full["leads"] == rows["leads"]


def test_pyarrow_tables_score_like_dataframes(data: Any, rows: dict[str, Any]) -> None:
    pa = pytest.importorskip("pyarrow")
    leads, events = data
    ef = event_frame(events)
    lf = lead_frame(leads)
    df = leadcore.score_frame(model(), pa.Table.from_pandas(lf), pa.Table.from_pandas(ef), NOW)
    assert np.array_equal(df["combined"].to_numpy(), np.array([s["combined"]["score"] for s in rows["leads"]]))


def test_arrow_event_tables_name_leads_by_id(data: Any, rows: dict[str, Any]) -> None:
    """An Arrow event table with `lead_id` (pyarrow, polars) scores like the row events; events
    of other leads are left out and counted, as score_batch and score_frame count them."""
    pa = pytest.importorskip("pyarrow")
    leads, events = data
    ef = event_frame(events)
    extra = ef.iloc[:3].assign(lead_id="nobody")
    table = pa.Table.from_pandas(pd.concat([ef, extra]), preserve_index=False)
    frames: list[Any] = [table, table.to_reader(max_chunksize=97)]
    try:
        import polars as pl

        frames.append(pl.from_arrow(table))
    except ImportError:  # pragma: no cover
        pass
    m = model()
    for frame in frames:
        t = m.score_table(leads, frame, NOW)
        assert_same(t, rows)
        assert t["unmatched_events"] == 3
    full = m.score_columns(leads, table, NOW)
    assert full["leads"] == rows["leads"] and full["unmatched_events"] == 3
    # score_batch takes the table too: what it gives for the row events, unmatched ones included.
    extra_rows = [{**e, "lead_id": "nobody"} for e in events[:3]]
    assert m.score_batch(leads, table, NOW) == full == m.score_batch(leads, events + extra_rows, NOW)
    assert leadcore.score_batch(m, leads, frames[-1], NOW) == full
    assert m.score_table(leads, pa.Table.from_pandas(ef, preserve_index=False), NOW)["unmatched_events"] == 0
    with pytest.raises(leadcore.InputError) as info:
        m.score_table(leads + leads[:1], table, NOW)
    assert (info.value.code, info.value.path) == ("duplicate_id", f"leads[{len(leads)}].id")
    both = table.append_column("lead", pa.array([0] * len(table), pa.uint32()))
    with pytest.raises(leadcore.InputError) as info:
        m.score_table(leads, both, NOW)
    assert (info.value.code, info.value.path) == ("invalid_value", "events.lead")
    with pytest.raises(leadcore.InputError) as info:
        leadcore.score_frame(m, leads, both.to_pandas(), NOW)
    assert (info.value.code, info.value.path) == ("invalid_value", "events.lead")


def test_score_frame_drops_and_counts_events_of_unknown_leads(data: Any) -> None:
    leads, events = data
    ef = event_frame(events)
    extra = ef.iloc[:3].assign(lead_id="nobody")
    df = leadcore.score_frame(model(), leads, pd.concat([ef, extra]), NOW)
    assert df.attrs["unmatched_events"] == 3
    assert len(df) == len(leads)


def test_results_do_not_depend_on_threads(data: Any) -> None:
    leads, events = data
    cols = numpy_events(leads, events)
    m = model()
    base = m.score_table(leads, cols, NOW, threads=1)
    for threads in (2, 3, 16, None):
        t = m.score_table(leads, cols, NOW, threads=threads)
        for name in ("behavior", "fit", "combined", "grade", "tier"):
            assert np.array_equal(t[name], base[name])


def test_four_python_threads_give_the_sequential_results(data: Any) -> None:
    """Calls release the GIL and share one compiled model; concurrent results are unchanged."""
    leads, events = data
    cols = numpy_events(leads, events)
    m = model()
    sequential = [m.score_table(leads, cols, NOW, threads=1)["combined"] for _ in range(4)]
    results: list[Any] = [None] * 4

    def work(i: int) -> None:
        results[i] = m.score_table(leads, cols, NOW, threads=1)["combined"]

    workers = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for got, want in zip(results, sequential):
        assert np.array_equal(got, want)


def test_the_gil_is_released_while_a_batch_is_scored() -> None:
    """A thread that wakes every millisecond needs the GIL to count. With a long switch
    interval the main thread never hands the GIL over by itself, so the counter moves during
    the call only if the call released the GIL."""
    n_leads, per = 40_000, 50
    rng = np.random.default_rng(1)
    leads = leadcore.LeadTable(
        {
            "id": np.array([f"L{i}" for i in range(n_leads)], dtype=object),
            "created_at": np.full(n_leads, NOW_S - 100 * 86_400, dtype=np.int64),
        }
    )
    cols = {
        "lead": np.repeat(np.arange(n_leads, dtype=np.uint32), per),
        "kind": rng.integers(0, 9, n_leads * per).astype(np.uint8),
        "at": NOW_S - rng.integers(0, 90 * 86_400, n_leads * per),
    }
    m = leadcore.ScoringModel.preset("b2b_default")
    ticks = [0]
    done = threading.Event()

    def tick() -> None:
        while not done.wait(0.001):
            ticks[0] += 1

    interval = sys.getswitchinterval()
    t = threading.Thread(target=tick)
    t.start()
    sys.setswitchinterval(5.0)
    try:
        during = []
        for _ in range(3):
            before = ticks[0]
            m.score_table(leads, cols, NOW, threads=1)
            during.append(ticks[0] - before)
    finally:
        sys.setswitchinterval(interval)
        done.set()
        t.join()
    assert max(during) >= 3, during


def test_model_is_compiled_once_compares_and_pickles() -> None:
    m = leadcore.ScoringModel.preset("b2b_default")
    again = pickle.loads(pickle.dumps(m))
    assert again == m and isinstance(again, leadcore.ScoringModel)
    assert leadcore.ScoringModel(m.to_json()) == m
    assert leadcore.ScoringModel({"preset": "b2b_default"}) == m
    assert leadcore.ScoringModel.preset_names() == ["b2b_default"]
    assert repr(m).startswith("ScoringModel({")
    assert m != leadcore.ScoringModel()


def test_model_errors_are_config_errors_with_paths() -> None:
    with pytest.raises(leadcore.ConfigError) as info:
        leadcore.ScoringModel({"behavior": {"groups": [{"id": "g", "decay": {"type": "half_life", "half_life_days": 0}, "rules": []}]}})
    assert info.value.path == "behavior.groups[0].decay.half_life_days"
    with pytest.raises(leadcore.ConfigError) as info:
        leadcore.ScoringModel.preset("nope")
    assert (info.value.code, info.value.path) == ("unknown_preset", "preset")


def test_column_errors_name_the_column_and_row() -> None:
    leads = [{"id": "L1", "created_at": "2026-08-01T00:00:00Z"}]
    base = {"lead": np.zeros(3, dtype=np.uint32), "kind": np.zeros(3, dtype=np.uint8), "at": np.full(3, NOW_S - 10)}
    cases = [
        ({"lead": np.array([0, -1, 0])}, "invalid_value", "events.lead[1]"),
        ({"lead": np.array([0, 0, 5], dtype=np.uint32)}, "invalid_value", "events.lead[2]"),
        ({"kind": np.array(["page_view", "tweet", "page_view"])}, "invalid_type", "events.kind[1]"),
        ({"kind": np.array([0, 0, 40], dtype=np.uint8)}, "invalid_value", "events.kind[2]"),
        ({"at": np.zeros(2, dtype=np.int64)}, "invalid_value", "events.at"),
        ({"at": np.array([0.0, np.inf, 1.0])}, "not_finite", "events.at[1]"),
        ({"at": np.zeros(3, dtype="datetime64[M]")}, "invalid_type", "events.at"),
        ({"lead": np.zeros((3, 1), dtype=np.uint32)}, "invalid_value", "events.lead"),
        ({"color": [1, 2, 3]}, "unknown_field", "events.color"),
    ]
    for change, code, path in cases:
        with pytest.raises(leadcore.InputError) as info:
            leadcore.score_table({}, leads, {**base, **change}, NOW)
        assert (info.value.code, info.value.path) == (code, path), change
    with pytest.raises(leadcore.InputError) as info:
        leadcore.score_table({}, {"id": ["L1", None], "created_at": [NOW, NOW]}, base, NOW)
    assert (info.value.code, info.value.path) == ("missing_field", "leads.id[1]")
    with pytest.raises(leadcore.InputError) as info:
        leadcore.score_table({}, {"id": ["L1"], "created_at": [dt.datetime(2026, 1, 1)]}, base, NOW)
    assert (info.value.code, info.value.path) == ("naive_datetime", "leads.created_at[0]")


def test_missing_times_and_nat_are_ignored_and_counted() -> None:
    leads = [{"id": "L1", "created_at": "2026-08-01T00:00:00Z"}]
    at = np.array([NOW_S - 86_400, 0, NOW_S + 86_400], dtype="datetime64[s]")
    at[1] = np.datetime64("NaT")
    t = leadcore.score_table(
        {"behavior": {"groups": [{"id": "g", "rules": [{"id": "d", "kind": "download", "points": 5}]}]}},
        leads,
        {"lead": np.zeros(3, dtype=np.uint32), "kind": np.ones(3, dtype=np.uint8), "at": at},
        NOW,
    )
    assert t["behavior"].tolist() == [5.0]
    assert t["ignored"] == {"future": 1, "missing_time": 1, "duplicates": 0}


def test_what_if_with_compiled_models(data: Any) -> None:
    leads, events = data
    current = leadcore.ScoringModel.preset("b2b_default")
    stricter = current.to_dict()
    stricter["tiers"] = {"type": "thresholds", "high": 60, "mid": 35}
    out = current.what_if(stricter, leads, events, NOW, mql={"score": "combined", "gte": 50})
    same = leadcore.what_if(
        {"current": current.to_dict(), "proposed": stricter, "mql": {"score": "combined", "gte": 50}}, leads, events, NOW
    )
    assert out == same
    assert out["leads"] == len(leads)
    assert all(c["tier"]["from"] != c["tier"]["to"] or c["mql"]["from"] != c["mql"]["to"] for c in out["changed"])


def test_source_quality_and_counts() -> None:
    counts = leadcore.source_counts(
        ["Won"], [{"source": "sem", "stage": "Won"}, {"source": "sem", "stage": "Lost"}, {"source": "event"}]
    )
    assert counts == {"event": {"leads": 1, "converted": 0}, "sem": {"leads": 2, "converted": 1}}
    table = leadcore.source_quality(leadcore.SourceModel({"counts": counts}))
    assert [s["source"] for s in table["sources"]] == ["sem", "event"]


def test_unsigned_times_beyond_int64_are_out_of_range() -> None:
    """A ``uint64`` time of 2**64 - 1 is refused at its row, not wrapped to 1969."""
    leads = [{"id": "L1", "created_at": "2026-01-01T00:00:00Z"}]
    events = {
        "lead": np.array([0, 0], dtype=np.uint32),
        "kind": np.array([leadcore.EVENT_KINDS.index("page_view")] * 2, dtype=np.uint8),
        "at": np.array([1_767_225_600, 2**64 - 1], dtype=np.uint64),
    }
    with pytest.raises(leadcore.InputError) as info:
        leadcore.score_table(model(), leads, events, NOW)
    assert info.value.code == "invalid_value" and info.value.path.endswith("at[1]"), info.value.path


def test_lead_tables_are_leads_everywhere() -> None:
    """A lead table — through the Arrow PyCapsule interface (pyarrow, polars), a pandas
    DataFrame or a dict of numpy columns — gives the leads of the equivalent dicts to scoring
    and dedupe."""
    pa = pytest.importorskip("pyarrow")
    rng = random.Random(5)
    dicts: list[dict[str, Any]] = []
    for i in range(200):
        lead: dict[str, Any] = {
            "id": f"L{i}",
            "created_at": f"2026-0{rng.randrange(1, 10)}-1{rng.randrange(10)}T08:00:00Z",
            "source": {"channel": rng.choice(["sem", "seo", "event"])},
            "attributes": {"industry": rng.choice(["saas", "retail"]), "employees": rng.randrange(5, 900)},
        }
        if i % 3:
            lead["attributes"]["phone"] = f"1380013{rng.randrange(8000, 8040)}"
        if i % 4 == 0:
            lead["stage"] = "MQL"
        dicts.append(lead)
    table = pa.table({
        "id": [d["id"] for d in dicts],
        "created_at": pa.array(
            [dt.datetime.fromisoformat(d["created_at"].replace("Z", "+00:00")) for d in dicts],
            pa.timestamp("us", tz="UTC"),
        ),
        "stage": [d.get("stage") for d in dicts],
        "source.channel": [d["source"]["channel"] for d in dicts],
        "attributes.industry": pa.array([d["attributes"]["industry"] for d in dicts]).dictionary_encode(),
        "employees": [d["attributes"]["employees"] for d in dicts],
        "phone": [d["attributes"].get("phone") for d in dicts],
    })
    frames: list[Any] = [table, table.to_reader(max_chunksize=33)]
    try:
        import polars as pl

        frames.append(pl.from_arrow(table))
    except ImportError:  # pragma: no cover
        pass
    frames.append(table.to_pandas())
    frames.append({name: table.column(name).to_numpy() for name in table.column_names})
    model = leadcore.ScoringModel.preset("b2b_default")
    expected_scores = leadcore.score_batch(model, dicts, [], NOW)
    expected_dupes = leadcore.dedupe(dicts)
    for frame in frames:
        assert leadcore.score_batch(model, frame, [], NOW) == expected_scores
    for frame in (table, table.to_pandas()):
        assert leadcore.dedupe(frame) == expected_dupes
    with pytest.raises(leadcore.InputError) as info:
        leadcore.score_batch(model, table.drop_columns(["id"]), [], NOW)
    assert (info.value.code, info.value.path) == ("missing_field", "leads.id")
