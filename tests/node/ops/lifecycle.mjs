// Vector ops for the `lifecycle` area: each op is one call of the public Node API.
import { leadcore as lc } from '../support.mjs'

export const OPS = {
  load_pipeline: (c) => new lc.Pipeline(c).toJSON(),
  pipeline_edges: (c, i) => lc.pipelineEdges(c, i.from),
  transition: (c, i) => lc.transition(c, i.lead, i.request, i.now),
  due: (c, i) => lc.due(c, i.lead, i.events, i.now),
  stage_times: (c, i) => lc.stageTimes(i.lead, i.now),
  convert_lead: (c, i) => lc.convertLead(c, i.lead),
}
