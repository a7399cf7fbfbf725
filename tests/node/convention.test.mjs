// One calling convention (README, "One calling convention"; CHANGELOG 0.2.0): the 0.1 argument
// orders fail loudly with a leadcore error instead of computing something else.
import assert from 'node:assert/strict'
import { test } from 'node:test'

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
