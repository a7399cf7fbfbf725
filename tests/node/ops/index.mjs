// Vector ops per area, merged: op name → call of the public Node API (config, inputs).
import { readdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

export async function allOps() {
  const ops = {}
  for (const file of readdirSync(here).filter((f) => f !== 'index.mjs' && f.endsWith('.mjs')).sort()) {
    const { OPS } = await import(pathToFileURL(`${here}/${file}`).href)
    for (const name of Object.keys(OPS)) {
      if (name in ops) throw new Error(`op defined twice: ${name}`)
      ops[name] = OPS[name]
    }
  }
  return ops
}
