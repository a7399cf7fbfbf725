// Scoring from Node: the compiled model, the columnar path over typed arrays, identical results
// across input forms and threads, coded errors.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { arrow, leadcore as lc } from './support.mjs'

const NOW = '2026-11-23T00:00:00Z'
const NOW_S = Date.parse(NOW) / 1000
const KINDS = ['page_view', 'download', 'favorite', 'search', 'form_submit', 'inquiry', 'event_checkin', 'email_open', 'email_click']
const PAGES = ['/pricing', '/product', '/blog']

// mulberry32: a small seeded PRNG for test data.
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function model() {
  const m = lc.ScoringModel.preset('b2b_default').toJSON()
  m.behavior.groups[0].rules.unshift({
    id: 'pricing', kind: 'page_view', points: 5, where: { field: 'properties.url', eq: '/pricing' },
  })
  return new lc.ScoringModel(m)
}

function population(seed, n, perLead) {
  const r = rng(seed)
  const pick = (xs) => xs[Math.floor(r() * xs.length)]
  const leads = []
  const events = []
  for (let i = 0; i < n; i++) {
    const lead = {
      id: `L${String(i).padStart(4, '0')}`,
      created_at: `2026-0${6 + Math.floor(r() * 3)}-0${1 + Math.floor(r() * 9)}T00:00:00Z`,
      attributes: { industry: pick(['saas', 'retail', 'education']), employees: 5 + Math.floor(r() * 900) },
      source: { channel: pick(['sem', 'event', 'content']) },
    }
    if (r() < 0.5) lead.attributes.city = pick(['北京', '成都'])
    leads.push(lead)
    const count = Math.floor(r() * perLead)
    for (let j = 0; j < count; j++) {
      const at = NOW_S - Math.floor(r() * 93 * 86400) + 3 * 86400
      const kind = pick(KINDS)
      const e = { id: `e${i}-${j}`, lead_id: lead.id, kind, at: new Date(at * 1000) }
      if (kind === 'page_view') e.properties = { url: pick(PAGES) }
      if (kind === 'email_open') e.properties = { email_id: `m${Math.floor(r() * 4)}` }
      events.push(e)
      if (r() < 0.05) events.push({ ...e })
    }
  }
  return { leads, events }
}

// The events as typed columns: Uint32Array lead, Uint8Array kind, BigInt64Array seconds.
function typedEvents(leads, events) {
  const index = new Map(leads.map((l, i) => [l.id, i]))
  const kinds = lc.eventKinds()
  const ids = [...new Set(events.map((e) => e.id))].sort()
  const idCode = new Map(ids.map((s, i) => [s, i]))
  const details = []
  const keys = new Map()
  const detail = new Uint32Array(events.length)
  events.forEach((e, i) => {
    if (!e.properties) {
      detail[i] = 0xffffffff
      return
    }
    const key = JSON.stringify(e.properties)
    if (!keys.has(key)) {
      keys.set(key, details.length)
      details.push({ properties: e.properties })
    }
    detail[i] = keys.get(key)
  })
  return {
    lead: Uint32Array.from(events, (e) => index.get(e.lead_id)),
    kind: Uint8Array.from(events, (e) => kinds.indexOf(e.kind)),
    at: BigInt64Array.from(events, (e) => BigInt(e.at.getTime() / 1000)),
    id: BigUint64Array.from(events, (e) => BigInt(idCode.get(e.id))),
    detail,
    details,
  }
}

const { leads, events } = population(7, 300, 40)
const rows = model().scoreBatch(leads, events, NOW, { threads: 1 })

function assertSame(t) {
  const grades = lc.grades()
  const tiers = lc.tiers()
  for (const name of ['behavior', 'fit', 'combined']) {
    assert.deepEqual([...t[name]], rows.leads.map((s) => s[name].score), name)
  }
  assert.deepEqual([...t.grade].map((g) => grades[g]), rows.leads.map((s) => s.fit.grade))
  assert.deepEqual([...t.tier].map((c) => tiers[c]), rows.leads.map((s) => s.combined.tier))
}

test('columnar typed arrays score exactly like row events', () => {
  const t = lc.scoreTable(model(), leads, typedEvents(leads, events), NOW, { threads: 1 })
  assert.ok(t.behavior instanceof Float64Array && t.grade instanceof Uint8Array && t.tier instanceof Int8Array)
  assertSame(t)
  assert.deepEqual(t.cutoffs, rows.cutoffs)
  assert.ok(t.ignored.duplicates > 0 && t.ignored.future > 0)
})

test('other typed array types give the same scores', () => {
  const base = typedEvents(leads, events)
  const variants = [
    { at: Float64Array.from(base.at, (s) => Number(s) + 0.25) },
    { at: Int32Array.from(base.at, (s) => Number(s)) },
    { lead: Float64Array.from(base.lead) },
    { lead: [...base.lead] },
    { kind: [...base.kind].map((k) => lc.eventKinds()[k]) },
    { id: Float64Array.from(base.id, Number) },
    { id: Uint32Array.from(base.id, Number) },
  ]
  for (const v of variants) {
    if (v.lead instanceof Float64Array) {
      // a float lead index is refused: indexes are integers
      assert.throws(() => lc.scoreTable(model(), leads, { ...base, ...v }, NOW), (e) => e.code === 'invalid_type')
      continue
    }
    assertSame(lc.scoreTable(model(), leads, { ...base, ...v }, NOW))
  }
})

test('lead columns score like lead objects; full breakdowns equal the row path', () => {
  const cols = {
    id: leads.map((l) => l.id),
    created_at: Float64Array.from(leads, (l) => Date.parse(l.created_at) / 1000),
    source: { channel: leads.map((l) => l.source.channel) },
    attributes: {
      industry: leads.map((l) => l.attributes.industry),
      employees: Int32Array.from(leads, (l) => l.attributes.employees),
      city: leads.map((l) => l.attributes.city ?? null),
    },
  }
  const ev = typedEvents(leads, events)
  assertSame(model().scoreTable(cols, ev, NOW))
  const industries = ['saas', 'retail', 'education']
  const dictCols = {
    ...cols,
    id: { codes: Uint32Array.from(leads, (_, i) => i), values: leads.map((l) => l.id) },
    attributes: {
      ...cols.attributes,
      industry: { codes: Uint8Array.from(leads, (l) => industries.indexOf(l.attributes.industry)), values: industries },
      city: { codes: Int8Array.from(leads, (l) => ['北京', '成都'].indexOf(l.attributes.city ?? '')), values: ['北京', '成都'] },
    },
  }
  assertSame(model().scoreTable(dictCols, ev, NOW))
  assert.throws(
    () => model().scoreTable({ ...cols, attributes: { industry: { codes: Uint8Array.from(leads, (_, i) => (i === 0 ? 9 : 0)), values: ['saas'] } } }, ev, NOW),
    (e) => e.code === 'invalid_value' && e.path === 'leads.attributes.industry[0]',
  )
  assert.deepEqual(model().scoreColumns(cols, ev, NOW, { threads: 2 }).leads, rows.leads)
  assert.deepEqual(lc.scoreColumns(model(), leads, ev, NOW).leads, rows.leads)
})

test('results do not depend on the thread count', () => {
  const m = model()
  const ev = typedEvents(leads, events)
  const base = m.scoreTable(leads, ev, NOW, { threads: 1 })
  for (const threads of [2, 3, 16, undefined]) {
    const t = m.scoreTable(leads, ev, NOW, { threads })
    for (const name of ['behavior', 'fit', 'combined', 'grade', 'tier']) assert.deepEqual(t[name], base[name])
  }
})

test('column errors carry code and path', () => {
  const one = [{ id: 'L1', created_at: '2026-08-01T00:00:00Z' }]
  const base = { lead: new Uint32Array(3), kind: new Uint8Array(3), at: new BigInt64Array(3).fill(BigInt(NOW_S - 10)) }
  const cases = [
    [{ lead: Int32Array.from([0, -1, 0]) }, 'invalid_value', 'events.lead[1]'],
    [{ lead: Uint32Array.from([0, 0, 5]) }, 'invalid_value', 'events.lead[2]'],
    [{ kind: ['page_view', 'tweet', 'page_view'] }, 'invalid_type', 'events.kind[1]'],
    [{ kind: Uint8Array.from([0, 0, 40]) }, 'invalid_value', 'events.kind[2]'],
    [{ at: new BigInt64Array(2) }, 'invalid_value', 'events.at'],
    [{ at: Float64Array.from([0, Infinity, 1]) }, 'not_finite', 'events.at[1]'],
    [{ color: [1, 2, 3] }, 'unknown_field', 'events.color'],
  ]
  for (const [change, code, path] of cases) {
    assert.throws(
      () => lc.scoreTable({}, one, { ...base, ...change }, NOW),
      (e) => e instanceof Error && e.code === code && e.path === path,
      JSON.stringify(Object.keys(change)),
    )
  }
  assert.throws(
    () => lc.scoreTable({}, { id: ['L1', null], created_at: [NOW, NOW] }, base, NOW),
    (e) => e.code === 'missing_field' && e.path === 'leads.id[1]',
  )
})

test('missing times (NaN) and future events are ignored and counted', () => {
  const t = lc.scoreTable(
    { behavior: { groups: [{ id: 'g', rules: [{ id: 'd', kind: 'download', points: 5 }] }] } },
    [{ id: 'L1', created_at: '2026-08-01T00:00:00Z' }],
    { lead: new Uint32Array(3), kind: Uint8Array.from([1, 1, 1]), at: Float64Array.from([NOW_S - 86400, NaN, NOW_S + 86400]) },
    NOW,
  )
  assert.deepEqual([...t.behavior], [5])
  assert.deepEqual(t.ignored, { future: 1, missing_time: 1, duplicates: 0 })
})

test('the model compiles once, compares, and round-trips through JSON', () => {
  const m = lc.ScoringModel.preset('b2b_default')
  assert.ok(m.equals(new lc.ScoringModel(JSON.parse(JSON.stringify(m)))))
  assert.ok(m.equals(new lc.ScoringModel({ preset: 'b2b_default' })))
  assert.deepEqual(lc.ScoringModel.presetNames(), ['b2b_default'])
  assert.ok(!m.equals(new lc.ScoringModel()))
  assert.throws(() => lc.ScoringModel.preset('nope'), (e) => e.code === 'unknown_preset' && e.path === 'preset')
  assert.throws(
    () => new lc.ScoringModel({ behavior: { groups: [{ id: 'g', decay: { type: 'half_life', half_life_days: 0 }, rules: [] }] } }),
    (e) => e.category === 'config' && e.path === 'behavior.groups[0].decay.half_life_days',
  )
})

test('what-if with compiled models equals the one-call form', () => {
  const current = lc.ScoringModel.preset('b2b_default')
  const stricter = current.toJSON()
  stricter.tiers = { type: 'thresholds', high: 60, mid: 35 }
  const mql = { score: 'combined', gte: 50 }
  const out = current.whatIf(stricter, leads, events, NOW, { mql })
  assert.deepEqual(out, lc.whatIf({ current: current.toJSON(), proposed: stricter, mql }, leads, events, NOW))
  assert.equal(out.leads, leads.length)
})

test('source quality and counts', () => {
  const counts = lc.sourceCounts(['Won'], [{ source: 'sem', stage: 'Won' }, { source: 'sem', stage: 'Lost' }, { source: 'event' }])
  assert.deepEqual(counts, { event: { leads: 1, converted: 0 }, sem: { leads: 2, converted: 1 } })
  const table = lc.sourceQuality(new lc.SourceModel({ counts }))
  assert.deepEqual(table.sources.map((s) => s.source), ['sem', 'event'])
})

test('a lead table is read once and scores like its leads', () => {
  const table = new lc.LeadTable(leads)
  assert.equal(table.length, leads.length)
  const m = model()
  assertSame(m.scoreTable(table, typedEvents(leads, events), NOW))
  assert.deepEqual(m.scoreBatch(table, events, NOW), rows)
  assert.deepEqual(new lc.LeadTable(table.toJSON()).toJSON(), table.toJSON())
  assert.throws(() => new lc.LeadTable([{ id: 'L1' }]), (e) => e.code === 'missing_field' && e.path === 'leads[0].created_at')
})

test('a lead table as Arrow IPC gives the leads of the equivalent objects', () => {
  const leads = []
  for (let i = 0; i < 120; i++) {
    leads.push({
      id: `L${i}`,
      created_at: `2026-0${1 + (i % 9)}-1${i % 10}T08:00:00Z`,
      source: { channel: ['sem', 'seo', 'event'][i % 3] },
      attributes: { industry: i % 2 ? 'saas' : 'retail', employees: 5 + ((i * 37) % 900) },
    })
  }
  const table = arrow.tableFromArrays({
    id: leads.map((l) => l.id),
    created_at: arrow.vectorFromArray(leads.map((l) => Date.parse(l.created_at)), new arrow.TimestampMillisecond('UTC')),
    'source.channel': leads.map((l) => l.source.channel),
    'attributes.industry': leads.map((l) => l.attributes.industry),
    employees: Float64Array.from(leads.map((l) => l.attributes.employees)),
  })
  const model = lc.ScoringModel.preset('b2b_default')
  assert.deepStrictEqual(lc.scoreBatch(model, arrow.tableToIPC(table), [], NOW), lc.scoreBatch(model, leads, [], NOW))
  assert.deepStrictEqual(lc.dedupe(arrow.tableToIPC(table)), lc.dedupe(leads))
  const noIds = arrow.tableFromArrays({ created_at: Float64Array.from([1, 2]) })
  assert.throws(
    () => lc.scoreBatch(model, arrow.tableToIPC(noIds), [], NOW),
    (e) => e.code === 'missing_field' && e.path === 'leads.id',
  )
})

test('an Arrow event table names leads by lead_id; events of other leads are left out and counted', () => {
  const all = [...events, ...events.slice(0, 3).map((e) => ({ ...e, lead_id: 'nobody' }))]
  const text = (f) => arrow.vectorFromArray(all.map(f), new arrow.Utf8())
  const table = arrow.tableFromArrays({
    lead_id: text((e) => e.lead_id),
    kind: text((e) => e.kind),
    at: arrow.vectorFromArray(all.map((e) => e.at.getTime()), new arrow.TimestampMillisecond('UTC')),
    id: text((e) => e.id),
    'properties.url': text((e) => e.properties?.url ?? null),
    'properties.email_id': text((e) => e.properties?.email_id ?? null),
  })
  const ipc = arrow.tableToIPC(table)
  const t = lc.scoreTable(model(), leads, ipc, NOW, { threads: 1 })
  assertSame(t)
  assert.equal(t.unmatched_events, 3)
  const full = lc.scoreColumns(model(), leads, ipc, NOW, { threads: 1 })
  assert.deepStrictEqual(full.leads, rows.leads)
  assert.equal(full.unmatched_events, 3)
  // scoreBatch takes the table too: what it gives for the row events, unmatched ones included.
  assert.deepStrictEqual(lc.scoreBatch(model(), leads, ipc, NOW), full)
  assert.deepStrictEqual(model().scoreBatch(leads, all, NOW), full)
  assert.throws(
    () => lc.scoreTable(model(), [...leads, leads[0]], ipc, NOW),
    (e) => e.code === 'duplicate_id' && e.path === `leads[${leads.length}].id`,
  )
})
