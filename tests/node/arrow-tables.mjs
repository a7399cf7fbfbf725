// Typed tables of the shared vectors as Arrow IPC bytes (apache-arrow's `tableToIPC`; see
// tests/vectors/README.md).
import { arrow } from './support.mjs'

const TYPES = {
  utf8: () => new arrow.Utf8(),
  large_utf8: () => new arrow.LargeUtf8(),
  int64: () => new arrow.Int64(),
  int32: () => new arrow.Int32(),
  uint32: () => new arrow.Uint32(),
  float64: () => new arrow.Float64(),
  bool: () => new arrow.Bool(),
  timestamp_s: () => new arrow.TimestampSecond('UTC'),
  timestamp_ms: () => new arrow.TimestampMillisecond('UTC'),
  timestamp_ns: () => new arrow.TimestampNanosecond('UTC'),
  dictionary: () => new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
}

// Ticks per second of the timestamp types (apache-arrow takes milliseconds and converts).
const PER_SECOND = { timestamp_s: 1, timestamp_ms: 1e3, timestamp_ns: 1e9 }

function vector(type, values) {
  let cells = values
  if (type === 'int64') cells = values.map((v) => (v === null ? null : BigInt(v)))
  if (type in PER_SECOND) {
    cells = values.map((v) => (v === null ? null : (v * 1000) / PER_SECOND[type]))
  }
  return arrow.vectorFromArray(cells, TYPES[type]())
}

// The IPC stream of a vector's table, cut into batches of the given sizes.
export function arrowTable(spec) {
  const columns = {}
  for (const c of spec.columns) columns[c.name] = vector(c.type, c.values)
  const whole = new arrow.Table(columns)
  const sizes = spec.batches ?? [whole.numRows]
  const batches = []
  let start = 0
  for (const size of sizes) {
    batches.push(...whole.slice(start, start + size).batches)
    start += size
  }
  return arrow.tableToIPC(new arrow.Table(whole.schema, batches), 'stream')
}
