// Pool state machine through the Node binding: the workloads of the criterion bench
// `benches/benches/pools.rs`, to compare with Rust.
//
// - apply N mixed commands (8 per lead: deposit, claim, follow-up, transfer, follow-up, return,
//   claim, convert; 1,000 reps; one millisecond apart) on a natively held `PoolState`;
// - tick over N held leads: every lead due (N reclaims, the result converted to JS), and 1 % due
//   (warnings);
// - the state's JSON round trip (`toJSONString`, `fromJSON`) and a clone, for persistence.
//
// Commands are built as objects before the clock starts, so the times are the binding's
// (argument conversion, the call, the result as objects). Installs nothing: it loads the addon
// built in `leadcore-node/` (a release build: `cd leadcore-node && npm install && npm run build`).
//
//   node benches/node/pools_bench.mjs            # N = 1,000,000
//   node benches/node/pools_bench.mjs --n 200000
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const lc = createRequire(import.meta.url)(join(here, '..', '..', 'leadcore-node'))

const REPS = 1000
const START = Date.parse('2026-01-05T00:00:00Z')
const DAY = 86_400_000

const arg = process.argv.indexOf('--n')
const n = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000

function policy() {
  return new lc.PoolPolicy({
    pools: [{ id: 'p', kind: 'active' }, { id: 'q', kind: 'general' }],
    reps: Array.from({ length: REPS }, (_, i) => ({ id: `r${i}`, holding_cap: 100_000 })),
    protection: { default_days: 10, extension_days: 3, max_days: 20, warn_days: 2 },
    reclaim: { no_follow_up_days: 7, warn_days: 1, cooldown_hours: 72 },
  })
}

/** The Rust bench's commands: 8 per lead, every one accepted, one millisecond apart. */
function mixedCommands(count) {
  const out = []
  for (let i = 0; out.length < count; i++) {
    const lead = `L${i}`
    const ai = i % REPS
    const bi = (ai + 1 + ((i * 7) % (REPS - 1))) % REPS
    const ci = (bi + 1) % REPS
    const [a, b, c] = [`r${ai}`, `r${bi}`, `r${ci}`]
    const cmds = [
      { type: 'deposit', lead, pool: 'p' },
      { type: 'claim', lead, rep: a },
      { type: 'follow_up', lead, rep: a, kind: 'call' },
      { type: 'transfer', lead, from: a, to: b },
      { type: 'follow_up', lead, rep: b },
      { type: 'return', lead, rep: b, reason: 'wrong region', pool: 'q' },
      { type: 'claim', lead, rep: c },
      { type: 'mark_converted', lead },
    ]
    for (const cmd of cmds) {
      if (out.length === count) break
      out.push([cmd, new Date(START + out.length)])
    }
  }
  return out
}

/** `count` leads held by the reps, claimed one millisecond apart. */
function heldState(p, count) {
  const state = new lc.PoolState()
  for (let i = 0; i < count; i++) {
    const at = new Date(START + i)
    state.apply(p, { type: 'deposit', lead: `H${i}`, pool: 'p' }, at)
    state.apply(p, { type: 'claim', lead: `H${i}`, rep: `r${i % REPS}` }, at)
  }
  return state
}

/** Runs f, printing wall and CPU time (CPU is the fairer number on a shared machine). */
function timed(label, f, per = 0) {
  globalThis.gc?.()
  const t = process.hrtime.bigint()
  const c = process.cpuUsage()
  const out = f()
  const s = Number(process.hrtime.bigint() - t) / 1e9
  const used = process.cpuUsage(c)
  const cpu = (used.user + used.system) / 1e6
  const rate = per ? `  ${((cpu / per) * 1e9).toFixed(0).padStart(7)} ns CPU each` : ''
  console.log(`${label.padEnd(44)} ${s.toFixed(3).padStart(8)} s wall ${cpu.toFixed(3).padStart(8)} s CPU${rate}`)
  return out
}

const p = policy()
console.log(`leadcore (node ${process.version}), N = ${n.toLocaleString('en')}`)
{
  const commands = mixedCommands(n)
  const state = new lc.PoolState()
  timed(`apply ${n.toLocaleString('en')} mixed commands`, () => {
    for (const [cmd, at] of commands) state.apply(p, cmd, at)
  }, n)
}
const held = timed(`build ${n.toLocaleString('en')} held leads (${(2 * n).toLocaleString('en')} applies)`, () => heldState(p, n), 2 * n)
{
  const text = timed('toJSONString (held state)', () => held.toJSONString())
  console.log(`${''.padEnd(44)} ${(text.length / 1e6).toFixed(1).padStart(8)} MB of JSON`)
  timed('fromJSON (held state, text)', () => lc.PoolState.fromJSON(text))
}
{
  const copy = timed('clone (held state)', () => held.clone())
  const out = timed(`tick, all ${n.toLocaleString('en')} due (reclaims)`, () => copy.tick(p, new Date(START + 30 * DAY)), n)
  if (out.effects.length !== 2 * n || copy.holdings('r0') !== 0) throw new Error('unexpected tick result')
}
{
  const copy = held.clone()
  // The leads claimed in the first n / 100 milliseconds are due for their no-follow-up warning.
  const someDue = new Date(START + 6 * DAY + Math.floor(n / 100) - 1)
  const out = timed(`tick, 1 % of ${n.toLocaleString('en')} due (warnings)`, () => copy.tick(p, someDue))
  console.log(`${''.padEnd(44)} ${out.effects.length.toLocaleString('en')} warnings`)
}
