// Vector ops for the `attribution` area: each op is one call of the public Node API.
import { leadcore as lc } from '../support.mjs'
import { typedTable } from '../arrow-tables.mjs'

// One accumulator per part, each shipped through its binary and JSON state, merged in order.
function accumulate(c, i) {
  const total = new lc.AttributionAccumulator(c)
  for (const part of i.parts ?? []) {
    const acc = new lc.AttributionAccumulator(c)
    acc.addJourneys(part.journeys ?? [])
    acc.addPaths(part.paths ?? [])
    const shipped = lc.AttributionAccumulator.fromBytes(acc.toBytes())
    total.merge(lc.AttributionAccumulator.fromJSON(JSON.stringify(shipped)))
  }
  return { report: total.finish(), state: total.toJSON() }
}

// The report of one accumulator fed a long touch table (an object of column arrays).
function accumulateColumns(c, i) {
  const acc = new lc.AttributionAccumulator(c)
  acc.addJourneyColumns(i.touches)
  return acc.finish()
}

// The report of one accumulator fed a typed touch table as Arrow IPC (or as an object of columns: `useForm`).
function accumulateTable(c, i) {
  const acc = new lc.AttributionAccumulator(c)
  acc.addJourneyColumns(typedTable(i.touches))
  return acc.finish()
}

export const OPS = {
  attribute: (c, i) => lc.attribute(c, { journeys: i.journeys, paths: i.paths }),
  explain_journey: (c, i) => lc.explainJourney(c, i.journey),
  ownership: (c, i) => lc.ownership(c, i.journeys ?? []),
  accumulate,
  accumulate_columns: accumulateColumns,
  attribute_table: (c, i) => lc.attribute(c, { paths: typedTable(i.paths) }),
  accumulate_table: accumulateTable,
}
