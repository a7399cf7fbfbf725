// The Node examples the README shows run and print what their comments say.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'node')

for (const name of ['quickstart.mjs', 'pool_rows.mjs']) {
  test(`${name} prints what its comments say`, () => {
    const script = join(examples, name)
    const expected = [...readFileSync(script, 'utf8').matchAll(/^\s*console\.log\(.*\)\s*\/\/\s*(.+)$/gm)].map((m) => m[1].trim())
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim().split('\n')
    assert.deepEqual(out, expected)
  })
}
