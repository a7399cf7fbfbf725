// Behaviour of the Node binding itself: Dates, coded errors, NaN, depth.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import { leadcore as lc } from './support.mjs'

const require = createRequire(import.meta.url)

test('Date objects are accepted and returned as UTC text', () => {
  const lead = lc.loadLead({ id: 'L1', created_at: new Date(Date.UTC(2026, 10, 1, 1, 30)) })
  assert.equal(lead.created_at, '2026-11-01T01:30:00Z')
})

test('errors are Error instances with code, path and category', () => {
  assert.throws(
    () => lc.loadLead({ id: 'L1', created_at: '2026-11-01 09:30' }),
    (e) => e instanceof Error && e.code === 'naive_datetime' && e.path === 'lead.created_at' && e.category === 'input',
  )
})

for (const bad of [NaN, Infinity, -Infinity]) {
  test(`non-finite number ${bad} is refused`, () => {
    assert.throws(
      () => lc.loadLead({ id: 'L1', created_at: '2026-01-01T00:00:00Z', attributes: { n: bad } }),
      (e) => e.code === 'not_finite' && e.path === 'lead.attributes.n',
    )
  })
}

test('each category has its own error class, also in a worker thread', async () => {
  const { Worker } = await import('node:worker_threads')
  const classes = ['ConfigError', 'InputError', 'DedupError', 'QualifyError', 'TransitionError',
    'ConversionError', 'PredictError', 'AttributionError', 'FunnelError', 'PoolError']
  for (const name of classes) {
    assert.ok(lc[name].prototype instanceof lc.LeadcoreError, name)
    assert.equal(lc[name].name, name)
  }
  assert.throws(() => lc.Pipeline.preset('nope'), lc.ConfigError)
  assert.throws(() => lc.normalizePhone(5), (e) => e instanceof lc.InputError && !(e instanceof lc.ConfigError))
  const code = `
    const { parentPort } = require('node:worker_threads')
    const lc = require(${JSON.stringify(require.resolve('../../leadcore-node'))})
    try { lc.Pipeline.preset('nope') } catch (e) {
      parentPort.postMessage([e instanceof lc.ConfigError, e.code, e.path, e.details])
    }`
  const worker = new Worker(code, { eval: true })
  const [message] = await Promise.all([new Promise((resolve) => worker.once('message', resolve))])
  await worker.terminate()
  assert.deepEqual(message, [true, 'unknown_preset', 'preset', { preset: 'nope' }])
})

test('an invalid Date is an input error', () => {
  assert.throws(() => lc.loadLead({ id: 'L1', created_at: new Date('nope') }), (e) => e.code === 'invalid_datetime')
})

test('deep input is refused, not crashed', () => {
  let deep = []
  for (let i = 0; i < 10000; i++) deep = [deep]
  assert.throws(() => lc.loadLead({ id: 'L1', created_at: '2026-01-01T00:00:00Z', x: deep }), (e) => e.code === 'too_deep')
})

test('error codes match the core', () => {
  const codes = lc.allErrorCodes()
  assert.deepEqual(codes, [...new Set(codes)].sort())
})

test('config classes load once, compare, and stringify to their JSON', () => {
  const p = lc.Pipeline.preset('seed_003')
  const again = new lc.Pipeline(JSON.parse(JSON.stringify(p)))
  assert.ok(p.equals(again))
  assert.ok(new lc.Pipeline(JSON.stringify(p)).equals(p))
  assert.deepEqual(lc.Pipeline.presetNames(), ['seed_000', 'seed_001', 'seed_003', 'seed_004', 'seed_004_sales'])
  assert.ok(lc.RuleSet.preset('seed_001') instanceof lc.RuleSet)
})

test('config errors carry code and JSON path', () => {
  assert.throws(
    () => new lc.RuleSet({ gates: [{ stage: 'MQL', condition: { all: [{ field: 'x', equals: 1 }] } }] }),
    (e) => e.code === 'unknown_field' && e.path === 'gates[0].condition.all[0].equals' && e.category === 'config',
  )
  assert.throws(() => lc.Pipeline.preset('nope'), (e) => e.code === 'unknown_preset' && e.path === 'preset')
})

test('a plain config object works where a config instance does', () => {
  const lead = { id: 'L1', created_at: '2026-11-01T00:00:00Z' }
  const now = new Date(Date.UTC(2026, 10, 2))
  const a = lc.transition(lc.Pipeline.preset('seed_003'), lead, { to: 'MAL' }, now)
  const b = lc.transition({ preset: 'seed_003' }, lead, { to: 'MAL' }, now)
  assert.deepEqual(a, b)
  assert.equal(a.lead.stage, 'MAL')
})

test('lifecycle errors have the transition category', () => {
  const lead = { id: 'L1', created_at: '2026-11-01T00:00:00Z' }
  assert.throws(
    () => lc.transition({ preset: 'seed_003' }, lead, { to: 'Nowhere' }, '2026-11-02T00:00:00Z'),
    (e) => e.code === 'unknown_stage' && e.category === 'transition',
  )
})

// Wrong types are the library's coded input errors (code, category, path), not napi's own
// `StringExpected` / `BooleanExpected` errors without them.
const wrongTypes = [
  ['PoolState.lead(1)', () => new lc.PoolState().lead(1), 'invalid_type', 'lead'],
  ['PoolState.holdings(null)', () => new lc.PoolState().holdings(null), 'missing_field', 'rep'],
  ['Pipeline.preset(5)', () => lc.Pipeline.preset(5), 'invalid_type', 'preset'],
  ['pipelineEdges(p, 5)', () => lc.pipelineEdges(lc.Pipeline.preset('seed_003'), 5), 'invalid_type', 'fromStage'],
  ['PoolState.replayJsonl(7)', () => lc.PoolState.replayJsonl([], 7), 'invalid_type', 'text'],
  ['poolApplyRows text: 1', () => lc.poolApplyRows(null, { pools: [{ id: 'a', kind: 'active' }], reps: [], protection: {} }, [], '2026-01-01T00:00:00Z', { text: 1 }), 'invalid_type', 'options.text'],
  ['qualifyGate(rules, 3)', () => lc.qualifyGate(lc.RuleSet.preset(lc.RuleSet.presetNames()[0]), 3, { id: 'L1', created_at: '2026-01-01T00:00:00Z' }, null, '2026-01-02T00:00:00Z'), 'invalid_type', 'gate'],
  ['attribute(config, null)', () => lc.attribute({ models: [{ type: 'last_touch' }] }, null), 'missing_field', 'input'],
  ['attribute(config, 5)', () => lc.attribute({ models: [{ type: 'last_touch' }] }, 5), 'invalid_type', 'input'],
  ['FunnelAccumulator.fromBytes("x")', () => lc.FunnelAccumulator.fromBytes('x'), 'invalid_type', 'bytes'],
  ['AttributionAccumulator.fromBytes(1)', () => lc.AttributionAccumulator.fromBytes(1), 'invalid_type', 'bytes'],
  ['attribute threads: "4"', () => lc.attribute({ models: [{ type: 'last_touch' }] }, { paths: [], threads: '4' }), 'invalid_type', 'threads'],
]
for (const [name, call, code, path] of wrongTypes) {
  test(`wrong type: ${name} is a coded input error`, () => {
    assert.throws(call, (e) => e instanceof Error && e.code === code && e.category === 'input' && e.path === path)
  })
}

test('a `__proto__` key comes back as an own key, as in Python, never as the prototype', () => {
  const lead = lc.loadLead(JSON.parse('{"id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": {"__proto__": "x", "y": 1}}'))
  assert.deepEqual(Object.keys(lead.attributes), ['__proto__', 'y'])
  assert.equal(JSON.stringify(lead.attributes), '{"__proto__":"x","y":1}')
  const record = { holder: { status: 'pooled', pool: 'a' }, pool: 'a', created_at: '2026-01-01T00:00:00Z', entered_at: '2026-01-01T00:00:00Z', fallouts: 0 }
  const state = new lc.PoolState(JSON.parse(`{"leads": {"__proto__": ${JSON.stringify(record)}}}`))
  const leads = state.toJSON().leads
  assert.deepEqual(Object.keys(leads), ['__proto__'])
  assert.equal(leads.holder, undefined, 'the record is not the prototype of the map')
  assert.equal(Object.getPrototypeOf(leads), Object.prototype)
})
