// Runs every shared vector under tests/vectors through the Node API.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { allOps } from './ops/index.mjs'
import { arrowTable, pathsAsTable, tablePath, useForm } from './arrow-tables.mjs'
import { leadcore, subsetDiffs, vectorCases } from './support.mjs'

const OPS = await allOps()

// One vector case: its result or its error (code, path, details).
function run(c) {
  const op = OPS[c.op]
  assert.ok(op, `no node runner for op \`${c.op}\``)
  const input = c.input ?? {}
  if (c.error) {
    assert.throws(
      () => op(c.config, input),
      (e) => {
        assert.ok(e instanceof leadcore.LeadcoreError, `${e}`)
        assert.equal(e.code, c.error.code, e.message)
        if ('path' in c.error) assert.equal(e.path, c.error.path, e.message)
        if ('details' in c.error) assert.deepEqual(subsetDiffs(c.error.details, e.details), [])
        return true
      },
    )
  } else {
    const diffs = subsetDiffs(c.expected, op(c.config, input))
    assert.deepEqual(diffs, [])
  }
}

for (const [name, c] of vectorCases()) {
  test(`${name} ${c.description}`, () => run(c))
}

// Every typed-table case again as an object of columns (the host form, read by the same table
// layer): the same result or the same error at the same cell. Left out: errors about a whole
// column's type (an object of columns has no Arrow types: a Float64Array of whole numbers is
// integers), and event tables of `scoreColumns`, where an object of columns is the compact form.
for (const [name, c] of vectorCases()) {
  const tables = Object.values(c.input ?? {}).filter((v) => v !== null && typeof v === 'object' && Array.isArray(v.columns))
  if (tables.length === 0 || c.op === 'score_columns_table') continue
  if (c.error && c.error.code === 'invalid_type' && !String(c.error.path ?? '').includes('[')) continue
  test(`${name} as an object of columns`, () => {
    useForm('columns')
    try {
      run(c)
    } finally {
      useForm('ipc')
    }
  })
}

// Every JSON path-count case again as Arrow IPC: the same report, or the same error code at the
// same cell (`paths[3].value` is `paths.value[3]` in a table).
for (const [name, c] of vectorCases()) {
  const input = c.input ?? {}
  if (c.op !== 'attribute' || input.journeys || !('paths' in input)) continue
  const spec = pathsAsTable(input.paths)
  if (spec === null) continue
  test(`${name} as an Arrow table`, () => {
    const call = () => leadcore.attribute(c.config, { paths: arrowTable(spec) })
    if (c.error) {
      assert.throws(call, (e) => {
        assert.equal(e.code, c.error.code, e.message)
        if ('path' in c.error) assert.equal(e.path, tablePath(c.error.path), e.message)
        return true
      })
    } else {
      assert.deepEqual(subsetDiffs(c.expected, call()), [])
    }
  })
}
