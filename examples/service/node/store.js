'use strict'
// Storage for the Node reference service: PostgreSQL through `pg`, SQLite through `libsql` (a
// SQLite build shipped as a prebuilt npm package, no compiler needed; it locks the file like
// every SQLite, so it shares a database file with the Python service). Same tables, same
// compare-and-set writes as examples/service/python/store.py: read that file for the why.

const fs = require('node:fs')
const path = require('node:path')

const KINDS = ['lead', 'rep', 'team']
const TABLE = { lead: 'leads', rep: 'reps', team: 'teams' }

class Conflict extends Error {}

function parseInstant (text) {
  const d = new Date(text)
  if (Number.isNaN(d.getTime())) throw new Error(`bad instant \`${text}\``)
  return d
}

// One text form for instants in SQLite (UTC, six decimals) so that text order is time order.
// RFC 3339 text may carry more than millisecond precision: keep its digits.
function fixedInstant (value) {
  if (value instanceof Date) return value.toISOString().replace('Z', '000Z')
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.exec(value)
  if (m && m[3].toUpperCase() === 'Z') return `${m[1]}.${((m[2] || '.').slice(1) + '000000').slice(0, 6)}Z`
  return parseInstant(value).toISOString().replace('Z', '000Z')
}

const rowOrder = (a, b) => (KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind)) || (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0)

class Store {
  // `q` turns a statement written with `?` into the dialect's placeholders.
  // The records of the rows that exist. A row with a NULL record is a placeholder (version 0:
  // absent) or a deleted lead's tombstone (its version goes into `gone`).
  async load (kind, ids, gone) {
    ids = [...new Set(ids)].sort()
    if (ids.length === 0) return {}
    const rows = await this.query(`SELECT id, version, record FROM ${TABLE[kind]} WHERE id IN (${ids.map(() => '?').join(', ')})`, ids)
    if (gone) for (const r of rows) if (r.record == null && Number(r.version) > 0) gone[r.id] = Number(r.version)
    return Object.fromEntries(rows.filter(r => r.record != null).map(r => [r.id, JSON.parse(r.record)]))
  }

  async dueLeads (now, limit) {
    const rows = await this.query(
      `SELECT id, record FROM leads WHERE due_at IS NOT NULL AND due_at <= ${this.ts} AND record IS NOT NULL ORDER BY due_at, id LIMIT ${Number(limit) | 0}`,
      [this.instant(now)])
    return Object.fromEntries(rows.map(r => [r.id, JSON.parse(r.record)]))
  }

  async profile (id) {
    const rows = await this.query('SELECT version, doc FROM profiles WHERE id = ?', [id])
    return rows.length ? { version: Number(rows[0].version), doc: JSON.parse(rows[0].doc) } : null
  }

  async profiles () {
    return (await this.query('SELECT doc FROM profiles ORDER BY id', [])).map(r => JSON.parse(r.doc))
  }

  async events (leadId) {
    const rows = leadId == null
      ? await this.query('SELECT event FROM events ORDER BY lead_id, at, id', [])
      : await this.query('SELECT event FROM events WHERE lead_id = ? ORDER BY at, id', [leadId])
    return rows.map(r => JSON.parse(r.event))
  }

  async keyOwner (keys) {
    if (!keys.length) return null
    const rows = await this.query(`SELECT lead_id FROM lead_keys WHERE key IN (${keys.map(() => '?').join(', ')}) ORDER BY key`, keys)
    return rows.length ? rows[0].lead_id : null
  }

  // Compare-and-set every row leadcore returned, in one global order (kind, id): see store.py.
  async writeRows (tx, rows) {
    for (const row of [...rows].sort(rowOrder)) {
      const table = TABLE[row.kind]
      const id = String(row.id)
      const expected = Number(row.expected)
      let n
      if (row.check && !('record' in row)) {
        n = expected === 0
          ? await tx.run(`INSERT INTO ${table} (id, version, record) VALUES (?, 0, NULL) ON CONFLICT (id) DO UPDATE SET version = ${table}.version WHERE ${table}.version = 0`, [id])
          : await tx.run(`UPDATE ${table} SET version = version WHERE id = ? AND version = ?`, [id, expected])
      } else if (row.record == null) {
        // A deleted lead: its row stays as a tombstone at `version` (see store.py).
        n = await tx.run('UPDATE leads SET version = ?, due_at = NULL, record = NULL WHERE id = ? AND version = ?', [Number(row.version), id, expected])
      } else {
        const version = Number(row.record.version ?? expected + 1)
        const text = JSON.stringify(row.record)
        const due = row.kind === 'lead' && row.due_at ? this.instant(row.due_at) : null
        if (expected === 0) {
          n = row.kind === 'lead'
            ? await tx.run(`INSERT INTO leads (id, version, due_at, record) VALUES (?, ?, ${this.ts}, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, due_at = excluded.due_at, record = excluded.record WHERE leads.version = 0`, [id, version, due, text])
            : await tx.run(`INSERT INTO ${table} (id, version, record) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, record = excluded.record WHERE ${table}.version = 0`, [id, version, text])
        } else {
          n = row.kind === 'lead'
            ? await tx.run(`UPDATE leads SET version = ?, due_at = ${this.ts}, record = ? WHERE id = ? AND version = ?`, [version, due, text, id, expected])
            : await tx.run(`UPDATE ${table} SET version = ?, record = ? WHERE id = ? AND version = ?`, [version, text, id, expected])
        }
      }
      if (n !== 1) throw new Conflict(`${row.kind} ${id} is not at version ${expected}`)
    }
  }

  async appendLog (tx, entries, fingerprint) {
    for (const entry of entries) {
      await tx.run(`INSERT INTO log (at, fingerprint, entry) VALUES (${this.ts}, ?, ?)`, [this.instant(entry.at), fingerprint, JSON.stringify(entry)])
    }
  }

  async insertProfile (tx, id, doc) {
    const n = await tx.run('INSERT INTO profiles (id, version, doc) VALUES (?, 1, ?) ON CONFLICT (id) DO NOTHING', [id, JSON.stringify(doc)])
    if (n !== 1) throw new Conflict(`lead ${id} already has a profile`)
  }

  async updateProfile (tx, id, expected, doc) {
    const n = await tx.run('UPDATE profiles SET version = ?, doc = ? WHERE id = ? AND version = ?', [expected + 1, JSON.stringify(doc), id, expected])
    if (n !== 1) throw new Conflict(`profile ${id} is not at version ${expected}`)
  }

  async insertKeys (tx, keys, leadId) {
    for (const key of keys) {
      const n = await tx.run('INSERT INTO lead_keys (key, lead_id) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, leadId])
      if (n !== 1) throw new Conflict(`key ${key} is already taken`)
    }
  }

  async insertEvent (tx, event) {
    const n = await tx.run(`INSERT INTO events (lead_id, id, at, event) VALUES (?, ?, ${this.ts}, ?) ON CONFLICT (lead_id, id) DO NOTHING`,
      [event.lead_id, event.id, this.instant(event.at), JSON.stringify(event)])
    return n === 1
  }

  async registerPolicy (fingerprint, config) {
    await this.transaction(tx => tx.run('INSERT INTO policies (fingerprint, config) VALUES (?, ?) ON CONFLICT (fingerprint) DO NOTHING', [fingerprint, JSON.stringify(config)]))
  }
}

class SqliteStore extends Store {
  constructor (file) {
    super()
    const Database = require('libsql')
    this.dialect = 'sqlite'
    this.ts = '?'
    this.db = new Database(file, { timeout: 30000 })
    this.db.exec('PRAGMA journal_mode = WAL')
    this.db.exec('PRAGMA synchronous = NORMAL')
    this.db.exec(fs.readFileSync(path.join(__dirname, '..', 'schema.sqlite.sql'), 'utf8'))
    this.statements = new Map()
  }

  prepare (sql) {
    let s = this.statements.get(sql)
    if (!s) { s = this.db.prepare(sql); this.statements.set(sql, s) }
    return s
  }

  instant (value) { return value == null ? null : fixedInstant(value) }

  async query (sql, params) { return this.prepare(sql).all(params) }

  // One connection per process: its transactions take turns (a promise chain), other
  // processes wait on SQLite's file lock (busy timeout). libsql calls are synchronous.
  async transaction (fn) {
    const turn = this.turn || Promise.resolve()
    let done
    this.turn = new Promise(resolve => { done = resolve })
    await turn
    const tx = { run: async (sql, params) => this.prepare(sql).run(params).changes }
    try {
      this.db.exec('BEGIN IMMEDIATE')
      try {
        const out = await fn(tx)
        this.db.exec('COMMIT')
        return out
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        throw e
      }
    } finally {
      done()
    }
  }

  async close () { this.db.close() }
}

// `?` placeholders to `$1, $2, ...` (no statement here has a literal question mark).
function numbered (sql) {
  let i = 0
  return sql.replace(/\?/g, () => `$${++i}`)
}

class PgStore extends Store {
  constructor (url, size) {
    super()
    const { Pool } = require('pg')
    this.dialect = 'postgresql'
    this.ts = 'CAST(? AS TIMESTAMPTZ)'
    this.pool = new Pool({ connectionString: url, max: size })
    this.ready = this.transaction(async tx => {
      await tx.client.query('SELECT pg_advisory_xact_lock(7261001)')
      await tx.client.query(fs.readFileSync(path.join(__dirname, '..', 'schema.postgres.sql'), 'utf8'))
    })
  }

  instant (value) { return value == null ? null : (value instanceof Date ? value.toISOString() : value) }

  async query (sql, params) { return (await this.pool.query(numbered(sql), params)).rows }

  async transaction (fn) {
    const client = await this.pool.connect()
    const tx = { client, run: async (sql, params) => (await client.query(numbered(sql), params)).rowCount }
    let broken = false
    try {
      await client.query('BEGIN')
      const out = await fn(tx)
      await client.query('COMMIT')
      return out
    } catch (e) {
      try { await client.query('ROLLBACK') } catch { broken = true }
      // deadlock_detected, serialization_failure, unique_violation: someone else won, retry.
      if (['40P01', '40001', '23505'].includes(e.code)) throw new Conflict(e.message)
      throw e
    } finally {
      client.release(broken)
    }
  }

  async close () { await this.pool.end() }
}

async function openStore (url) {
  url = url || process.env.LEADCORE_DB || 'sqlite:///leadcore-service.db'
  if (url.startsWith('sqlite:///')) return new SqliteStore(url.slice('sqlite:///'.length))
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    const store = new PgStore(url, Number(process.env.LEADCORE_DB_POOL || 8))
    await store.ready
    return store
  }
  throw new Error(`unsupported LEADCORE_DB \`${url}\`: use sqlite:///path or postgresql://...`)
}

module.exports = { KINDS, TABLE, Conflict, openStore, fixedInstant }
