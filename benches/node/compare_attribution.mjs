// Times leadcore's attribution through the Node binding on the seeded synthetic paths that
// benches/python/compare_attribution.py writes (and compares with ChannelAttribution and
// marketing-attribution-models); run that script first, or point --data-dir at its CSVs.
//
//   (cd leadcore-node && npm install && npm run build)
//   node benches/node/compare_attribution.mjs --sizes 100000,1000000,10000000
//
// Up to --in-memory rows (default 2e6) are loaded as columns (string[] paths, typed arrays of
// counts) and attributed in one call; larger files are streamed into an AttributionAccumulator
// 65 536 rows at a time, so memory stays at a batch. Times exclude reading the CSV. Prints a
// Markdown table: seconds, CPU seconds and peak RSS per model and thread count, and the totals
// of the credits (equal to the Python binding's, which shares the core).
import { createReadStream } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const lc = createRequire(import.meta.url)(join(here, '..', '..', 'leadcore-node'))

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
)
const sizes = (args.sizes ?? '100000,1000000').split(',').map(Number)
const dataDir = args['data-dir'] ?? '/tmp/leadcore-attribution'
const seed = args.seed ?? '42'
const threadCounts = (args.threads ?? '1,2').split(',').map(Number)
const inMemory = Number(args['in-memory'] ?? 2e6)
const CHUNK = 65536

const MODELS = {
  heuristics: { models: [{ type: 'first_touch' }, { type: 'last_touch' }, { type: 'linear' }] },
  markov: { models: [{ type: 'markov' }] },
}

function columns(n) {
  return { path: new Array(n), conversions: new Uint32Array(n), nulls: new Uint32Array(n), value: new Float64Array(n) }
}

/** Calls `onChunk(columns, rows)` for every CHUNK rows of the CSV, or once with all of them. */
async function readCsv(file, n, chunked, onChunk) {
  const size = chunked ? CHUNK : n
  let cols = columns(size)
  let i = 0
  let header = true
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (header) {
      header = false
      continue
    }
    const c3 = line.lastIndexOf(',')
    const c2 = line.lastIndexOf(',', c3 - 1)
    const c1 = line.lastIndexOf(',', c2 - 1)
    cols.path[i] = line.slice(0, c1)
    cols.conversions[i] = Number(line.slice(c1 + 1, c2))
    cols.nulls[i] = Number(line.slice(c2 + 1, c3))
    cols.value[i] = Number(line.slice(c3 + 1))
    if (++i === size) {
      await onChunk(cols, i)
      cols = columns(size)
      i = 0
    }
  }
  if (i > 0) {
    const cut = { path: cols.path.slice(0, i), conversions: cols.conversions.subarray(0, i), nulls: cols.nulls.subarray(0, i), value: cols.value.subarray(0, i) }
    await onChunk(cut, i)
  }
}

const cpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}
const sum = (report) => report.models.map((m) => m.credits.reduce((s, c) => s + c.conversions, 0).toFixed(3)).join('/')

const rows = []
for (const n of sizes) {
  const file = join(dataDir, `paths_${n}_${seed}.csv`)
  if (n <= inMemory) {
    let all
    await readCsv(file, n, false, (cols) => {
      all = cols
    })
    for (const threads of threadCounts) {
      for (const [model, config] of Object.entries(MODELS)) {
        const [t0, c0] = [performance.now(), cpu()]
        const report = lc.attribute(config, { paths: all, threads })
        rows.push({ n, how: `attribute, ${threads} thread(s)`, model, s: (performance.now() - t0) / 1e3, cpu: cpu() - c0, sum: sum(report) })
      }
    }
  } else {
    for (const [model, config] of Object.entries(MODELS)) {
      const acc = new lc.AttributionAccumulator(config)
      let [s, c] = [0, 0]
      await readCsv(file, n, true, (cols) => {
        const [t0, c0] = [performance.now(), cpu()]
        acc.addPaths(cols)
        s += (performance.now() - t0) / 1e3
        c += cpu() - c0
      })
      const [t0, c0] = [performance.now(), cpu()]
      const report = acc.finish()
      rows.push({ n, how: 'accumulator, streamed', model, s: s + (performance.now() - t0) / 1e3, cpu: c + cpu() - c0, sum: sum(report) })
    }
  }
  rows.at(-1).rss = process.resourceUsage().maxRSS / 1024
  console.error(`done ${n}`)
}

console.log('| paths | how | model | seconds | CPU s | credit totals | peak RSS MiB (process so far) |')
console.log('|---|---|---|---|---|---|---|')
for (const r of rows) {
  console.log(`| ${r.n.toLocaleString('en')} | ${r.how} | ${r.model} | ${r.s.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.sum} | ${r.rss ? r.rss.toFixed(0) : ''} |`)
}
