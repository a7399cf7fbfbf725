// Attribution and funnel through the Node binding: accumulators (bytes, JSON, split / merge),
// path input forms (rows, columns, typed arrays), coded errors.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { leadcore as lc } from './support.mjs'

const MODELS = {
  models: [
    { type: 'first_touch' },
    { type: 'last_touch' },
    { type: 'linear' },
    { type: 'markov' },
    { type: 'markov', order: 2 },
    { type: 'shapley' },
  ],
}
const CHANNELS = ['sem', 'seo', 'direct', 'email', 'social', 'event']

// A small seeded generator (mulberry32), so the paths are the same on every run.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function syntheticPaths(n, seed = 7) {
  const r = rng(seed)
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1))
  return Array.from({ length: n }, () => {
    const conversions = int(0, 2)
    const len = int(1, 6)
    return {
      path: Array.from({ length: len }, () => CHANNELS[int(0, 5)]).join(' > '),
      conversions,
      nulls: conversions ? int(0, 5) : int(1, 5),
      value: conversions * int(100, 900),
    }
  })
}

const PATHS = syntheticPaths(500)
const JOURNEYS = Array.from({ length: 40 }, (_, i) => ({
  id: `L${i}`,
  touchpoints: [
    { channel: 'seo', at: new Date(Date.UTC(2026, 0, 1 + (i % 20))) },
    { channel: 'sem', at: `2026-01-${String(2 + (i % 20)).padStart(2, '0')}T00:00:00Z`, milestones: ['lead_created'] },
    { channel: 'event', at: `2026-02-${String(1 + (i % 20)).padStart(2, '0')}T00:00:00Z`, milestones: ['opportunity_created'] },
  ].slice(0, 1 + (i % 3)),
  converted: i % 4 === 0,
  value: i % 4 === 0 ? 1000 : 0,
}))

test('credits sum to the conversions under every model', () => {
  const report = lc.attribute(MODELS, { journeys: JOURNEYS, paths: PATHS })
  const total = PATHS.reduce((s, p) => s + p.conversions, 0) + JOURNEYS.filter((j) => j.converted).length
  assert.deepEqual(report.models.map((m) => m.name), ['first_touch', 'last_touch', 'linear', 'markov', 'markov_2', 'shapley'])
  for (const m of report.models) {
    const sum = m.credits.reduce((s, c) => s + c.conversions, 0)
    assert.ok(Math.abs(sum - total) < 1e-9, `${m.name}: ${sum} != ${total}`)
  }
})

test('threads give the same report', () => {
  const one = lc.attribute(MODELS, { journeys: JOURNEYS, paths: PATHS })
  for (const threads of [1, 2, 4]) {
    assert.deepEqual(lc.attribute(MODELS, { journeys: JOURNEYS, paths: PATHS, threads }), one)
  }
})

test('columns, typed arrays and rows give the same report', () => {
  const rows = lc.attribute(MODELS, { paths: PATHS })
  const col = (k) => PATHS.map((p) => p[k])
  assert.deepEqual(lc.attribute(MODELS, { paths: { path: col('path'), conversions: col('conversions'), nulls: col('nulls'), value: col('value') } }), rows)
  const typed = {
    path: col('path'),
    conversions: Uint32Array.from(col('conversions')),
    nulls: Int32Array.from(col('nulls')),
    value: Float64Array.from(col('value')),
  }
  assert.deepEqual(lc.attribute(MODELS, { paths: typed }), rows)
})

const BAD_PATHS = [
  [{ path: ['a', 'b'], conversions: [1] }, 'invalid_value', 'paths.conversions'],
  [{ path: ['a'], conversion: [1] }, 'unknown_field', 'paths.conversion'],
  [{ conversions: [1] }, 'missing_field', 'paths.path'],
  [{ path: 'a > b' }, 'invalid_type', 'paths.path'],
  [{ path: ['a', 'b'], conversions: [1, -1] }, 'invalid_value', 'paths[1].conversions'],
  [{ path: ['a', 3] }, 'invalid_type', 'paths[1].path'],
  [{ path: ['a', 'b'], conversions: [1, 1], value: [1, NaN] }, 'not_finite', 'paths[1].value'],
  [{ path: ['a', '(null)'], conversions: [1, 1] }, 'reserved_channel', 'paths[1].path'],
  [[{ path: 'a' }, { path: 'b', conversions: true }], 'invalid_type', 'paths[1].conversions'],
  [[{ path: 'a' }, { path: 'b', extra: 1 }], 'unknown_field', 'paths[1].extra'],
  [[{ path: 'a', value: 5 }, { path: 3 }], 'value_without_conversion', 'paths[0].value'],
]

for (const [paths, code, path] of BAD_PATHS) {
  test(`bad path input ${JSON.stringify(paths)} is ${code} at ${path}`, () => {
    assert.throws(
      () => lc.attribute(MODELS, { paths }),
      (e) => {
        assert.ok(e instanceof Error)
        assert.deepEqual([e.code, e.path], [code, path], e.message)
        return true
      },
    )
  })
}

test('inputs longer than a batch, and the first bad row among them', () => {
  const n = 70000
  const rows = Array.from({ length: n }, (_, i) => ({ path: `${CHANNELS[i % 6]} > ${CHANNELS[i % 5]}`, conversions: i % 3, nulls: 1, value: i % 3 }))
  const one = lc.attribute(MODELS, { paths: rows })
  assert.equal(one.totals.journeys, rows.reduce((s, r) => s + r.conversions + 1, 0))
  assert.deepEqual(lc.attribute(MODELS, { paths: rows, threads: 3 }), one)
  const bad = [...rows.slice(0, 66000), { path: 'sem > ', conversions: 1 }, ...rows.slice(66000)]
  for (const threads of [undefined, 2]) {
    assert.throws(() => lc.attribute(MODELS, { paths: bad, threads }), (e) => e.code === 'empty_channel' && e.path === 'paths[66000].path')
  }
})

test('split and merge equal one pass', () => {
  const config = new lc.AttributionConfig(MODELS)
  const one = lc.attribute(config, { journeys: JOURNEYS, paths: PATHS })
  const cuts = [0, 37, 200, 201, 450, PATHS.length]
  const accs = cuts.slice(1).map((end, i) => {
    const acc = new lc.AttributionAccumulator(config)
    acc.addPaths(PATHS.slice(cuts[i], end))
    return acc
  })
  accs[2].addJourneys(JOURNEYS.slice(0, 10))
  for (const j of JOURNEYS.slice(10)) accs[0].addJourney(j)
  const total = accs.pop()
  for (const acc of accs.reverse()) total.merge(acc)
  assert.deepEqual(total.finish(), one)
})

test('accumulators ship as bytes and JSON and keep adding', () => {
  const acc = new lc.AttributionAccumulator(MODELS)
  acc.addPaths(PATHS.slice(0, 200))
  const bytes = acc.toBytes()
  assert.ok(Buffer.isBuffer(bytes) && bytes.length < JSON.stringify(acc).length)
  const again = lc.AttributionAccumulator.fromBytes(bytes)
  assert.deepEqual(again.finish(), acc.finish())
  assert.deepEqual(lc.AttributionAccumulator.fromBytes(new Uint8Array(bytes)).finish(), acc.finish())
  assert.deepEqual(lc.AttributionAccumulator.fromJSON(JSON.stringify(acc)).finish(), acc.finish())
  assert.deepEqual(lc.AttributionAccumulator.fromJSON(acc.toJSON()).finish(), acc.finish())
  assert.equal(acc.toJSON().format, 'leadcore.attribution/1')
  again.addPaths(PATHS.slice(200))
  assert.deepEqual(again.finish(), lc.attribute(MODELS, { paths: PATHS }))
  assert.ok(again.config.equals(new lc.AttributionConfig(MODELS)))
})

test('an accumulator merges itself, refuses another config and bad state', () => {
  const acc = new lc.AttributionAccumulator(MODELS)
  acc.addPaths(PATHS.slice(0, 10))
  acc.merge(acc)
  const doubled = new lc.AttributionAccumulator(MODELS)
  doubled.addPaths([...PATHS.slice(0, 10), ...PATHS.slice(0, 10)])
  assert.deepEqual(acc.finish(), doubled.finish())
  assert.throws(
    () => acc.merge(new lc.AttributionAccumulator({ models: [{ type: 'linear' }] })),
    (e) => e.code === 'incompatible_accumulators' && e.category === 'attribution',
  )
  assert.throws(() => lc.AttributionAccumulator.fromBytes(Buffer.from([0, 1, 2, 3])), (e) => e.code === 'invalid_state')
})

test('explain and ownership', () => {
  const split = lc.explainJourney({ models: [{ type: 'u_shaped' }] }, JOURNEYS[2])
  assert.ok(Math.abs(split.models[0].touches.reduce((s, t) => s + t.weight, 0) - 1) < 1e-12)
  const owners = lc.ownership({ window: { months: 3 } }, JOURNEYS)
  assert.equal(owners.customers.length, JOURNEYS.length)
})

const FUNNEL = {
  stages: [{ id: 'Leads' }, { id: 'MQL' }, { id: 'SQL' }, { id: 'Opportunity', amount: 'opportunity_amount' }],
  entry_stage: 'Leads',
  granularity: 'month',
  dimensions: ['channel'],
}
const LEADS = Array.from({ length: 60 }, (_, i) => ({
  id: `L${i}`,
  created_at: `2026-0${1 + (i % 3)}-01T00:00:00Z`,
  source: { channel: CHANNELS[i % 3] },
  history: ['MQL', 'SQL', 'Opportunity'].slice(0, i % 4).map((to, k) => ({
    to,
    at: `2026-0${1 + (i % 3)}-${String(2 + k).padStart(2, '0')}T00:00:00Z`,
    recorded_at: `2026-0${1 + (i % 3)}-28T00:00:00Z`,
    edge: 'forward',
  })),
  attributes: { opportunity_amount: 1000 + i },
}))

test('funnel accumulators split, merge and ship', () => {
  const one = lc.funnel(FUNNEL, LEADS)
  const a = new lc.FunnelAccumulator(FUNNEL)
  const b = new lc.FunnelAccumulator(new lc.FunnelConfig(FUNNEL))
  a.addLeads(LEADS.slice(0, 25))
  for (const l of LEADS.slice(25)) b.addLead(l)
  const shipped = lc.FunnelAccumulator.fromBytes(b.toBytes())
  shipped.merge(lc.FunnelAccumulator.fromJSON(JSON.stringify(a)))
  assert.deepEqual(shipped.finish(), one)
  assert.equal(one.totals[0].entered, LEADS.length)
  assert.ok(shipped.config.equals(new lc.FunnelConfig(FUNNEL)))
})
