// Vector ops for the `pools` area: each op is one call of the public Node API (the functional
// forms, on a state given as a plain object; an absent state is the empty state).
import { leadcore as lc } from '../support.mjs'

export const OPS = {
  pool_load_policy: (c) => new lc.PoolPolicy(c).toJSON(),
  pool_apply: (c, i) => lc.poolApply(i.state, c, i.command, i.now),
  pool_tick: (c, i) => lc.poolTick(i.state, c, i.now),
  pool_due: (c, i) => lc.poolDue(i.state, c, i.now),
  pool_replay: (c, i) => lc.poolReplay(i.state, c, i.log),
  pool_assign_preview: (c, i) => lc.poolAssignPreview(i.state, c, i.lead, i.now),
  pool_simulate_day: (c, i) => lc.poolSimulateDay(i.state, c, i.arrivals),
  pool_needs: (c, i) => lc.poolNeeds(i.records, c, i.commands, i.now),
  pool_apply_rows: (c, i) => lc.poolApplyRows(i.records, c, i.commands, i.now),
  pool_tick_rows: (c, i) => lc.poolTickRows(i.records, c, i.now),
}
