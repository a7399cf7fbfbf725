// leadcore from Node: qualify a lead, move it through a pipeline, clean its phone number.
import { createRequire } from 'node:module'

const lc = createRequire(import.meta.url)('../../leadcore-node') // `require('leadcore')` when installed

const now = new Date('2026-11-23T09:00:00+08:00')
const lead = {
  id: 'L1',
  created_at: '2026-11-20T10:00:00+08:00',
  attributes: { phone: '+86 138-0013-8000', wanted_item_id: 'SKU42', company: '云帆科技有限公司', company_verified: true, industry: 'saas' },
}

// Which of seed 001's gates does the lead pass, and which criteria failed?
const rules = lc.RuleSet.preset('seed_001')
const verdict = lc.qualify(rules, lead, null, now)
console.log(verdict.qualified) // [ 'MQL', 'SQL' ]
console.log(verdict.gates[2].failed_criteria) // [ 'responsive', 'quote_not_rejected' ]

// Enter the pipeline and move to SQL; the result carries the new state and the reasons.
const pipeline = lc.Pipeline.preset('seed_001')
let moved = lc.transition(pipeline, lead, {}, now)
moved = lc.transition(pipeline, moved.lead, { to: 'SQL', actor: 'sdr_7' }, now)
console.log(moved.lead.stage, moved.change.edge) // SQL forward

// Bad input throws an Error with a stable code and the JSON path of the bad field.
try {
  lc.transition(pipeline, moved.lead, { to: 'Won' }, now)
} catch (e) {
  console.log(e.code) // illegal_transition
}

console.log(lc.normalizePhone('+86 138-0013-8000').normalized) // 13800138000
