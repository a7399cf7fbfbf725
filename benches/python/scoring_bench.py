"""Scoring throughput from Python, and a pandas implementation of the same behavior score.

    pip install numpy pandas            # plus the leadcore wheel: pip install ./leadcore-py
    python benches/python/scoring_bench.py --leads 1000000 --per-lead 50 --threads 1,2

A seeded synthetic population (numpy's PCG64; the same distributions as the Rust criterion
bench's generator in ``benches/src/scoring_data.rs``: 90 days of events, kinds weighted 45%
page views ... 3% check-ins, page urls and email ids as properties, leads with industry, city,
role, size and channel) is scored under the Rust bench's model (the ``b2b_default`` preset plus
a ``/pricing`` page-view rule) by

1. ``ScoringModel.score_table`` on numpy columns (leads as columns too): the native columnar
   path, whose time includes reading the 1 M leads' columns; then with the leads read once
   into a ``LeadTable`` (the setting of the Rust bench, whose leads are built beforehand);
2. ``leadcore.score_frame`` on pandas DataFrames (``lead`` index, categorical ``kind``,
   ``datetime64[ns]`` times, ``properties.url`` / ``properties.email_id`` columns): the same
   plus the pandas layer (property dictionary encoding, time units);
3. a straightforward pandas implementation of the behavior score of the same model
   (``pandas_behavior`` below), checked equal to leadcore's behavior scores first.

Reports events per second (best of ``--repeat`` runs) and the process CPU time of that run
(a steadier figure than wall time on a shared machine). Installs nothing itself.
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any, Callable

import numpy as np
import pandas as pd

import leadcore

NOW = "2026-11-23T00:00:00Z"
NOW_S = int(pd.Timestamp(NOW).timestamp())
DAY = 86_400
INDUSTRIES = ["saas", "retail", "manufacturing", "education", "ad_agency", "finance"]
CITIES = ["北京", "上海", "杭州", "成都", "深圳", "武汉"]
ROLES = ["ceo", "sales_director", "marketing_manager", "staff"]
CHANNELS = ["sem", "seo", "event", "content_download", "referral"]
# Kind codes (index in leadcore.EVENT_KINDS) and weights, as in the Rust generator.
KINDS = [(0, 45), (7, 15), (8, 8), (1, 8), (3, 8), (2, 4), (4, 5), (5, 4), (6, 3)]
PAGES = ["/pricing", "/product", "/case-studies", "/blog", "/whitepaper.pdf"]
EMAILS = 20
NO_DETAIL = 2**32 - 1


def model() -> leadcore.ScoringModel:
    m = leadcore.ScoringModel.preset("b2b_default").to_dict()
    m["behavior"]["groups"][0]["rules"].insert(
        0,
        {"id": "pricing_view", "kind": "page_view", "points": 5, "where": {"field": "properties.url", "eq": "/pricing"}},
    )
    return leadcore.ScoringModel(m)


def population(seed: int, n: int, per: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Leads as columns and events as numpy columns (grouped by lead, in time order)."""
    rng = np.random.default_rng(seed)
    span = 90 * DAY
    obj = lambda xs: np.array(xs, dtype=object)  # noqa: E731 - shared str objects
    leads = {
        "id": obj([f"L{i:07d}" for i in range(n)]),
        "created_at": NOW_S - span - rng.integers(0, 30 * DAY, n),
        "source": {"channel": obj(CHANNELS)[rng.integers(0, len(CHANNELS), n)]},
        "attributes": {
            "industry": obj(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), n)],
            "city": obj(CITIES)[rng.integers(0, len(CITIES), n)],
            "role": obj(ROLES)[rng.integers(0, len(ROLES), n)],
            "employees": (10 + rng.integers(0, 2000, n)).astype(np.float64),
        },
    }
    at = NOW_S - rng.integers(0, span, (n, per))
    at.sort(axis=1)
    codes = np.array([k for k, _ in KINDS], dtype=np.uint8)
    weights = np.array([w for _, w in KINDS], dtype=np.float64)
    kind = codes[rng.choice(len(KINDS), size=n * per, p=weights / weights.sum())]
    detail = np.full(n * per, NO_DETAIL, dtype=np.uint32)
    page = (kind == 0) | (kind == 1)
    detail[page] = rng.integers(0, len(PAGES), page.sum())
    email = kind == 7
    detail[email] = len(PAGES) + rng.integers(0, EMAILS, email.sum())
    details = [{"properties": {"url": p}} for p in PAGES] + [
        {"properties": {"email_id": f"m{m}"}} for m in range(EMAILS)
    ]
    events = {
        "lead": np.repeat(np.arange(n, dtype=np.uint32), per),
        "kind": kind,
        "at": at.reshape(-1),
        "id": np.arange(n * per, dtype=np.uint64),
        "detail": detail,
        "details": details,
    }
    return leads, events


def frames(leads: dict[str, Any], events: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The population as DataFrames, as a pandas user would hold it."""
    lf = pd.DataFrame(
        {
            "id": leads["id"],
            "created_at": pd.to_datetime(leads["created_at"], unit="s", utc=True),
            "source.channel": pd.Categorical(leads["source"]["channel"]),
            **{k: (pd.Categorical(v) if v.dtype == object else v) for k, v in leads["attributes"].items()},
        }
    )
    detail = events["detail"]
    has = detail != NO_DETAIL
    url = np.full(len(detail), None, dtype=object)
    email = np.full(len(detail), None, dtype=object)
    values = [d["properties"] for d in events["details"]]
    lut_url = np.array([v.get("url") for v in values], dtype=object)
    lut_email = np.array([v.get("email_id") for v in values], dtype=object)
    url[has] = lut_url[detail[has]]
    email[has] = lut_email[detail[has]]
    ef = pd.DataFrame(
        {
            "lead": events["lead"],
            "kind": pd.Categorical.from_codes(events["kind"].astype(np.int16), categories=list(leadcore.EVENT_KINDS)),
            "at": pd.to_datetime(events["at"], unit="s"),
            "id": events["id"],
            "properties.url": pd.Categorical(url),
            "properties.email_id": pd.Categorical(email),
        }
    )
    return lf, ef


def pandas_behavior(lf: pd.DataFrame, ef: pd.DataFrame, now: int) -> np.ndarray:
    """The behavior score of `model()` written directly in pandas / numpy.

    Semantics as leadcore documents them: events after `now` are ignored; repeated ids are
    dropped; at most 20 page views per Beijing day count (the first ones of the day); each
    group's first matching rule claims an event (so a search older than a day is claimed by
    `search_1d` and earns nothing); the newest open of each email counts; intent decays with a
    30-day half-life and is capped at 60, engagement loses 25% after 30 days and 50% after 60
    and is capped at 40; silence deducts 5 / 10 / 20 / 40 points after 7 / 14 / 30 / 60 days
    without interaction; the total is clamped to 0..100 and rounded to 4 decimals.
    """
    e = ef[["lead", "kind", "at", "id", "properties.url", "properties.email_id"]]
    t = e["at"].to_numpy().astype("datetime64[s]").astype(np.int64)
    e = e.assign(t=t).loc[t <= now]
    e = e.drop_duplicates(["lead", "id"]).sort_values(["lead", "t", "id"], kind="stable")
    kind = e["kind"].astype(str)
    age = (now - e["t"]).to_numpy().astype(np.float64)
    # Daily cap: page views beyond the 20th of a Beijing day earn nothing.
    day = (e["t"] + 8 * 3600) // DAY
    nth = e.assign(day=day, pv=kind == "page_view").groupby(["lead", "day", "pv"], sort=False).cumcount()
    capped = ((kind == "page_view") & (nth >= 20)).to_numpy()
    half = np.exp2(-age / (30 * DAY))
    steps = np.where(age >= 60 * DAY, 0.5, np.where(age >= 30 * DAY, 0.75, 1.0))
    k = kind.to_numpy()
    url = e["properties.url"].astype(object).to_numpy()
    ok = ~capped
    intent = np.zeros(len(e))
    intent += np.where(ok & (k == "page_view") & (url == "/pricing"), 5.0, 0.0)
    intent += np.where(ok & (k == "inquiry"), 20.0, 0.0)
    intent += np.where(ok & (k == "form_submit"), 15.0, 0.0)
    intent += np.where(ok & (k == "event_checkin"), 15.0, 0.0)
    intent += np.where(ok & (k == "download") & (age <= 7 * DAY), 8.0, 0.0)
    intent += np.where(ok & (k == "favorite") & (age <= 30 * DAY), 5.0, 0.0)
    newest_open = ~e.assign(open=k == "email_open").duplicated(["lead", "open", "properties.email_id"], keep="last")
    engage = np.zeros(len(e))
    engage += np.where(ok & (k == "search") & (age <= DAY), 3.0, 0.0)
    engage += np.where(ok & (k == "page_view"), 1.0, 0.0)
    engage += np.where(ok & (k == "email_open") & newest_open.to_numpy(), 1.0, 0.0)
    engage += np.where(ok & (k == "email_click"), 3.0, 0.0)
    sums = pd.DataFrame({"lead": e["lead"].to_numpy(), "intent": intent * half, "engage": engage * steps, "t": e["t"]})
    g = sums.groupby("lead").agg(intent=("intent", "sum"), engage=("engage", "sum"), last=("t", "max"))
    g = g.reindex(np.arange(len(lf)))
    created = lf["created_at"].astype("int64").to_numpy() // 10**9
    last = np.where(g["last"].isna(), created, g["last"].fillna(0).to_numpy()).astype(np.int64)
    silent = (now - last) / DAY
    silence = np.select([silent >= 60, silent >= 30, silent >= 14, silent >= 7], [-40.0, -20.0, -10.0, -5.0], 0.0)
    total = np.minimum(g["intent"].fillna(0).to_numpy(), 60) + np.minimum(g["engage"].fillna(0).to_numpy(), 40) + silence
    return np.round(np.clip(total, 0, 100), 4)


CPU: list[float] = []


def best(f: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of `repeat` runs; the CPU time of that run is left in `CPU[-1]`."""
    times, out = [], None
    for _ in range(repeat):
        gc.collect()
        cpu, start = time.process_time(), time.perf_counter()
        out = f()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, cpu = min(times)
    CPU.append(cpu)
    return wall, out


# The windowed half-life score that SQL and numpy can state in a few lines (issue #13 item 5):
# points per kind, events of the last 30 days, each worth points * 2^(-age / 14 days), the sum
# clipped to 0..100. No caps, repeats, silence or fit.
DECAY_POINTS = {"page_view": 1.0, "form_submit": 15.0, "download": 8.0, "inquiry": 20.0,
                "email_open": 1.0, "email_click": 3.0, "search": 2.0, "favorite": 5.0, "event_checkin": 15.0}
DECAY_WINDOW_DAYS, DECAY_HALF_LIFE_DAYS = 30.0, 14.0


def decay_model() -> leadcore.ScoringModel:
    rules = [{"id": k, "kind": k, "points": p, "within_days": DECAY_WINDOW_DAYS} for k, p in DECAY_POINTS.items()]
    return leadcore.ScoringModel({
        "behavior": {"groups": [{"id": "all", "rules": rules,
                                 "decay": {"type": "half_life", "half_life_days": DECAY_HALF_LIFE_DAYS}}],
                     "daily_caps": {}, "silence": {"tiers": []}, "floor": 0.0, "ceiling": 100.0},
    })


def numpy_decay(events: dict[str, Any], n: int, now: int) -> np.ndarray:
    """The windowed decay score, vectorized: one weight per event, summed per lead."""
    pts = np.zeros(len(leadcore.EVENT_KINDS))
    for k, p in DECAY_POINTS.items():
        pts[leadcore.EVENT_KINDS.index(k)] = p
    age = (now - events["at"]).astype(np.float64)
    w = pts[events["kind"]] * np.exp2(-age / (DECAY_HALF_LIFE_DAYS * DAY))
    w[(age < 0) | (age > DECAY_WINDOW_DAYS * DAY)] = 0.0
    return np.clip(np.bincount(events["lead"], weights=w, minlength=n), 0.0, 100.0)


def duckdb_decay(con: Any, now: int) -> Any:
    """The same score as one SQL query over the events table registered in `con`."""
    return con.execute(f"""
        SELECT lead, least(greatest(sum(p.points * pow(2, -({now} - e.at) / {DECAY_HALF_LIFE_DAYS * DAY})), 0), 100)
        FROM events e JOIN points p ON e.kind = p.kind
        WHERE e.at <= {now} AND e.at >= {now} - {DECAY_WINDOW_DAYS * DAY}
        GROUP BY lead""").fetchnumpy()


def decay_comparison(leads: dict[str, Any], events: dict[str, Any], threads: list[int], repeat: int) -> None:
    """leadcore's score_table against DuckDB and numpy on the windowed decay score."""
    n, total = len(leads["id"]), len(events["lead"])
    m = decay_model()
    table_leads = leadcore.LeadTable(leads)
    cols = {k: events[k] for k in ("lead", "kind", "at")}
    expected = numpy_decay(events, n, NOW_S)
    for t in threads:
        secs, out = best(lambda: m.score_table(table_leads, cols, NOW, threads=t), repeat)
        diff = float(np.max(np.abs(out["behavior"] - expected)))
        print(f"decay score: leadcore score_table threads={t}: {secs:7.3f} s  {total / secs / 1e6:6.2f} M events/s"
              f"  (CPU {CPU[-1]:.3f} s; max |difference| to numpy {diff:.1e})")
    secs, _ = best(lambda: numpy_decay(events, n, NOW_S), repeat)
    print(f"decay score: numpy (vectorized, 1 thread): {secs:7.3f} s  {total / secs / 1e6:6.2f} M events/s  (CPU {CPU[-1]:.3f} s)")
    try:
        import duckdb
        import pyarrow as pa
    except ImportError:
        print("decay score: duckdb not installed (pip install duckdb pyarrow)")
        return
    con = duckdb.connect()
    con.register("events", pa.table(cols))
    codes = [leadcore.EVENT_KINDS.index(k) for k in DECAY_POINTS]
    con.register("points", pa.table({"kind": pa.array(codes, pa.uint8()), "points": list(DECAY_POINTS.values())}))
    for t in threads:
        con.execute(f"SET threads = {t}")
        secs, out = best(lambda: duckdb_decay(con, NOW_S), repeat)
        got = np.zeros(n)
        got[out["lead"]] = list(out.values())[1]
        diff = float(np.max(np.abs(got - expected)))
        print(f"decay score: DuckDB {duckdb.__version__} threads={t}: {secs:7.3f} s  {total / secs / 1e6:6.2f} M events/s"
              f"  (CPU {CPU[-1]:.3f} s; max |difference| to numpy {diff:.1e})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--leads", type=int, default=1_000_000)
    ap.add_argument("--per-lead", type=int, default=50)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pandas-leads", type=int, default=None, help="population of the pandas comparison (default: --leads)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-pandas", action="store_true", help="skip the pandas comparison")
    ap.add_argument("--decay-only", action="store_true",
                    help="only the windowed decay score against DuckDB and numpy")
    args = ap.parse_args()

    m = model()
    n, per = args.leads, args.per_lead
    leads, events = population(args.seed, n, per)
    total = n * per
    print(f"population: {n:,} leads x {per} events = {total:,} events (seed {args.seed})")
    threads = [int(t) for t in args.threads.split(",")]
    decay_comparison(leads, events, threads, args.repeat)
    if args.decay_only:
        return
    for t in threads:
        secs, table = best(lambda: m.score_table(leads, events, NOW, threads=t), args.repeat)
        print(f"score_table (numpy columns)   threads={t}: {secs:7.3f} s  {total / secs / 1e6:6.2f} M events/s  (CPU {CPU[-1]:.3f} s)")
    empty = {"lead": np.zeros(0, dtype=np.uint32), "kind": np.zeros(0, dtype=np.uint8), "at": np.zeros(0, dtype=np.int64)}
    secs, _ = best(lambda: m.score_table(leads, empty, NOW, threads=1), args.repeat)
    print(f"  of which reading {n:,} lead columns and fit-scoring them (no events): {secs:.3f} s")
    secs, table_leads = best(lambda: leadcore.LeadTable(leads), 1)
    print(f"LeadTable from the lead columns (once): {secs:.3f} s")
    for t in threads:
        secs, _ = best(lambda: m.score_table(table_leads, events, NOW, threads=t), args.repeat)
        print(f"score_table (LeadTable, numpy events) threads={t}: {secs:7.3f} s  {total / secs / 1e6:6.2f} M events/s  (CPU {CPU[-1]:.3f} s)")
    del table_leads

    lf, ef = frames(leads, events)
    secs, df = best(lambda: leadcore.score_frame(m, lf, ef, NOW, threads=threads[0]), args.repeat)
    print(f"score_frame (pandas)          threads={threads[0]}: {secs:7.3f} s  {total / secs / 1e6:6.2f} M events/s  (CPU {CPU[-1]:.3f} s)")
    assert np.array_equal(df["behavior"].to_numpy(), table["behavior"])

    if args.no_pandas:
        return
    pn = args.pandas_leads or n
    if pn != n:
        leads, events = population(args.seed, pn, per)
        lf, ef = frames(leads, events)
        table = m.score_table(leads, events, NOW, threads=1)
    secs_lc, table = best(lambda: m.score_table(leads, events, NOW, threads=1), args.repeat)
    secs_pd, behavior = best(lambda: pandas_behavior(lf, ef, NOW_S), 1)
    diff = float(np.max(np.abs(behavior - table["behavior"]))) if pn else 0.0
    ptotal = pn * per
    print(
        f"pandas behavior score ({pn:,} leads): {secs_pd:7.3f} s  {ptotal / secs_pd / 1e6:6.2f} M events/s; "
        f"leadcore score_table threads=1: {secs_lc:.3f} s ({secs_pd / secs_lc:.1f}x faster); "
        f"max |difference| {diff:.1e}"
    )


if __name__ == "__main__":
    main()
