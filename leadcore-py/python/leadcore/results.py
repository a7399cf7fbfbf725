"""Result classes with ``to_pandas()``.

Attribution and funnel functions return these instead of plain dicts. Each one **is** a
``dict`` (the same JSON shape as in Rust and Node, so indexing, ``json.dumps`` and ``==`` work as
for any other leadcore result) with a ``to_pandas()`` method that lays the result out as a
``pandas.DataFrame``. pandas is optional: it is imported only when ``to_pandas()`` is called.
A plain dict loaded from JSON can be wrapped too: ``AttributionReport(json.load(f)).to_pandas()``.
"""

from __future__ import annotations

from typing import Any


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("to_pandas() needs pandas: pip install pandas") from e
    return pandas


class AttributionReport(dict):
    """Credits per key (channel or campaign) under every configured model.

    ``to_pandas()`` gives the side-by-side table: one row per key, one column per model (in
    configuration order), cells the credited conversions (``values="value"``: the credited
    value). Markov removal effects and Shapley details stay in the dict
    (``report["models"][i]["markov"]``).
    """

    def to_pandas(self, values: str = "conversions") -> Any:
        if values not in ("conversions", "value"):
            raise ValueError(f"values must be 'conversions' or 'value', not {values!r}")
        pd = _pandas()
        keys = list(self["keys"])
        columns = {}
        for model in self["models"]:
            by_key = {c["key"]: c[values] for c in model["credits"]}
            columns[model["name"]] = [float(by_key.get(k, 0.0)) for k in keys]
        index = pd.Index(keys, name=self.get("level", "key"))
        return pd.DataFrame(columns, index=index)


class JourneyExplanation(dict):
    """How each heuristic model splits one journey over its touches.

    ``to_pandas()``: one row per model and touch (``model``, ``position``, ``index``, ``key``,
    ``roles``, ``weight``, ``conversions``, ``value``).
    """

    def to_pandas(self) -> Any:
        rows = [
            {"model": m["name"], **{k: v for k, v in t.items() if k != "roles"}, "roles": ",".join(t["roles"])}
            for m in self["models"]
            for t in m["touches"]
        ]
        return _pandas().DataFrame(rows, columns=["model", "position", "index", "key", "roles", "weight", "conversions", "value"])


class OwnershipReport(dict):
    """The owner of each customer under the ownership rule, and totals per channel.

    ``to_pandas()``: one row per customer (``id``, ``owner``, ``reason``, ``owner_at``,
    ``first_channel``, ``first_at``, ``last_channel``, ``last_at``, ``opportunity_at``,
    ``window_start``, ``window_end``);
    ``to_pandas("channels")``: one row per channel.
    """

    def to_pandas(self, table: str = "customers") -> Any:
        pd = _pandas()
        if table == "channels":
            return pd.DataFrame(self["channels"], columns=["channel", "customers", "within_window", "beyond_window"])
        if table != "customers":
            raise ValueError(f"table must be 'customers' or 'channels', not {table!r}")
        rows = []
        for c in self["customers"]:
            first, last = c.get("first") or {}, c.get("last") or {}
            made = c.get("owner_record") or {}
            rows.append({
                "id": c["id"], "owner": c.get("owner"), "reason": c["reason"],
                "owner_at": _time(pd, made.get("at")),
                "first_channel": first.get("channel"), "first_at": _time(pd, first.get("at")),
                "last_channel": last.get("channel"), "last_at": _time(pd, last.get("at")),
                "opportunity_at": _time(pd, c.get("opportunity_at")),
                "window_start": _time(pd, c.get("window_start")), "window_end": _time(pd, c.get("window_end")),
            })
        columns = [
            "id", "owner", "reason", "owner_at", "first_channel", "first_at", "last_channel", "last_at",
            "opportunity_at", "window_start", "window_end",
        ]
        return pd.DataFrame(rows, columns=columns)


def _time(pd: Any, text: Any) -> Any:
    return pd.NaT if text is None else pd.Timestamp(text)


_STAGE_COLUMNS = [
    "entered", "advanced", "conversion_to_next", "ratio_to_previous", "amount", "with_amount",
    "completed_stays", "days_in_stage_mean", "recording_lag_days_mean", "days_to_advance_mean",
]


def _stage_column(pd: Any, stages: list[str], values: list[str]) -> Any:
    """Stage ids as an ordered categorical, so sorting and grouping keep funnel order."""
    return pd.Categorical(values, categories=list(dict.fromkeys(stages)), ordered=True)


class FunnelReport(dict):
    """The funnel by period and dimension values.

    ``to_pandas()``: one row per period, dimension values and stage (``period``, one column per
    dimension, ``stage`` as an ordered categorical in funnel order, then ``entered``,
    ``advanced``, ``conversion_to_next``, ``ratio_to_previous``, ``amount``, ``with_amount``,
    ``completed_stays``, ``days_in_stage_mean``, ``recording_lag_days_mean``,
    ``days_to_advance_mean``; missing rates are NaN). ``to_pandas(totals=True)``: one row per stage over everything.
    """

    def to_pandas(self, totals: bool = False) -> Any:
        pd = _pandas()
        dims = list(self["dimensions"])
        stage_order = [s["stage"] for s in self["totals"]]
        if totals:
            rows = [{"stage": s["stage"], **{k: s.get(k) for k in _STAGE_COLUMNS}} for s in self["totals"]]
            columns = ["stage", *_STAGE_COLUMNS]
        else:
            rows = [
                {"period": g["period"], **{d: g["dimensions"].get(d) for d in dims}, "stage": s["stage"],
                 **{k: s.get(k) for k in _STAGE_COLUMNS}}
                for g in self["groups"]
                for s in g["stages"]
            ]
            columns = ["period", *dims, "stage", *_STAGE_COLUMNS]
        df = pd.DataFrame(rows, columns=columns)
        df["stage"] = _stage_column(pd, stage_order, df["stage"].tolist())
        return _floats(
            df,
            ["conversion_to_next", "ratio_to_previous", "days_in_stage_mean", "recording_lag_days_mean",
             "days_to_advance_mean"],
        )


def _floats(df: Any, columns: list[str]) -> Any:
    for c in columns:
        df[c] = df[c].astype("float64")
    return df


class RoiReport(dict):
    """Channel ROI by period.

    ``to_pandas()``: one row per period and channel (``period``, ``channel``, ``spend``,
    ``revenue``, ``roi``, then ``<stage>_count``, ``<stage>_cost_per`` and ``<stage>_amount``
    for each stage of the chain); ``to_pandas(totals=True)``: one row per channel over all
    periods (period ``all``).
    """

    def to_pandas(self, totals: bool = False) -> Any:
        pd = _pandas()
        rows = []
        for r in self["totals" if totals else "rows"]:
            row = {"period": r["period"], "channel": r["channel"], "spend": r["spend"], "revenue": r["revenue"], "roi": r.get("roi")}
            for s in r["stages"]:
                row[f"{s['stage']}_count"] = s["count"]
                row[f"{s['stage']}_cost_per"] = s.get("cost_per")
                row[f"{s['stage']}_amount"] = s["amount"]
            rows.append(row)
        df = pd.DataFrame(rows)
        if df.empty:
            return pd.DataFrame(columns=["period", "channel", "spend", "revenue", "roi"])
        return _floats(df, ["roi"] + [c for c in df.columns if c.endswith("_cost_per")])


class ForecastReport(dict):
    """The weighted pipeline forecast.

    ``to_pandas()``: one row per period and rep (``period``, ``rep``, ``deals``, ``pipeline``,
    ``weighted``); ``to_pandas("stages")``: one row per period, rep and stage (adding
    ``stage`` and ``probability``); ``to_pandas("periods")``: the per-period totals.
    """

    def to_pandas(self, table: str = "rows") -> Any:
        pd = _pandas()
        columns = ["period", "rep", "deals", "pipeline", "weighted"]
        if table in ("rows", "periods"):
            return pd.DataFrame([{k: r[k] for k in columns} for r in self[table]], columns=columns)
        if table != "stages":
            raise ValueError(f"table must be 'rows', 'periods' or 'stages', not {table!r}")
        rows = [
            {"period": r["period"], "rep": r["rep"], "stage": s["stage"], "probability": s["probability"],
             "deals": s["deals"], "pipeline": s["pipeline"], "weighted": s["weighted"]}
            for r in self["rows"]
            for s in r["stages"]
        ]
        return pd.DataFrame(rows, columns=["period", "rep", "stage", "probability", "deals", "pipeline", "weighted"])


class MlgReport(dict):
    """The MLG index. ``to_pandas()``: one row per period (``period``, ``new_customers``,
    ``marketing_sourced``, ``index``, ``excluded``), the overall row (period ``all``) last."""

    def to_pandas(self) -> Any:
        columns = ["period", "new_customers", "marketing_sourced", "index", "excluded"]
        df = _pandas().DataFrame([*self["periods"], self["total"]], columns=columns)
        return _floats(df, ["index"])


__all__ = [
    "AttributionReport",
    "JourneyExplanation",
    "OwnershipReport",
    "FunnelReport",
    "RoiReport",
    "ForecastReport",
    "MlgReport",
]
