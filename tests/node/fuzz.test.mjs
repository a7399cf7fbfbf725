// Property fuzzing of the public API with fast-check: arbitrary JSON-shaped values (deep-ish
// nesting, huge numbers, long and odd unicode text) fed to every entry point that takes plain
// data. The only errors allowed out carry a string `code` (leadcore errors); a crash or a plain
// napi error without `code` is a binding bug. Seeded and bounded, so it runs in the test command.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import { leadcore as lc, vectorCases } from './support.mjs'

// fast-check is a devDependency of the addon package (tests/ has no package.json of its own).
const fc = createRequire(new URL('../../leadcore-node/package.json', import.meta.url))('fast-check')

const NOW = '2026-01-05T09:00:00+08:00'
const RUNS = { seed: 20260105, numRuns: 30 }
const KEYS = ['id', 'type', 'lead', 'pool', 'rep', 'team', 'created_at', 'at', 'attributes',
  'source', 'kind', 'models', 'stages', 'rules', 'when', 'field', 'eq', 'gte', 'any', 'all',
  'hours', 'preset', 'config', 'leads', 'clock', 'holder', 'status', 'events', 'path',
  'channel', 'touchpoints', 'converted', 'value', 'weights', 'utc_offset', 'calendars', 'sla']
const ODD_TEXT = ['', ' ', '2026-01-05T09:00:00Z', '9999-12-31T23:59:59Z', '+10000-01-01',
  '-001-W52', '+08:00', '北京星云科技有限公司', '13800138000', 'li@example.com', '\u0000',
  '\ud800', 'a\udfffb', '\u{10ffff}', 'x'.repeat(100_000), 'seo > sem > direct']
const ODD_NUMBERS = [0, -1, 2 ** 31, 2 ** 32 - 1, 2 ** 53 + 1, 2 ** 64, 1e308, -1e308, 5e-324,
  -0, 1e17, 0.1, Number.MAX_SAFE_INTEGER]

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...ODD_TEXT))
const numbers = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(...ODD_NUMBERS),
)
const scalars = fc.oneof(fc.constant(null), fc.boolean(), numbers, text)
const keys = fc.oneof(fc.constantFrom(...KEYS), text)
const nest = (depth, leaf) => {
  for (let i = 0; i < depth; i++) leaf = i % 2 ? [leaf] : { when: leaf }
  return leaf
}
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    scalars,
    fc.array(tie('json'), { maxLength: 5 }),
    fc.dictionary(keys, tie('json'), { maxKeys: 5 })),
}))
const values = fc.oneof(json, fc.tuple(fc.integer({ min: 50, max: 140 }), scalars).map(([d, l]) => nest(d, l)))

const vectorConfig = (op) => vectorCases().find(([, c]) => c.op === op && c.config)[1].config
const POLICY = new lc.PoolPolicy(vectorConfig('pool_due'))
const SCORING = lc.ScoringModel.preset(lc.ScoringModel.presetNames()[0])
const RULES = lc.RuleSet.preset(lc.RuleSet.presetNames()[0])
const PIPELINE = lc.Pipeline.preset(lc.Pipeline.presetNames()[0])
const MAPPING = lc.FieldMapping.preset(lc.FieldMapping.presetNames()[0])
const FUNNEL = vectorConfig('funnel')
const LEAD = { id: 'L1', created_at: '2026-01-01T00:00:00Z', attributes: { employees: 250 } }

const CONFIG_CLASSES = ['Pipeline', 'FieldMapping', 'RuleSet', 'Condition', 'TemperatureThresholds',
  'DedupPolicy', 'PhoneRegions', 'EmailOptions', 'CompanyOptions', 'TrainConfig', 'FeatureSpec',
  'SourceModel', 'AttributionConfig', 'OwnershipConfig', 'FunnelConfig', 'RoiConfig',
  'ForecastConfig', 'MlgConfig', 'CapacityConfig', 'ScoringModel', 'PoolPolicy', 'PredictiveModel']

const ENTRY_POINTS = {
  ...Object.fromEntries(CONFIG_CLASSES.map((c) => [`new ${c}(value)`, (v) => new lc[c](v)])),
  'new PoolState(value)': (v) => new lc.PoolState(v),
  'PoolState.fromJSON(text)': (v) => lc.PoolState.fromJSON(JSON.stringify(v) ?? 'null'),
  'PoolState.apply': (v) => new lc.PoolState().apply(POLICY, v, NOW),
  'PoolState.applyAll': (v) => new lc.PoolState().applyAll(POLICY, v, NOW),
  'PoolState.due(now)': (v) => new lc.PoolState().due(POLICY, v),
  'poolApply(state)': (v) => lc.poolApply(v, POLICY, { type: 'deposit', lead: 'L1', pool: 'inbox' }, NOW),
  'poolDue(state)': (v) => lc.poolDue(v, POLICY, NOW),
  'poolTick(state)': (v) => lc.poolTick(v, POLICY, NOW),
  'scoreLead(lead)': (v) => lc.scoreLead(SCORING, v, null, NOW),
  'scoreLead(events)': (v) => lc.scoreLead(SCORING, LEAD, v, NOW),
  'scoreBatch(leads)': (v) => lc.scoreBatch(SCORING, v, null, NOW),
  'qualify(lead)': (v) => lc.qualify(RULES, v, null, NOW),
  'qualify(options)': (v) => lc.qualify(RULES, LEAD, null, NOW, v),
  'evaluateCondition': (v) => lc.evaluateCondition(v, LEAD, null, NOW),
  'transition(request)': (v) => lc.transition(PIPELINE, LEAD, v, NOW),
  'convertLead(lead)': (v) => lc.convertLead(MAPPING, v),
  'loadLead': (v) => lc.loadLead(v),
  'normalizeEvents': (v) => lc.normalizeEvents(v),
  'dedupe(leads)': (v) => lc.dedupe(v),
  'dedupeKeys(lead)': (v) => lc.dedupeKeys(v),
  'temperature(thresholds)': (v) => lc.temperature(50, v),
  'attribute(input)': (v) => lc.attribute({}, v),
  'addPaths': (v) => new lc.AttributionAccumulator({}).addPaths(v),
  'AttributionAccumulator.fromJSON': (v) => lc.AttributionAccumulator.fromJSON(JSON.stringify(v) ?? 'null'),
  'funnel(leads)': (v) => lc.funnel(FUNNEL, v),
}
const TEXT_ENTRY_POINTS = {
  normalizePhone: (v) => lc.normalizePhone(v),
  normalizeEmail: (v) => lc.normalizeEmail(v),
  normalizeCompany: (v) => lc.normalizeCompany(v),
  isPersonalEmailDomain: (v) => lc.isPersonalEmailDomain(v),
}

/** Calls `fn`; an error must be a leadcore error (a string `code`). */
function onlyLeadcoreErrors(fn, value) {
  try {
    fn(value)
  } catch (err) {
    assert.equal(typeof err?.code, 'string', `not a leadcore error: ${err?.stack ?? err}`)
  }
}

for (const [name, fn] of Object.entries(ENTRY_POINTS)) {
  test(`fuzz ${name}`, () => {
    fc.assert(fc.property(values, (v) => onlyLeadcoreErrors(fn, v)), RUNS)
  })
}
for (const [name, fn] of Object.entries(TEXT_ENTRY_POINTS)) {
  test(`fuzz ${name}`, () => {
    fc.assert(fc.property(text, (v) => onlyLeadcoreErrors(fn, v)), RUNS)
  })
}

test('any JS string is read as its well-formed text, whatever its length and characters', () => {
  // Arbitrary UTF-16 (lone surrogates included), whole characters, and runs of one character
  // of each UTF-8 width around every buffer size the binding uses.
  const strings = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.tuple(fc.constantFrom('a', 'é', '百', '😀', '\ud800'), fc.nat({ max: 700 }))
      .map(([unit, n]) => unit.repeat(n)),
  )
  fc.assert(fc.property(strings, (s) => {
    const lead = lc.loadLead({ id: s, created_at: '2026-01-01T00:00:00Z', attributes: { note: s } })
    return lead.id === s.toWellFormed() && lead.attributes.note === s.toWellFormed()
  }), { seed: 20261207, numRuns: 1000 })
})
