// The README's Node snippets under `tsc --strict`: no casts, every result typed.
import lc = require('../../leadcore-node')

const now = new Date('2026-11-23T09:00:00+08:00')
const lead: lc.Lead = {
  id: 'L1',
  created_at: '2026-11-20T10:00:00+08:00',
  attributes: { phone: '+86 138-0013-8000', wanted_item_id: 'SKU42', company: '云帆科技有限公司', company_verified: true, industry: 'saas' },
}
const verdict = lc.qualify(lc.RuleSet.preset('seed_001'), lead, null, now)
const qualified: string[] = verdict.qualified
const pipeline = lc.Pipeline.preset('seed_001')
const entered = lc.transition(pipeline, lead, {}, now)
const moved = lc.transition(pipeline, entered.lead, { to: 'SQL', actor: 'sdr_7' }, now)
const stage: string | null | undefined = moved.lead.stage
const phone = lc.normalizePhone('+86 138-0013-8000')
const email = lc.normalizeEmail('A.B+x@gmail.com')
const company = lc.normalizeCompany('云帆科技有限公司')
const scored = lc.scoreLead(lc.ScoringModel.preset('b2b_default'), lead, null, now)
const tier: lc.Tier = 'high'
const grade: lc.Grade = scored.fit.grade
const deduped = lc.dedupe([lead])
const config: lc.PipelineJson = pipeline.toJSON()
console.log(qualified, stage, phone, email, company, scored.combined, phone.valid, tier, grade, deduped, config.stages)

// Tables as Arrow IPC bytes (`tableToIPC` from apache-arrow gives a Uint8Array).
declare const leadBytes: Uint8Array
declare const eventBytes: Uint8Array
const fromTables: lc.BatchScores = lc.scoreBatch(lc.ScoringModel.preset('b2b_default'), leadBytes, eventBytes, now)
const unmatched: number = lc.scoreTable(lc.ScoringModel.preset('b2b_default'), leadBytes, eventBytes, now).unmatched_events
