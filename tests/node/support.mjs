// Shared helpers for the Node suite: the built addon, the shared vectors, subset comparison.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const vectorsDir = join(here, '..', 'vectors')
export const leadcore = createRequire(import.meta.url)(join(here, '..', '..', 'leadcore-node'))
// apache-arrow, a dev dependency of the package (resolved from its node_modules).
export const arrow = createRequire(join(here, '..', '..', 'leadcore-node', 'package.json'))('apache-arrow')

function jsonFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) return jsonFiles(p)
      return name.endsWith('.json') ? [p] : []
    })
}

/** Every case of every vector file, with a readable id. */
export function vectorCases() {
  return jsonFiles(vectorsDir).flatMap((file) => {
    const doc = JSON.parse(readFileSync(file, 'utf8'))
    return doc.cases.map((c, i) => [`${relative(vectorsDir, file)}#${i}`, c])
  })
}

/** Differences where `expected` is not a subset of `actual` (see tests/vectors/README.md). */
export function subsetDiffs(expected, actual, path = '$') {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} items, got ${JSON.stringify(actual)}`]
    }
    return expected.flatMap((e, i) => subsetDiffs(e, actual[i], `${path}[${i}]`))
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`]
    }
    return Object.entries(expected).flatMap(([k, v]) =>
      k in actual ? subsetDiffs(v, actual[k], `${path}.${k}`) : [`${path}.${k}: missing in result`],
    )
  }
  return Object.is(expected, actual) || expected === actual
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`]
}
