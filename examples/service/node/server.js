'use strict'
// leadcore reference service (Node): node:http, PostgreSQL through `pg` when LEADCORE_DB is a
// postgresql:// URL, else SQLite through `libsql` (default sqlite:///leadcore-service.db).
//
//   cd examples/service/node && npm install && LEADCORE_DB=sqlite:///leads.db PORT=8100 node server.js
//
// The same endpoints, tables and host protocol as the Python service (examples/service/python):
// load the rows leadcore needs -> compute -> ONE transaction of compare-and-sets (plus the pool
// log) -> on a conflict, start again from the load. Nothing is kept in memory between requests.

const http = require('node:http')
const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')
const { performance } = require('node:perf_hooks')
const { KINDS, Conflict, openStore } = require('./store')

// The leadcore addon: the installed package, else the one built in this repository.
function loadLeadcore () {
  if (process.env.LEADCORE_NODE) return require(path.resolve(process.env.LEADCORE_NODE))
  try { return require('leadcore') } catch { return require(path.resolve(__dirname, '..', '..', '..', 'leadcore-node')) }
}
const lc = loadLeadcore()

const PLURAL = { lead: 'leads', rep: 'reps', team: 'teams' }
const MAX_ATTEMPTS = Number(process.env.LEADCORE_MAX_ATTEMPTS || 20)
const TICK_BATCH = 500
// Refusals that come from what this attempt loaded, not from the request: a concurrent
// writer's clock ahead of our `now` beyond the skew tolerance, or a row that became needed
// between the loads. Reload and compute again.
const RELOAD = ['clock_backwards', 'record_not_loaded']

class Busy extends Error {}
class HttpError extends Error {
  constructor (status, code, message) { super(message); this.status = status; this.code = code }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// Where a request's time went: inside leadcore, in the database, in total.
class Timing {
  constructor () { this.start = performance.now(); this.leadcore = 0; this.db = 0; this.attempts = 0 }
  lc (fn, ...args) {
    const t = performance.now()
    try { return fn(...args) } finally { this.leadcore += performance.now() - t }
  }

  async io (fn, ...args) {
    const t = performance.now()
    try { return await fn(...args) } finally { this.db += performance.now() - t }
  }

  header () {
    return `leadcore;dur=${this.leadcore.toFixed(3)}, db;dur=${this.db.toFixed(3)}, total;dur=${(performance.now() - this.start).toFixed(3)}`
  }
}

const metrics = { pid: process.pid, requests: 0, leadcore_seconds: 0, db_seconds: 0, handler_seconds: 0, conflicts_retried: 0 }

class Service {
  constructor (store, policyConfig, leadConfig) {
    this.store = store
    this.policyConfig = policyConfig
    this.policy = new lc.PoolPolicy(policyConfig)
    this.fingerprint = String(this.policy.fingerprint ?? 'unversioned')
    this.rules = new lc.RuleSet(leadConfig.rules)
    this.pipeline = new lc.Pipeline(leadConfig.pipeline)
    this.scoring = lc.ScoringModel.preset(leadConfig.scoring_preset || 'b2b_default')
    this.funnelConfig = new lc.FunnelConfig(leadConfig.funnel)
    this.attributionConfig = new lc.AttributionConfig(leadConfig.attribution)
    this.convertedStages = new Set(leadConfig.converted_stages || [])
    this.stageOrder = (this.pipeline.toJSON().stages || []).map(s => s.id)
    this.routed = Boolean(policyConfig.routing)
    this.intakePool = process.env.LEADCORE_INTAKE_POOL || policyConfig.pools[0].id
  }

  async start () { await this.store.registerPolicy(this.fingerprint, this.policyConfig) }

  // -- the host protocol ----------------------------------------------------------------

  async retrying (t, attempt) {
    for (let n = 0; n < MAX_ATTEMPTS; n++) {
      t.attempts++
      try {
        return await attempt()
      } catch (e) {
        if (!(e instanceof Conflict)) throw e
        await sleep(Math.random() * Math.min(50, 2 ** n))
      }
    }
    throw new Busy(`gave up after ${MAX_ATTEMPTS} conflicting attempts`)
  }

  // Loads what leadcore says it needs until it needs nothing new.
  async loadNeeds (t, needsFn, records) {
    const asked = Object.fromEntries(KINDS.map(k => [k, new Set(Object.keys(records[PLURAL[k]] || {}))]))
    let first = KINDS.every(k => Object.keys(records[PLURAL[k]] || {}).length === 0)
    for (let round = 0; round < 4; round++) {
      const needs = t.lc(needsFn, first ? null : records)
      first = false
      let any = false
      for (const k of KINDS) {
        const ids = (needs[PLURAL[k]] || []).filter(id => !asked[k].has(id))
        if (!ids.length) continue
        any = true
        ids.forEach(id => asked[k].add(id))
        const gone = k === 'lead' ? (records.gone ??= {}) : undefined
        Object.assign(records[PLURAL[k]], await t.io(() => this.store.load(k, ids, gone)))
      }
      if (!any) break
    }
    return records
  }

  async poolCompute (t, commands) {
    const records = { leads: {}, reps: {}, teams: {}, gone: {} }
    await this.loadNeeds(t, r => lc.poolNeeds(r, this.policy, commands, new Date()), records)
    const now = new Date() // after the loads: every loaded record's clock is at or before it
    try {
      return { records, out: t.lc(lc.poolApplyRows, records, this.policy, commands, now) }
    } catch (e) {
      if (RELOAD.includes(e.code)) throw new Conflict(e.message)
      throw e
    }
  }

  async commit (t, out, extra) {
    await t.io(() => this.store.transaction(async tx => {
      await this.store.writeRows(tx, out.rows || [])
      await this.store.appendLog(tx, out.log || [], this.fingerprint)
      if (extra) await extra(tx)
    }))
  }

  async poolCommand (t, command) {
    return this.retrying(t, async () => {
      const { records, out } = await this.poolCompute(t, [command])
      await this.commit(t, out)
      let lead = records.leads[command.lead] ?? null
      for (const row of out.rows || []) {
        if (row.kind === 'lead' && row.id === command.lead && !row.check) lead = row.record ?? null // null: archived
      }
      return [200, { result: out.results[0], lead }]
    })
  }

  async tick (t) {
    const total = { leads: 0, rows: 0, effects: [] }
    for (let round = 0; round < 100; round++) {
      const out = await this.retrying(t, async () => {
        let now = new Date()
        const records = { leads: await t.io(() => this.store.dueLeads(now, TICK_BATCH)), reps: {}, teams: {} }
        const due = Object.keys(records.leads).length
        if (!due) return { rows: [], results: [], log: [], due: 0 }
        await this.loadNeeds(t, r => lc.poolTickNeeds(r || records, this.policy, now), records)
        now = new Date(Math.max(now.getTime(), Date.now()))
        let o
        try {
          o = t.lc(lc.poolTickRows, records, this.policy, now)
        } catch (e) {
          if (RELOAD.includes(e.code)) throw new Conflict(e.message)
          throw e
        }
        await this.commit(t, o)
        return { ...o, due }
      })
      total.leads += out.due
      total.rows += out.rows.length
      for (const r of out.results) total.effects.push(...(r.effects || []))
      if (out.due < TICK_BATCH || !out.rows.length) break
    }
    return [200, total]
  }

  // -- the lead flow -------------------------------------------------------------------

  // Normalizes phone, email and company in place (the dedupe keys come from lc.dedupeKeys, the
  // batch form's matching rules seen from one lead).
  clean (t, attributes) {
    if (typeof attributes.phone === 'string' && attributes.phone) {
      const p = t.lc(lc.normalizePhone, attributes.phone)
      if (p.valid && p.normalized) attributes.phone = p.normalized
    }
    if (typeof attributes.email === 'string' && attributes.email) {
      const e = t.lc(lc.normalizeEmail, attributes.email)
      if (e.valid) attributes.email = e.normalized
    }
    if (typeof attributes.company === 'string' && attributes.company) {
      const c = t.lc(lc.normalizeCompany, attributes.company)
      if (c.valid && c.normalized) attributes.company_normalized = c.normalized
    }
  }

  nextStage (stage) {
    const i = this.stageOrder.indexOf(stage)
    return i >= 0 && i + 1 < this.stageOrder.length ? this.stageOrder[i + 1] : null
  }

  // Scores and qualifies a lead, and moves it forward through every gate it passes.
  assess (t, lead, events, now) {
    const score = t.lc(lc.scoreLead, this.scoring, lead, events, now)
    const scores = { behavior: score.behavior.score, fit: score.fit.score, combined: score.combined.score }
    const verdict = t.lc(lc.qualify, this.rules, lead, events, now, { scores })
    const qualified = new Set(verdict.qualified || [])
    let moved = lead
    for (;;) {
      const stage = moved.stage ?? null
      const next = stage === null ? this.stageOrder[0] : this.nextStage(stage)
      if (!next || !qualified.has(next)) break
      const request = stage === null ? {} : { to: next, actor: 'leadcore-service' }
      moved = t.lc(lc.transition, this.pipeline, moved, request, now).lead
    }
    const order = s => { const i = this.stageOrder.indexOf(s); return i < 0 ? 99 : i }
    return {
      lead: moved,
      score: { behavior: scores.behavior, fit: scores.fit, combined: score.combined },
      qualified: [...qualified].sort((a, b) => order(a) - order(b))
    }
  }

  async ingest (t, body) {
    const lead = { ...body }
    delete lead.request_id
    const attributes = { ...(lead.attributes || {}) }
    this.clean(t, attributes)
    lead.attributes = attributes
    const leadId = String(lead.id || crypto.randomUUID().replace(/-/g, ''))
    lead.id = leadId
    const probe = { ...lead, created_at: lead.created_at || new Date().toISOString() }
    const keys = t.lc(lc.dedupeKeys, probe).map(k => k.key)
    return this.retrying(t, async () => {
      const existing = await t.io(() => this.store.profile(leadId))
      const owner = existing ? leadId : await t.io(() => this.store.keyOwner(keys))
      if (owner !== null) {
        const prof = existing || await t.io(() => this.store.profile(owner))
        return [200, { id: owner, created: false, duplicate_of: owner, profile: prof ? prof.doc : null }]
      }
      const now = new Date()
      if (!lead.created_at) lead.created_at = now.toISOString()
      const canonical = t.lc(lc.loadLead, lead)
      const doc = this.assess(t, canonical, [], now)
      let command
      if (this.routed) {
        command = { type: 'route', lead: doc.lead }
      } else {
        command = { type: 'deposit', lead: leadId, pool: this.intakePool, created_at: canonical.created_at }
        if (doc.lead.stage) command.stage = doc.lead.stage
      }
      command.id = 'ingest:' + leadId
      const { out } = await this.poolCompute(t, [command])
      await this.commit(t, out, async tx => {
        await this.store.insertProfile(tx, leadId, doc)
        await this.store.insertKeys(tx, keys, leadId)
      })
      const row = (out.rows || []).find(r => r.kind === 'lead' && r.id === leadId)
      return [201, { id: leadId, created: true, profile: doc, pool: row ? row.record : null, result: out.results[0] }]
    })
  }

  async addEvent (t, leadId, body) {
    let event = { id: String(body.id || crypto.randomUUID()), lead_id: leadId, kind: body.kind, at: body.at || new Date().toISOString() }
    if (body.name) event.name = body.name
    if (body.properties) event.properties = body.properties
    event = { ...t.lc(lc.normalizeEvents, [event])[0], lead_id: leadId }
    return this.retrying(t, async () => {
      const prof = await t.io(() => this.store.profile(leadId))
      if (!prof) return [404, { error: 'unknown_lead', message: `no lead \`${leadId}\`` }]
      const events = await t.io(() => this.store.events(leadId))
      if (events.some(e => e.id === event.id)) return [200, { id: leadId, duplicate: true, profile: prof.doc }]
      events.push(event)
      const now = new Date()
      const next = this.assess(t, prof.doc.lead, events, now)
      const before = prof.doc.lead.stage ?? null
      const after = next.lead.stage ?? null
      const commands = []
      if (!['call', 'meeting'].includes(event.kind)) commands.push({ type: 'lead_activity', lead: leadId, id: `event:${leadId}:${event.id}` })
      if (after !== before && after !== null) commands.push({ type: 'stage_changed', lead: leadId, stage: after, id: `stage:${leadId}:${event.id}` })
      let out = { rows: [], log: [], results: [] }
      if (commands.length) {
        try {
          out = (await this.poolCompute(t, commands)).out
        } catch (e) {
          if (e instanceof Conflict || !e.code || e.category !== 'pool') throw e
          out = { rows: [], log: [], results: [], pool_refused: e.code }
        }
      }
      await this.commit(t, out, async tx => {
        if (!await this.store.insertEvent(tx, event)) throw new Conflict('event stored concurrently')
        await this.store.updateProfile(tx, leadId, prof.version, next)
      })
      return [200, { id: leadId, duplicate: false, stage_changed: after !== before, profile: next, pool_refused: out.pool_refused ?? null }]
    })
  }

  async leadView (t, leadId) {
    const prof = await t.io(() => this.store.profile(leadId))
    const pool = (await t.io(() => this.store.load('lead', [leadId])))[leadId] ?? null
    if (!prof && !pool) return [404, { error: 'unknown_lead', message: `no lead \`${leadId}\`` }]
    return [200, { id: leadId, profile: prof ? prof.doc : null, profile_version: prof ? prof.version : null, pool }]
  }

  async funnel (t) {
    const leads = (await t.io(() => this.store.profiles())).map(d => d.lead)
    return [200, t.lc(lc.funnel, this.funnelConfig, leads)]
  }

  async attribution (t) {
    const profiles = new Map((await t.io(() => this.store.profiles())).map(d => [d.lead.id, d]))
    const touches = new Map([...profiles.keys()].map(id => [id, []]))
    for (const [id, d] of profiles) {
      const channel = (d.lead.source || {}).channel
      if (channel) touches.get(id).push({ channel, at: d.lead.created_at })
    }
    for (const e of await t.io(() => this.store.events())) {
      const props = e.properties || {}
      if (touches.has(e.lead_id) && props.channel) {
        const touch = { channel: props.channel, at: e.at }
        if (props.campaign) touch.campaign = props.campaign
        touches.get(e.lead_id).push(touch)
      }
    }
    const journeys = []
    for (const [id, tps] of touches) {
      if (!tps.length) continue
      const lead = profiles.get(id).lead
      const stages = new Set([lead.stage, ...(lead.history || []).map(h => h.to)])
      journeys.push({
        id,
        touchpoints: tps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
        converted: [...stages].some(s => this.convertedStages.has(s))
      })
    }
    return [200, t.lc(lc.attribute, this.attributionConfig, { journeys })]
  }
}

// -- HTTP ---------------------------------------------------------------------------------

function send (res, status, body, t) {
  const text = JSON.stringify(body)
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
  if (t) { headers['server-timing'] = t.header(); headers['x-attempts'] = String(t.attempts) }
  res.writeHead(status, headers)
  res.end(text)
}

async function readBody (req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  if (!chunks.length) return {}
  const data = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new HttpError(400, 'bad_request', 'the body must be a JSON object')
  return data
}

const POOL = {
  claim: (id, b) => ({ type: 'claim', lead: id, rep: b.rep }),
  return: (id, b) => ({ type: 'return', lead: id, rep: b.rep, reason: b.reason ?? '', ...(b.pool ? { pool: b.pool } : {}) }),
  'follow-up': (id, b) => ({ type: 'follow_up', lead: id, rep: b.rep, ...(b.kind ? { kind: b.kind } : {}) }),
  transfer: (id, b) => ({ type: 'transfer', lead: id, from: b.from, to: b.to, ...(b.reason ? { reason: b.reason } : {}) }),
  archive: (id) => ({ type: 'archive', lead: id })
}

function route (svc, req, body) {
  const url = new URL(req.url, 'http://localhost')
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  const m = req.method
  if (m === 'GET' && url.pathname === '/healthz') return async () => [200, { ok: true, db: svc.store.dialect, policy: svc.fingerprint, pid: process.pid }]
  if (m === 'GET' && url.pathname === '/metrics') return async () => [200, metrics]
  if (m === 'POST' && url.pathname === '/leads') return t => svc.ingest(t, body)
  if (m === 'POST' && url.pathname === '/tick') return t => svc.tick(t)
  if (m === 'GET' && url.pathname === '/reports/funnel') return t => svc.funnel(t)
  if (m === 'GET' && url.pathname === '/reports/attribution') return t => svc.attribution(t)
  if (parts[0] === 'leads' && parts.length === 2 && m === 'GET') return t => svc.leadView(t, parts[1])
  if (parts[0] === 'leads' && parts.length === 3 && m === 'POST') {
    if (parts[2] === 'events') return t => svc.addEvent(t, parts[1], body)
    const make = POOL[parts[2]]
    if (make) {
      const key = body.command_id || req.headers['idempotency-key']
      const command = { ...make(parts[1], body), ...(key ? { id: String(key) } : {}) }
      return t => svc.poolCommand(t, command)
    }
  }
  return null
}

function errorBody (e) {
  if (e instanceof HttpError) return [e.status, { error: e.code, message: e.message }]
  if (e instanceof Busy) return [503, { error: 'busy', message: e.message }]
  if (e instanceof SyntaxError) return [400, { error: 'bad_request', message: e.message }]
  if (e && e.category === 'pool') return [e.code === 'unknown_lead' ? 404 : 409, { error: e.code, message: e.message }]
  if (e && typeof e.code === 'string' && e.category) return [422, { error: e.code, path: e.path ?? null, message: e.message }]
  console.error(e)
  return [500, { error: 'internal', message: String(e && e.message) }]
}

async function main () {
  const store = await openStore()
  const read = (env, file) => JSON.parse(fs.readFileSync(process.env[env] || path.join(__dirname, '..', file), 'utf8'))
  const svc = new Service(store, read('LEADCORE_POLICY', 'policy.json'), read('LEADCORE_LEAD_CONFIG', 'leads.json'))
  await svc.start()
  const server = http.createServer(async (req, res) => {
    const t = new Timing()
    let status, body
    try {
      const input = req.method === 'POST' ? await readBody(req) : {}
      const handler = route(svc, req, input)
      if (!handler) { status = 404; body = { error: 'not_found', message: `no route ${req.method} ${req.url}` } } else {
        [status, body] = await handler(t)
      }
    } catch (e) {
      [status, body] = errorBody(e)
    }
    metrics.requests++
    metrics.leadcore_seconds += t.leadcore / 1e3
    metrics.db_seconds += t.db / 1e3
    metrics.handler_seconds += (performance.now() - t.start) / 1e3
    metrics.conflicts_retried += Math.max(0, t.attempts - 1)
    send(res, status, body, t)
  })
  server.keepAliveTimeout = 30000
  const port = Number(process.env.PORT || 8100)
  const host = process.env.HOST || '127.0.0.1'
  server.listen(port, host, () => console.log(`leadcore node service on http://${host}:${port} (${store.dialect}, policy ${svc.fingerprint})`))
  const stop = () => {
    server.close(() => store.close().finally(() => process.exit(0)))
    server.closeIdleConnections()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

if (require.main === module) {
  main().catch(e => { console.error(e); process.exit(1) })
}

module.exports = { Service }
