// A service-style file: a pool worker that claims, ticks and reports, typed end to end.
import lc = require('../../leadcore-node')

const policy = new lc.PoolPolicy({ pools: [{ id: 'general', kind: 'general' }], reps: [{ id: 'wang' }] })
const state = new lc.PoolState()

export function claim(lead: string, rep: string, now: Date): lc.PoolEffect[] {
  const out: lc.PoolApplied = state.apply({ type: 'claim', lead, rep, id: `claim-${lead}` }, policy, now)
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
