// Vector ops for the `pools` area: each op is one call of the public Node API (the functional
// forms, on a state given as a plain object; an absent state is the empty state).
import { leadcore as lc } from '../support.mjs'

export const OPS = {
  pool_load_policy: (c) => new lc.PoolPolicy(c).toJSON(),
  pool_apply: (c, i) => lc.poolApply(i.state, i.command, c, i.now),
  pool_tick: (c, i) => lc.poolTick(i.state, c, i.now),
  pool_due: (c, i) => lc.poolDue(i.state, c, i.now),
  pool_replay: (c, i) => lc.poolReplay(i.state, i.log, c),
  pool_assign_preview: (c, i) => lc.poolAssignPreview(i.state, i.lead, c, i.now),
  pool_simulate_day: (c, i) => lc.poolSimulateDay(i.state, i.arrivals, c),
  pool_needs: (c, i) => lc.poolNeeds(i.commands, c, i.records, i.now),
  pool_apply_rows: (c, i) => lc.poolApplyRows(i.records, i.commands, c, i.now),
  pool_tick_rows: (c, i) => lc.poolTickRows(i.records, c, i.now),
}
