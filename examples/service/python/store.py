"""Storage for the reference service: SQLite (stdlib ``sqlite3``, the embedded default) or
PostgreSQL (``psycopg`` 3), behind one small interface.

Everything leadcore needs from a database is here: load rows by id, load the leads due for a
tick through the ``due_at`` index, and write a set of rows in ONE transaction where every row is
a compare-and-set on its version. A row that moved since it was loaded raises ``Conflict``; the
caller reloads and recomputes (see ``app.py``). There is no global lock: two requests that touch
different leads and reps commit side by side.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE.parent

KINDS = ("lead", "rep", "team")
TABLE = {"lead": "leads", "rep": "reps", "team": "teams"}
PLURAL = {"lead": "leads", "rep": "reps", "team": "teams"}


class Conflict(Exception):
    """A compare-and-set found a row at another version (or a key already taken): retry."""


def parse_instant(text: str) -> dt.datetime:
    """RFC 3339 text (``Z`` or an offset) to an aware UTC datetime."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"instant without offset: {text!r}")
    return value.astimezone(dt.timezone.utc)


def fixed_instant(value: str | dt.datetime) -> str:
    """One text form for instants in SQLite (UTC, six decimals) so text order is time order."""
    if isinstance(value, str):
        value = parse_instant(value)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _row_order(row: Mapping[str, Any]) -> tuple[int, str]:
    # Every transaction writes rows in one global order (kind, then id), so two transactions
    # cannot wait on each other's rows in opposite orders (no deadlocks in PostgreSQL).
    return (KINDS.index(row["kind"]), str(row["id"]))


class Store:
    """The interface both back ends implement."""

    dialect = "?"

    # -- reads (outside any transaction; the CAS at write time catches anything that moved) --

    def load(
        self, kind: str, ids: Iterable[str], gone: Optional[dict[str, int]] = None
    ) -> dict[str, dict[str, Any]]:
        """The records of the rows that exist. A row with a NULL record is a placeholder
        (version 0: absent) or a deleted lead's tombstone (its version goes into ``gone``)."""
        ids = sorted(set(ids))
        if not ids:
            return {}
        marks = ", ".join([self.mark] * len(ids))
        rows = self.query(f"SELECT id, version, record FROM {TABLE[kind]} WHERE id IN ({marks})", ids)
        if gone is not None:
            gone.update({i: int(v) for i, v, r in rows if r is None and int(v) > 0})
        return {i: json.loads(r) for i, _, r in rows if r is not None}

    def due_leads(self, now: dt.datetime, limit: int) -> dict[str, dict[str, Any]]:
        """Leads whose ``due_at`` is at or before ``now`` (the index), earliest first."""
        rows = self.query(
            f"SELECT id, record FROM leads WHERE due_at IS NOT NULL AND due_at <= {self.ts} "
            f"AND record IS NOT NULL ORDER BY due_at, id LIMIT {int(limit)}",
            [self.instant(now)],
        )
        return {i: json.loads(r) for i, r in rows}

    def profile(self, lead_id: str) -> Optional[tuple[int, dict[str, Any]]]:
        rows = self.query(f"SELECT version, doc FROM profiles WHERE id = {self.mark}", [lead_id])
        return (int(rows[0][0]), json.loads(rows[0][1])) if rows else None

    def profiles(self) -> list[dict[str, Any]]:
        return [json.loads(d) for (d,) in self.query("SELECT doc FROM profiles ORDER BY id", [])]

    def events(self, lead_id: Optional[str] = None) -> list[dict[str, Any]]:
        if lead_id is None:
            rows = self.query("SELECT event FROM events ORDER BY lead_id, at, id", [])
        else:
            rows = self.query(f"SELECT event FROM events WHERE lead_id = {self.mark} ORDER BY at, id", [lead_id])
        return [json.loads(e) for (e,) in rows]

    def key_owner(self, keys: Sequence[str]) -> Optional[str]:
        if not keys:
            return None
        marks = ", ".join([self.mark] * len(keys))
        rows = self.query(f"SELECT lead_id FROM lead_keys WHERE key IN ({marks}) ORDER BY key", list(keys))
        return rows[0][0] if rows else None

    def log_entries(self) -> list[tuple[int, str, dict[str, Any]]]:
        """``(seq, fingerprint, entry)`` in the order a replay must use: by time, then seq."""
        rows = self.query("SELECT seq, fingerprint, entry FROM log", [])
        out = [(int(s), f, json.loads(e)) for s, f, e in rows]
        out.sort(key=lambda r: (parse_instant(r[2]["at"]), r[0]))
        return out

    def policies(self) -> dict[str, dict[str, Any]]:
        return {f: json.loads(c) for f, c in self.query("SELECT fingerprint, config FROM policies", [])}

    def tombstones(self) -> dict[str, int]:
        """Deleted leads' rows: their versions."""
        return {i: int(v) for i, v in self.query("SELECT id, version FROM leads WHERE record IS NULL AND version > 0", [])}

    def all_rows(self, kind: str) -> dict[str, dict[str, Any]]:
        rows = self.query(f"SELECT id, record FROM {TABLE[kind]} WHERE record IS NOT NULL", [])
        return {i: json.loads(r) for i, r in rows}

    # -- writes ----------------------------------------------------------------------------

    def write_rows(self, tx: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Compare-and-set every row leadcore returned, in one global order.

        - ``record`` present: the row must be at ``expected`` (0: absent or a placeholder);
          it becomes ``record`` at version ``expected + 1``.
        - ``record`` null: a deleted lead; its row becomes a tombstone (NULL record) at
          ``version``, so a lead created again under the id goes on from that version and a
          write prepared against the deleted record cannot match it.
        - ``check``: a row that was only read; it must still be at ``expected`` (locked until
          the commit, so nobody moves it under us).
        """
        for row in sorted(rows, key=_row_order):
            kind, rid, expected = row["kind"], str(row["id"]), int(row["expected"])
            table = TABLE[kind]
            if row.get("check") and "record" not in row:
                if expected == 0:
                    # Lock "still at version 0": a placeholder row, or the one that is there.
                    n = self.execute(
                        tx,
                        f"INSERT INTO {table} (id, version, record) VALUES ({self.mark}, 0, NULL) "
                        f"ON CONFLICT (id) DO UPDATE SET version = {table}.version WHERE {table}.version = 0",
                        [rid],
                    )
                else:
                    n = self.execute(
                        tx,
                        f"UPDATE {table} SET version = version WHERE id = {self.mark} AND version = {self.mark}",
                        [rid, expected],
                    )
            elif row.get("record") is None:
                n = self.execute(
                    tx,
                    f"UPDATE leads SET version = {self.mark}, due_at = NULL, record = NULL "
                    f"WHERE id = {self.mark} AND version = {self.mark}",
                    [int(row["version"]), rid, expected],
                )
            else:
                record = row["record"]
                version = int(record.get("version", expected + 1))
                text = json.dumps(record, separators=(",", ":"), ensure_ascii=False)
                due = row.get("due_at")
                due_value = self.instant(due) if (kind == "lead" and due) else None
                if expected == 0:
                    if kind == "lead":
                        n = self.execute(
                            tx,
                            f"INSERT INTO leads (id, version, due_at, record) VALUES ({self.mark}, {self.mark}, {self.ts}, {self.mark}) "
                            f"ON CONFLICT (id) DO UPDATE SET version = excluded.version, due_at = excluded.due_at, "
                            f"record = excluded.record WHERE leads.version = 0",
                            [rid, version, due_value, text],
                        )
                    else:
                        n = self.execute(
                            tx,
                            f"INSERT INTO {table} (id, version, record) VALUES ({self.mark}, {self.mark}, {self.mark}) "
                            f"ON CONFLICT (id) DO UPDATE SET version = excluded.version, record = excluded.record "
                            f"WHERE {table}.version = 0",
                            [rid, version, text],
                        )
                elif kind == "lead":
                    n = self.execute(
                        tx,
                        f"UPDATE leads SET version = {self.mark}, due_at = {self.ts}, record = {self.mark} "
                        f"WHERE id = {self.mark} AND version = {self.mark}",
                        [version, due_value, text, rid, expected],
                    )
                else:
                    n = self.execute(
                        tx,
                        f"UPDATE {table} SET version = {self.mark}, record = {self.mark} WHERE id = {self.mark} AND version = {self.mark}",
                        [version, text, rid, expected],
                    )
            if n != 1:
                raise Conflict(f"{kind} {rid} is not at version {expected}")

    def append_log(self, tx: Any, entries: Sequence[Mapping[str, Any]], fingerprint: str) -> None:
        for entry in entries:
            self.execute(
                tx,
                f"INSERT INTO log (at, fingerprint, entry) VALUES ({self.ts}, {self.mark}, {self.mark})",
                [self.instant(entry["at"]), fingerprint, json.dumps(entry, separators=(",", ":"), ensure_ascii=False)],
            )

    def insert_profile(self, tx: Any, lead_id: str, doc: Mapping[str, Any]) -> None:
        n = self.execute(
            tx,
            f"INSERT INTO profiles (id, version, doc) VALUES ({self.mark}, 1, {self.mark}) ON CONFLICT (id) DO NOTHING",
            [lead_id, json.dumps(doc, ensure_ascii=False)],
        )
        if n != 1:
            raise Conflict(f"lead {lead_id} already has a profile")

    def update_profile(self, tx: Any, lead_id: str, expected: int, doc: Mapping[str, Any]) -> None:
        n = self.execute(
            tx,
            f"UPDATE profiles SET version = {self.mark}, doc = {self.mark} WHERE id = {self.mark} AND version = {self.mark}",
            [expected + 1, json.dumps(doc, ensure_ascii=False), lead_id, expected],
        )
        if n != 1:
            raise Conflict(f"profile {lead_id} is not at version {expected}")

    def insert_keys(self, tx: Any, keys: Sequence[str], lead_id: str) -> None:
        for key in keys:
            n = self.execute(
                tx,
                f"INSERT INTO lead_keys (key, lead_id) VALUES ({self.mark}, {self.mark}) ON CONFLICT (key) DO NOTHING",
                [key, lead_id],
            )
            if n != 1:
                raise Conflict(f"key {key} is already taken")

    def insert_event(self, tx: Any, event: Mapping[str, Any]) -> bool:
        """Stores an event once; False when that (lead, id) was already stored."""
        n = self.execute(
            tx,
            f"INSERT INTO events (lead_id, id, at, event) VALUES ({self.mark}, {self.mark}, {self.ts}, {self.mark}) "
            f"ON CONFLICT (lead_id, id) DO NOTHING",
            [event["lead_id"], event["id"], self.instant(event["at"]), json.dumps(event, ensure_ascii=False)],
        )
        return n == 1

    def register_policy(self, fingerprint: str, config: Mapping[str, Any]) -> None:
        with self.transaction() as tx:
            self.execute(
                tx,
                f"INSERT INTO policies (fingerprint, config) VALUES ({self.mark}, {self.mark}) ON CONFLICT (fingerprint) DO NOTHING",
                [fingerprint, json.dumps(config, ensure_ascii=False)],
            )

    # -- back-end specific ----------------------------------------------------------------
    mark = "?"
    ts = "?"

    def instant(self, value: Any) -> Any:
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def execute(self, tx: Any, sql: str, params: Sequence[Any]) -> int:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        raise NotImplementedError
        yield  # pragma: no cover


class SqliteStore(Store):
    """SQLite in WAL mode: readers never block; writers take the database's write lock with
    ``BEGIN IMMEDIATE`` (several processes may share the file: SQLite locks it)."""

    dialect = "sqlite"
    mark = "?"
    ts = "?"

    def __init__(self, path: str) -> None:
        self.path = path
        self.local = threading.local()
        # The threads of one process queue for the write lock here, not in SQLite's busy
        # handler (which sleeps 1, 2, 5, 10... ms between tries); other processes still wait
        # on the file lock with the busy timeout.
        self.writer = threading.Lock()
        self.conn().executescript((SCHEMAS / "schema.sqlite.sql").read_text())

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA busy_timeout = 30000")
            self.local.conn = conn
        return conn

    def instant(self, value: Any) -> Any:
        return None if value is None else fixed_instant(value)

    def query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self.conn().execute(sql, params).fetchall()

    def execute(self, tx: Any, sql: str, params: Sequence[Any]) -> int:
        return tx.execute(sql, params).rowcount

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn()
        with self.writer:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


class PostgresStore(Store):
    """PostgreSQL through psycopg 3, a small pool of connections. READ COMMITTED is enough: an
    ``UPDATE ... WHERE version = $n`` re-reads the row after waiting for its lock, so a
    compare-and-set never passes on a stale version."""

    dialect = "postgresql"
    mark = "%s"
    ts = "CAST(%s AS TIMESTAMPTZ)"

    def __init__(self, url: str, size: int = 8) -> None:
        import psycopg  # only needed for PostgreSQL

        self.psycopg = psycopg
        self.url = url
        self.free: "queue.LifoQueue[Any]" = queue.LifoQueue()
        self.slots = threading.BoundedSemaphore(size)
        with self.transaction() as conn:
            # Several processes may start at once: one creates the schema, the others wait.
            conn.execute("SELECT pg_advisory_xact_lock(7261001)")
            conn.execute((SCHEMAS / "schema.postgres.sql").read_text())

    @contextmanager
    def connection(self) -> Iterator[Any]:
        self.slots.acquire()
        try:
            try:
                conn = self.free.get_nowait()
            except queue.Empty:
                conn = self.psycopg.connect(self.url, autocommit=True)
            if conn.closed:
                conn = self.psycopg.connect(self.url, autocommit=True)
            try:
                yield conn
            except self.psycopg.OperationalError:
                conn.close()  # a broken connection is not reused
                raise
            except BaseException:
                self.free.put(conn)
                raise
            self.free.put(conn)
        finally:
            self.slots.release()

    def instant(self, value: Any) -> Any:
        if value is None:
            return None
        return value if isinstance(value, str) else value.isoformat()

    def query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self.connection() as conn:
            return conn.execute(sql, params).fetchall()

    def execute(self, tx: Any, sql: str, params: Sequence[Any]) -> int:
        return tx.execute(sql, params).rowcount

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        errors = self.psycopg.errors
        with self.connection() as conn:
            try:
                with conn.transaction():
                    yield conn
            except (errors.DeadlockDetected, errors.SerializationFailure, errors.UniqueViolation) as e:
                raise Conflict(str(e)) from e


def open_store(url: Optional[str] = None) -> Store:
    """``LEADCORE_DB``: ``sqlite:///path/to/file.db`` (the default, ``./leadcore-service.db``)
    or ``postgresql://user@host:port/db``."""
    url = url or os.environ.get("LEADCORE_DB") or "sqlite:///leadcore-service.db"
    if url.startswith("sqlite:///"):
        return SqliteStore(url[len("sqlite:///"):])
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url, size=int(os.environ.get("LEADCORE_DB_POOL", "8")))
    raise ValueError(f"unsupported LEADCORE_DB {url!r}: use sqlite:///path or postgresql://...")
