"""Attribution and funnel through the Python binding: accumulators (pickle, split / merge),
path input forms, result classes with to_pandas(), and the GIL released in heavy calls."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import random
import threading
import time
from typing import Any, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leadcore

MODELS = {"models": [{"type": "first_touch"}, {"type": "last_touch"}, {"type": "linear"}, {"type": "markov"},
                     {"type": "markov", "order": 2}, {"type": "shapley"}]}
CHANNELS = ["sem", "seo", "direct", "email", "social", "event"]


def synthetic_paths(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        conversions = rng.randint(0, 2)
        out.append({
            "path": " > ".join(rng.choice(CHANNELS) for _ in range(rng.randint(1, 6))),
            "conversions": conversions,
            "nulls": rng.randint(0, 5) if conversions else rng.randint(1, 5),
            "value": round(rng.uniform(100, 900), 2) * conversions,
        })
    return out


def journey(i: int, converted: bool) -> dict[str, Any]:
    touches = [
        {"channel": "seo", "at": f"2026-01-{1 + i % 20:02d}T00:00:00Z"},
        {"channel": "sem", "at": f"2026-01-{2 + i % 20:02d}T00:00:00Z", "milestones": ["lead_created"]},
        {"channel": "event", "at": f"2026-02-{1 + i % 20:02d}T00:00:00Z", "milestones": ["opportunity_created"]},
    ]
    return {"id": f"L{i}", "touchpoints": touches[: 1 + i % 3], "converted": converted, "value": 1000.0 if converted else 0}


PATHS = synthetic_paths(500)
JOURNEYS = [journey(i, i % 4 == 0) for i in range(40)]


def test_report_is_a_dict_in_the_shared_json_shape() -> None:
    report = leadcore.attribute(MODELS, journeys=JOURNEYS, paths=PATHS)
    assert isinstance(report, dict) and isinstance(report, leadcore.AttributionReport)
    assert json.loads(json.dumps(report)) == report
    assert [m["name"] for m in report["models"]] == ["first_touch", "last_touch", "linear", "markov", "markov_2", "shapley"]
    total = sum(p["conversions"] for p in PATHS) + sum(j["converted"] for j in JOURNEYS)
    for m in report["models"]:
        assert sum(c["conversions"] for c in m["credits"]) == pytest.approx(total)


def test_threads_give_the_same_report_bit_for_bit() -> None:
    one = leadcore.attribute(MODELS, journeys=JOURNEYS, paths=PATHS)
    for threads in (1, 2, 4):
        assert leadcore.attribute(MODELS, journeys=JOURNEYS, paths=PATHS, threads=threads) == one


def test_paths_as_columns_equal_paths_as_rows() -> None:
    rows = leadcore.attribute(MODELS, paths=PATHS)
    columns = {k: [p[k] for p in PATHS] for k in ("path", "conversions", "nulls", "value")}
    assert leadcore.attribute(MODELS, paths=columns) == rows
    assert leadcore.attribute(MODELS, paths=tuple(PATHS)) == rows


def test_columns_from_pandas_and_numpy() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(PATHS)
    rows = leadcore.attribute(MODELS, paths=PATHS)
    assert leadcore.attribute(MODELS, paths=df) == rows
    # numpy arrays (numpy scalars are not JSON types: columns are read through tolist()).
    columns = {k: df[k].to_numpy() for k in df.columns}
    assert leadcore.attribute(MODELS, paths=columns) == rows


def test_dataframe_columns_read_from_memory_agree_and_name_bad_rows() -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    n = 70_000  # more than a batch, in several Arrow chunks
    chunks = [pd.DataFrame(synthetic_paths(n // 4, seed=s)) for s in range(4)]
    df = pd.concat(chunks, ignore_index=True)
    rows = df.to_dict("records")
    expected = leadcore.attribute(MODELS, paths=rows)
    for dtype in ("str", "string[pyarrow]", "large_string[pyarrow]", object):
        frame = df.astype({"path": dtype})
        assert leadcore.attribute(MODELS, paths=frame) == expected, dtype
        assert leadcore.attribute(MODELS, paths=frame, threads=2) == expected, dtype
    bad = df.copy()
    bad.loc[66_000, "conversions"] = -1
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(MODELS, paths=bad)
    assert (info.value.code, info.value.path) == ("invalid_value", "paths.conversions[66000]")
    bad = df.copy()
    bad.loc[5, "value"] = float("nan")
    with pytest.raises(leadcore.LeadcoreError) as info:
        leadcore.attribute(MODELS, paths=bad)
    assert (info.value.code, info.value.path) == ("not_finite", "paths.value[5]")
    bad = df.astype({"path": "str"})
    bad.loc[7, "path"] = None
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(MODELS, paths=bad)
    assert info.value.path == "paths.path[7]"
    # An object column's strings are read in place; a cell that is not a `str` is named by its
    # column and row, as an Arrow table's is (None and NaN are missing text).
    codes = {
        None: "missing_field",
        3: "invalid_type",
        b"sem": "invalid_type",
        float("nan"): "missing_field",
        ("sem",): "invalid_type",
        "sem\ud800": "invalid_value",
    }
    for cell, code in codes.items():
        bad = df.astype({"path": object})
        bad.loc[66_001, "path"] = list(cell) if isinstance(cell, tuple) else cell
        with pytest.raises(leadcore.LeadcoreError) as info:
            leadcore.attribute(MODELS, paths=bad)
        assert (info.value.code, info.value.path) == (code, "paths.path[66001]"), repr(cell)
    # Text beyond ASCII (CPython stores it as UCS-1/2/4, not UTF-8) reads as the rows do.
    wide = df.astype({"path": object})
    wide["path"] = wide["path"].str.replace("sem", "百度 SEM").str.replace("seo", "café")
    assert leadcore.attribute(MODELS, paths=wide) == leadcore.attribute(
        MODELS, paths=wide.to_dict("records")
    )


@pytest.mark.parametrize(
    ("paths", "code", "path"),
    [
        ({"path": ["a", "b"], "conversions": [1]}, "invalid_value", "paths.conversions"),
        ({"path": ["a"], "conversion": [1]}, "unknown_field", "paths.conversion"),
        ({"conversions": [1]}, "missing_field", "paths.path"),
        ({"path": ["a", "b"], "conversions": [1, -1]}, "invalid_value", "paths.conversions[1]"),
        ({"path": ["a", 3]}, "invalid_type", "paths.path[1]"),
        ({"path": ["a", None]}, "missing_field", "paths.path[1]"),
        ({"path": ["a", "b"], "conversions": [1, 1], "value": [1.0, float("nan")]}, "not_finite", "paths.value[1]"),
        ({"path": ["a", "b"], "conversions": [1, 1], "value": [1.0, None]}, None, None),
        ({"path": ["a", "b", 3], "value": [1.0, 0, 0]}, "invalid_type", "paths.path[2]"),
        ({"path": ["a", "b", "c"], "value": [1.0, 0, 0]}, "value_without_conversion", "paths.value[0]"),
        ({"path": ["a", "(null)"], "conversions": [1, 1]}, "reserved_channel", "paths.path[1]"),
        ({"path": [], "conversions": []}, None, None),
        ({"path": ["a"], "conversions": [True]}, "invalid_type", "paths.conversions[0]"),
        ([{"path": "a"}, {"path": "b", "conversions": True}], "invalid_type", "paths[1].conversions"),
        ([{"path": "a"}, {"path": "b", "extra": 1}], "unknown_field", "paths[1].extra"),
        ([{"path": "a", "conversions": 0, "value": 5}], "value_without_conversion", "paths[0].value"),
    ],
)
def test_path_input_errors_name_the_row(paths: Any, code: Optional[str], path: Optional[str]) -> None:
    if code is None:  # accepted: a missing value is 0, an empty table attributes nothing
        leadcore.attribute(MODELS, paths=paths)
        return
    with pytest.raises(leadcore.LeadcoreError) as info:
        leadcore.attribute(MODELS, paths=paths)
    assert (info.value.code, info.value.path) == (code, path), str(info.value)


def test_inputs_longer_than_a_batch() -> None:
    n = 70_000  # more than one conversion batch (65 536 rows)
    rows = [{"path": CHANNELS[i % 6] + " > " + CHANNELS[i % 5], "conversions": i % 3, "nulls": 1, "value": float(i % 3)} for i in range(n)]
    one = leadcore.attribute(MODELS, paths=rows)
    assert one["totals"]["journeys"] == sum(r["conversions"] + 1 for r in rows)
    assert leadcore.attribute(MODELS, paths=rows, threads=3) == one
    bad = rows[:66_000] + [{"path": "sem > ", "conversions": 1}] + rows[66_000:]
    for threads in (None, 2):
        with pytest.raises(leadcore.AttributionError) as info:
            leadcore.attribute(MODELS, paths=bad, threads=threads)
        assert (info.value.code, info.value.path) == ("empty_channel", "paths[66000].path")
    acc = leadcore.AttributionAccumulator(MODELS)
    with pytest.raises(leadcore.AttributionError):
        acc.add_paths(bad)
    # The rows before the bad one stay added, the others do not.
    assert acc.finish()["totals"]["journeys"] == sum(r["conversions"] + 1 for r in rows[:66_000])


def test_paths_with_line_breaks_are_read_like_any_whitespace() -> None:
    plain = leadcore.attribute(MODELS, paths=[{"path": "seo > sem", "conversions": 1}, {"path": "sem", "nulls": 2}])
    broken = leadcore.attribute(MODELS, paths=[{"path": "seo >\nsem", "conversions": 1}, {"path": "sem\n", "nulls": 2}])
    assert broken == plain


def test_split_and_merge_equal_one_pass() -> None:
    config = leadcore.AttributionConfig(MODELS)
    one = leadcore.attribute(config, journeys=JOURNEYS, paths=PATHS)
    rng = random.Random(3)
    for parts in (2, 3, 7):
        cuts = sorted(rng.sample(range(1, len(PATHS)), parts - 1))
        chunks = [PATHS[a:b] for a, b in zip([0, *cuts], [*cuts, len(PATHS)])]
        accs = [leadcore.AttributionAccumulator(config) for _ in chunks]
        for acc, chunk in zip(accs, chunks):
            acc.add_paths(chunk)
        accs[-1].add_journeys(JOURNEYS[:10])
        for j in JOURNEYS[10:]:
            accs[0].add_journey(j)
        rng.shuffle(accs)
        total = accs[0]
        for acc in accs[1:]:
            total.merge(acc)
        assert total.finish() == one


def test_accumulator_pickles_through_bytes_and_keeps_adding() -> None:
    acc = leadcore.AttributionAccumulator(MODELS)
    acc.add_paths(PATHS[:200])
    data = pickle.dumps(acc)
    assert len(data) < len(acc.to_json())
    again = pickle.loads(data)
    assert isinstance(again, leadcore.AttributionAccumulator)
    assert again.finish() == acc.finish()
    assert again.to_bytes() == acc.to_bytes()
    assert leadcore.AttributionAccumulator.from_bytes(bytearray(acc.to_bytes())).finish() == acc.finish()
    again.add_paths(PATHS[200:])
    assert again.finish() == leadcore.attribute(MODELS, paths=PATHS)
    assert again.config == leadcore.AttributionConfig(MODELS)


def test_accumulator_json_state_round_trips() -> None:
    acc = leadcore.AttributionAccumulator(MODELS)
    acc.add_journeys(JOURNEYS)
    state = json.loads(acc.to_json())
    assert state["format"] == "leadcore.attribution/1"
    assert leadcore.AttributionAccumulator.from_json(acc.to_json()).finish() == acc.finish()


def test_accumulator_merges_itself_and_refuses_other_configs() -> None:
    acc = leadcore.AttributionAccumulator(MODELS)
    acc.add_paths(PATHS[:10])
    acc.merge(acc)
    doubled = leadcore.AttributionAccumulator(MODELS)
    doubled.add_paths(PATHS[:10] * 2)
    assert acc.finish() == doubled.finish()
    with pytest.raises(leadcore.AttributionError) as info:
        acc.merge(leadcore.AttributionAccumulator({"models": [{"type": "linear"}]}))
    assert info.value.code == "incompatible_accumulators"


def test_bad_state_bytes_are_an_attribution_error() -> None:
    with pytest.raises(leadcore.AttributionError) as info:
        leadcore.AttributionAccumulator.from_bytes(b"\x00\x01garbage")
    assert info.value.code == "invalid_state"


def test_explain_and_ownership_results() -> None:
    config = {"models": [{"type": "u_shaped"}, {"type": "w_shaped"}]}
    split = leadcore.explain_journey(config, JOURNEYS[2])
    assert isinstance(split, leadcore.JourneyExplanation)
    assert [sum(t["weight"] for t in m["touches"]) for m in split["models"]] == [pytest.approx(1.0)] * 2
    owners = leadcore.ownership({"window": {"months": 3}}, JOURNEYS)
    assert isinstance(owners, leadcore.OwnershipReport)
    assert len(owners["customers"]) == len(JOURNEYS)


# --- funnel -------------------------------------------------------------------------------

FUNNEL = {
    "stages": [{"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"}, {"id": "Opportunity", "amount": "opportunity_amount"}],
    "entry_stage": "Leads", "granularity": "month", "utc_offset": "+08:00", "dimensions": ["channel"],
}


def lead(i: int) -> dict[str, Any]:
    day = 1 + i % 27
    history = [
        {"to": "MQL", "at": f"2026-0{1 + i % 3}-{day:02d}T00:00:00Z", "recorded_at": f"2026-0{1 + i % 3}-28T00:00:00Z", "edge": "forward"},
        {"from": "MQL", "to": "SQL", "at": f"2026-0{1 + i % 3}-{day:02d}T06:00:00Z", "recorded_at": f"2026-0{1 + i % 3}-28T00:00:00Z", "edge": "forward"},
        {"from": "SQL", "to": "Opportunity", "at": f"2026-0{1 + i % 3}-{day:02d}T12:00:00Z", "recorded_at": f"2026-0{1 + i % 3}-28T00:00:00Z", "edge": "forward"},
    ][: i % 4]
    return {"id": f"L{i}", "created_at": f"2026-0{1 + i % 3}-01T00:00:00Z", "source": {"channel": CHANNELS[i % 3]},
            "history": history, "attributes": {"opportunity_amount": 1000 + i}}


LEADS = [lead(i) for i in range(60)]


def test_funnel_accumulator_split_merge_and_pickle() -> None:
    one = leadcore.funnel(FUNNEL, LEADS)
    a, b = leadcore.FunnelAccumulator(FUNNEL), leadcore.FunnelAccumulator(FUNNEL)
    a.add_leads(LEADS[:25])
    for x in LEADS[25:]:
        b.add_lead(x)
    b = pickle.loads(pickle.dumps(b))
    b.merge(a)
    assert b.finish() == one
    assert leadcore.FunnelAccumulator.from_json(b.to_json()).finish() == one
    assert b.config == leadcore.FunnelConfig(FUNNEL)


# --- pandas -------------------------------------------------------------------------------


def test_attribution_to_pandas_is_the_side_by_side_table() -> None:
    pytest.importorskip("pandas")
    report = leadcore.attribute(MODELS, paths=PATHS)
    df = report.to_pandas()
    assert list(df.columns) == [m["name"] for m in report["models"]]
    assert list(df.index) == report["keys"] and df.index.name == "channel"
    assert df.loc["sem", "linear"] == next(c["conversions"] for c in report["models"][2]["credits"] if c["key"] == "sem")
    values = report.to_pandas("value")
    assert values["first_touch"].sum() == pytest.approx(report["totals"]["value"])
    # A plain dict (e.g. JSON from another language) can be wrapped.
    assert leadcore.AttributionReport(json.loads(json.dumps(report))).to_pandas().equals(df)
    with pytest.raises(ValueError):
        report.to_pandas("credits")


def test_funnel_roi_and_friends_to_pandas() -> None:
    pd = pytest.importorskip("pandas")
    report = leadcore.funnel(FUNNEL, LEADS)
    df = report.to_pandas()
    assert list(df.columns[:3]) == ["period", "channel", "stage"]
    assert len(df) == sum(len(g["stages"]) for g in report["groups"])
    assert list(df["stage"].cat.categories) == ["Leads", "MQL", "SQL", "Opportunity"]
    totals = report.to_pandas(totals=True)
    assert totals.set_index("stage")["entered"].to_dict() == {s["stage"]: s["entered"] for s in report["totals"]}
    assert df.groupby("stage", observed=True)["entered"].sum().to_dict() == totals.set_index("stage")["entered"].to_dict()

    roi_config = {"funnel": {k: v for k, v in FUNNEL.items() if k != "dimensions"}, "dimension": "channel"}
    spend = [{"channel": "sem", "period": "2026-01", "amount": 5000.0}]
    roi = leadcore.channel_roi(roi_config, LEADS, spend)
    rdf = roi.to_pandas()
    assert {"period", "channel", "spend", "revenue", "roi", "MQL_count", "MQL_cost_per"} <= set(rdf.columns)
    assert len(rdf) == len(roi["rows"]) and len(roi.to_pandas(totals=True)) == len(roi["totals"])
    sem = rdf[(rdf.period == "2026-01") & (rdf.channel == "sem")].iloc[0]
    assert sem.spend == 5000.0

    fc = leadcore.forecast({"probabilities": {"Opportunity": 0.4}, "amount": "opportunity_amount"},
                           [{**x, "stage": "Opportunity", "owner": "rep1"} for x in LEADS])
    assert fc.to_pandas()["weighted"].sum() == pytest.approx(fc["total"]["weighted"])
    assert set(fc.to_pandas("stages")["stage"]) == {"Opportunity"}
    mlg = leadcore.mlg_index({"customer_stage": "Opportunity", "marketing_channels": ["sem"]}, LEADS)
    assert mlg.to_pandas()["period"].iloc[-1] == "all"
    owners = leadcore.ownership({}, JOURNEYS)
    assert len(owners.to_pandas()) == len(JOURNEYS)
    assert isinstance(owners.to_pandas()["first_at"].iloc[0], pd.Timestamp)
    assert len(leadcore.explain_journey(MODELS, JOURNEYS[2]).to_pandas()) == 3 * 3


# --- the GIL ------------------------------------------------------------------------------

HEAVY = {"models": [{"type": "shapley", "game": "conversion_rate", "method": "sampled", "samples": 20000, "seed": 1}]}


def test_heavy_calls_release_the_gil_on_four_threads() -> None:
    """Four threads attribute at once while a pure-Python ticker keeps counting: the ticker can
    only count while no thread holds the GIL, so it must advance during the native work."""
    paths = synthetic_paths(300, seed=11)
    expected = leadcore.attribute(HEAVY, paths=paths)
    ticks = 0
    stop = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    t = threading.Thread(target=ticker)
    t.start()
    try:
        # Calibrate: how fast the ticker counts while the main thread sleeps (GIL free).
        before = ticks
        time.sleep(0.2)
        rate = (ticks - before) / 0.2
        results: list[Any] = [None] * 4

        def work(i: int) -> None:
            acc = leadcore.AttributionAccumulator(HEAVY)
            acc.add_paths(paths)
            results[i] = (leadcore.attribute(HEAVY, paths=paths), acc.finish())

        workers = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        start, before = time.perf_counter(), ticks
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed, counted = time.perf_counter() - start, ticks - before
    finally:
        stop.set()
        t.join()
    assert all(r == (expected, expected) for r in results)
    # Holding the GIL would leave the ticker a few 5 ms switch intervals at most.
    assert counted > 0.2 * rate * elapsed, (counted, rate, elapsed)


def test_one_accumulator_shared_by_four_threads() -> None:
    acc = leadcore.AttributionAccumulator(MODELS)
    chunks = [PATHS[i::4] for i in range(4)]
    workers = [threading.Thread(target=acc.add_paths, args=(c,)) for c in chunks]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert acc.finish() == leadcore.attribute(MODELS, paths=PATHS)


# -- journeys as a long touch table -------------------------------------------------------------


def _dicts_and_table(n: int = 3_000, seed: int = 8) -> tuple[bytes, dict[str, Any]]:
    import synthetic

    frame = synthetic.journey_frame(n, seed=seed)
    acc = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    acc.add_journeys(synthetic.journeys(frame))
    return acc.to_bytes(), synthetic.touch_table(frame)


def _columns_state(table: Any) -> bytes:
    import synthetic

    acc = leadcore.AttributionAccumulator(synthetic.ATTRIBUTION)
    acc.add_journey_columns(table)
    return acc.to_bytes()


def test_journey_columns_equal_journey_dicts_in_every_form() -> None:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    expected, cols = _dicts_and_table()
    assert _columns_state(cols) == expected
    df = pd.DataFrame(cols)
    assert _columns_state(df) == expected
    # datetime64 (seconds and nanoseconds), tz-aware pandas times, float seconds.
    assert _columns_state({**cols, "at": cols["at"].astype("datetime64[s]")}) == expected
    assert _columns_state({**cols, "at": cols["at"].astype("datetime64[s]").astype("datetime64[ns]")}) == expected
    assert _columns_state(df.assign(at=pd.to_datetime(df["at"], unit="s", utc=True))) == expected
    assert _columns_state({**cols, "at": cols["at"].astype(np.float64)}) == expected
    # Arrow: a pyarrow Table (strings read from buffers, timestamps), and Arrow-backed pandas.
    table = pa.table({**cols, "at": pa.array(cols["at"].astype("datetime64[s]").astype("datetime64[ms]"))})
    assert _columns_state(table) == expected
    assert _columns_state(df.astype({"journey_id": "string[pyarrow]", "channel": "string[pyarrow]"})) == expected
    assert _columns_state(pa.Table.from_batches(table.to_batches(max_chunksize=700))) == expected
    # Lists, and rows in any order: journeys are grouped by id in order of first appearance.
    assert _columns_state({k: v.tolist() for k, v in cols.items()}) == expected
    order = np.argsort(cols["at"] % 1_000, kind="stable")
    assert _columns_state({k: v[order] for k, v in cols.items()}) == expected


def test_journey_columns_with_campaigns_nulls_and_integer_ids() -> None:
    import pyarrow as pa

    config = {"level": "campaign", "models": [{"type": "linear"}, {"type": "markov"}]}
    dicts = [
        {"id": "1", "converted": True, "value": 500.0, "touchpoints": [
            {"channel": "sem", "campaign": "double11", "at": "2026-01-01T00:00:00Z"},
            {"channel": "seo", "at": "2026-01-02T00:00:00Z", "milestones": ["first_touch", "lead_created"]}]},
        {"id": "2", "touchpoints": [{"channel": "event", "campaign": "expo", "at": "2026-01-03T00:00:00.5Z"}]},
    ]
    one = leadcore.AttributionAccumulator(config)
    one.add_journeys(dicts)
    cols = leadcore.AttributionAccumulator(config)
    cols.add_journey_columns(pa.table({
        "journey_id": [1, 1, 2], "channel": ["sem", "seo", "event"], "campaign": ["double11", None, "expo"],
        "at": [1_767_225_600, 1_767_312_000, 1_767_398_400.5], "first_touch": [False, True, False],
        "lead_created": [False, True, False], "converted": [True, True, False], "value": [500.0, 500.0, 0.0],
    }))
    assert cols.to_bytes() == one.to_bytes()


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (lambda c: c["channel"].__setitem__(17, " "), "empty_channel", "touches.channel[17]"),
        (lambda c: c["channel"].__setitem__(5, 7), "invalid_type", "touches.channel[5]"),
        (lambda c: c["value"].__setitem__(c["converted"].argmax() + 1, 1.0), "inconsistent_outcome", None),
        (lambda c: c.__setitem__("at", c["at"].astype("datetime64[s]")) or c["at"].__setitem__(9, "NaT"), "invalid_value", "touches.at[9]"),
        (lambda c: c.__setitem__("at", c["at"].astype(float)) or c["at"].__setitem__(3, float("inf")), "not_finite", "touches.at[3]"),
        (lambda c: c["at"].__setitem__(4, 2**62), "invalid_value", "touches.at[4]"),
        (lambda c: c.__setitem__("touch_id", c["at"]), "unknown_field", "touches.touch_id"),
        (lambda c: c.pop("at"), "missing_field", "touches.at"),
        (lambda c: c.__setitem__("value", c["value"][:-1]), "invalid_value", "touches.value"),
    ],
)
def test_journey_column_errors_name_column_and_row(change: Any, code: str, path: Any) -> None:
    _, cols = _dicts_and_table(50)
    cols = {k: v.copy() for k, v in cols.items()}
    change(cols)
    with pytest.raises(leadcore.LeadcoreError) as info:
        _columns_state(cols)
    assert info.value.code == code
    if path is None:  # a row of a converted journey after its first one
        assert info.value.path.startswith("touches.value[")
    else:
        assert info.value.path == path


def test_host_columns_in_every_dtype_read_as_their_values() -> None:
    """Columns the host layer converts — narrow and unsigned integers, float32, categoricals,
    nullable extension dtypes, numpy text, RFC 3339 text and aware datetimes in object columns —
    give the report of the plain columns."""
    import numpy as np
    import pandas as pd

    rows = _path_rows(3, 300)
    expected = leadcore.attribute(TABLE_CONFIG, paths=rows)
    df = pd.DataFrame(rows)
    forms = {
        "narrow": df.astype({"conversions": "int32", "nulls": "uint8", "value": "float32"}),
        "uint64": df.astype({"conversions": "uint64"}),
        "categorical": df.astype({"path": "category"}),
        "python strings": df.astype({"path": "string[python]"}),
        "nullable": df.astype({"conversions": "Int64", "nulls": "Int64", "value": "Float64"}),
        "numpy text": {**{k: df[k].to_numpy() for k in df}, "path": df["path"].to_numpy().astype(str)},
        "None column": {"path": df["path"].tolist(), "conversions": df["conversions"].tolist(), "nulls": df["nulls"].tolist(),
                        "value": df["value"].tolist(), "extra": None},
    }
    forms["None column"].pop("extra")
    for name, frame in forms.items():
        assert leadcore.attribute(TABLE_CONFIG, paths=frame) == expected, name
    expected_state, cols = _dicts_and_table(300)
    aware = [dt.datetime.fromtimestamp(int(s), tz=dt.timezone.utc) for s in cols["at"]]
    touches = {
        "RFC 3339 text": {**cols, "at": np.array([t.isoformat() for t in aware], dtype=object)},
        "aware datetimes": {**cols, "at": np.array(aware, dtype=object)},
        "0 / 1 flags": {**cols, "converted": cols["converted"].astype(np.uint8)},
        "categorical channel, nullable flags and ids": pd.DataFrame(cols).astype(
            {"channel": "category", "converted": "boolean", "journey_id": "Int64"}
            if np.issubdtype(cols["journey_id"].dtype, np.integer) else {"channel": "category", "converted": "boolean"}
        ),
    }
    for name, table in touches.items():
        assert _columns_state(table) == expected_state, name


@pytest.mark.parametrize(
    ("paths", "code", "path"),
    [
        ({"path": [["a"]]}, "invalid_type", "paths.path[0]"),
        ({"path": __import__("numpy").array([["a"]])}, "invalid_value", "paths.path"),
        ({"path": 3}, "invalid_type", "paths.path"),
        ({"path": ["a"], "value": __import__("numpy").array([1], dtype="timedelta64[s]")}, "invalid_type", "paths.value"),
        ({"path": ["a"] * 70_000, "nulls": [1] * 69_999}, "invalid_value", "paths.nulls"),
        ({"path": ["a"], "conversions": [2**64]}, "invalid_value", "paths.conversions[0]"),
    ],
)
def test_host_columns_that_cannot_be_read_are_named(paths: Any, code: str, path: str) -> None:
    with pytest.raises(leadcore.LeadcoreError) as info:
        leadcore.attribute(MODELS, paths=paths)
    assert (info.value.code, info.value.path) == (code, path), str(info.value)


def test_nested_and_cyclic_mappings_of_columns_are_refused_not_recursed() -> None:
    cyclic: dict[str, Any] = {"path": ["a"]}
    cyclic["more"] = cyclic
    with pytest.raises(leadcore.LeadcoreError) as info:
        leadcore.attribute(MODELS, paths=cyclic)
    assert info.value.code == "too_deep" and info.value.path.startswith("paths.more.more"), info.value.path

    class Odd:  # a column whose `to_numpy` is not an array: read as the cells it iterates
        def to_numpy(self) -> "Odd":
            return self

        def __iter__(self) -> Any:
            return iter(["a", "b"])

    report = leadcore.attribute(MODELS, paths={"path": Odd(), "conversions": [1, 0], "nulls": [0, 1]})
    assert report == leadcore.attribute(MODELS, paths=[{"path": "a", "conversions": 1}, {"path": "b", "nulls": 1}])


def test_naive_and_missing_times_in_object_columns_are_named() -> None:
    import numpy as np

    _, cols = _dicts_and_table(20)
    at = np.array([dt.datetime.fromtimestamp(int(s), tz=dt.timezone.utc) for s in cols["at"]], dtype=object)
    at[4] = dt.datetime(2026, 1, 1)
    with pytest.raises(leadcore.LeadcoreError) as info:
        _columns_state({**cols, "at": at})
    assert (info.value.code, info.value.path) == ("naive_datetime", "touches.at[4]")


# --- Tables through the Arrow PyCapsule interface ------------------------------------------

TABLE_CONFIG = {"models": [{"type": "first_touch"}, {"type": "linear"}, {"type": "markov"}]}


def _path_rows(seed: int, n: int) -> list[dict[str, Any]]:
    import random

    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        conv = rng.randrange(3)
        rows.append(
            {
                "path": " > ".join(rng.choice("abcdef") for _ in range(rng.randrange(1, 5))),
                "conversions": conv,
                "nulls": rng.randrange(4),
                "value": float(rng.randrange(100)) if conv else 0.0,
            }
        )
    return rows


@given(st.integers(0, 2**32), st.integers(0, 60), st.integers(1, 7))
@settings(max_examples=40, deadline=None)
def test_arrow_tables_match_rows_in_any_batches(seed: int, n: int, batch: int) -> None:
    pa = pytest.importorskip("pyarrow")
    rows = _path_rows(seed, n)
    expected = leadcore.attribute(TABLE_CONFIG, paths=rows)
    table = pa.Table.from_pylist(rows, schema=pa.schema(
        [("path", pa.string()), ("conversions", pa.int64()), ("nulls", pa.int64()), ("value", pa.float64())]
    ))
    batched = pa.Table.from_batches(table.to_batches(max_chunksize=batch), schema=table.schema)
    assert leadcore.attribute(TABLE_CONFIG, paths=batched) == expected
    acc = leadcore.AttributionAccumulator(TABLE_CONFIG)
    acc.add_paths(batched.to_reader())
    assert acc.finish() == expected


def test_dataframe_libraries_give_the_same_report() -> None:
    pa = pytest.importorskip("pyarrow")
    rows = _path_rows(7, 500)
    expected = leadcore.attribute(TABLE_CONFIG, paths=rows)
    table = pa.Table.from_pylist(rows)
    paths = table  # noqa: F841 - read by name by DuckDB's replacement scan below
    inputs: dict[str, Any] = {
        "pyarrow Table": table,
        "RecordBatchReader": table.to_reader(max_chunksize=64),
        "RecordBatch": table.to_batches()[0],
        "dictionary paths": table.set_column(0, "path", table.column("path").dictionary_encode()),
        "large_string paths": table.set_column(0, "path", table.column("path").cast(pa.large_string())),
    }
    try:
        import polars as pl

        inputs["polars"] = pl.from_arrow(table)
        inputs["polars categorical"] = pl.from_arrow(table).with_columns(pl.col("path").cast(pl.Categorical))
    except ImportError:  # pragma: no cover - optional in user environments
        pass
    try:
        import duckdb

        inputs["duckdb relation"] = duckdb.sql("select * from paths")
    except ImportError:  # pragma: no cover
        pass
    for name, obj in inputs.items():
        assert leadcore.attribute(TABLE_CONFIG, paths=obj) == expected, name


def test_a_large_categorical_batch_is_cut_into_slices_that_share_its_dictionary() -> None:
    """polars hands a frame over as one batch; its Categorical is a dictionary of string views,
    converted once for the batch's 65,536-row slices (it was converted for each)."""
    pa = pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    rows = _path_rows(11, 150_000)
    table = pa.Table.from_pylist(rows)
    frame = pl.from_arrow(table).with_columns(pl.col("path").cast(pl.Categorical))
    assert frame.to_arrow().column("path").type.value_type in (pa.string_view(), pa.large_string())
    assert leadcore.attribute(TABLE_CONFIG, paths=frame) == leadcore.attribute(TABLE_CONFIG, paths=table)
    row = pl.int_range(pl.len())
    missing = frame.with_columns(pl.when(row == 140_000).then(None).otherwise(pl.col("path")).alias("path"))
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=missing)
    assert (info.value.code, info.value.path) == ("missing_field", "paths.path[140000]")


def test_arrow_table_errors_name_column_and_row() -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"path": ["a", "b > c", None], "conversions": [1, 0, 1]})
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=table)
    assert (info.value.code, info.value.path) == ("missing_field", "paths.path[2]")
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=pa.table({"path": ["a"], "channel": ["x"]}))
    assert (info.value.code, info.value.path) == ("unknown_field", "paths.channel")
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=pa.table({"path": [["a"]]}))
    assert (info.value.code, info.value.path) == ("invalid_type", "paths.path")
    # An Arrow array that is not a table (`__arrow_c_array__` of a column, a struct with nulls).
    for not_a_table in (pa.array(["a > b"]), pa.array([{"path": "a"}, None])):
        with pytest.raises(leadcore.InputError) as info:
            leadcore.attribute(TABLE_CONFIG, paths=not_a_table)
        assert (info.value.code, info.value.path) == ("invalid_type", "paths")


def test_touch_tables_from_polars_match_columns() -> None:
    pa = pytest.importorskip("pyarrow")
    touches = {
        "journey_id": ["L1", "L2", "L1", "L1", "L2"],
        "channel": ["seo", "event", "sem", "direct", "sem"],
        "at": [1767225600, 1767398400, 1767312000, 1767484800, 1767225600],
        "converted": [True, False, True, True, False],
        "value": [900.0, 0.0, 900.0, 900.0, 0.0],
    }
    acc = leadcore.AttributionAccumulator(TABLE_CONFIG)
    acc.add_journey_columns(touches)
    expected = acc.finish()
    table = pa.table(touches).set_column(
        2, "at", pa.array([t * 1000 for t in touches["at"]], pa.timestamp("ms", tz="Asia/Shanghai"))
    )
    frames: list[Any] = [table, table.to_reader(max_chunksize=2)]
    try:
        import polars as pl

        frames.append(pl.from_arrow(table))
    except ImportError:  # pragma: no cover
        pass
    for frame in frames:
        acc = leadcore.AttributionAccumulator(TABLE_CONFIG)
        acc.add_journey_columns(frame)
        assert acc.finish() == expected


def test_dictionary_paths_read_as_their_text() -> None:
    """Rows of a dictionary column share its paths (each split once per batch): object and
    Arrow categories, and Arrow dictionaries, give the report of the text, and a bad path is
    reported at the first row that holds it."""
    pa = pytest.importorskip("pyarrow")
    import pandas as pd

    rows = _path_rows(11, 400)
    paths = [r["path"] for r in rows]
    objects = pd.CategoricalDtype(pd.Index(sorted(set(paths)), dtype=object))
    frame = pd.DataFrame(rows)
    table = pa.Table.from_pylist(rows)

    def forms(frame: Any, table: Any) -> dict[str, Any]:
        return {
            "object categories": frame.astype({"path": objects}),
            "categories": frame.astype({"path": "category"}),
            "arrow dictionary": table.set_column(0, "path", table.column("path").dictionary_encode()),
        }

    expected = leadcore.attribute(TABLE_CONFIG, paths=rows)
    for name, form in forms(frame, table).items():
        assert leadcore.attribute(TABLE_CONFIG, paths=form) == expected, name
    # Categories no row uses are never read, not even one that is not UTF-8 (a lone surrogate).
    unused = pd.CategoricalDtype(pd.Index(["\ud800", 7, *sorted(set(paths), reverse=True)], dtype=object))
    assert leadcore.attribute(TABLE_CONFIG, paths=frame.astype({"path": unused})) == expected
    # A bad category is named at the first row that uses it.
    odd = frame.astype({"path": unused})
    odd.loc[[4, 6], "path"] = "\ud800"
    with pytest.raises(leadcore.InputError) as surrogate:
        leadcore.attribute(TABLE_CONFIG, paths=odd)
    assert surrogate.value.path == "paths.path[4]"
    # A missing row of a categorical is named as in text.
    gap = frame.astype({"path": "category"})
    gap.loc[3, "path"] = None
    with pytest.raises(leadcore.InputError) as missing:
        leadcore.attribute(TABLE_CONFIG, paths=gap)
    assert (missing.value.code, missing.value.path) == ("missing_field", "paths.path[3]")
    bad = [dict(r) for r in rows]
    for i in (5, 9):
        bad[i]["path"] = "a > > b"
    objects = pd.CategoricalDtype(pd.Index(sorted({r["path"] for r in bad}), dtype=object))
    with pytest.raises(leadcore.AttributionError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=pd.DataFrame(bad))
    assert info.value.path == "paths.path[5]"
    for name, form in forms(pd.DataFrame(bad), pa.Table.from_pylist(bad)).items():
        with pytest.raises(leadcore.AttributionError) as other:
            leadcore.attribute(TABLE_CONFIG, paths=form)
        assert (other.value.code, other.value.path) == (info.value.code, info.value.path), name


def test_chunked_arrow_columns_are_read_chunk_by_chunk() -> None:
    """A pandas column over a chunked Arrow array (pandas' `str`) is read chunk by chunk, not
    combined: the report is the rows', a bad row is named across chunks, and a whole-table
    read (`funnel`'s leads) combines the chunks."""
    pa = pytest.importorskip("pyarrow")
    import pandas as pd

    rows = _path_rows(12, 15_000)
    paths = [r["path"] for r in rows]

    def frame(paths: list[str]) -> Any:
        cuts = [0, 5_000, 5_000, 12_000, len(paths)]  # an empty chunk too
        pieces = [pa.array(paths[a:b], pa.string()) for a, b in zip(cuts, cuts[1:])]
        chunks = pa.chunked_array(pieces)
        f = pd.DataFrame(rows)
        f["path"] = pd.Series(pd.arrays.ArrowExtensionArray(chunks))
        return f

    assert leadcore.attribute(TABLE_CONFIG, paths=frame(paths)) == leadcore.attribute(
        TABLE_CONFIG, paths=rows
    )
    bad = list(paths)
    bad[12_003] = "a > > b"
    with pytest.raises(leadcore.AttributionError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=frame(bad))
    assert info.value.path == "paths.path[12003]"
    # A missing path in a later chunk, and a column of another length, are named as in text.
    with pytest.raises(leadcore.InputError) as missing:
        chunks = pa.chunked_array([paths[:5000], paths[5000:9999] + [None]])
        leadcore.attribute(TABLE_CONFIG, paths={"path": chunks})
    assert (missing.value.code, missing.value.path) == ("missing_field", "paths.path[9999]")
    short = frame(paths).iloc[:, :2].to_dict("series")
    short["conversions"] = short["conversions"][:-1]
    with pytest.raises(leadcore.InputError) as odd:
        leadcore.attribute(TABLE_CONFIG, paths=short)
    assert odd.value.path == "paths.conversions"
    leads = [{"id": f"L{i}", "created_at": "2026-01-01T00:00:00Z"} for i in range(10_000)]
    ids = pa.chunked_array([pa.array([d["id"] for d in leads[a : a + 5_000]]) for a in (0, 5_000)])
    table = {
        "id": pd.Series(pd.arrays.ArrowExtensionArray(ids)),
        "created_at": pd.to_datetime([d["created_at"] for d in leads], utc=True),
    }
    assert leadcore.dedupe(table) == leadcore.dedupe(leads)


def test_dictionary_values_are_checked_where_rows_use_them() -> None:
    """A dictionary value no row uses is never read, so bytes that are not UTF-8 there are no
    error; a row that uses them is named."""
    pa = pytest.importorskip("pyarrow")
    values = pa.array([b"seo", b"\xff", b"sem"], pa.binary()).view(pa.string())

    def table(keys: list[int]) -> Any:
        path = pa.DictionaryArray.from_arrays(pa.array(keys, pa.int32()), values)
        return pa.table({"path": path, "conversions": [1] * len(keys)})

    rows = [{"path": p, "conversions": 1} for p in ["seo", "sem", "sem", "seo"]]
    got = leadcore.attribute(TABLE_CONFIG, paths=table([0, 2, 2, 0]))
    assert got == leadcore.attribute(TABLE_CONFIG, paths=rows)
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=table([0, 2, 1, 1]))
    assert (info.value.code, info.value.path) == ("invalid_value", "paths.path[2]")


def test_dictionary_keys_outside_their_dictionary_are_refused_at_their_row() -> None:
    """Keys are read as the producer wrote them (`safe=False` skips pyarrow's own check): one
    outside the dictionary, negative or not, is an error at its row, counted across batches, not
    the dictionary's last value; an empty dictionary (every row missing) is no crash."""
    pa = pytest.importorskip("pyarrow")
    values = pa.array(["seo", "sem"])
    for key_type, bad in [(pa.int8(), -1), (pa.int32(), 2), (pa.uint64(), 2**40)]:
        keys = pa.array([0, 1, bad], key_type)
        path = pa.DictionaryArray.from_arrays(keys, values, safe=False)
        batch = pa.record_batch([path, pa.array([1, 1, 1])], names=["path", "conversions"])
        good = batch.slice(0, 2)
        with pytest.raises(leadcore.InputError) as info:
            leadcore.attribute(TABLE_CONFIG, paths=pa.Table.from_batches([good, batch]))
        assert (info.value.code, info.value.path) == ("invalid_value", "paths.path[4]")
    empty = pa.array([None, None], pa.dictionary(pa.int32(), pa.string()))
    assert len(empty.dictionary) == 0
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=pa.table({"path": empty, "conversions": [1, 1]}))
    assert (info.value.code, info.value.path) == ("missing_field", "paths.path[0]")
    pd = pytest.importorskip("pandas")
    empty = pd.DataFrame({"path": pd.Categorical([None, None]), "conversions": [1, 1]})
    assert empty["path"].cat.categories.dtype == "float64"
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=empty)
    assert (info.value.code, info.value.path) == ("missing_field", "paths.path[0]")


def test_text_that_is_not_utf8_is_named_by_its_row_across_batches() -> None:
    pa = pytest.importorskip("pyarrow")
    # A row cut inside a character (`中` is e4 b8 ad) in a column with a missing row: it was
    # read as a missing cell.
    offsets = pa.py_buffer(b"".join(o.to_bytes(4, "little") for o in (0, 1, 1, 3)))
    split = pa.Array.from_buffers(pa.string(), 3, [pa.py_buffer(bytes([0b101])), offsets, pa.py_buffer(b"\xe4\xb8\xad")])
    with pytest.raises(leadcore.InputError) as info:
        leadcore.attribute(TABLE_CONFIG, paths=pa.table({"path": split, "conversions": [1, 1, 1]}))
    assert (info.value.code, info.value.path) == ("invalid_value", "paths.path[0]")
    text = pa.array([b"seo", b"\xff", b"sem"], pa.binary()).view(pa.string())
    codes = pa.DictionaryArray.from_arrays(pa.array([2, 1, 0], pa.int32()), text)
    for path in (text, codes):
        batch = pa.record_batch([path, pa.array([1, 1, 1])], names=["path", "conversions"])
        table = pa.Table.from_batches([batch.slice(0, 1), batch])
        with pytest.raises(leadcore.InputError) as info:
            leadcore.attribute(TABLE_CONFIG, paths=table)
        assert (info.value.code, info.value.path) == ("invalid_value", "paths.path[2]")
