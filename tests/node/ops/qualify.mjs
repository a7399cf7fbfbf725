// Vector ops for the `qualify` area: each op is one call of the public Node API.
import { leadcore as lc } from '../support.mjs'

const facts = (i) => ({ scores: i.scores })

export const OPS = {
  load_rules: (c) => new lc.RuleSet(c).toJSON(),
  qualify: (c, i) => lc.qualify(c, i.lead, i.events, i.now, facts(i)),
  qualify_gate: (c, i) => lc.qualifyGate(c, i.gate, i.lead, i.events, i.now, facts(i)),
  evaluate_condition: (c, i) => lc.evaluateCondition(c, i.lead, i.events, i.now, facts(i)),
  temperature: (c, i) => lc.temperature(i.score, c),
}
