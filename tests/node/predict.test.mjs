// Predictive scoring through the Node binding: model files, Float64Array batches, thread-count
// independence, coded errors.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { arrow, leadcore as lc } from './support.mjs'

const NOW = new Date(Date.UTC(2026, 5, 1))
const DAY = 86_400_000

const CONFIG = {
  features: {
    windows_days: [7, 30],
    event_kinds: ['download', 'page_view'],
    categorical: [{ attribute: 'industry' }],
    numeric: [{ attribute: 'employees' }],
    source_quality: { scores: { sem: 0.8, seo: 0.3 } },
  },
  model: { type: 'random_forest', n_trees: 20, max_depth: 6 },
  test_fraction: 0.25,
  permutation_repeats: 1,
}

// A small seeded PRNG (mulberry32), so the history is the same on every run.
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

/** Synthetic leads: more downloads and the `saas` industry make a conversion likelier. */
function history(n = 240, seed = 7) {
  const r = rng(seed)
  const below = (k) => Math.floor(r() * k)
  const leads = []
  const events = []
  const labels = []
  for (let i = 0; i < n; i++) {
    const id = `L${i}`
    const industry = ['saas', 'retail', 'media'][below(3)]
    leads.push({
      id,
      created_at: new Date(NOW - (30 + below(270)) * DAY),
      attributes: { industry, employees: 10 + below(490) },
      source: { channel: ['sem', 'seo'][below(2)] },
    })
    const downloads = below(6)
    for (let d = 0; d < downloads; d++) {
      events.push({ id: `${id}/d${d}`, lead_id: id, kind: 'download', at: new Date(NOW - (1 + below(59)) * DAY) })
    }
    const views = below(5)
    for (let d = 0; d < views; d++) {
      events.push({ id: `${id}/p${d}`, lead_id: id, kind: 'page_view', at: new Date(NOW - (1 + below(59)) * DAY) })
    }
    const converted = downloads + (industry === 'saas' ? 2 : 0) + 2 * r() >= 5.5
    labels.push({ lead_id: id, converted, cutoff: NOW })
  }
  return { leads, events, labels }
}

const { leads, events, labels } = history()
const model = lc.train(CONFIG, leads, events, labels, NOW, { threads: 2 })

test('a trained model reports its metrics, features and tiers', () => {
  assert.ok(model instanceof lc.PredictiveModel)
  assert.ok(model.metrics.roc_auc > 0.8)
  assert.equal(model.metadata.rows, 240)
  assert.deepEqual(model.featureNames.slice(0, 2), ['download_count_7d', 'download_count_30d'])
  assert.deepEqual(Object.keys(model.tiers).sort(), ['high', 'mid'])
  assert.ok(model.config.equals(new lc.TrainConfig(CONFIG)))
  assert.ok(model.formatVersion >= 1)
  const top = model.score(leads, events, NOW).reduce((a, b) => (b.probability > a.probability ? b : a))
  assert.equal(top.tier, 'high')
  assert.ok(top.positive.length > 0)
})

test('save → load → score is identical (Buffer, JSON object, JSON text)', () => {
  const scores = model.score(leads, events, NOW)
  const bytes = model.toBytes()
  assert.ok(Buffer.isBuffer(bytes))
  for (const loaded of [
    lc.PredictiveModel.fromBytes(bytes),
    lc.PredictiveModel.fromBytes(new Uint8Array(bytes)),
    new lc.PredictiveModel(model.toJSON()),
    new lc.PredictiveModel(JSON.stringify(model)),
  ]) {
    assert.ok(loaded.equals(model))
    assert.deepEqual(loaded.score(leads, events, NOW), scores)
  }
  assert.ok(bytes.length < JSON.stringify(model).length)
})

test('damaged, newer or non-binary model files throw coded errors', () => {
  const bytes = Buffer.from(model.toBytes())
  bytes[bytes.length - 1] ^= 0xff
  assert.throws(() => lc.PredictiveModel.fromBytes(bytes), (e) => e.code === 'corrupted_model' && e.category === 'predict')
  const doc = model.toJSON()
  doc.format_version = 99
  assert.throws(() => new lc.PredictiveModel(doc), (e) => e.code === 'unsupported_format_version')
  assert.throws(() => lc.PredictiveModel.fromBytes('nope'), (e) => e.code === 'invalid_type' && e.path === 'bytes')
})

test('a Float64Array batch equals per-lead scores', () => {
  const scores = model.score(leads, events, NOW)
  const x = model.buildFeatures(leads, events, NOW)
  assert.ok(x.data instanceof Float64Array)
  assert.equal(x.rows, leads.length)
  assert.equal(x.columns, model.featureNames.length)
  assert.deepEqual(x.featureNames, model.featureNames)
  const probs = model.predictProba(x.data, { rows: x.rows, columns: x.columns })
  assert.ok(probs instanceof Float64Array)
  assert.deepEqual([...probs], scores.map((s) => s.probability))
  const alone = leads.slice(0, 10).map((l) => model.score([l], events, NOW)[0].probability)
  assert.deepEqual(alone, [...probs.slice(0, 10)])
  // An array of rows, NaN written as null, reads the same values.
  const rows = []
  for (let r = 0; r < 5; r++) {
    rows.push([...x.data.slice(r * x.columns, (r + 1) * x.columns)].map((v) => (Number.isNaN(v) ? null : v)))
  }
  assert.deepEqual([...model.predictProba(rows)], [...probs.slice(0, 5)])
})

test('the training-set matrix scores like the model features', () => {
  const ts = lc.buildTrainingSet(CONFIG.features, leads, events, labels)
  const x = model.buildFeatures(leads, events, NOW)
  const cols = ts.features.data
  const rowMajor = new Float64Array(x.rows * x.columns)
  for (let c = 0; c < cols.length; c++) {
    for (let r = 0; r < x.rows; r++) rowMajor[r * x.columns + c] = cols[c][r] ?? NaN
  }
  assert.deepEqual([...rowMajor], [...x.data])
  assert.ok(lc.trainSet(CONFIG, ts, NOW).equals(lc.trainSet(new lc.TrainConfig(CONFIG), ts, NOW, { threads: 1 })))
})

test('bad matrices throw coded errors', () => {
  const x = model.buildFeatures(leads.slice(0, 4), events, NOW)
  assert.throws(
    () => model.predictProba(x.data, { rows: 4, columns: x.columns - 1 }),
    (e) => e.code === 'invalid_value' && e.path === 'x',
  )
  assert.throws(() => model.predictProba(x.data), (e) => e.code === 'missing_field' && e.path === 'options.rows')
  assert.throws(() => model.predictProba(x.data, { rows: '4', columns: x.columns }), (e) => e.code === 'invalid_type' && e.path === 'options.rows')
  assert.throws(() => model.predictProba(x.data, { rows: 4, columns: -1 }), (e) => e.category === 'input' && e.path === 'options.columns')
  assert.throws(
    () => model.predictProba(x.data.slice(0, 2 * (x.columns - 1)), { rows: 2, columns: x.columns - 1 }),
    (e) => e.code === 'feature_mismatch' && e.category === 'predict',
  )
  assert.throws(() => model.predictProba([[1, 2], [1]]), (e) => e.code === 'invalid_value' && e.path === 'x[1]')
  assert.throws(
    () => model.predictProba(x.data, { rows: 4, columns: x.columns, segments: ['a'] }),
    (e) => e.code === 'invalid_value' && e.path === 'segments',
  )
})

test('results do not depend on the thread count', () => {
  const bytes = model.toBytes()
  for (const threads of [1, 3, undefined]) {
    const again = lc.train(CONFIG, leads, events, labels, NOW, { threads })
    assert.ok(again.toBytes().equals(bytes))
  }
  assert.deepEqual(model.score(leads, events, NOW, { threads: 1 }), model.score(leads, events, NOW, { threads: 4 }))
  const x = model.buildFeatures(leads, events, NOW, { threads: 3 })
  const shape = { rows: x.rows, columns: x.columns }
  assert.deepEqual(
    [...model.predictProba(x.data, { ...shape, threads: 1 })],
    [...model.predictProba(x.data, { ...shape, threads: 4 })],
  )
})

test('evaluate takes arrays or a Float64Array', () => {
  const tiers = { high: 0.5, mid: 0.2 }
  const a = lc.evaluate(tiers, [0.9, 0.8, 0.3, 0.1], [true, false, true, false])
  const b = lc.evaluate(tiers, new Float64Array([0.9, 0.8, 0.3, 0.1]), [true, false, true, false])
  assert.deepEqual(a, b)
  assert.equal(a.roc_auc, 0.75)
})

test('config classes validate with paths; single-class labels are predict errors', () => {
  assert.throws(
    () => new lc.TrainConfig({ model: { type: 'random_forest', n_trees: 0 } }),
    (e) => e.code === 'invalid_value' && e.path === 'model.n_trees',
  )
  assert.ok(new lc.FeatureSpec(CONFIG.features).equals(new lc.FeatureSpec(JSON.stringify(CONFIG.features))))
  const one = labels.map((l) => ({ ...l, converted: false }))
  assert.throws(() => lc.train(CONFIG, leads, events, one, NOW), (e) => e.code === 'single_class')
})

test('issue 15: thread counts are validated and clamped in one place, never one OS thread each', () => {
  const x = model.buildFeatures(leads.slice(0, 20), events, NOW, { threads: 1e9 })
  const one = model.predictProba(x.data, { rows: x.rows, columns: x.columns, threads: 1 })
  assert.deepEqual(model.predictProba(x.data, { rows: x.rows, columns: x.columns, threads: 1e9 }), one)
  for (const [bad, code] of [[-1, 'invalid_value'], [2.5, 'invalid_value'], [NaN, 'not_finite'], [Infinity, 'not_finite']]) {
    assert.throws(
      () => model.predictProba(x.data, { rows: x.rows, columns: x.columns, threads: bad }),
      (e) => e.code === code && e.path === 'threads',
    )
    assert.throws(() => model.buildFeatures(leads, events, NOW, { threads: bad }), (e) => e.path === 'threads')
  }
  // Rows that no values back: refused, not allocated.
  assert.throws(
    () => model.predictProba(new Float64Array(0), { rows: 2 ** 32 - 1, columns: 0 }),
    (e) => e.code === 'invalid_value',
  )
})

test('issue 15: a sparse array with a huge length is a coded error at its first hole, not an abort', () => {
  const sparse = [leads[0]]
  sparse.length = 2 ** 32 - 1
  const started = Date.now()
  assert.throws(
    () => model.buildFeatures(sparse, events, NOW),
    (e) => e.code === 'invalid_value' && e.path === 'leads[1]',
  )
  assert.ok(Date.now() - started < 1000)
  // A Date past 9999 is refused at the boundary.
  assert.throws(() => model.buildFeatures(leads, events, new Date(8.64e15)), (e) => e.code === 'invalid_datetime')
})

test('events as Arrow IPC bytes train, score and build features like event objects', () => {
  const table = arrow.tableFromArrays({
    lead_id: arrow.vectorFromArray(events.map((e) => e.lead_id), new arrow.Utf8()),
    kind: arrow.vectorFromArray(events.map((e) => e.kind), new arrow.Utf8()),
    at: arrow.vectorFromArray(events.map((e) => e.at.getTime()), new arrow.TimestampMillisecond('UTC')),
    id: arrow.vectorFromArray(events.map((e) => e.id), new arrow.Utf8()),
  })
  const ipc = arrow.tableToIPC(table)
  assert.deepStrictEqual(model.score(leads, ipc, NOW), model.score(leads, events, NOW))
  assert.deepStrictEqual(model.buildFeatures(leads, ipc, NOW), model.buildFeatures(leads, events, NOW))
  const again = lc.train(CONFIG, leads, ipc, labels, NOW, { threads: 2 })
  assert.ok(again.equals(model))
})
