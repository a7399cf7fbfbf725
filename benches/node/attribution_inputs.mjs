// The Node twin of benches/python/attribution_inputs.py: times leadcore's attribution (one
// thread) on the Arrow IPC stream that script writes, given as bytes and as columns (string[]
// or {codes, values} paths, typed arrays of counts), so the two bindings can be compared on the
// same paths.
//
//   python benches/python/attribution_inputs.py --shape neutral    # writes the .arrows file
//   (cd leadcore-node && npm install && npm run build)
//   node benches/node/attribution_inputs.mjs --shape neutral
//
// Prints CPU seconds of the call (process.cpuUsage, user + system), best of --repeat.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(join(here, '..', '..', 'leadcore-node', 'package.json'))
const lc = require('./')
const { tableFromIPC } = require('apache-arrow')

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
)
const shape = args.shape ?? 'neutral'
const size = args.size ?? '1000000'
const repeat = Number(args.repeat ?? 5)
const file = join(args['data-dir'] ?? '/tmp/leadcore-attribution', `${shape}_${size}_${args.seed ?? '42'}.arrows`)

const MODELS = {
  heuristics: { models: [{ type: 'first_touch' }, { type: 'last_touch' }, { type: 'linear' }] },
  markov: { models: [{ type: 'markov', order: 1 }] },
}

function best(config, paths) {
  let out = Infinity
  for (let r = 0; r < repeat; r++) {
    const t = process.cpuUsage()
    lc.attribute(config, { paths, threads: 1 })
    const d = process.cpuUsage(t)
    out = Math.min(out, (d.user + d.system) / 1e6)
  }
  return out
}

const bytes = new Uint8Array(readFileSync(file))
const table = tableFromIPC(bytes)
const columns = {
  path: table.getChild('path').toArray(),
  conversions: Float64Array.from(table.getChild('conversions').toArray(), Number),
  nulls: Float64Array.from(table.getChild('nulls').toArray(), Number),
  value: table.getChild('value').toArray(),
}
// The same paths as a dictionary: each distinct path once, a code per row.
const index = new Map()
const codes = Uint32Array.from(columns.path, (p) => {
  let k = index.get(p)
  if (k === undefined) index.set(p, (k = index.size))
  return k
})
const dictionary = { ...columns, path: { codes, values: [...index.keys()] } }
const forms = {
  'Arrow IPC bytes': bytes,
  'columns (string[] paths, typed arrays)': columns,
  'columns ({codes, values} paths)': dictionary,
}
console.log(`${shape}: ${table.numRows.toLocaleString('en')} rows; CPU s, one thread, best of ${repeat}`)
console.log(`| input | ${Object.keys(MODELS).join(' | ')} |`)
console.log(`|---|${'---|'.repeat(Object.keys(MODELS).length)}`)
const configs = Object.fromEntries(Object.entries(MODELS).map(([m, c]) => [m, new lc.AttributionConfig(c)]))
for (const [name, paths] of Object.entries(forms)) {
  const times = Object.keys(MODELS).map((m) => best(configs[m], paths).toFixed(3))
  console.log(`| ${name} | ${times.join(' | ')} |`)
}
