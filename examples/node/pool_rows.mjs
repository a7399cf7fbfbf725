// A lead pool kept as database rows: load what a command needs, apply, compare-and-set.
// `rows` stands in for the database tables (leads, reps, teams: id -> record with a version).
// Run: node examples/node/pool_rows.mjs (after building leadcore-node)
import { createRequire } from 'node:module'

const lc = createRequire(import.meta.url)('../../leadcore-node') // `require('leadcore')` when installed

const policy = new lc.PoolPolicy({
  pools: [{ id: 'east', kind: 'active' }],
  reps: [{ id: 'wang', holding_cap: 1 }, { id: 'zhao' }],
  protection: { default_days: 10 },
  clock_skew_seconds: 2,
})
const rows = { leads: {}, reps: {}, teams: {} }
const gone = {} // deleted leads' rows, kept as tombstones: id -> version
const dueAt = {} // lead -> the instant `tick` must look at it (a host indexes this column)
const log = [] // the command log, appended with the rows
const TABLE = { lead: 'leads', rep: 'reps', team: 'teams' }

// Step 1: the leads the commands name, then the reps and teams those leads lead to.
function load(commands, now) {
  const records = { leads: {}, reps: {}, teams: {}, gone: {} }
  for (const id of lc.poolNeeds(null, policy, commands).leads) {
    if (rows.leads[id]) records.leads[id] = rows.leads[id]
    else if (id in gone) records.gone[id] = gone[id]
  }
  const needs = lc.poolNeeds(records, policy, commands, now)
  for (const t of ['reps', 'teams']) for (const id of needs[t]) if (rows[t][id]) records[t][id] = rows[t][id]
  return records
}

// Step 3: every row compared on its version, then written (a real host: one transaction).
function commit(out) {
  const version = (r) => rows[TABLE[r.kind]][r.id]?.version ?? (r.kind === 'lead' ? gone[r.id] : 0) ?? 0
  if (out.rows.some((r) => version(r) !== r.expected)) return false
  for (const r of out.rows.filter((r) => !r.check)) {
    if (r.record) {
      rows[TABLE[r.kind]][r.id] = r.record
      delete gone[r.id]
    } else { // a deleted lead: its row stays as a tombstone at the new version
      delete rows[TABLE[r.kind]][r.id]
      gone[r.id] = r.version
    }
    if (r.kind === 'lead') dueAt[r.id] = r.due_at ?? null
  }
  log.push(...out.log)
  return true
}

function run(commands, now) {
  for (;;) {
    const out = lc.poolApplyRows(load(commands, now), policy, commands, now) // step 2
    if (commit(out)) return out // a conflict means another writer won: load again and retry
  }
}

run([{ type: 'deposit', lead: 'L1', pool: 'east' }, { type: 'deposit', lead: 'L2', pool: 'east' }], '2026-11-23T09:00:00+08:00')
const claim = [{ id: 'req-1', type: 'claim', lead: 'L1', rep: 'wang' }]
const out = run(claim, '2026-11-23T09:05:00+08:00')
console.log(JSON.stringify(out.rows.map((r) => [r.kind, r.id, r.expected]))) // [["lead","L1",1],["rep","wang",0]]
console.log(rows.reps.wang.holdings, dueAt.L1) // 1 2026-12-03T01:05:00Z
const again = run(claim, '2026-11-23T09:06:00+08:00') // the client timed out and sent it again
console.log(again.results[0].duplicate, again.rows.every((r) => r.check)) // true true
try {
  run([{ type: 'claim', lead: 'L2', rep: 'wang' }], '2026-11-23T09:07:00+08:00')
} catch (e) {
  console.log(e.code) // holding_cap_reached
}
const skewed = run([{ type: 'follow_up', lead: 'L1', rep: 'wang' }], '2026-11-23T09:04:59+08:00')
console.log(skewed.results[0].at) // 2026-11-23T01:05:00Z
run([{ type: 'archive', lead: 'L2' }], '2026-11-23T09:08:00+08:00')
console.log(JSON.stringify(gone)) // {"L2":2}
const back = run([{ type: 'deposit', lead: 'L2', pool: 'east' }], '2026-11-23T09:09:00+08:00')
console.log(back.rows[0].expected, back.rows[0].version) // 2 3
const { state } = lc.PoolState.replay(policy, log) // the rows are a replay of the log
console.log(JSON.stringify(state.toJSON().leads) === JSON.stringify(rows.leads), log.length) // true 6
