// One calling convention (README, "One calling convention"; CHANGELOG 0.2.0): the 0.1 argument
// orders fail loudly with a leadcore error instead of computing something else.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { leadcore as lc } from './support.mjs'

const NOW = '2026-11-23T09:00:00+08:00'
const LEAD = { id: 'L1', created_at: '2026-11-20T10:00:00+08:00' }
const POLICY = { pools: [{ id: 'inbox', kind: 'general' }], reps: [{ id: 'wang' }] }
const DEPOSIT = { type: 'deposit', lead: 'L1', pool: 'inbox' }
const PIPELINE = lc.Pipeline.preset('seed_001')
const MODEL = lc.ScoringModel.preset('b2b_default')

const OLD_ORDERS = {
  'transition(lead, request, pipeline, now)': () => lc.transition(LEAD, {}, PIPELINE, NOW),
  'due(lead, events, pipeline, now)': () => lc.due(LEAD, [], PIPELINE, NOW),
  'convertLead(lead, mapping)': () => lc.convertLead(LEAD, lc.FieldMapping.preset(lc.FieldMapping.presetNames()[0])),
  'locatePhone(raw, regions)': () => lc.locatePhone('13800138000', { prefixes: {} }),
  'qualify(rules, lead, now, { events })': () => lc.qualify(lc.RuleSet.preset('seed_001'), LEAD, NOW, { events: [] }),
  'scoreLead(model, lead, now, events)': () => lc.scoreLead(MODEL, LEAD, NOW, []),
  'scoreBatch(model, leads, now, { events })': () => lc.scoreBatch(MODEL, [LEAD], NOW, { events: [] }),
  'ScoringModel.scoreLead(lead, now, events)': () => MODEL.scoreLead(LEAD, NOW, []),
  'dedupe(leads, policy)': () => lc.dedupe([LEAD], {}),
  'dedupeOne(lead, candidates, policy)': () => lc.dedupeOne(LEAD, [], {}),
  'evaluate(scores, labels, tiers)': () => lc.evaluate([0.5], [true], { high: 0.7, mid: 0.3 }),
  'sourceCounts(outcomes, stages)': () => lc.sourceCounts([{ source: 'sem' }], ['Won']),
  'PoolState.apply(command, policy, now)': () => new lc.PoolState().apply(DEPOSIT, POLICY, NOW),
  'PoolState.simulateDay(arrivals, policy)': () => new lc.PoolState().simulateDay([LEAD], POLICY),
  'PoolState.replay(log, policy)': () => lc.PoolState.replay([], POLICY),
  'poolApply(state, command, policy, now)': () => lc.poolApply(null, DEPOSIT, POLICY, NOW),
  'poolApplyRows(records, commands, policy, now)': () => lc.poolApplyRows(null, [DEPOSIT], POLICY, NOW),
  'poolNeeds(commands, policy)': () => lc.poolNeeds([DEPOSIT], POLICY),
}

for (const [call, run] of Object.entries(OLD_ORDERS)) {
  test(`the 0.1 order ${call} throws a leadcore error`, () => {
    assert.throws(run, (e) => e instanceof lc.LeadcoreError || e instanceof TypeError)
  })
}

// Every declared signature of the package follows the convention (the TypeScript declarations
// are what callers see): deciders first, events before now, only options after now, a policy
// after nothing but the state or records it works on.
const DECIDERS = new Set(['pipeline', 'rules', 'model', 'mapping', 'regions', 'config', 'condition', 'spec', 'tiers', 'convertedStages'])
const AFTER_NOW = new Set(['options', 'events'])

function signatures() {
  const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'leadcore-node', 'index.d.ts'), 'utf8')
  const out = []
  for (const m of text.matchAll(/^(?:export declare function |  (?:static )?)(\w+)\((.*)\):/gm)) {
    const params = m[2].split(/,(?![^<({[]*[>)}\]])/).map((p) => p.trim().split(/[?:]/)[0]).filter(Boolean)
    out.push([m[1], params])
  }
  return out
}

test('every declared signature follows the calling convention', () => {
  const sigs = signatures()
  assert.ok(sigs.length > 60, `${sigs.length} signatures`)
  for (const [name, ps] of sigs) {
    const where = `${name}(${ps.join(', ')})`
    const at = (p) => ps.indexOf(p)
    if (at('events') >= 0 && at('now') >= 0) assert.ok(at('events') < at('now'), where)
    if (at('now') >= 0) for (const p of ps.slice(at('now') + 1)) assert.ok(AFTER_NOW.has(p), where)
    if (at('policy') >= 0 && !name.startsWith('dedupe')) {
      for (const p of ps.slice(0, at('policy'))) assert.ok(p === 'state' || p === 'records', where)
    }
    for (const p of ps) if (DECIDERS.has(p)) assert.equal(at(p), 0, where)
  }
})
