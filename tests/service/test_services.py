"""The reference services under a race: several service processes (Python on uvicorn, Node) on
one database, 20 reps claiming, returning, following up and transferring 50 leads at once, a
service process SIGKILLed and restarted mid-load, clients retrying with the same command ids.

Afterwards the database must hold: one owner per lead, no rep over a holding or daily cap, every
write a client saw accepted, and rows equal to a replay of the log. Run for PostgreSQL (two
Python processes + the Node service) and SQLite (one process of each, sharing the file).

    .venv/bin/python -m pytest -q tests/service       # from scripts/test.sh
"""

from __future__ import annotations

import datetime as dt
import json
import random
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Optional

import pytest

import harness
from harness import Client, Service, postgres_cluster, running

import replay as service_replay  # examples/service/python/replay.py (on sys.path via harness)

REPS = [f"r{i:02d}" for i in range(20)]
LEADS = [f"L{i:02d}" for i in range(50)]
HOLDING_CAP = 3
DAILY_CAP = 5
OFFSET = dt.timezone(dt.timedelta(hours=8))

RACE_POLICY: dict[str, Any] = {
    "utc_offset": "+08:00",
    "pools": [{"id": "pool", "kind": "active"}, {"id": "general", "kind": "general"}],
    "reps": [{"id": r, "holding_cap": HOLDING_CAP, "daily_claim_cap": DAILY_CAP} for r in REPS],
    # Protection in seconds, so that ticks during and after the race reclaim leads for real:
    # 2.6 s from a claim (a warning 0.9 s before), a follow-up adds 0.9 s, at most 5.2 s.
    "protection": {"default_days": 3e-5, "extension_days": 1e-5, "max_days": 6e-5, "warn_days": 1e-5},
    "reclaim": {"cooldown_hours": 72},
    "escalation": {"ladder": [{"pool_kind": "active"}, {"pool_kind": "general", "min_days_since_previous": 180}]},
}
PROTECTION_MAX_SECONDS = 6e-5 * 86400

RACE_SECONDS = 60.0  # per database; each rep thread stops after MAX_OPS requests, or at the latest this long
MAX_OPS = 60


def instant(text: str) -> dt.datetime:
    return harness.service_store.parse_instant(text)


@pytest.fixture(scope="module")
def pg_url() -> Any:
    with postgres_cluster() as url:
        yield url


@pytest.fixture()
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "race_policy.json"
    path.write_text(json.dumps(RACE_POLICY))
    return path


class Recorder:
    """What the clients saw, thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[dict[str, Any]] = []
        self.refused: Counter[str] = Counter()
        self.unknown = 0
        self.retries = 0
        self.duplicates = 0
        self.served_by: Counter[str] = Counter()
        self.reclaims = 0

    def add(self, **kw: Any) -> None:
        with self.lock:
            self.accepted.append(kw)


def call(services: list[Service], clients: dict[int, Client], start: int, method: str, path: str,
         body: Any, rec: Recorder, attempts: int = 10) -> Optional[tuple[int, Any, str]]:
    """Sends one command, retrying with the SAME body (same command id) on another service when
    a service times out, is unreachable or answers 503. None: no answer at all."""
    for n in range(attempts):
        svc = services[(start + n) % len(services)]
        client = clients.setdefault(svc.port, Client(svc.port, timeout=10))
        try:
            status, data, _ = client.request(method, path, body)
        except OSError:
            with rec.lock:
                rec.retries += 1
            time.sleep(0.1 + 0.1 * n)
            continue
        if status in (502, 503, 504):
            with rec.lock:
                rec.retries += 1
            time.sleep(0.05 * (n + 1))
            continue
        with rec.lock:
            rec.served_by[svc.name] += 1
        return status, data, svc.name
    with rec.lock:
        rec.unknown += 1
    return None


def seed_leads(services: list[Service]) -> None:
    """50 leads, deposited through POST /leads (clean -> dedupe -> qualify -> deposit)."""
    rec = Recorder()
    clients: dict[int, Client] = {}
    for i, lead in enumerate(LEADS):
        body = {"id": lead, "source": {"channel": ["sem", "seo", "event"][i % 3]},
                "attributes": {"phone": f"1390013{i:04d}", "wanted_item_id": f"SKU{i}", "industry": "saas"}}
        got = call(services, clients, i, "POST", "/leads", body, rec)
        assert got is not None and got[0] in (200, 201), got
        assert got[1]["id"] == lead


def tick(services: list[Service], clients: dict[int, Client], n: int, rec: Recorder) -> None:
    got = call(services, clients, n, "POST", "/tick", {}, rec, attempts=3)
    if got is None:
        return
    status, data, _ = got
    assert status == 200, (status, data)
    reclaims = sum(1 for e in data["effects"] if e.get("type") == "moved" and e.get("via") == "auto_reclaim")
    with rec.lock:
        rec.reclaims += reclaims


def race(services: list[Service], victim: Service) -> Recorder:
    rec = Recorder()
    deadline = time.monotonic() + RACE_SECONDS
    stop = threading.Event()
    kill_report: dict[str, Any] = {}

    def rep_worker(k: int, rep: str) -> None:
        rng = random.Random(k)
        clients: dict[int, Client] = {}
        held: set[str] = set()
        op = -1
        after = 0  # requests sent since the killed service came back
        # MAX_OPS requests each, and on until a few went out after the killed service came back
        # (bounded by the deadline).
        while True:
            op += 1
            if "restarted" in kill_report:
                after += 1
            if time.monotonic() > deadline or stop.is_set() or (op >= MAX_OPS and after > len(services)):
                break
            cid = f"{rep}-{op}"
            r = rng.random()
            lead = rng.choice(sorted(held)) if held else None
            if lead and r < 0.12:
                kind, body = "return", {"rep": rep, "reason": "not a fit", "command_id": cid}
            elif lead and r < 0.27:
                kind, body = "follow-up", {"rep": rep, "kind": "call", "command_id": cid}
            elif lead and r < 0.35:
                other = rng.choice([x for x in REPS if x != rep])
                kind, body = "transfer", {"from": rep, "to": other, "reason": "territory", "command_id": cid}
            else:
                lead = rng.choice(LEADS)
                kind, body = "claim", {"rep": rep, "command_id": cid}
            got = call(services, clients, k + op, "POST", f"/leads/{lead}/{kind}", body, rec)
            if got is None:
                continue
            status, data, _ = got
            if status == 200:
                result = data["result"]
                if result.get("duplicate"):
                    with rec.lock:
                        rec.duplicates += 1
                rec.add(kind=kind, lead=lead, rep=rep, to=body.get("to"), at=result["at"], command_id=cid)
                if kind == "claim":
                    held.add(lead)
                elif kind in ("return", "transfer"):
                    held.discard(lead)
            else:
                assert status in (404, 409), (status, data)
                with rec.lock:
                    rec.refused[data["error"]] += 1
                if data["error"] in ("not_owner", "not_owned"):
                    held.discard(lead)
        for c in clients.values():
            c.close()

    def killer() -> None:
        # SIGKILL one Python service mid-load (a third of the requests answered), restart it on
        # the same port while the clients carry on against the others.
        while sum(rec.served_by.values()) < len(REPS) * MAX_OPS // 3 and time.monotonic() < deadline and not stop.is_set():
            time.sleep(0.01)
        with rec.lock:
            kill_report["answered_before"] = sum(rec.served_by.values())
        victim.kill(signal.SIGKILL)
        kill_report["killed"] = time.monotonic()
        time.sleep(0.5)
        victim.start()
        victim.wait_healthy(120)
        with rec.lock:
            kill_report["served_before_restart"] = rec.served_by[victim.name]
        kill_report["restarted"] = time.monotonic()

    def ticker() -> None:
        # Every service ticks in turn, racing the claims (and each other) on the due leads.
        clients: dict[int, Client] = {}
        n = 0
        while not stop.is_set():
            n += 1
            tick(services, clients, n, rec)
            stop.wait(0.3)
        for c in clients.values():
            c.close()

    errors: list[BaseException] = []

    def guarded(fn, *args):  # an assertion in a thread fails the test, not just the thread
        def run() -> None:
            try:
                fn(*args)
            except BaseException as e:  # noqa: BLE001
                errors.append(e)
                stop.set()
        return threading.Thread(target=run)

    threads = [guarded(rep_worker, k, rep) for k, rep in enumerate(REPS)]
    extra = [guarded(killer), guarded(ticker)]
    for t in threads + extra:
        t.start()
    for t in threads:
        t.join(timeout=RACE_SECONDS + 120)
    stop.set()  # the ticker stops; the killer finishes its restart
    for t in extra:
        t.join(timeout=150)
    assert not any(t.is_alive() for t in threads + extra), "a client thread hung"
    if errors:
        raise errors[0]
    assert "restarted" in kill_report, "the killed service did not come back"
    rec.kill_report = kill_report  # type: ignore[attr-defined]
    return rec


def check_database(db: str, rec: Recorder) -> dict[str, Any]:
    store = harness.service_store.open_store(db)
    leads = store.all_rows("lead")
    reps = store.all_rows("rep")
    assert set(leads) == set(LEADS)

    # One holder per lead, and at most one open ownership in its history (matching the holder).
    owned_by: Counter[str] = Counter()
    for lid, lead in leads.items():
        holder = lead["holder"]
        open_ones = [o for o in lead.get("owners", []) if not o.get("until") and not o.get("ended")]
        if holder.get("status") == "owned":
            owned_by[holder["rep"]] += 1
            assert [o["rep"] for o in open_ones] == [holder["rep"]], (lid, lead)
        else:
            assert open_ones == [], (lid, lead)

    # No rep over its holding cap; the counters agree with the leads.
    for rep in REPS:
        assert owned_by[rep] <= HOLDING_CAP, (rep, owned_by[rep])
        counters = reps.get(rep, {})
        assert counters.get("holdings", 0) == owned_by[rep], (rep, counters, owned_by[rep])
        assert counters.get("intake", 0) <= DAILY_CAP, (rep, counters)

    # No rep received more than its daily cap on any local (+08:00) day, from the histories.
    received: Counter[tuple[str, dt.date]] = Counter()
    for lead in leads.values():
        for o in lead.get("owners", []):
            received[(o["rep"], instant(o["from"]).astimezone(OFFSET).date())] += 1
    assert max(received.values(), default=0) <= DAILY_CAP, received.most_common(3)

    # Every write a client saw accepted is in the rows.
    for w in rec.accepted:
        owners = leads[w["lead"]].get("owners", [])
        at = instant(w["at"])
        if w["kind"] == "claim":
            assert any(o["rep"] == w["rep"] and o.get("via") == "claim" and instant(o["from"]) == at for o in owners), (w, owners)
        elif w["kind"] == "transfer":
            assert any(o["rep"] == w["to"] and o.get("via") == "transfer" and instant(o["from"]) == at for o in owners), (w, owners)
            assert any(o["rep"] == w["rep"] and o.get("until") and instant(o["until"]) == at for o in owners), (w, owners)
        elif w["kind"] == "return":
            assert any(o["rep"] == w["rep"] and o.get("until") and instant(o["until"]) == at for o in owners), (w, owners)
        elif w["kind"] == "follow-up":
            assert any(o["rep"] == w["rep"] and instant(o["from"]) <= at for o in owners), (w, owners)

    # The rows are exactly what a replay of the log gives, from the start or from a snapshot
    # taken half way.
    diffs = service_replay.differences(store)
    assert not diffs, "\n".join(diffs)
    diffs = service_replay.differences(store, snapshot_at=len(store.log_entries()) // 2)
    assert not diffs, "\n".join(diffs)
    return {"leads": leads, "owned": sum(owned_by.values()), "log": len(store.log_entries())}


def check_idempotent_retry(services: list[Service], db: str, rec: Recorder) -> None:
    """An accepted claim sent again with its command id, to another service: the same outcome,
    marked duplicate, and nothing written."""
    claims = [w for w in rec.accepted if w["kind"] == "claim"]
    assert claims, "no claim was accepted"
    w = claims[-1]  # a recent one: each lead remembers its last 16 command ids
    store = harness.service_store.open_store(db)
    before = len(store.log_entries())
    for svc in services:
        status, data, _ = Client(svc.port).request("POST", f"/leads/{w['lead']}/claim", {"rep": w["rep"], "command_id": w["command_id"]})
        assert status == 200, (svc.name, status, data)
        assert data["result"]["duplicate"] is True and data["result"]["at"] == w["at"], data
    assert len(store.log_entries()) == before


def run_scenario(services: list[Service], victim: Service, db: str) -> None:
    with running(services):
        seed_leads(services)
        t0 = time.monotonic()
        rec = race(services, victim)
        elapsed = time.monotonic() - t0
        # Every protection has run out: the ticks reclaim whatever is still owned.
        time.sleep(PROTECTION_MAX_SECONDS + 0.5)
        clients: dict[int, Client] = {}
        for n in range(len(services)):
            tick(services, clients, n, rec)
        summary = check_database(db, rec)
        check_idempotent_retry(services, db, rec)
    kinds = Counter(w["kind"] for w in rec.accepted)
    print(f"\n{db.split(':')[0]}: {len(rec.accepted)} accepted {dict(kinds)}, refused {dict(rec.refused)}, "
          f"{rec.retries} client retries, {rec.duplicates} duplicates, {rec.unknown} unanswered, {rec.reclaims} tick reclaims, "
          f"{summary['log']} log entries, {summary['owned']} leads owned at the end, {elapsed:.1f} s; "
          f"killed after {rec.kill_report['answered_before']} answers, back in "  # type: ignore[attr-defined]
          f"{rec.kill_report['restarted'] - rec.kill_report['killed']:.1f} s; "  # type: ignore[attr-defined]
          f"served by {dict(rec.served_by)}")
    assert kinds["claim"] >= 20, kinds
    assert rec.refused, "no refusal at all: the race did not contend"
    assert rec.retries > 0, "no client met the killed service: the kill came too late"
    assert rec.reclaims > 0 and summary["owned"] == 0, (rec.reclaims, summary["owned"])
    assert rec.served_by[victim.name] > rec.kill_report["served_before_restart"], "the restarted service served nothing"  # type: ignore[attr-defined]


def test_race_postgres(pg_url: str, policy_file: Path, tmp_path: Path) -> None:
    py1 = Service("python", pg_url, policy_file, logdir=tmp_path)
    py2 = Service("python", pg_url, policy_file, logdir=tmp_path)
    node = Service("node", pg_url, policy_file, logdir=tmp_path)
    run_scenario([py1, py2, node], py1, pg_url)


def test_race_sqlite(policy_file: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'leads.db'}"
    py = Service("python", db, policy_file, logdir=tmp_path)
    node = Service("node", db, policy_file, logdir=tmp_path)
    run_scenario([py, node], py, db)


def test_lead_flow_on_both_services(tmp_path: Path) -> None:
    """The non-pool endpoints with the demo policy (routing): ingest, dedupe, events that move
    the stage, reports, a claim; the Python and Node services on one SQLite file."""
    db = f"sqlite:///{tmp_path / 'flow.db'}"
    py = Service("python", db, logdir=tmp_path)
    node = Service("node", db, logdir=tmp_path)
    with running([py, node]):
        for svc, lead_id, phone in ((py, "P1", "+86 138-0013-8000"), (node, "N1", "13900139000")):
            c = Client(svc.port)
            lead = {"id": lead_id, "source": {"channel": "sem"},
                    "attributes": {"phone": phone, "wanted_item_id": "SKU42", "company": "云帆科技有限公司",
                                   "company_verified": True, "industry": "saas", "region": "east", "employees": 120,
                                   "quote_reaction": "neutral"}}
            status, body, headers = c.request("POST", "/leads", lead)
            assert status == 201, body
            assert body["profile"]["lead"]["stage"] == "SQL", body  # MQL and SQL gates pass
            assert body["pool"]["holder"]["status"] == "owned", body  # routed to the east team
            assert "leadcore;dur=" in headers["server-timing"]
            # The same person again (same phone, other spelling): deduped, not created.
            other = Client((node if svc is py else py).port)
            status, dup, _ = other.request("POST", "/leads", {**lead, "id": lead_id + "-again"})
            assert (status, dup["created"], dup["duplicate_of"]) == (200, False, lead_id), dup
            # Events: scored, and the SAL gate passes once the lead answers a call.
            status, ev, _ = c.request("POST", f"/leads/{lead_id}/events",
                                      {"id": "e1", "kind": "download", "properties": {"channel": "content"}})
            assert status == 200 and ev["profile"]["score"]["behavior"] > 0, ev
            assert not ev["stage_changed"] and ev["profile"]["lead"]["stage"] == "SQL", ev
            status, ev, _ = other.request("POST", f"/leads/{lead_id}/events", {"id": "e1", "kind": "download"})
            assert (status, ev["duplicate"]) == (200, True), ev
            # A call answered: responsive, and the quote was not rejected: the SAL gate passes.
            status, ev, _ = other.request("POST", f"/leads/{lead_id}/events", {"id": "e2", "kind": "call"})
            assert status == 200 and ev["stage_changed"] and ev["profile"]["lead"]["stage"] == "SAL", ev
            status, view, _ = other.request("GET", f"/leads/{lead_id}")
            assert status == 200 and view["pool"] and view["profile"]["lead"]["id"] == lead_id
            assert view["pool"]["stage"] == "SAL", view  # the pool heard stage_changed
            owner = view["pool"]["holder"]["rep"]
            status, fu, _ = c.request("POST", f"/leads/{lead_id}/follow-up", {"rep": owner, "kind": "call"})
            assert status == 200, fu
            status, ret, _ = other.request("POST", f"/leads/{lead_id}/return", {"rep": owner, "reason": "wrong contact"})
            assert status == 200 and ret["lead"]["holder"]["status"] != "owned", ret
            status, again, _ = c.request("POST", f"/leads/{lead_id}/claim", {"rep": owner})
            assert status == 409, again  # the cooldown after a return
            # Archived through the other service: the row stays as a tombstone at the next version.
            store = harness.service_store.open_store(db)
            before = store.load("lead", [lead_id])[lead_id]["version"]
            status, gone, _ = other.request("POST", f"/leads/{lead_id}/archive", {})
            assert status == 200 and gone["lead"] is None, gone
            assert gone["result"]["effects"][-1]["how"] == "archived", gone
            tombstones: dict[str, int] = {}
            assert store.load("lead", [lead_id], tombstones) == {} and tombstones == {lead_id: before + 1}
            status, missing, _ = c.request("POST", f"/leads/{lead_id}/claim", {"rep": owner})
            assert status == 404, missing
            c.close()
            other.close()
        for svc in (py, node):
            c = Client(svc.port)
            status, funnel, _ = c.request("GET", "/reports/funnel")
            assert status == 200 and funnel, funnel
            status, attribution, _ = c.request("GET", "/reports/attribution")
            assert status == 200 and attribution.get("models"), attribution
            status, tick, _ = c.request("POST", "/tick", {})
            assert status == 200, tick
            status, missing, _ = c.request("POST", "/leads/nope/claim", {"rep": "wang"})
            assert status == 404, missing
            c.close()
        store = harness.service_store.open_store(db)
        assert not service_replay.differences(store)


def test_policy_change_replays_under_each_fingerprint(tmp_path: Path) -> None:
    """A new policy rolled out by restarting the service: the rows need no migration, the log
    holds entries under both fingerprints, and the replay (with both policies, read from the
    policies table) still equals the rows."""
    db = f"sqlite:///{tmp_path / 'policy.db'}"
    first = {**RACE_POLICY, "protection": {"default_days": 10, "extension_days": 3, "max_days": 20, "warn_days": 2}}
    second = {**first, "reps": [{**r, "holding_cap": 1} for r in first["reps"]]}  # caps cut to 1
    fingerprints = []
    for n, policy in enumerate((first, second)):
        path = tmp_path / f"policy{n}.json"
        path.write_text(json.dumps(policy))
        svc = Service("python", db, path, logdir=tmp_path)
        with running([svc]):
            c = Client(svc.port)
            fingerprints.append(c.request("GET", "/healthz")[1]["policy"])
            for i in range(2):
                lead = f"Q{n}{i}"
                assert c.request("POST", "/leads", {"id": lead})[0] == 201
                status, body, _ = c.request("POST", f"/leads/{lead}/claim", {"rep": "r00", "command_id": f"q{n}{i}"})
                if n == 0:
                    assert status == 200, body  # cap 3: both claims
                else:
                    # r00 already holds 2 leads from before: over the new cap of 1
                    assert (status, body["error"]) == (409, "holding_cap_reached"), body
            c.close()
    store = harness.service_store.open_store(db)
    assert fingerprints[0] != fingerprints[1] and set(store.policies()) == set(fingerprints)
    assert {fp for _, fp, _ in store.log_entries()} == set(fingerprints)
    assert not service_replay.differences(store)
    # The comparison is not vacuous: a row changed behind the log's back is found.
    with store.transaction() as tx:
        store.execute(tx, "UPDATE reps SET record = REPLACE(record, '\"holdings\":2', '\"holdings\":3') WHERE id = 'r00'", [])
    assert [d.split(":")[0] for d in service_replay.differences(store)] == ["reps/r00"]
