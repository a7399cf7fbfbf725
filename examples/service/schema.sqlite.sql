-- leadcore reference services: the SQLite schema (same tables and columns as
-- schema.postgres.sql; read that file for what each one holds). Instants are TEXT in one fixed
-- form, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, six decimals), so that text order is time order.
--
-- The pool state is stored as rows, one per lead, rep and team: `record` is leadcore's JSON for
-- that row (with its `version` and `clock`), `version` is the same number kept as a column for
-- the compare-and-set (`UPDATE ... WHERE id = ? AND version = ?`). A row whose record is
-- NULL is a placeholder at version 0: it only exists so that a transaction can lock "this row
-- must still be at version 0" (see the README); at a later version it is a deleted lead's
-- tombstone, so the id's versions never restart.

CREATE TABLE IF NOT EXISTS leads (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    due_at  TEXT,                 -- when `tick` must next look at the lead (NULL: never)
    record  TEXT                  -- leadcore's lead record (JSON text)
);
CREATE INDEX IF NOT EXISTS leads_due_at ON leads (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS reps (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    record  TEXT                  -- the rep's counters (holdings, intake of the day)
);

CREATE TABLE IF NOT EXISTS teams (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    record  TEXT                  -- the team's rotation (round robin position, weights, seed)
);

-- The CRM side of a lead: attributes, source, stage and its history, the last score and
-- qualification verdict. Written by ingest and events, read by the reports.
CREATE TABLE IF NOT EXISTS profiles (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    doc     TEXT NOT NULL
);

-- Dedupe keys (normalized phone, email key) -> the lead that holds them.
CREATE TABLE IF NOT EXISTS lead_keys (
    key     TEXT PRIMARY KEY,
    lead_id TEXT NOT NULL
);

-- Engagement events, one per (lead, event id): a redelivered event is stored once.
CREATE TABLE IF NOT EXISTS events (
    lead_id TEXT NOT NULL,
    id      TEXT NOT NULL,
    at      TEXT NOT NULL,
    event   TEXT NOT NULL,
    PRIMARY KEY (lead_id, id)
);

-- The pool command log, appended in the same transaction as the rows it explains. Replaying it
-- in (at, seq) order through PoolState.replay rebuilds every lead, rep and team record.
CREATE TABLE IF NOT EXISTS log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    fingerprint TEXT NOT NULL,    -- the PoolPolicy the entry was applied under
    entry       TEXT NOT NULL     -- {"op": "apply" | "tick", "at": ..., "command": ...}
);

-- Every policy the log refers to, by fingerprint (a replay needs each of them).
CREATE TABLE IF NOT EXISTS policies (
    fingerprint TEXT PRIMARY KEY,
    config      TEXT NOT NULL,
    first_seen  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
