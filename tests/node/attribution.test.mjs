// Attribution and funnel through the Node binding: accumulators (bytes, JSON, split / merge),
// path input forms (rows, columns, typed arrays), coded errors.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inspect } from 'node:util'

import { arrow, leadcore as lc } from './support.mjs'

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
  [{ path: ['a', 'b'], conversions: [1, -1] }, 'invalid_value', 'paths.conversions[1]'],
  [{ path: ['a', 3] }, 'invalid_type', 'paths.path[1]'],
  [{ path: ['a', 'b'], conversions: [1, 1], value: [1, NaN] }, 'not_finite', 'paths.value[1]'],
  [{ path: ['a', '(null)'], conversions: [1, 1] }, 'reserved_channel', 'paths.path[1]'],
  [[{ path: 'a' }, { path: 'b', conversions: true }], 'invalid_type', 'paths[1].conversions'],
  [[{ path: 'a' }, { path: 'b', extra: 1 }], 'unknown_field', 'paths[1].extra'],
  [[{ path: 'a', value: 5 }, { path: 3 }], 'value_without_conversion', 'paths[0].value'],
  [[{ path: 'a' }, { path: 'b', conversions: 1.5 }], 'invalid_type', 'paths[1].conversions'],
  [[{ path: 'a' }, { path: 'b', conversions: -1 }], 'invalid_value', 'paths[1].conversions'],
  [[{ path: 'a' }, { path: 'b', conversions: 1, value: Infinity }], 'not_finite', 'paths[1].value'],
  [[{ path: 'a' }, Object.assign([], { path: 'b' })], 'invalid_value', 'paths[1]'],
  [{ path: ['a', 'b'], conversions: Int32Array.from([1, -1]) }, 'invalid_value', 'paths.conversions[1]'],
  [{ path: ['a', 'b'], conversions: Uint8Array.from([1, 1]), value: Float64Array.from([1, NaN]) }, 'not_finite', 'paths.value[1]'],
  [{ path: ['a'], conversions: Float64Array.from([1.5]) }, 'invalid_type', 'paths.conversions'],
  [{ path: ['a', null] }, 'missing_field', 'paths.path[1]'],
  [{ path: ['a'], conversions: [1.5] }, 'invalid_type', 'paths.conversions[0]'],
  [{ path: ['a'], nulls: [1, 2] }, 'invalid_value', 'paths.nulls'],
  [{ path: 'a' }, 'invalid_type', 'paths.path'],
  [{ path: ['a'], clicks: [1] }, 'unknown_field', 'paths.clicks'],
]

for (const [paths, code, path] of BAD_PATHS) {
  test(`bad path input ${inspect(paths, { breakLength: Infinity })} is ${code} at ${path}`, () => {
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

test('row objects read by the fast path equal the general conversion', () => {
  // An inherited path, -0, a field set to undefined (the general conversion then decides).
  const base = [{ path: 'a > b', conversions: 1, nulls: 0, value: 10 }, { path: 'b', nulls: 2 }]
  const odd = [
    Object.assign(Object.create({ path: 'a > b' }), { conversions: 1, value: 10, nulls: -0 }),
    { path: 'b', nulls: 2, value: -0, conversions: undefined },
  ]
  assert.deepEqual(lc.attribute(MODELS, { paths: odd }), lc.attribute(MODELS, { paths: base }))
})

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

test('a sparse column claiming 2^32 - 1 cells is refused at its first hole, nothing allocated for the rest', () => {
  const path = []
  path.length = 2 ** 32 - 1
  assert.throws(() => lc.attribute(MODELS, { paths: { path } }), (e) => e.code === 'invalid_value' && e.path === 'paths.path[0]')
  const id = []
  id.length = 2 ** 32 - 1
  assert.throws(() => new lc.LeadTable({ id, created_at: [] }), (e) => e.code === 'invalid_value' && e.path === 'leads.id[0]')
})

test('a cyclic object of columns is refused, not recursed', () => {
  const cyclic = { path: ['a'] }
  cyclic.more = cyclic
  assert.throws(() => lc.attribute(MODELS, { paths: cyclic }), (e) => e.code === 'too_deep' && e.path.startsWith('paths.more.more'))
})

test('dictionary path columns over several batches equal text, and name the first bad row', () => {
  const n = 70000
  const rows = Array.from({ length: n }, (_, i) => ({ path: `${CHANNELS[i % 6]} > ${CHANNELS[i % 5]}`, conversions: i % 3, nulls: 1, value: i % 3 }))
  const dictionary = (rs) => {
    const values = [...new Set(rs.map((r) => r.path))]
    const codes = Int32Array.from(rs, (r) => values.indexOf(r.path))
    return { path: { codes, values }, conversions: Uint32Array.from(rs, (r) => r.conversions), nulls: rs.map((r) => r.nulls), value: Float64Array.from(rs, (r) => r.value) }
  }
  assert.deepEqual(lc.attribute(MODELS, { paths: dictionary(rows), threads: 1 }), lc.attribute(MODELS, { paths: rows, threads: 1 }))
  const bad = rows.map((r, i) => (i === 66001 || i === 69000 ? { ...r, path: 'sem > ' } : r))
  assert.throws(() => lc.attribute(MODELS, { paths: dictionary(bad) }), (e) => e.code === 'empty_channel' && e.path === 'paths.path[66001]')
})

test('dictionary codes are integers inside their dictionary or missing, else refused at their row', () => {
  const paths = (codes) => ({ path: { codes, values: ['seo', 'sem'] }, conversions: Int32Array.from(codes, () => 1) })
  const fails = (codes, code, path) => assert.throws(() => lc.attribute(MODELS, { paths: paths(codes) }), (e) => e.code === code && e.path === path)
  // A code past 2^32 read as the first value before.
  fails(BigInt64Array.of(0n, 2n ** 40n), 'invalid_value', 'paths.path[1]')
  fails(Int32Array.of(0, 2), 'invalid_value', 'paths.path[1]')
  fails(Int32Array.of(1, -1), 'missing_field', 'paths.path[1]')
  // Codes in an array: a number that is not an integer, or text, read as a missing row before.
  fails([0, 1.5], 'invalid_type', 'paths.path[1]')
  fails([0, 'x'], 'invalid_type', 'paths.path[1]')
  fails([null, 0], 'missing_field', 'paths.path[0]')
  fails(Float64Array.of(0, 1.5), 'invalid_type', 'paths.path')
  assert.deepEqual(lc.attribute(MODELS, { paths: paths([1, 0]) }), lc.attribute(MODELS, { paths: paths(Uint8Array.of(1, 0)) }))
})

test('path columns over several batches equal rows, line breaks and non-strings included', () => {
  const n = 70000
  const rows = Array.from({ length: n }, (_, i) => ({ path: `${CHANNELS[i % 6]} > ${CHANNELS[i % 5]}`, conversions: i % 3, nulls: 1, value: i % 3 }))
  const columns = (rs) => ({ path: rs.map((r) => r.path), conversions: Uint32Array.from(rs, (r) => r.conversions), nulls: rs.map((r) => r.nulls), value: Float64Array.from(rs, (r) => r.value) })
  assert.deepEqual(lc.attribute(MODELS, { paths: columns(rows), threads: 1 }), lc.attribute(MODELS, { paths: rows, threads: 1 }))
  const broken = rows.map((r, i) => (i === 3 || i === 66001 ? { ...r, path: r.path.replace(' > ', ' >\n') } : r))
  assert.deepEqual(lc.attribute(MODELS, { paths: columns(broken) }), lc.attribute(MODELS, { paths: broken }))
  const cols = columns(rows)
  cols.path[66002] = 7
  assert.throws(() => lc.attribute(MODELS, { paths: cols }), (e) => e.code === 'invalid_type' && e.path === 'paths.path[66002]')
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

// -- journeys as a long touch table ------------------------------------------------------------

// Random journeys (1–5 touches, a lead_created touch, ~30 % converted) as dicts and as columns.
function journeysAndColumns(n, seed = 5) {
  const r = rng(seed)
  const journeys = []
  const cols = { journey_id: [], channel: [], at: [], lead_created: [], converted: [], value: [] }
  for (let j = 0; j < n; j++) {
    const len = 1 + Math.floor(r() * 5)
    const converted = r() < 0.3
    const value = converted ? Math.round(r() * 1e6) / 100 : 0
    const created = Math.floor(r() * len)
    let t = 1_767_225_600 + Math.floor(r() * 1e6)
    const touchpoints = []
    for (let k = 0; k < len; k++) {
      t += 600 + Math.floor(r() * 86_400 * 5)
      const channel = CHANNELS[Math.floor(r() * CHANNELS.length)]
      touchpoints.push({ channel, at: new Date(t * 1000).toISOString(), ...(k === created ? { milestones: ['lead_created'] } : {}) })
      cols.journey_id.push(`J${j}`)
      cols.channel.push(channel)
      cols.at.push(t)
      cols.lead_created.push(k === created)
      cols.converted.push(converted)
      cols.value.push(value)
    }
    journeys.push({ id: `J${j}`, touchpoints, converted, value })
  }
  return { journeys, cols }
}

const ALL = {
  models: [
    ...MODELS.models,
    { type: 'u_shaped' },
    { type: 'w_shaped' },
    { type: 'time_decay', half_life_days: 7 },
    { type: 'last_non_direct' },
  ],
}

function state(add) {
  const acc = new lc.AttributionAccumulator(ALL)
  add(acc)
  return Buffer.from(acc.toBytes()).toString('hex')
}

test('addJourneyColumns equals addJourneys for arrays and typed arrays', () => {
  const { journeys, cols } = journeysAndColumns(2_000)
  const expected = state((a) => a.addJourneys(journeys))
  assert.equal(state((a) => a.addJourneyColumns(cols)), expected)
  const typed = {
    ...cols,
    at: Float64Array.from(cols.at),
    value: Float64Array.from(cols.value),
    lead_created: Uint8Array.from(cols.lead_created, Number),
    converted: Uint8Array.from(cols.converted, Number),
  }
  assert.equal(state((a) => a.addJourneyColumns(typed)), expected)
  assert.equal(state((a) => a.addJourneyColumns({ ...typed, at: BigInt64Array.from(cols.at, BigInt) })), expected)
  assert.equal(state((a) => a.addJourneyColumns({ ...cols, at: cols.at.map((s) => new Date(s * 1000)) })), expected)
  // Rows in any order: grouped by journey id, touches sorted by time.
  const order = cols.at.map((_, i) => i).reverse()
  const reversed = Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, order.map((i) => v[i])]))
  assert.equal(state((a) => a.addJourneyColumns(reversed)), expected)
})

test('addJourneyColumns errors name the column and row', () => {
  const { cols } = journeysAndColumns(20)
  const cases = [
    [{ channel: cols.channel.map((c, i) => (i === 7 ? ' ' : c)) }, 'empty_channel', 'touches.channel[7]'],
    [{ channel: cols.channel.map((c, i) => (i === 3 ? 5 : c)) }, 'invalid_type', 'touches.channel[3]'],
    [{ at: cols.at.map((t, i) => (i === 9 ? NaN : t)) }, 'invalid_value', 'touches.at[9]'],
    [{ at: cols.at.map((t, i) => (i === 4 ? 1e300 : t)) }, 'invalid_value', 'touches.at[4]'],
    [{ value: cols.value.slice(1) }, 'invalid_value', 'touches.value'],
    [{ touch_id: cols.at }, 'unknown_field', 'touches.touch_id'],
    [{ at: undefined }, 'missing_field', 'touches.at'],
  ]
  for (const [change, code, path] of cases) {
    const acc = new lc.AttributionAccumulator(ALL)
    assert.throws(() => acc.addJourneyColumns({ ...cols, ...change }), (e) => e.code === code && e.path === path, `${code} ${path}`)
  }
  // A journey whose rows disagree on the outcome.
  const j = cols.journey_id
  const row = j.findIndex((id, i) => i > 0 && id === j[i - 1])
  const acc = new lc.AttributionAccumulator(ALL)
  assert.throws(
    () => acc.addJourneyColumns({ ...cols, converted: cols.converted.map((c, i) => (i === row ? !c : c)) }),
    (e) => e.code === 'inconsistent_outcome' && e.path === `touches.converted[${row}]`,
  )
})

test('issue 15: columns are sized by what they hold, not by a claimed length (sparse arrays, shadowed typed-array lengths)', () => {
  const { journeys, cols } = journeysAndColumns(20)
  const expected = state((a) => a.addJourneys(journeys))
  // A typed array whose `length` is shadowed by an own property: its memory decides.
  const at = Float64Array.from(cols.at)
  Object.defineProperty(at, 'length', { value: 2 ** 32 - 1 })
  assert.equal(state((a) => a.addJourneyColumns({ ...cols, at })), expected)
  // Sparse columns of length 2**32-1: an error at the first hole, at once.
  const sparse = Object.fromEntries(Object.entries(cols).map(([k, v]) => {
    const c = [...v]
    c.length = 2 ** 32 - 1
    return [k, c]
  }))
  const started = Date.now()
  assert.throws(
    () => new lc.AttributionAccumulator(ALL).addJourneyColumns(sparse),
    (e) => e.code === 'invalid_value' && e.path.endsWith(`[${cols.at.length}]`),
  )
  assert.ok(Date.now() - started < 1000)
  // Path rows likewise.
  const paths = [{ path: 'a' }]
  paths.length = 2 ** 32 - 1
  assert.throws(() => lc.attribute(MODELS, { paths }), (e) => e.code === 'invalid_value' && e.path === 'paths[1]')
})

// --- Arrow IPC tables ----------------------------------------------------------------------

test('Arrow IPC path tables (stream and file, several batches) give the report of the rows', () => {
  const config = { models: [{ type: 'first_touch' }, { type: 'linear' }, { type: 'markov' }] }
  const rows = []
  for (let i = 0; i < 300; i++) {
    const conversions = i % 3 === 0 ? 1 : 0
    rows.push({ path: ['a', 'b', 'c', 'd'].slice(i % 4).join(' > '), conversions, nulls: i % 2, value: conversions * (i % 50) })
  }
  const expected = lc.attribute(config, { paths: rows })
  const whole = arrow.tableFromArrays({
    path: rows.map((r) => r.path),
    conversions: Int32Array.from(rows.map((r) => r.conversions)),
    nulls: Int32Array.from(rows.map((r) => r.nulls)),
    value: Float64Array.from(rows.map((r) => r.value)),
  })
  const batches = []
  for (let start = 0; start < rows.length; start += 64) batches.push(...whole.slice(start, start + 64).batches)
  const table = new arrow.Table(whole.schema, batches)
  assert.equal(table.batches.length, 5)
  assert.deepStrictEqual(lc.attribute(config, { paths: arrow.tableToIPC(table, 'stream') }), expected)
  assert.deepStrictEqual(lc.attribute(config, { paths: arrow.tableToIPC(table, 'file') }), expected)
  const acc = new lc.AttributionAccumulator(config)
  acc.addPaths(Buffer.from(arrow.tableToIPC(table)))
  assert.deepStrictEqual(acc.finish(), expected)
  assert.throws(
    () => lc.attribute(config, { paths: new Uint8Array([1, 2, 3]) }),
    (e) => e.code === 'invalid_value' && e.path === 'paths',
  )
  const negative = arrow.tableFromArrays({ path: ['a', 'b'], nulls: Int32Array.from([1, -1]) })
  assert.throws(
    () => lc.attribute(config, { paths: arrow.tableToIPC(negative) }),
    (e) => e.code === 'invalid_value' && e.path === 'paths.nulls[1]',
  )
})

test('Arrow IPC: keys outside their dictionary and text that is not UTF-8 are refused, an empty dictionary is missing rows', () => {
  const config = { models: [{ type: 'first_touch' }] }
  const utf8 = (bytes, ends) => arrow.makeData({ type: new arrow.Utf8(), length: ends.length - 1, valueOffsets: Int32Array.from(ends), data: Uint8Array.from(bytes) })
  const ascii = (s) => [...s].map((c) => c.charCodeAt(0))
  const values = arrow.makeVector(utf8(ascii('seosem'), [0, 3, 6]))
  const dictionary = (type, keys) => arrow.makeVector(arrow.makeData({ type: new arrow.Dictionary(new arrow.Utf8(), type), length: keys.length, data: keys, dictionary: values }))
  const ipc = (path) => arrow.tableToIPC(new arrow.Table({ path, conversions: arrow.makeVector(Int32Array.from(path.toArray().map(() => 1))) }))
  // arrow-rs' IPC reader validates what it reads: the stream is refused as a whole.
  for (const path of [
    dictionary(new arrow.Int8(), Int8Array.of(0, 1, -1)),
    dictionary(new arrow.Int32(), Int32Array.of(0, 1, 2)),
    arrow.makeVector(utf8([...ascii('seosem'), 0xff], [0, 3, 6, 7])),
  ]) {
    assert.throws(() => lc.attribute(config, { paths: ipc(path) }), (e) => e.code === 'invalid_value' && e.path === 'paths')
  }
  // Every row missing: the dictionary is empty (arrow-rs' key reader panicked on it).
  const empty = arrow.vectorFromArray([null, null], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()))
  assert.equal(empty.data[0].dictionary.length, 0)
  assert.throws(() => lc.attribute(config, { paths: ipc(empty) }), (e) => e.code === 'missing_field' && e.path === 'paths.path[0]')
})

test('string[] paths read any text: CJK, astral and long paths as written, a lone surrogate as U+FFFD', () => {
  const config = { models: [{ type: 'first_touch' }, { type: 'linear' }] }
  const long = Array.from({ length: 400 }, (_, i) => ['百度', 'seo', '😀'][i % 3]).join(' > ')
  const path = ['百度 > 微信', '😀 > seo', long, 'x\ud800y > seo', 'seo > \udfff']
  const replaced = ['百度 > 微信', '😀 > seo', long, 'x\ufffdy > seo', 'seo > \ufffd']
  const conversions = [1, 1, 1, 1, 1]
  const report = lc.attribute(config, { paths: { path, conversions } })
  assert.deepStrictEqual(report, lc.attribute(config, { paths: { path: replaced, conversions } }))
  assert.deepStrictEqual(report, lc.attribute(config, { paths: replaced.map((p) => ({ path: p, conversions: 1 })) }))
  for (const name of ['百度', '微信', '😀', 'x\ufffdy', '\ufffd']) assert.ok(JSON.stringify(report).includes(`"${name}"`), name)
})

test('text of multi-byte characters is read whole at every length (it lost its end near 128 and 256 bytes)', () => {
  const config = { models: [{ type: 'first_touch' }] }
  for (const unit of ['百', '😀', 'é']) {
    for (let n = 20; n < 140; n++) {
      const name = unit.repeat(n)
      const channels = (report) => Object.keys(report.models.first_touch?.channels ?? {}).concat(JSON.stringify(report))
      const journeys = [{ id: 'j', touchpoints: [{ channel: name, at: '2026-01-01T00:00:00Z' }], converted: true }]
      for (const report of [
        lc.attribute(config, { journeys }),
        lc.attribute(config, { paths: { path: ['a', `a > ${name}`] } }),
        lc.attribute(config, { paths: [{ path: 'a' }, { path: `a > ${name}`, conversions: 1 }] }),
      ]) {
        assert.ok(channels(report).join().includes(`"${name}"`), `${unit} × ${n}`)
      }
    }
  }
})
