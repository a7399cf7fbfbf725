// A service-style file: a pool worker that claims, ticks and reports, typed end to end.
import lc = require('../../leadcore-node')

const policy = new lc.PoolPolicy({ pools: [{ id: 'general', kind: 'general' }], reps: [{ id: 'wang' }] })
const state = new lc.PoolState()

export function claim(lead: string, rep: string, now: Date): lc.PoolEffect[] {
  const out: lc.PoolApplied = state.apply(policy, { type: 'claim', lead, rep, id: `claim-${lead}` }, now)
  for (const effect of out.effects) {
    if (effect.type === 'moved') console.log(effect.lead, effect.to)
  }
  return out.effects
}

export function tick(now: Date): string | null | undefined {
  const out = state.tick(policy, now)
  const due: lc.PoolDue = state.due(policy, now)
  console.log(due.timers.length)
  return out.next_check_at
}

export function snapshot(): lc.PoolStateJsonOutput {
  return state.toJSON()
}

/** A refusal as an HTTP answer: the error classes, codes and facts are typed. */
export function refusal(e: unknown): { status: number; body: object } {
  if (e instanceof lc.PoolError) {
    const status = e.code === 'already_owned' || e.code === 'holding_cap_reached' ? 409 : 422
    return { status, body: { code: e.code, path: e.path, details: e.details } }
  }
  if (e instanceof lc.InputError || e instanceof lc.ConfigError) {
    return { status: 400, body: { code: e.code, category: e.category, path: e.path } }
  }
  throw e
}

/** Ingest: documents hold `Date`s where they hold instants, as the addon reads them. */
export function ingest(id: string, seen: Date): lc.ScoredLead {
  const lead: lc.Lead = { id, created_at: seen, attributes: { industry: 'saas' } }
  const events: lc.LeadEvent[] = [{ id: `${id}-1`, lead_id: id, kind: 'page_view', at: seen }]
  return lc.scoreLead(lc.ScoringModel.preset('b2b_default'), lead, events, seen)
}

/** Conversion takes the mapping first, like every config. */
export function convert(lead: lc.Lead): lc.Converted {
  return lc.convertLead(lc.FieldMapping.preset('standard'), lead)
}
