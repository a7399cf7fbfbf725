// Deliberate mistakes: each must fail to type-check (`@ts-expect-error` fails the run when the
// line below it type-checks).
import lc = require('../../leadcore-node')

const now = new Date('2026-11-23T09:00:00+08:00')
const state = new lc.PoolState()
const policy = new lc.PoolPolicy('{}')
// @ts-expect-error: a misspelt command type
state.apply(policy, { type: 'folow_up', lead: 'L1', rep: 'wang' }, now)
// @ts-expect-error: `clam` is not a command
state.apply(policy, { type: 'clam', lead: 'L1', rep: 'wang' }, now)
// @ts-expect-error: tiers are high / mid / low
const tier: lc.Tier = 'top'
// @ts-expect-error: a misspelt result key
console.log(lc.normalizePhone('13800138000').vaild, tier)
// @ts-expect-error: a misspelt config key
const rules: lc.RuleSetJson = { gatez: [] }
console.log(rules)
try {
  state.apply(policy, { type: 'claim', lead: 'L1', rep: 'wang' }, now)
} catch (e) {
  // @ts-expect-error: error codes are a literal union, and this one is misspelt
  if (e instanceof lc.PoolError && e.code === 'alredy_owned') console.log(e.details)
}
