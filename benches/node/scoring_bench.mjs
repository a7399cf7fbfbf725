// Scoring throughput from Node on typed arrays.
//
//   (cd leadcore-node && npm install && npm run build)
//   node benches/node/scoring_bench.mjs --leads 1000000 --per-lead 50 --threads 1,2
//
// A seeded synthetic population (mulberry32; the same distributions as the Rust criterion
// bench's generator in benches/src/scoring_data.rs and benches/python/scoring_bench.py) is
// scored under the Rust bench's model (the `b2b_default` preset plus a `/pricing` page-view
// rule) with `ScoringModel.scoreTable`: events as typed arrays (Uint32Array lead, Uint8Array
// kind, BigInt64Array seconds, BigUint64Array id, Uint32Array detail), leads as columns (string
// ids, repeated text dictionary-encoded as {codes, values}, Float64Array seconds). The
// time includes reading the leads' columns; then with the leads read once into a LeadTable
// (the setting of the Rust bench, whose leads are built beforehand). Reports events per second
// (best of --repeat runs) and the process CPU time of that run (steadier on a shared machine).
// Installs nothing itself.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const lc = createRequire(import.meta.url)(join(here, '..', '..', 'leadcore-node'))

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
)
const N = Number(args.leads ?? 1_000_000)
const PER = Number(args['per-lead'] ?? 50)
const THREADS = (args.threads ?? '1,2').split(',').map(Number)
const REPEAT = Number(args.repeat ?? 3)
const SEED = Number(args.seed ?? 42)

const NOW = '2026-11-23T00:00:00Z'
const NOW_S = Date.parse(NOW) / 1000
const DAY = 86400
const INDUSTRIES = ['saas', 'retail', 'manufacturing', 'education', 'ad_agency', 'finance']
const CITIES = ['北京', '上海', '杭州', '成都', '深圳', '武汉']
const ROLES = ['ceo', 'sales_director', 'marketing_manager', 'staff']
const CHANNELS = ['sem', 'seo', 'event', 'content_download', 'referral']
const KINDS = [[0, 45], [7, 15], [8, 8], [1, 8], [3, 8], [2, 4], [4, 5], [5, 4], [6, 3]]
const PAGES = ['/pricing', '/product', '/case-studies', '/blog', '/whitepaper.pdf']
const EMAILS = 20

function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function population(seed, n, per) {
  const r = mulberry32(seed)
  const below = (k) => Math.floor(r() * k)
  const span = 90 * DAY
  // Repeated text as dictionaries ({codes, values}); ids as strings.
  const dict = (values) => ({ codes: new Uint8Array(n), values })
  const leads = {
    id: new Array(n),
    created_at: new Float64Array(n),
    source: { channel: dict(CHANNELS) },
    attributes: { industry: dict(INDUSTRIES), city: dict(CITIES), role: dict(ROLES), employees: new Float64Array(n) },
  }
  const total = n * per
  const events = {
    lead: new Uint32Array(total),
    kind: new Uint8Array(total),
    at: new BigInt64Array(total),
    id: new BigUint64Array(total),
    detail: new Uint32Array(total),
    details: [
      ...PAGES.map((url) => ({ properties: { url } })),
      ...Array.from({ length: EMAILS }, (_, m) => ({ properties: { email_id: `m${m}` } })),
    ],
  }
  const weight = KINDS.reduce((s, [, w]) => s + w, 0)
  const times = new Float64Array(per)
  let e = 0
  for (let l = 0; l < n; l++) {
    leads.id[l] = `L${String(l).padStart(7, '0')}`
    leads.created_at[l] = NOW_S - span - below(30 * DAY)
    leads.attributes.industry.codes[l] = below(INDUSTRIES.length)
    leads.attributes.city.codes[l] = below(CITIES.length)
    leads.attributes.role.codes[l] = below(ROLES.length)
    leads.attributes.employees[l] = 10 + below(2000)
    leads.source.channel.codes[l] = below(CHANNELS.length)
    for (let j = 0; j < per; j++) times[j] = NOW_S - below(span)
    times.sort()
    for (let j = 0; j < per; j++, e++) {
      let x = below(weight)
      let kind = 0
      for (const [k, w] of KINDS) {
        if (x < w) {
          kind = k
          break
        }
        x -= w
      }
      events.lead[e] = l
      events.kind[e] = kind
      events.at[e] = BigInt(times[j])
      events.id[e] = BigInt(e)
      events.detail[e] = kind === 0 || kind === 1 ? below(PAGES.length) : kind === 7 ? PAGES.length + below(EMAILS) : 0xffffffff
    }
  }
  return { leads, events }
}

function model() {
  const m = lc.ScoringModel.preset('b2b_default').toJSON()
  m.behavior.groups[0].rules.unshift({
    id: 'pricing_view', kind: 'page_view', points: 5, where: { field: 'properties.url', eq: '/pricing' },
  })
  return new lc.ScoringModel(m)
}

// Best wall time of REPEAT runs; the process CPU time of that run is left in `cpu`.
let cpu = 0
function best(f) {
  let min = Infinity
  for (let i = 0; i < REPEAT; i++) {
    const c = process.cpuUsage()
    const start = process.hrtime.bigint()
    f()
    const wall = Number(process.hrtime.bigint() - start) / 1e9
    const used = process.cpuUsage(c)
    if (wall < min) {
      min = wall
      cpu = (used.user + used.system) / 1e6
    }
  }
  return min
}

const m = model()
const { leads, events } = population(SEED, N, PER)
const total = N * PER
console.log(`population: ${N.toLocaleString('en')} leads x ${PER} events = ${total.toLocaleString('en')} events (seed ${SEED})`)
for (const threads of THREADS) {
  const s = best(() => m.scoreTable(leads, events, NOW, { threads }))
  console.log(`scoreTable (typed arrays)  threads=${threads}: ${s.toFixed(3).padStart(7)} s  ${(total / s / 1e6).toFixed(2).padStart(6)} M events/s  (CPU ${cpu.toFixed(3)} s)`)
}
const empty = { lead: new Uint32Array(0), kind: new Uint8Array(0), at: new BigInt64Array(0) }
const s = best(() => m.scoreTable(leads, empty, NOW, { threads: 1 }))
console.log(`  of which reading ${N.toLocaleString('en')} lead columns and fit-scoring them (no events): ${s.toFixed(3)} s`)
const start = process.hrtime.bigint()
const table = new lc.LeadTable(leads)
console.log(`LeadTable from the lead columns (once): ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(3)} s`)
for (const threads of THREADS) {
  const s = best(() => m.scoreTable(table, events, NOW, { threads }))
  console.log(`scoreTable (LeadTable, typed events) threads=${threads}: ${s.toFixed(3).padStart(7)} s  ${(total / s / 1e6).toFixed(2).padStart(6)} M events/s  (CPU ${cpu.toFixed(3)} s)`)
}
