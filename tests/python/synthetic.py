"""Seeded synthetic data in numpy / pandas columns for the Spark and Dask tests and the scale-out
bench: feature matrices for predictive scoring, leads and events for rule-based scoring, and
journeys and stage histories for attribution and the funnel. Fast enough for millions of rows
(no per-row Python in the generators except where leadcore takes dicts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
NOW_S = int(NOW.timestamp())
DAY = 86_400
INDUSTRIES = np.array(["saas", "retail", "manufacturing", "education", "ad_agency", "finance"], dtype=object)
CITIES = np.array(["北京", "上海", "杭州", "成都", "深圳", "武汉"], dtype=object)
ROLES = np.array(["ceo", "sales_director", "marketing_manager", "staff"], dtype=object)
CHANNELS = np.array(["sem", "seo", "event", "content_download", "referral", "direct", "email"], dtype=object)
# Event kinds (names of leadcore.EVENT_KINDS) and weights.
KINDS = np.array(["page_view", "email_open", "email_click", "download", "search", "favorite", "form_submit", "inquiry", "event_checkin"], dtype=object)
KIND_WEIGHTS = np.array([45, 15, 8, 8, 8, 4, 5, 4, 3], dtype=np.float64)
PAGES = np.array(["/pricing", "/product", "/case-studies", "/blog", "/whitepaper.pdf"], dtype=object)


# -- predictive ---------------------------------------------------------------------------------


FEATURES = ["downloads", "page_views", "recency_days", "employees", "pricing_view"]
FEATURE_SPEC = {"windows_days": [], "event_kinds": [], "numeric": [{"attribute": n} for n in FEATURES]}
"""A feature spec whose columns are :func:`feature_frame`'s (activity, silence and age, then the
numeric attributes)."""


def feature_frame(n: int, seed: int = 11) -> tuple[pd.DataFrame, np.ndarray]:
    """``n`` rows of lead features in :data:`FEATURE_SPEC`'s column order (counts with ties,
    recency, size with ~3 % NaN, a keyword flag) and a noisy conversion label."""
    rng = np.random.default_rng(seed)
    active = rng.poisson(4.0, n).astype(np.float64)
    silence = rng.exponential(15.0, n)
    age = rng.uniform(1, 400, n)
    downloads = rng.poisson(1.2, n).astype(np.float64)
    views = rng.poisson(6.0, n).astype(np.float64)
    recency = rng.exponential(20.0, n)
    employees = np.round(rng.lognormal(4.0, 1.2, n))
    pricing = (rng.random(n) < 0.2).astype(np.float64)
    employees[rng.random(n) < 0.03] = np.nan
    logit = 0.8 * downloads + 0.1 * views - 0.05 * recency + 1.5 * pricing + 0.1 * active - 0.03 * silence - 3.0 + rng.normal(0, 1, n)
    x = pd.DataFrame(
        {
            "active_days_365d": active, "silence_days": silence, "age_days": age, "downloads": downloads,
            "page_views": views, "recency_days": recency, "employees": employees, "pricing_view": pricing,
        }
    )
    return x, logit > 0


def predictive_model(rows: int = 20_000, seed: int = 11, trees: int = 30) -> Any:
    """A forest trained on :func:`feature_frame` rows."""
    import leadcore

    x, y = feature_frame(rows, seed)
    encoding = leadcore.build_training_set(FEATURE_SPEC, [], [], [])["encoding"]
    config = {"features": FEATURE_SPEC, "model": {"type": "random_forest", "n_trees": trees, "max_depth": 8},
              "seed": seed, "test_fraction": 0.0, "permutation_repeats": 0}
    return leadcore.train_set(config, {"encoding": encoding, "features": x.to_numpy(), "labels": y}, NOW, threads=2)


# -- rule-based scoring -------------------------------------------------------------------------


def leads_and_events(n: int, per: float = 5.0, seed: int = 5, start: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` leads in :func:`leadcore.score_frame`'s layout (``id``, ``created_at`` UTC,
    ``source.channel``, industry, city, role, employees) and about ``per`` events per lead
    (``lead_id``, ``kind``, ``at`` UTC, ``id``, ``properties.url`` for page views); a few events
    are in the future of ``NOW`` or repeat an id, as real streams do. Lead ids are numbered from
    ``start``."""
    rng = np.random.default_rng(seed)
    span = 90 * DAY
    ids = np.array([f"L{i:07d}" for i in range(start, start + n)], dtype=object)
    created = NOW_S - span - rng.integers(0, 30 * DAY, n)
    employees = (10 + rng.integers(0, 2000, n)).astype(np.float64)
    employees[rng.random(n) < 0.05] = np.nan
    leads = pd.DataFrame(
        {
            "id": ids,
            "created_at": pd.to_datetime(created, unit="s", utc=True),
            "source.channel": CHANNELS[rng.integers(0, len(CHANNELS), n)],
            "industry": INDUSTRIES[rng.integers(0, len(INDUSTRIES), n)],
            "city": CITIES[rng.integers(0, len(CITIES), n)],
            "role": ROLES[rng.integers(0, len(ROLES), n)],
            "employees": employees,
        }
    )
    counts = rng.poisson(per, n)
    m = int(counts.sum())
    lead = np.repeat(np.arange(n), counts)
    at = NOW_S - rng.integers(-DAY // 4, span, m)  # some events a little in the future
    kind = KINDS[rng.choice(len(KINDS), size=m, p=KIND_WEIGHTS / KIND_WEIGHTS.sum())]
    url = np.full(m, None, dtype=object)
    page = kind == "page_view"
    url[page] = PAGES[rng.integers(0, len(PAGES), int(page.sum()))]
    event_id = np.arange(m, dtype=np.int64)
    dup = rng.random(m) < 0.01
    event_id[1:][dup[1:]] = event_id[:-1][dup[1:]]  # repeated ids (duplicates within a lead)
    events = pd.DataFrame(
        {
            "lead_id": ids[lead],
            "kind": kind,
            "at": pd.to_datetime(at, unit="s", utc=True),
            "id": event_id,
            "properties.url": url,
        }
    )
    return leads, events


def scoring_lead_dicts(leads: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of :func:`leads_and_events`'s leads as lead dicts (leadcore's JSON shape)."""
    out = []
    for row in leads.to_dict("records"):
        attributes = {k: v for k, v in row.items() if k not in ("id", "created_at", "source.channel") and not (isinstance(v, float) and np.isnan(v))}
        out.append({"id": row["id"], "created_at": row["created_at"].to_pydatetime(),
                    "source": {"channel": row["source.channel"]}, "attributes": attributes})
    return out


def scoring_model(tiers: str = "thresholds") -> dict[str, Any]:
    """The ``b2b_default`` preset plus a ``/pricing`` page-view rule; ``tiers="quantiles"``
    swaps its tiers for population quartiles."""
    import leadcore

    m = leadcore.ScoringModel.preset("b2b_default").to_dict()
    m["behavior"]["groups"][0]["rules"].insert(
        0, {"id": "pricing_view", "kind": "page_view", "points": 5, "where": {"field": "properties.url", "eq": "/pricing"}}
    )
    if tiers == "quantiles":
        m["tiers"] = {"type": "quantiles", "high": 0.75, "mid": 0.25}
    return m


# -- attribution and funnel ---------------------------------------------------------------------


def journey_frame(n: int, seed: int = 3, start: int = 0) -> pd.DataFrame:
    """``n`` journeys, one row each: ``id``, ``channels`` (list of 1–6 channel names),
    ``times`` (Unix seconds, ascending), ``lead_created`` (index of the touch that created the
    lead), ``converted``, ``value`` (RMB, 0 when not converted). Ids are numbered from
    ``start``."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 7, n)
    total = int(lengths.sum())
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    channel = CHANNELS[rng.integers(0, len(CHANNELS), total)]
    first = NOW_S - rng.integers(30 * DAY, 400 * DAY, n)
    gaps = rng.integers(600, 20 * DAY, total)
    gaps[starts] = 0
    times = np.repeat(first, lengths) + (np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[starts], lengths))
    converted = rng.random(n) < 0.08 + 0.03 * lengths
    value = np.where(converted, np.round(rng.uniform(1_000, 90_000, n), 2), 0.0)
    return pd.DataFrame(
        {
            "id": np.array([f"J{i:08d}" for i in range(start, start + n)], dtype=object),
            "channels": np.split(channel, starts[1:]),
            "times": np.split(times, starts[1:]),
            "lead_created": rng.integers(0, lengths),
            "converted": converted,
            "value": value,
        }
    )


def _iso(seconds: np.ndarray) -> list[str]:
    """RFC 3339 UTC text for Unix seconds (vectorized)."""
    text = np.datetime_as_string(np.asarray(seconds, dtype=np.int64).astype("datetime64[s]"), unit="s")
    return [t + "Z" for t in text.tolist()]


def journeys(pdf: pd.DataFrame) -> list[dict[str, Any]]:
    """Journey dicts (leadcore's JSON shape) from rows of :func:`journey_frame` (the columns may
    come back from Spark or Dask as lists or arrays)."""
    lengths = [len(c) for c in pdf["channels"]]
    if not lengths:
        return []
    channels = np.concatenate([np.asarray(c, dtype=object) for c in pdf["channels"]]).tolist()
    stamps = _iso(np.concatenate([np.asarray(t) for t in pdf["times"]]))
    touches = [{"channel": c, "at": t} for c, t in zip(channels, stamps)]
    out = []
    start = 0
    for jid, length, created, converted, value in zip(
        pdf["id"].tolist(), lengths, pdf["lead_created"].tolist(), pdf["converted"].tolist(), pdf["value"].tolist()
    ):
        own = touches[start : start + length]
        own[created]["milestones"] = ["lead_created"]
        start += length
        out.append({"id": jid, "touchpoints": own, "converted": bool(converted), "value": value})
    return out


ATTRIBUTION = {
    "models": [
        {"type": "first_touch"}, {"type": "last_touch"}, {"type": "last_non_direct"}, {"type": "linear"},
        {"type": "u_shaped"}, {"type": "w_shaped"}, {"type": "full_path"}, {"type": "j_shaped"},
        {"type": "inverse_j_shaped"}, {"type": "time_decay", "half_life_days": 7},
        {"type": "custom", "name": "ours", "weights": {"first_touch": 0.5, "last_touch": 0.3, "middle": 0.2}},
        {"type": "markov"}, {"type": "markov", "order": 2}, {"type": "shapley"},
    ]
}
"""Every attribution model leadcore has."""


FUNNEL = {
    "stages": [
        {"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"}, {"id": "Opportunity", "amount": "opportunity_amount"},
        {"id": "Order", "amount": "order_amount"}, {"id": "Payment", "amount": "payment_amount"},
    ],
    "entry_stage": "Leads", "granularity": "month", "utc_offset": "+08:00", "dimensions": ["channel"],
}
"""Seed 000's funnel by month and channel."""

_STAGES = ["Leads", "MQL", "SQL", "Opportunity", "Order", "Payment"]


def funnel_frame(n: int, seed: int = 4) -> pd.DataFrame:
    """``n`` leads, one row each: ``id``, ``created_at`` and ``channel``, ``reached`` (how many
    stages after ``Leads`` the lead entered, 0–5), ``times`` (Unix seconds of each entry, the
    creation first), ``late`` (seconds by which each entry was recorded late: month-end
    back-dating) and ``amount`` (RMB)."""
    rng = np.random.default_rng(seed)
    created = NOW_S - rng.integers(0, 365 * DAY, n)
    reached = np.minimum(rng.geometric(0.45, n) - 1, 5)
    gaps = rng.integers(DAY // 2, 25 * DAY, (n, 6))
    gaps[:, 0] = 0
    times = created[:, None] + np.cumsum(gaps, axis=1)
    late = np.where(rng.random((n, 6)) < 0.1, rng.integers(0, 10 * DAY, (n, 6)), 0)
    return pd.DataFrame(
        {
            "id": np.array([f"F{i:08d}" for i in range(n)], dtype=object),
            "channel": CHANNELS[rng.integers(0, len(CHANNELS), n)],
            "reached": reached,
            "times": list(times),
            "late": list(late),
            "amount": np.round(rng.uniform(5_000, 200_000, n), 2),
        }
    )


def funnel_leads(pdf: pd.DataFrame) -> list[dict[str, Any]]:
    """Lead dicts with stage histories (leadcore's JSON shape) from rows of :func:`funnel_frame`."""
    if len(pdf) == 0:
        return []
    times = np.stack([np.asarray(t, dtype=np.int64) for t in pdf["times"]])
    late = np.stack([np.asarray(t, dtype=np.int64) for t in pdf["late"]])
    at = np.asarray(_iso(times.reshape(-1)), dtype=object).reshape(times.shape)
    recorded = np.asarray(_iso((times + late).reshape(-1)), dtype=object).reshape(times.shape)
    out = []
    for i, (lid, channel, reached, amount) in enumerate(
        zip(pdf["id"].tolist(), pdf["channel"].tolist(), pdf["reached"].tolist(), pdf["amount"].tolist())
    ):
        history = [{"to": "Leads", "at": at[i, 0], "recorded_at": at[i, 0], "edge": "enter"}]
        for k in range(1, reached + 1):
            history.append({"from": _STAGES[k - 1], "to": _STAGES[k], "at": at[i, k], "recorded_at": recorded[i, k], "edge": "forward"})
        attributes: dict[str, float] = {}
        if reached >= 3:
            attributes["opportunity_amount"] = amount
        if reached >= 4:
            attributes["order_amount"] = amount
        if reached >= 5:
            attributes["payment_amount"] = round(amount * 0.9, 2)
        out.append({
            "id": lid, "created_at": at[i, 0], "source": {"channel": channel},
            "stage": _STAGES[reached], "attributes": attributes, "history": history,
        })
    return out


def write_parts(df: pd.DataFrame, directory: Any, parts: int = 8) -> Any:
    """``df`` as a directory of ``parts`` Parquet files (a dataset as Spark and Dask write and
    read them), returned as the directory's path."""
    import pathlib

    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    bounds = np.linspace(0, len(df), parts + 1).astype(int)
    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        # Microsecond timestamps: Spark reads no nanosecond Parquet timestamps.
        df.iloc[a:b].to_parquet(directory / f"part-{i:05d}.parquet", index=False, coerce_timestamps="us", allow_truncated_timestamps=True)
    return directory


def touch_table(pdf: pd.DataFrame) -> dict[str, np.ndarray]:
    """The long touch table (one row per touch, each journey's outcome on its rows) of rows of
    :func:`journey_frame`, built with numpy: the columns of
    ``AttributionAccumulator.add_journey_columns``. Equal to :func:`journeys` journey for
    journey."""
    n = len(pdf)
    lengths = np.fromiter((len(c) for c in pdf["channels"]), dtype=np.int64, count=n)
    total = int(lengths.sum())
    if total == 0:
        channel, at = np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    else:
        channel = np.concatenate([np.asarray(c, dtype=object) for c in pdf["channels"]])
        at = np.concatenate([np.asarray(t, dtype=np.int64) for t in pdf["times"]])
    starts = np.cumsum(lengths) - lengths
    lead_created = np.zeros(total, dtype=bool)
    lead_created[starts + pdf["lead_created"].to_numpy(dtype=np.int64)] = True
    return {
        "journey_id": np.repeat(pdf["id"].to_numpy(dtype=object), lengths),
        "channel": channel,
        "at": at,
        "lead_created": lead_created,
        "converted": np.repeat(pdf["converted"].to_numpy(dtype=bool), lengths),
        "value": np.repeat(pdf["value"].to_numpy(dtype=np.float64), lengths),
    }


def add_journeys(acc: Any, pdf: pd.DataFrame) -> None:
    """Adds rows of :func:`journey_frame` to an ``AttributionAccumulator`` (the ``add`` of
    ``leadcore.spark.accumulate`` / ``leadcore.dask.accumulate``) through the columnar touch
    table (:func:`touch_table`); :func:`journeys` gives the same journeys as dicts."""
    acc.add_journey_columns(touch_table(pdf))


def add_funnel_leads(acc: Any, pdf: pd.DataFrame) -> None:
    """Adds rows of :func:`funnel_frame` to a ``FunnelAccumulator``."""
    acc.add_leads(funnel_leads(pdf))


def arrow_lists(pdf: pd.DataFrame) -> pd.DataFrame:
    """``pdf`` with its list columns (``channels``, ``times``, ``late``) as Arrow list columns.
    ``dask.dataframe.from_pandas`` turns object columns into strings (its
    ``dataframe.convert-string`` option), which would mangle lists kept as numpy objects."""
    import pyarrow as pa

    out = pdf.copy()
    for name in ("channels", "times", "late"):
        if name in out:
            values = pa.array([np.asarray(v).tolist() for v in out[name]])
            out[name] = pd.Series(pd.arrays.ArrowExtensionArray(values), index=out.index)
    return out
