// Vector ops for the `scoring` area: each op is one call of the public Node API.
import { leadcore as lc } from '../support.mjs'
import { typedTable } from '../arrow-tables.mjs'

const GRADES = lc.grades()
const TIERS = lc.tiers()

// The typed-array table in the JSON shape of the Rust `ScoreTable` (codes → names).
const table = (t) => ({
  ...t,
  behavior: [...t.behavior],
  fit: [...t.fit],
  source: [...t.source],
  combined: [...t.combined],
  grade: [...t.grade].map((g) => GRADES[g]),
  tier: [...t.tier].map((c) => (c >= 0 ? TIERS[c] : null)),
})

export const OPS = {
  load_scoring_model: (c) => new lc.ScoringModel(c).toJSON(),
  score_lead: (c, i) => lc.scoreLead(c, i.lead, i.events, i.now),
  score_batch: (c, i) => lc.scoreBatch(c, i.leads, i.events, i.now, { threads: i.threads }),
  score_batch_table: (c, i) => lc.scoreBatch(c, typedTable(i.leads), i.events, i.now, { threads: i.threads }),
  score_columns: (c, i) => lc.scoreColumns(c, i.leads, i.events, i.now, { threads: i.threads }),
  score_columns_table: (c, i) => lc.scoreColumns(c, i.leads, typedTable(i.events), i.now, { threads: i.threads }),
  score_table: (c, i) => table(lc.scoreTable(c, i.leads, i.events, i.now, { threads: i.threads })),
  source_quality: (c) => lc.sourceQuality(c),
  source_counts: (c, i) => lc.sourceCounts(i.converted_stages, i.outcomes),
  what_if: (c, i) => lc.whatIf(c, i.leads, i.events, i.now, { threads: i.threads }),
}
