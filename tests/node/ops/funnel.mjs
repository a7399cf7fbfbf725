// Vector ops for the `funnel` area: each op is one call of the public Node API.
import { leadcore as lc } from '../support.mjs'

// One accumulator per part, each shipped through its binary and JSON state, merged in order.
function funnelAccumulate(c, i) {
  const total = new lc.FunnelAccumulator(c)
  for (const part of i.parts ?? []) {
    const acc = new lc.FunnelAccumulator(c)
    acc.addLeads(part.leads ?? [])
    const shipped = lc.FunnelAccumulator.fromBytes(acc.toBytes())
    total.merge(lc.FunnelAccumulator.fromJSON(JSON.stringify(shipped)))
  }
  return { report: total.finish(), state: total.toJSON() }
}

export const OPS = {
  funnel: (c, i) => lc.funnel(c, i.leads ?? []),
  funnel_accumulate: funnelAccumulate,
  channel_roi: (c, i) => lc.channelRoi(c, i.leads ?? [], i.spend),
  forecast: (c, i) => lc.forecast(c, i.leads ?? []),
  mlg_index: (c, i) => lc.mlgIndex(c, i.leads ?? []),
  capacity_plan: (c, i) => lc.capacityPlan(c, i.plan),
  capacity_monte_carlo: (c, i) => lc.capacityMonteCarlo(c, i.plan, i.simulation),
}
