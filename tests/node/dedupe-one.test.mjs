// Dedupe one lead at a time: keys for a lookup table, and the decision against candidates.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { leadcore as lc } from './support.mjs'

const lead = (id, day, attributes = {}) => ({
  id,
  created_at: new Date(Date.UTC(2026, 10, day, 1)),
  attributes,
})

const STREAM = [
  lead('L1', 1, { phone: '138 0013 8000' }),
  lead('L2', 2, { email: 'Li@Acme.cn', company: '阿里巴巴（中国）网络技术有限公司', contact_name: '张 三' }),
  lead('L3', 3, { mobile: '+86 13800138000', email: 'li@acme.cn' }),
  lead('L4', 4, { phone: '139 0013 9000' }),
  lead('L5', 5, { company: '阿里巴巴网络技术有限公司', contact_name: '张三' }),
  lead('L6', 6, { email: 'bad', phone: ['123', '１３９-００１３-９０００'] }),
]

test('keys are the documented text with their kinds', () => {
  const keys = lc.dedupeKeys(STREAM[1], new lc.DedupPolicy({}))
  assert.deepEqual(
    keys.map((k) => k.key),
    ['email:li@acme.cn', 'company_contact:阿里巴巴网络技术|张三'],
  )
  assert.deepEqual(keys[1], {
    key: 'company_contact:阿里巴巴网络技术|张三',
    kind: 'company_contact',
    value: '阿里巴巴网络技术',
    contact: '张三',
  })
  assert.deepEqual(lc.dedupeKeys(lead('x', 1, { phone: '123' })), [])
})

test("a host's ingest loop with a key table agrees with the batch form", () => {
  const table = new Map()
  const stored = new Map()
  STREAM.forEach((next, i) => {
    const keys = lc.dedupeKeys(next).map((k) => k.key)
    const found = [...new Set(keys.flatMap((k) => [...(table.get(k) ?? [])]))].sort()
    const decision = lc.dedupeOne(next, found.map((id) => stored.get(id)))
    const batch = lc.dedupe(STREAM.slice(0, i + 1))
    const mine = batch.leads[i]
    assert.equal(decision.duplicate, mine.cluster !== null)
    assert.deepEqual(decision.values, mine.values)
    if (decision.duplicate) {
      const members = new Set(batch.clusters[mine.cluster].members)
      assert.ok(decision.cluster.members.every((m) => members.has(m)))
    }
    for (const k of keys) table.set(k, new Set([...(table.get(k) ?? []), next.id]))
    stored.set(next.id, next)
  })
  assert.deepEqual([...table.get('phone:13900139000')].sort(), ['L4', 'L6'])
})

test('the decision equals the batch cluster, events included', () => {
  const events = [{ id: 'e1', lead_id: 'L1', kind: 'call', at: new Date(Date.UTC(2026, 11, 1)) }]
  const policy = { survivor: { type: 'most_recent_activity' } }
  const candidates = STREAM.slice(0, 4)
  const decision = lc.dedupeOne(STREAM[4], candidates, events, policy)
  const batch = lc.dedupe(STREAM.slice(0, 5), events, policy)
  assert.equal(decision.id, 'L5')
  assert.deepEqual(decision.cluster, batch.clusters[batch.leads[4].cluster])
  assert.equal(decision.cluster.survivor, 'L1')
  assert.deepEqual(decision.cluster.members, ['L1', 'L2', 'L3', 'L5'])
})

test('ids and values are checked with paths in the call', () => {
  assert.throws(
    () => lc.dedupeOne(STREAM[0], STREAM.slice(0, 2)),
    (e) => e.code === 'duplicate_lead_id' && e.path === 'lead.id' && e.category === 'dedup',
  )
  assert.throws(
    () => lc.dedupeOne(STREAM[2], [STREAM[0], STREAM[1], STREAM[0]]),
    (e) => e.code === 'duplicate_lead_id' && e.path === 'candidates[2].id',
  )
  for (const bad of [NaN, Infinity]) {
    assert.throws(
      () => lc.dedupeKeys(lead('x', 1, { phone: bad })),
      (e) => e.code === 'not_finite' && e.path === 'lead.attributes.phone',
    )
    assert.throws(
      () => lc.dedupeOne(lead('x', 1), [lead('c', 1), lead('d', 1, { phone: bad })]),
      (e) => e.code === 'not_finite' && e.path === 'candidates[1].attributes.phone',
    )
  }
  assert.throws(() => lc.dedupeOne(STREAM[0]), (e) => e.code === 'missing_field' && e.path === 'candidates')
  assert.throws(() => lc.dedupeKeys(STREAM[0], { keys: [] }), (e) => e.category === 'config')
})
