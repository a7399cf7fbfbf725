// Behaviour of the pool bindings beyond the shared vectors: the natively held PoolState
// (all-or-nothing apply, JSON round trips, copies), class and functional forms agree.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { leadcore as lc, vectorsDir } from './support.mjs'

const POLICY = {
  utc_offset: '+08:00',
  pools: [
    { id: 'east_active', kind: 'active', region: 'east' },
    { id: 'east_general', kind: 'general', region: 'east' },
  ],
  reps: [
    { id: 'wang', region: 'east', holding_cap: 3 },
    { id: 'zhao', region: 'east', holding_cap: 1000 },
    { id: 'li', region: 'east', holding_cap: 1000 },
  ],
  protection: { default_days: 10, extension_days: 3, max_days: 20, warn_days: 2 },
  reclaim: { cooldown_hours: 72 },
  escalation: { ladder: [{ pool_kind: 'active' }, { pool_kind: 'general', min_days_since_previous: 180 }] },
}
const ROUTING = {
  default_pool: 'east_active',
  rules: [
    { id: 'large', when: { field: 'attributes.employees', gte: 1000 }, to: { type: 'rep', rep: 'zhao' } },
    { id: 'rest', to: { type: 'pool', pool: 'east_active' } },
  ],
}
const T0 = Date.parse('2026-01-05T09:00:00+08:00')
const at = (hours) => new Date(T0 + hours * 3600_000)
const deposit = (lead) => ({ type: 'deposit', lead, pool: 'east_active' })
const claim = (lead, rep) => ({ type: 'claim', lead, rep })
const policy = new lc.PoolPolicy(POLICY)

function held(n = 3) {
  const state = new lc.PoolState()
  for (let i = 0; i < n; i++) {
    state.apply(policy, deposit(`L${i}`), at(0))
    state.apply(policy, claim(`L${i}`, 'wang'), at(0))
  }
  return state
}

test('apply changes the state in place and returns effects and reasons', () => {
  const state = new lc.PoolState()
  assert.equal(state.size, 0)
  assert.equal(state.clock, null)
  state.apply(policy, deposit('L1'), at(0))
  const out = state.apply(policy, claim('L1', 'wang'), at(0))
  assert.deepEqual(out.effects[0].to, { status: 'owned', rep: 'wang' })
  assert.deepEqual(out.reasons.map((r) => r.code), ['holding', 'daily_intake', 'protected'])
  assert.equal(out.next_check_at, '2026-01-13T01:00:00Z') // the warning, 2 days before the end
  assert.equal(state.size, 1)
  assert.equal(state.holdings('wang'), 1)
  assert.equal(state.clock, '2026-01-05T01:00:00Z')
  assert.equal(state.nextCheckAt, '2026-01-13T01:00:00Z')
  assert.equal(state.lead('L1').protected_until, '2026-01-15T01:00:00Z')
  assert.equal(state.lead('nope'), null)
  assert.deepEqual(state.leadIds(), ['L1'])
})

const refusals = [
  [claim('L9', 'zhao'), 'unknown_lead'],
  [claim('L0', 'zhao'), 'already_owned'],
  [claim('P1', 'nobody'), 'unknown_rep'],
  [claim('P1', 'wang'), 'holding_cap_reached'],
  [{ type: 'bulk_assign', leads: ['P1', 'P2', 'L0'], rep: 'zhao' }, 'already_owned'],
  [{ type: 'return', lead: 'L0', rep: 'wang', reason: '' }, 'missing_reason'],
  [{ type: 'deposit', lead: 'P3', pool: 'nowhere' }, 'unknown_pool'],
]
for (const [command, code] of refusals) {
  test(`a refused command (${code}) leaves the state unchanged`, () => {
    const state = held()
    state.apply(policy, deposit('P1'), at(0))
    state.apply(policy, deposit('P2'), at(0))
    const before = state.toJSONString()
    const snapshot = state.clone()
    assert.throws(
      () => state.apply(policy, command, at(1)),
      (e) => e instanceof Error && e.code === code && e.category === 'pool',
    )
    assert.equal(state.toJSONString(), before)
    assert.ok(state.equals(snapshot))
    assert.equal(state.clock, '2026-01-05T01:00:00Z')
  })
}

test('bad input is coded and located', () => {
  const state = held(1)
  const before = state.toJSONString()
  assert.throws(() => state.tick(policy, at(-1)), (e) => e.code === 'clock_backwards')
  assert.throws(() => state.apply(policy, deposit('L5'), '2026-01-06T00:00:00'), (e) => e.code === 'naive_datetime' && e.path === 'now')
  assert.throws(() => state.apply(policy, { type: 'steal', lead: 'L0' }, at(1)), (e) => e.path === 'command.type')
  assert.throws(() => state.apply(policy, undefined, at(1)), (e) => e.code === 'missing_field' && e.path === 'command')
  assert.throws(
    () => state.apply({ ...POLICY, protection: { default_days: -1 } }, deposit('L5'), at(1)),
    (e) => e.category === 'config' && e.path === 'protection.default_days',
  )
  assert.throws(() => new lc.PoolPolicy({ ...POLICY, reps: [{ id: 'a' }, { id: 'a' }] }), (e) => e.code === 'duplicate_id' && e.path === 'reps[1].id')
  assert.equal(state.toJSONString(), before)
})

test('state JSON round trips (object, text, JSON.stringify) and carries on identically', () => {
  const state = held()
  state.apply(policy, { type: 'follow_up', lead: 'L1', rep: 'wang', kind: 'call' }, at(30))
  const text = state.toJSONString()
  assert.deepEqual(JSON.parse(JSON.stringify(state)), JSON.parse(text))
  assert.deepEqual(JSON.parse(text), state.toJSON())
  for (const again of [lc.PoolState.fromJSON(text), lc.PoolState.fromJSON(state.toJSON()), new lc.PoolState(text), new lc.PoolState(JSON.parse(text))]) {
    assert.ok(again.equals(state))
    assert.equal(again.toJSONString(), text)
  }
  const again = lc.PoolState.fromJSON(text)
  assert.deepEqual(again.tick(policy, at(24 * 11)), state.tick(policy, at(24 * 11)))
  assert.ok(again.equals(state))
  assert.throws(() => lc.PoolState.fromJSON({ leads: { L1: { holder: { status: 'lost' } } } }), (e) => e.path.startsWith('state.leads.L1'))
  assert.throws(() => lc.PoolState.fromJSON('{not json'), (e) => e.code === 'json_syntax')
})

test('clones are independent; policies compare and accept objects or text', () => {
  const state = held()
  const copy = state.clone()
  copy.apply(policy, { type: 'return', lead: 'L0', rep: 'wang', reason: 'wrong region' }, at(1))
  assert.ok(!copy.equals(state))
  assert.equal(state.holdings('wang'), 3)
  assert.ok(new lc.PoolPolicy(JSON.stringify(policy)).equals(policy))
  assert.equal(policy.toJSON().protection.max_days, 20)
  const results = [policy, POLICY, JSON.stringify(POLICY)].map((p) => {
    const s = new lc.PoolState()
    s.apply(p, deposit('L1'), at(0))
    return [s.apply(p, claim('L1', 'zhao'), at(0)), s.toJSON()]
  })
  assert.deepEqual(results[1], results[0])
  assert.deepEqual(results[2], results[0])
})

const commands = () => [
  [deposit('L1'), at(0)],
  [deposit('L2'), at(0)],
  [claim('L1', 'wang'), at(1)],
  [{ type: 'follow_up', lead: 'L1', rep: 'wang', kind: 'call' }, at(30)],
  [{ type: 'transfer', lead: 'L1', from: 'wang', to: 'zhao' }, at(31)],
  [{ type: 'assign', lead: 'L2', rep: 'li' }, at(32)],
  [{ type: 'return', lead: 'L2', rep: 'li', reason: 'duplicate', pool: 'east_general' }, at(33)],
  [{ type: 'mark_converted', lead: 'L1' }, at(40)],
]

test('class and functional forms agree', () => {
  const state = new lc.PoolState()
  let plain = null
  for (const [command, now] of commands()) {
    const a = state.apply(policy, command, now)
    const { state: next, ...b } = lc.poolApply(plain, policy, command, now)
    plain = next
    assert.deepEqual(a, b)
    assert.deepEqual(state.toJSON(), plain)
  }
  const late = at(24 * 30)
  const a = state.tick(policy, late)
  const { state: ticked, ...b } = lc.poolTick(plain, policy, late)
  assert.deepEqual(a, b)
  assert.deepEqual(ticked, state.toJSON())
  assert.deepEqual(state.due(policy, late), lc.poolDue(plain, policy, late))
  const routed = { ...POLICY, routing: ROUTING }
  const lead = { id: 'N1', created_at: '2026-02-04T00:00:00Z', attributes: { employees: 5000 } }
  assert.deepEqual(state.assignPreview(routed, lead, late), lc.poolAssignPreview(plain, routed, lead, late))
  const arrivals = [0, 1, 2, 3].map((i) => ({ id: `N${i}`, created_at: `2026-02-05T0${i}:00:00Z`, attributes: { employees: 500 * i } }))
  assert.deepEqual(state.simulateDay(routed, arrivals), lc.poolSimulateDay(plain, routed, arrivals))
})

test('replay rebuilds the state and leaves the start alone', () => {
  const log = commands().map(([command, at]) => ({ op: 'apply', at, command }))
  log.push({ op: 'tick', at: at(24 * 30) })
  const state = new lc.PoolState()
  const results = commands().map(([c, now]) => state.apply(policy, c, now))
  results.push(state.tick(policy, at(24 * 30)))
  const replayed = lc.PoolState.replay(policy, log)
  assert.ok(replayed.state instanceof lc.PoolState)
  assert.ok(replayed.state.equals(state))
  assert.deepEqual(replayed.results, results)
  const functional = lc.poolReplay(null, policy, log)
  assert.deepEqual(functional.state, state.toJSON())
  assert.deepEqual(functional.results, results)
  const start = held(1)
  const before = start.toJSONString()
  const more = lc.PoolState.replay(policy, [{ op: 'tick', at: at(24 * 11) }], start)
  assert.equal(start.toJSONString(), before)
  assert.equal(more.state.holdings('wang'), 0)
  assert.ok(lc.PoolState.replay(policy, [{ op: 'tick', at: at(24 * 11) }], JSON.parse(before)).state.equals(more.state))
  assert.throws(() => lc.PoolState.replay(policy, [...log, { op: 'tick', at: at(0) }]), (e) => e.code === 'clock_backwards')
})

test('large results (over 1 M values, over 16 MiB of JSON) convert in full', () => {
  // 60,000 copies of one held lead's record, loaded from JSON text.
  const one = new lc.PoolState()
  one.apply(policy, deposit('L'), at(0))
  one.apply(policy, claim('L', 'zhao'), at(0))
  const doc = one.toJSON()
  const n = 60_000
  doc.leads = Object.fromEntries(Array.from({ length: n }, (_, i) => [`H${i}`, doc.leads.L]))
  const state = lc.PoolState.fromJSON(JSON.stringify(doc))
  assert.equal(state.holdings('zhao'), n)
  const plain = state.toJSON()
  assert.ok(JSON.stringify(plain).length > 16 << 20)
  assert.deepEqual(plain, JSON.parse(state.toJSONString()))
  const out = state.tick(policy, at(24 * 30))
  const small = one.tick(policy, at(24 * 30))
  assert.equal(out.effects.length, small.effects.length * n)
  assert.equal(out.reasons.length, small.reasons.length * n)
  assert.deepEqual(out.reasons.at(-1), small.reasons.at(-1))
  const last = out.effects.at(-2)
  assert.deepEqual(last.to, { status: 'pooled', pool: 'east_active' })
  assert.equal(last.via, 'auto_reclaim')
  assert.equal(state.holdings('zhao'), 0)
})

test('issue 15: a claim at the 9999-12-25 "never" sentinel writes a state that reads back', () => {
  const state = new lc.PoolState()
  const never = '9999-12-25T00:00:00Z'
  state.apply(policy, deposit('L1'), never)
  state.apply(policy, claim('L1', 'wang'), never)
  assert.equal(state.lead('L1').protected_until, '9999-12-31T23:59:59.999999999Z')
  const text = state.toJSON()
  assert.deepEqual(lc.PoolState.fromJSON(JSON.stringify(text)).toJSON(), text)
})

test('issue 15: due on a state stored with paused_secs 1e17 (JSON text) lists no step instead of aborting', () => {
  const file = JSON.parse(readFileSync(join(vectorsDir, 'pools', 'hardening.json'), 'utf8'))
  const { config, input } = file.cases[0]
  const text = JSON.stringify(input.state).replace('9007199254740991', '100000000000000000')
  assert.ok(text.includes('"paused_secs":100000000000000000'))
  const due = lc.PoolState.fromJSON(text).due(config, input.now)
  assert.deepEqual(due.nurture.map((s) => s.lead), ['N2'])
})

test('refusals are PoolError instances with their facts and the command field', () => {
  const state = held()
  assert.throws(
    () => state.apply(policy, claim('L0', 'zhao'), at(0)),
    (e) => {
      assert.ok(e instanceof lc.PoolError && e instanceof lc.LeadcoreError && e instanceof Error)
      assert.deepEqual([e.name, e.code, e.category, e.path], ['PoolError', 'already_owned', 'pool', 'lead'])
      assert.deepEqual(e.details, { lead: 'L0', holder: 'wang' })
      return true
    },
  )
  state.apply(policy, deposit('L9'), at(0))
  assert.throws(
    () => state.apply(policy, claim('L9', 'wang'), at(0)),
    (e) => {
      assert.deepEqual([e.code, e.path, e.details], ['holding_cap_reached', 'rep', { rep: 'wang', count: 3, cap: 3 }])
      return true
    },
  )
  assert.throws(
    () => state.apply(policy, { type: 'bulk_assign', leads: ['L9', 'L0'], rep: 'zhao' }, at(0)),
    (e) => e.code === 'already_owned' && e.path === 'leads[1]',
  )
})
