"""leadcore reference service (Python): FastAPI + uvicorn, SQLite by default, PostgreSQL when
``LEADCORE_DB`` is a ``postgresql://`` URL.

    LEADCORE_DB=sqlite:///leads.db uvicorn app:app --host 127.0.0.1 --port 8000

Every request is: load the rows it needs -> compute with leadcore -> ONE transaction that
compare-and-sets every row it changes (and appends the pool log) -> on a conflict, start again
from the load (bounded, with jitter). No lock is held while leadcore computes, and nothing is
kept in memory between requests: any number of processes can serve the same database.

Environment:
  LEADCORE_DB           sqlite:///path (default sqlite:///leadcore-service.db) or postgresql://...
  LEADCORE_POLICY       the pool policy JSON (default ../policy.json)
  LEADCORE_LEAD_CONFIG  qualification rules, pipeline, scoring, funnel and attribution (../leads.json)
  LEADCORE_INTAKE_POOL  where new leads go when the policy has no routing (default: first pool)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import threading
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Mapping, Optional

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import leadcore

try:  # run as `uvicorn app:app --app-dir examples/service/python` or imported as a package
    from store import KINDS, PLURAL, Conflict, Store, open_store
except ImportError:  # pragma: no cover
    from .store import KINDS, PLURAL, Conflict, Store, open_store

HERE = Path(__file__).resolve().parent
MAX_ATTEMPTS = int(os.environ.get("LEADCORE_MAX_ATTEMPTS", "20"))
TICK_BATCH = 500
# Refusals that come from what this attempt loaded, not from the request: a concurrent writer's
# clock ahead of our `now` beyond the skew tolerance, or a row that became needed between the
# loads (routing at a later instant). Reload and compute again.
RELOAD = ("clock_backwards", "record_not_loaded")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Busy(Exception):
    """Every attempt met a conflicting write: the client should retry (HTTP 503)."""


class Timing:
    """Where a request's time went: inside leadcore, in the database, in total."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.leadcore = 0.0
        self.db = 0.0
        self.attempts = 0

    def lc(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.leadcore += time.perf_counter() - t

    def io(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.db += time.perf_counter() - t

    def header(self) -> str:
        total = time.perf_counter() - self.start
        return f"leadcore;dur={self.leadcore * 1e3:.3f}, db;dur={self.db * 1e3:.3f}, total;dur={total * 1e3:.3f}"


class Metrics:
    """Totals since start, served by GET /metrics (the bench reads leadcore's share here)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.leadcore_s = 0.0
        self.db_s = 0.0
        self.total_s = 0.0
        self.conflicts = 0

    def add(self, t: Timing) -> None:
        with self.lock:
            self.requests += 1
            self.leadcore_s += t.leadcore
            self.db_s += t.db
            self.total_s += time.perf_counter() - t.start
            self.conflicts += max(0, t.attempts - 1)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "pid": os.getpid(),
                "requests": self.requests,
                "leadcore_seconds": self.leadcore_s,
                "db_seconds": self.db_s,
                "handler_seconds": self.total_s,
                "conflicts_retried": self.conflicts,
            }


class Service:
    """The lead flow and the pool host protocol, independent of the web framework."""

    def __init__(self, store: Store, policy_config: Mapping[str, Any], lead_config: Mapping[str, Any]) -> None:
        self.store = store
        self.policy_config = dict(policy_config)
        self.policy = leadcore.PoolPolicy(self.policy_config)
        self.fingerprint = str(getattr(self.policy, "fingerprint", "unversioned"))
        self.rules = leadcore.RuleSet(lead_config["rules"])
        self.pipeline = leadcore.Pipeline(lead_config["pipeline"])
        self.scoring = leadcore.ScoringModel.preset(lead_config.get("scoring_preset", "b2b_default"))
        self.funnel_config = leadcore.FunnelConfig(lead_config["funnel"])
        self.attribution_config = leadcore.AttributionConfig(lead_config["attribution"])
        self.converted_stages = set(lead_config.get("converted_stages", []))
        self.stage_order = [s["id"] for s in self.pipeline.to_dict().get("stages", [])]
        self.routed = bool(self.policy_config.get("routing"))
        self.intake_pool = os.environ.get("LEADCORE_INTAKE_POOL") or self.policy_config["pools"][0]["id"]
        store.register_policy(self.fingerprint, self.policy_config)

    # -- the host protocol ----------------------------------------------------------------

    def retrying(self, t: Timing, attempt: Callable[[], Any]) -> Any:
        """Runs ``attempt`` (load -> compute -> one CAS transaction) until it commits."""
        for n in range(MAX_ATTEMPTS):
            t.attempts += 1
            try:
                return attempt()
            except Conflict:
                time.sleep(random.uniform(0, min(0.05, 0.001 * 2**n)))
        raise Busy(f"gave up after {MAX_ATTEMPTS} conflicting attempts")

    def load_needs(self, t: Timing, needs_fn: Callable[[Optional[dict]], dict], records: dict) -> dict:
        """Loads what leadcore says it needs until it needs nothing new (lead rows first, then
        the reps and teams those rows name)."""
        asked: dict[str, set[str]] = {k: set(records.get(PLURAL[k], {})) for k in KINDS}
        first = not any(records.get(PLURAL[k]) for k in KINDS)
        for _ in range(4):
            needs = t.lc(needs_fn, None if first else records)
            first = False
            missing = {k: [i for i in needs.get(PLURAL[k], []) if i not in asked[k]] for k in KINDS}
            if not any(missing.values()):
                break
            for k, ids in missing.items():
                asked[k].update(ids)
                gone = records.setdefault("gone", {}) if k == "lead" else None
                records.setdefault(PLURAL[k], {}).update(t.io(self.store.load, k, ids, gone))
        return records

    def pool_compute(self, t: Timing, commands: list[dict]) -> tuple[dict, dict]:
        """Load -> compute. Returns (records, {"results", "rows", "log"}) or raises PoolError."""
        records: dict[str, dict] = {"leads": {}, "reps": {}, "teams": {}, "gone": {}}
        self.load_needs(t, lambda r: leadcore.pool_needs(r, self.policy, commands, utcnow()), records)
        now = utcnow()  # after the loads: every loaded record's clock is at or before it
        try:
            out = t.lc(leadcore.pool_apply_rows, records, self.policy, commands, now)
        except leadcore.PoolError as e:
            if e.code in RELOAD:
                raise Conflict(str(e)) from e
            raise
        return records, out

    def commit(self, t: Timing, out: Mapping[str, Any], extra: Optional[Callable[[Any], None]] = None) -> None:
        def write() -> None:
            with self.store.transaction() as tx:
                self.store.write_rows(tx, out.get("rows", []))
                self.store.append_log(tx, out.get("log", []), self.fingerprint)
                if extra is not None:
                    extra(tx)

        t.io(write)

    def pool_command(self, t: Timing, command: dict) -> dict:
        """One pool command through the host protocol; the lead's new record comes back too."""

        def attempt() -> dict:
            records, out = self.pool_compute(t, [command])
            self.commit(t, out)
            lead_id = command.get("lead")
            lead = records["leads"].get(lead_id)
            for row in out.get("rows", []):
                if row["kind"] == "lead" and row["id"] == lead_id and not row.get("check"):
                    lead = row.get("record")  # None: archived
            return {"result": out["results"][0], "lead": lead}

        return self.retrying(t, attempt)

    def tick(self, t: Timing) -> dict:
        """Ticks the leads whose due_at has come (the index), in batches."""
        total = {"leads": 0, "rows": 0, "effects": []}
        for _ in range(100):
            def attempt() -> dict:
                now = utcnow()
                records: dict[str, dict] = {"leads": t.io(self.store.due_leads, now, TICK_BATCH), "reps": {}, "teams": {}}
                if not records["leads"]:
                    return {"rows": [], "results": [], "log": []}
                self.load_needs(t, lambda r: leadcore.pool_tick_needs(r or records, self.policy, now), records)
                now = max(now, utcnow())
                try:
                    out = t.lc(leadcore.pool_tick_rows, records, self.policy, now)
                except leadcore.PoolError as e:
                    if e.code in RELOAD:
                        raise Conflict(str(e)) from e
                    raise
                self.commit(t, out)
                out["due"] = len(records["leads"])
                return out

            out = self.retrying(t, attempt)
            total["leads"] += out.get("due", 0)
            total["rows"] += len(out["rows"])
            for r in out["results"]:
                total["effects"].extend(r.get("effects", []))
            if out.get("due", 0) < TICK_BATCH or not out["rows"]:
                break
        return total

    # -- the lead flow -------------------------------------------------------------------

    def clean(self, t: Timing, attributes: dict) -> None:
        """Normalizes phone, email and company in place (the dedupe keys come from
        ``leadcore.dedupe_keys``, the batch form's matching rules seen from one lead)."""
        phone = attributes.get("phone")
        if isinstance(phone, str) and phone:
            p = t.lc(leadcore.normalize_phone, phone)
            if p.get("valid") and p.get("normalized"):
                attributes["phone"] = p["normalized"]
        email = attributes.get("email")
        if isinstance(email, str) and email:
            e = t.lc(leadcore.normalize_email, email)
            if e.get("valid"):
                attributes["email"] = e["normalized"]
        company = attributes.get("company")
        if isinstance(company, str) and company:
            c = t.lc(leadcore.normalize_company, company)
            if c.get("valid") and c.get("normalized"):
                attributes["company_normalized"] = c["normalized"]

    def assess(self, t: Timing, lead: dict, events: list[dict], now: dt.datetime) -> dict:
        """Scores and qualifies a lead, and moves it forward through every gate it passes."""
        score = t.lc(self.scoring.score_lead, lead, events, now)
        scores = {k: score[k]["score"] for k in ("behavior", "fit", "combined")}
        verdict = t.lc(leadcore.qualify, self.rules, lead, events, now, scores)
        qualified = set(verdict.get("qualified", []))
        moved = lead
        while True:
            stage = moved.get("stage")
            nxt = self.stage_order[0] if stage is None else self.next_stage(stage)
            if nxt is None or nxt not in qualified:
                break
            request = {} if stage is None else {"to": nxt, "actor": "leadcore-service"}
            moved = t.lc(leadcore.transition, self.pipeline, moved, request, now)["lead"]
        return {
            "lead": moved,
            "score": {k: score[k]["score"] for k in ("behavior", "fit")} | {"combined": score["combined"]},
            "qualified": sorted(qualified, key=lambda s: self.stage_order.index(s) if s in self.stage_order else 99),
        }

    def next_stage(self, stage: str) -> Optional[str]:
        if stage in self.stage_order:
            i = self.stage_order.index(stage)
            if i + 1 < len(self.stage_order):
                return self.stage_order[i + 1]
        return None

    def ingest(self, t: Timing, body: dict) -> tuple[int, dict]:
        lead = {k: v for k, v in body.items() if k not in ("request_id",)}
        attributes = dict(lead.get("attributes") or {})
        self.clean(t, attributes)
        lead["attributes"] = attributes
        lead_id = str(lead.get("id") or uuid.uuid4().hex)
        lead["id"] = lead_id
        probe = {**lead, "created_at": lead.get("created_at") or utcnow().isoformat()}
        keys = [k["key"] for k in t.lc(leadcore.dedupe_keys, probe)]

        def attempt() -> tuple[int, dict]:
            existing = t.io(self.store.profile, lead_id)
            owner = lead_id if existing else t.io(self.store.key_owner, keys)
            if owner is not None:  # the same lead again, or a duplicate of one we hold
                prof = existing or t.io(self.store.profile, owner)
                return 200, {"id": owner, "created": False, "duplicate_of": owner, "profile": prof[1] if prof else None}
            now = utcnow()
            lead.setdefault("created_at", now.isoformat())
            canonical = t.lc(leadcore.load_lead, lead)
            doc = self.assess(t, canonical, [], now)
            if self.routed:
                command = {"type": "route", "lead": doc["lead"]}
            else:
                command = {"type": "deposit", "lead": lead_id, "pool": self.intake_pool, "created_at": canonical["created_at"]}
                if doc["lead"].get("stage"):
                    command["stage"] = doc["lead"]["stage"]
            command["id"] = "ingest:" + lead_id
            records, out = self.pool_compute(t, [command])

            def extra(tx: Any) -> None:
                self.store.insert_profile(tx, lead_id, doc)
                self.store.insert_keys(tx, keys, lead_id)

            self.commit(t, out, extra)
            pool_record = next((r.get("record") for r in out["rows"] if r["kind"] == "lead" and r["id"] == lead_id), None)
            return 201, {"id": lead_id, "created": True, "profile": doc, "pool": pool_record, "result": out["results"][0]}

        return self.retrying(t, attempt)

    def add_event(self, t: Timing, lead_id: str, body: dict) -> tuple[int, dict]:
        event = {
            "id": str(body.get("id") or uuid.uuid4().hex),
            "lead_id": lead_id,
            "kind": body.get("kind"),
            "at": body.get("at") or utcnow().isoformat(),
        }
        if body.get("name"):
            event["name"] = body["name"]
        if body.get("properties"):
            event["properties"] = body["properties"]
        event = t.lc(leadcore.normalize_events, [event])[0]
        event["lead_id"] = lead_id

        def attempt() -> tuple[int, dict]:
            prof = t.io(self.store.profile, lead_id)
            if prof is None:
                return 404, {"error": "unknown_lead", "message": f"no lead `{lead_id}`"}
            version, doc = prof
            events = t.io(self.store.events, lead_id)
            if any(e.get("id") == event["id"] for e in events):
                return 200, {"id": lead_id, "duplicate": True, "profile": doc}
            events.append(event)
            now = utcnow()
            new = self.assess(t, doc["lead"], events, now)
            before, after = doc["lead"].get("stage"), new["lead"].get("stage")
            commands = []
            if event["kind"] not in ("call", "meeting"):
                commands.append({"type": "lead_activity", "lead": lead_id, "id": f"event:{lead_id}:{event['id']}"})
            if after != before and after is not None:
                commands.append({"type": "stage_changed", "lead": lead_id, "stage": after, "id": f"stage:{lead_id}:{event['id']}"})
            out: dict = {"rows": [], "log": [], "results": []}
            if commands:
                try:
                    _, out = self.pool_compute(t, commands)
                except leadcore.PoolError as e:
                    out = {"rows": [], "log": [], "results": [], "pool_refused": e.code}

            def extra(tx: Any) -> None:
                if not self.store.insert_event(tx, event):
                    raise Conflict("event stored concurrently")
                self.store.update_profile(tx, lead_id, version, new)

            self.commit(t, out, extra)
            return 200, {"id": lead_id, "duplicate": False, "stage_changed": after != before, "profile": new,
                         "pool_refused": out.get("pool_refused")}

        return self.retrying(t, attempt)

    def lead_view(self, t: Timing, lead_id: str) -> Optional[dict]:
        prof = t.io(self.store.profile, lead_id)
        pool = t.io(self.store.load, "lead", [lead_id]).get(lead_id)
        if prof is None and pool is None:
            return None
        return {"id": lead_id, "profile": prof[1] if prof else None, "profile_version": prof[0] if prof else None, "pool": pool}

    def funnel(self, t: Timing) -> dict:
        leads = [d["lead"] for d in t.io(self.store.profiles)]
        return dict(t.lc(leadcore.funnel, self.funnel_config, leads))

    def attribution(self, t: Timing) -> dict:
        profiles = {d["lead"]["id"]: d for d in t.io(self.store.profiles)}
        touches: dict[str, list[dict]] = {i: [] for i in profiles}
        for i, d in profiles.items():
            channel = (d["lead"].get("source") or {}).get("channel")
            if channel:
                touches[i].append({"channel": channel, "at": d["lead"]["created_at"]})
        for e in t.io(self.store.events):
            props = e.get("properties") or {}
            if e.get("lead_id") in touches and props.get("channel"):
                touch = {"channel": props["channel"], "at": e["at"]}
                if props.get("campaign"):
                    touch["campaign"] = props["campaign"]
                touches[e["lead_id"]].append(touch)
        journeys = []
        for i, tps in touches.items():
            if not tps:
                continue
            lead = profiles[i]["lead"]
            stages = {lead.get("stage")} | {h.get("to") for h in lead.get("history", [])}
            journeys.append({"id": i, "touchpoints": sorted(tps, key=lambda x: x["at"]),
                             "converted": bool(stages & self.converted_stages)})
        return dict(t.lc(leadcore.attribute, self.attribution_config, journeys=journeys))


def load_json(env: str, default: Path) -> dict:
    return json.loads(Path(os.environ.get(env) or default).read_text())


def create_app(service: Optional[Service] = None) -> FastAPI:
    metrics = Metrics()
    state: dict[str, Service] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        svc()  # open the database, create the schema, register the policy before serving
        yield

    app = FastAPI(title="leadcore reference service", lifespan=lifespan)

    def svc() -> Service:
        if "svc" not in state:
            state["svc"] = service or Service(
                open_store(),
                load_json("LEADCORE_POLICY", HERE.parent / "policy.json"),
                load_json("LEADCORE_LEAD_CONFIG", HERE.parent / "leads.json"),
            )
        return state["svc"]

    def run(fn: Callable[[Timing], Any]) -> JSONResponse:
        t = Timing()
        try:
            status, body = fn(t)
        except leadcore.PoolError as e:
            status = 404 if e.code in ("unknown_lead",) else 409
            body = {"error": e.code, "message": str(e)}
        except leadcore.LeadcoreError as e:
            status, body = 422, {"error": e.code, "path": getattr(e, "path", None), "message": str(e)}
        except Busy as e:
            status, body = 503, {"error": "busy", "message": str(e)}
        metrics.add(t)
        return JSONResponse(body, status_code=status,
                            headers={"server-timing": t.header(), "x-attempts": str(t.attempts)})

    async def body_of(request: Request) -> dict:
        raw = await request.body()
        data = json.loads(raw) if raw else {}
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data

    def command_id(request: Request, body: dict) -> dict:
        key = body.get("command_id") or request.headers.get("idempotency-key")
        return {"id": key} if key else {}

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        s = svc()
        return JSONResponse({"ok": True, "db": s.store.dialect, "policy": s.fingerprint, "pid": os.getpid()})

    @app.get("/metrics")
    def get_metrics() -> JSONResponse:
        return JSONResponse(metrics.snapshot())

    @app.post("/leads")
    async def post_lead(request: Request) -> JSONResponse:
        body = await body_of(request)
        return await _threaded(run, lambda t: svc().ingest(t, body))

    @app.get("/leads/{lead_id}")
    def get_lead(lead_id: str) -> JSONResponse:
        def go(t: Timing) -> tuple[int, dict]:
            view = svc().lead_view(t, lead_id)
            return (200, view) if view else (404, {"error": "unknown_lead", "message": f"no lead `{lead_id}`"})

        return run(go)

    @app.post("/leads/{lead_id}/events")
    async def post_event(lead_id: str, request: Request) -> JSONResponse:
        body = await body_of(request)
        return await _threaded(run, lambda t: svc().add_event(t, lead_id, body))

    def pool_endpoint(make: Callable[[str, dict], dict]) -> Callable:
        async def endpoint(lead_id: str, request: Request) -> JSONResponse:
            body = await body_of(request)
            command = {**make(lead_id, body), **command_id(request, body)}
            return await _threaded(run, lambda t: (200, svc().pool_command(t, command)))

        return endpoint

    app.post("/leads/{lead_id}/claim")(pool_endpoint(lambda i, b: {"type": "claim", "lead": i, "rep": b.get("rep")}))
    app.post("/leads/{lead_id}/return")(pool_endpoint(
        lambda i, b: {"type": "return", "lead": i, "rep": b.get("rep"), "reason": b.get("reason", "")}
        | ({"pool": b["pool"]} if b.get("pool") else {})))
    app.post("/leads/{lead_id}/follow-up")(pool_endpoint(
        lambda i, b: {"type": "follow_up", "lead": i, "rep": b.get("rep")} | ({"kind": b["kind"]} if b.get("kind") else {})))
    app.post("/leads/{lead_id}/transfer")(pool_endpoint(
        lambda i, b: {"type": "transfer", "lead": i, "from": b.get("from"), "to": b.get("to")}
        | ({"reason": b["reason"]} if b.get("reason") else {})))
    app.post("/leads/{lead_id}/archive")(pool_endpoint(lambda i, b: {"type": "archive", "lead": i}))

    @app.post("/tick")
    def post_tick() -> JSONResponse:
        return run(lambda t: (200, svc().tick(t)))

    @app.get("/reports/funnel")
    def funnel() -> JSONResponse:
        return run(lambda t: (200, svc().funnel(t)))

    @app.get("/reports/attribution")
    def attribution() -> JSONResponse:
        return run(lambda t: (200, svc().attribution(t)))

    @app.exception_handler(ValueError)
    async def bad_request(_: Request, e: ValueError) -> JSONResponse:
        return JSONResponse({"error": "bad_request", "message": str(e)}, status_code=400)

    return app


async def _threaded(fn: Callable[..., Any], *args: Any) -> Any:
    """Blocking database and leadcore work runs in the thread pool, off the event loop."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


app = create_app()
