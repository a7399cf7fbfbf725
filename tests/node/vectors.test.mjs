// Runs every shared vector under tests/vectors through the Node API.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { allOps } from './ops/index.mjs'
import { leadcore, subsetDiffs, vectorCases } from './support.mjs'

const OPS = await allOps()

for (const [name, c] of vectorCases()) {
  test(`${name} ${c.description}`, () => {
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
  })
}
