// Runs every shared vector under tests/vectors through the Node API.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { leadcore as lc, subsetDiffs, vectorCases } from './support.mjs'

const facts = (i) => ({ events: i.events, scores: i.scores })

const OPS = {
  // lead model
  load_lead: (c, i) => lc.loadLead(i.lead),
  normalize_events: (c, i) => lc.normalizeEvents(i.events),
  // lifecycle
  load_pipeline: (c) => new lc.Pipeline(c).toJSON(),
  pipeline_edges: (c, i) => lc.pipelineEdges(c, i.from),
  transition: (c, i) => lc.transition(i.lead, i.request, c, i.now),
  due: (c, i) => lc.due(i.lead, i.events, c, i.now),
  stage_times: (c, i) => lc.stageTimes(i.lead, i.now),
  convert_lead: (c, i) => lc.convertLead(i.lead, c),
  // qualification
  load_rules: (c) => new lc.RuleSet(c).toJSON(),
  qualify: (c, i) => lc.qualify(c, i.lead, i.now, facts(i)),
  qualify_gate: (c, i) => lc.qualifyGate(c, i.gate, i.lead, i.now, facts(i)),
  evaluate_condition: (c, i) => lc.evaluateCondition(c, i.lead, i.now, facts(i)),
  temperature: (c, i) => lc.temperature(i.score, c),
  // cleaning
  normalize_phone: (c, i) => lc.normalizePhone(i.raw),
  locate_phone: (c, i) => lc.locatePhone(i.raw, c),
  normalize_email: (c, i) => lc.normalizeEmail(i.raw, c),
  is_personal_email_domain: (c, i) => lc.isPersonalEmailDomain(i.domain),
  normalize_company: (c, i) => lc.normalizeCompany(i.raw, c),
  dedupe: (c, i) => lc.dedupe(i.leads, c, i.events),
}

for (const [name, c] of vectorCases()) {
  test(`${name} ${c.description}`, () => {
    const op = OPS[c.op]
    assert.ok(op, `no node runner for op \`${c.op}\``)
    const input = c.input ?? {}
    if (c.error) {
      assert.throws(
        () => op(c.config, input),
        (e) => {
          assert.ok(e instanceof Error)
          assert.equal(e.code, c.error.code, e.message)
          if ('path' in c.error) assert.equal(e.path, c.error.path, e.message)
          return true
        },
      )
    } else {
      const diffs = subsetDiffs(c.expected, op(c.config, input))
      assert.deepEqual(diffs, [])
    }
  })
}
