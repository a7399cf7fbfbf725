// The row-level pool API through the Node binding: rows with versions, compare-and-set
// commits that conflict, command ids answering retries, and rows equal to a replay of the log.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { leadcore as lc } from './support.mjs'

const POLICY = {
  seed: 3,
  utc_offset: '+08:00',
  clock_skew_seconds: 5,
  pools: [{ id: 'a', kind: 'active', region: 'r' }],
  teams: [{ id: 't', strategy: 'round_robin' }],
  reps: [{ id: 'r1', team: 't', holding_cap: 1 }, { id: 'r2', team: 't', holding_cap: 2 }],
  protection: { default_days: 2 },
  routing: { default_pool: 'a', rules: [{ id: 'all', to: { type: 'team', team: 't' } }] },
}
const TABLE = { lead: 'leads', rep: 'reps', team: 'teams' }

class Db {
  constructor() {
    this.rows = { leads: {}, reps: {}, teams: {} }
    this.gone = {} // deleted leads' rows (tombstones): their versions
    this.log = []
  }

  load(commands, policy, now) {
    const records = { leads: {}, reps: {}, teams: {}, gone: {} }
    for (const id of lc.poolNeeds(null, policy, commands).leads) {
      if (this.rows.leads[id]) records.leads[id] = structuredClone(this.rows.leads[id])
      else if (id in this.gone) records.gone[id] = this.gone[id]
    }
    const needs = lc.poolNeeds(records, policy, commands, now)
    for (const table of ['reps', 'teams']) {
      for (const id of needs[table]) if (this.rows[table][id]) records[table][id] = structuredClone(this.rows[table][id])
    }
    return records
  }

  commit(out) {
    for (const row of out.rows) {
      const have = this.rows[TABLE[row.kind]][row.id]?.version ?? (row.kind === 'lead' ? this.gone[row.id] : 0) ?? 0
      if (have !== row.expected) return false
    }
    for (const row of out.rows) {
      if (row.check) continue
      if (row.record) {
        this.rows[TABLE[row.kind]][row.id] = row.record
        delete this.gone[row.id]
      } else {
        delete this.rows[TABLE[row.kind]][row.id]
        this.gone[row.id] = row.version
      }
    }
    this.log.push(...out.log)
    return true
  }
}

test('rows: a claim, a conflicting second write, a retry by id, and the replay', () => {
  const policy = new lc.PoolPolicy(POLICY)
  const db = new Db()
  const now = '2026-01-05T01:00:00Z'
  assert.ok(db.commit(lc.poolApplyRows(null, policy, [{ type: 'deposit', lead: 'L1', pool: 'a' }, { type: 'deposit', lead: 'L2', pool: 'a' }], now)))
  const claim = [{ id: 'req-1', type: 'claim', lead: 'L1', rep: 'r1' }]
  const out = lc.poolApplyRows(db.load(claim, policy, now), policy, claim, now)
  assert.deepEqual(out.rows.map((r) => [r.kind, r.id, r.expected]), [['lead', 'L1', 1], ['rep', 'r1', 0]])
  assert.equal(out.log[0].policy, policy.fingerprint)
  assert.ok(db.commit(out))
  assert.ok(!db.commit(out), 'the same rows twice conflict on the versions')
  const again = lc.poolApplyRows(db.load(claim, policy, now), policy, claim, now)
  assert.equal(again.results[0].duplicate, true)
  assert.ok(again.rows.every((r) => r.check))
  // r1 is at its cap of 1: a second claim is refused, typed.
  const second = [{ type: 'claim', lead: 'L2', rep: 'r1' }]
  assert.throws(() => lc.poolApplyRows(db.load(second, policy, now), policy, second, now), (e) => e.code === 'holding_cap_reached')
  // A routed lead checks the rep it did not pick.
  const route = [{ type: 'route', lead: { id: 'L3', created_at: now } }]
  const routed = lc.poolApplyRows(db.load(route, policy, now), policy, route, now)
  assert.ok(routed.rows.some((r) => r.kind === 'rep' && r.id === 'r1' && r.check))
  assert.ok(db.commit(routed))
  // Ticks work on the due rows.
  const later = '2026-01-08T00:00:00Z'
  const due = { leads: Object.fromEntries(Object.entries(db.rows.leads).filter(([, r]) => r.next_check_at && r.next_check_at <= later)) }
  const needs = lc.poolTickNeeds(due, policy, later)
  due.reps = Object.fromEntries(needs.reps.map((k) => [k, db.rows.reps[k]]).filter(([, v]) => v))
  const ticked = lc.poolTickRows(due, policy, later)
  assert.deepEqual(ticked.log[0].leads, ['L1', 'L3'])
  assert.ok(db.commit(ticked))
  const { state } = lc.PoolState.replay([policy], db.log)
  assert.deepEqual(state.toJSON().leads, db.rows.leads)
  const text = db.log.map((e) => JSON.stringify(e)).join('\n')
  assert.ok(lc.PoolState.replayJsonl(policy, text).equals(state))
})

test('rows: lists are all or nothing in memory too, previews change nothing, bad ids are located', () => {
  const policy = new lc.PoolPolicy(POLICY)
  const state = new lc.PoolState()
  state.apply(policy, { type: 'deposit', lead: 'L1', pool: 'a' }, '2026-01-05T00:00:00Z')
  const before = state.toJSONString()
  assert.throws(
    () => state.applyAll(policy, [{ type: 'claim', lead: 'L1', rep: 'r1' }, { type: 'claim', lead: 'L9', rep: 'r1' }], '2026-01-05T01:00:00Z'),
    (e) => e.code === 'unknown_lead',
  )
  assert.equal(state.toJSONString(), before)
  state.applyAll(policy, [{ type: 'claim', lead: 'L1', rep: 'r1' }], '2026-01-05T01:00:00Z')
  const preview = state.tickPreview(policy, '2026-01-08T00:00:00Z')
  assert.equal(preview.effects[0].via, 'auto_reclaim')
  assert.equal(state.holdings('r1'), 1)
  assert.throws(() => state.apply(policy, { id: true, type: 'lead_activity', lead: 'L1' }, '2026-01-05T02:00:00Z'), (e) => e.code === 'invalid_value' && e.path === 'command.id')
  assert.throws(() => lc.poolApplyRows(null, policy, [{ type: 'deposit', lead: 'L1', pool: 'a', id: [] }], '2026-01-05T02:00:00Z'), (e) => e.path === 'commands[0].id')
  // A policy change that moves deadlines: the lead rows whose due_at moved.
  const faster = new lc.PoolPolicy({ ...POLICY, reclaim: { no_follow_up_days: 1 } })
  const lead = lc.poolApplyRows(null, policy, [{ type: 'deposit', lead: 'L1', pool: 'a' }, { type: 'claim', lead: 'L1', rep: 'r1' }], '2026-01-05T00:00:00Z').rows[0]
  const moved = lc.poolRescheduleRows({ leads: { L1: lead.record } }, faster)
  assert.deepEqual(moved.rows.map((r) => [r.id, r.expected, r.due_at]), [['L1', 2, '2026-01-06T00:00:00Z']])
  assert.equal(moved.log[0].op, 'reschedule')
})

test('rows: records travel as JSON text both ways', () => {
  const policy = new lc.PoolPolicy(POLICY)
  const now = '2026-01-05T00:00:00Z'
  const first = lc.poolApplyRows(null, policy, { type: 'deposit', lead: 'L1', pool: 'a' }, now, { text: true })
  const text = first.rows[0].record
  assert.equal(typeof text, 'string')
  const claim = { type: 'claim', lead: 'L1', rep: 'r1' }
  assert.deepEqual(lc.poolApplyRows({ leads: { L1: text } }, policy, claim, now), lc.poolApplyRows({ leads: { L1: JSON.parse(text) } }, policy, claim, now))
  assert.throws(() => lc.poolApplyRows({ leads: { L1: '{"holder": 1}' } }, policy, claim, now), (e) => e.path === 'records.leads.L1.holder')
})
