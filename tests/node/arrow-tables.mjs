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

// The same typed table as an object of columns (arrays, typed arrays where no cell is missing,
// `Date`s for timestamps, `{codes, values}` for dictionaries): the host form of a table.
export function columnsTable(spec) {
  const out = {}
  for (const { name, type, values } of spec.columns) {
    const full = !values.includes(null)
    if (type === 'dictionary') {
      const distinct = [...new Set(values.filter((v) => v !== null))]
      out[name] = { codes: Int32Array.from(values, (v) => (v === null ? -1 : distinct.indexOf(v))), values: distinct }
    } else if (type in PER_SECOND) {
      out[name] = values.map((v) => (v === null ? null : new Date((v * 1000) / PER_SECOND[type])))
    } else if (type === 'int64' && full) {
      out[name] = BigInt64Array.from(values, BigInt)
    } else if (type === 'int32' && full) {
      out[name] = Int32Array.from(values)
    } else if (type === 'uint32' && full) {
      out[name] = Uint32Array.from(values)
    } else {
      out[name] = [...values]
    }
  }
  return out
}

// Which form `typedTable` gives the vector ops: Arrow IPC bytes, or an object of columns.
let form = 'ipc'

export function useForm(f) {
  form = f
}

export function typedTable(spec) {
  return form === 'columns' ? columnsTable(spec) : arrowTable(spec)
}

// The typed table of a JSON list of path counts (columns of the keys the rows use, absent
// cells null), or null when a row has a value a typed column cannot hold as it is.
export function pathsAsTable(paths) {
  if (!Array.isArray(paths) || paths.length === 0) return null
  const names = ['path', 'conversions', 'nulls', 'value']
  for (const p of paths) {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) return null
    if (Object.keys(p).some((k) => !names.includes(k)) || typeof p.path !== 'string') return null
    for (const k of ['conversions', 'nulls']) {
      const v = p[k] ?? 0
      if (!Number.isSafeInteger(v)) return null
    }
    const v = p.value ?? 0
    if (typeof v !== 'number' || Math.abs(v) >= 2 ** 53) return null
  }
  const types = { path: 'utf8', conversions: 'int64', nulls: 'int64', value: 'float64' }
  const columns = names
    .filter((name) => paths.some((p) => name in p))
    .map((name) => ({ name, type: types[name], values: paths.map((p) => (name in p ? p[name] : null)) }))
  return { columns }
}

// A JSON list's error path in a table's words: `paths[3].value` → `paths.value[3]`.
export function tablePath(path) {
  return path.replace(/^paths\[(\d+)\]\.(\w+)$/, 'paths.$2[$1]')
}
