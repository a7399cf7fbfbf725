// Vector ops for the `lead` area: each op is one call of the public Node API.
import { leadcore as lc } from '../support.mjs'

export const OPS = {
  load_lead: (c, i) => lc.loadLead(i.lead),
  normalize_events: (c, i) => lc.normalizeEvents(i.events),
}
