import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { breaksOf, importsOf, readImports, repoRoot, rules, serverRule, stalePending } from './import-graph.ts'

// Dependencies point one way (issue 15): db ← lib ← models ← routes. The rules are in
// import-graph.ts; `npx tsx scripts/import-graph.ts` prints the whole graph by layer.

const imports = readImports()

describe('the import reader', () => {
  it('sees every form of import, types included, and resolves the aliases and relative paths', () => {
    const source = [
      "import fs from 'node:fs'",
      "import type { A } from '#app/models/a.server.ts'",
      "import { type B, type C } from '../models/b.server.ts'",
      "import { d, type D } from './d.ts'",
      "import './effects.ts'",
      "import url from '#app/styles/app.css?url'",
      "export { e } from '#db/e.ts'",
      "export type { F } from '#db/f.ts'",
      "const g = await import('#app/g.ts')",
      "type H = typeof import('./h.tsx')",
      'const i = () => import(computed)',
    ].join('\n')
    const found = importsOf('app/lib/x.ts', source).map(({ line, target, internal, typeOnly }) => [line, target, internal, typeOnly])
    expect(found).toEqual([
      [1, 'node:fs', false, false],
      [2, 'app/models/a.server.ts', true, true],
      [3, 'app/models/b.server.ts', true, true],
      [4, 'app/lib/d.ts', true, false],
      [5, 'app/lib/effects.ts', true, false],
      [6, 'app/styles/app.css', true, false],
      [7, 'db/e.ts', true, false],
      [8, 'db/f.ts', true, true],
      [9, 'app/g.ts', true, false],
      [10, 'app/lib/h.tsx', true, true],
    ])
  })

  it('resolves every import of the project’s own modules to a file that exists', () => {
    const missing = imports.filter((imp) => imp.internal && !fs.existsSync(path.join(repoRoot, imp.target)))
    expect(missing.map((imp) => `${imp.from}:${imp.line} → '${imp.specifier}' (${imp.target})`)).toEqual([])
  })
})

describe('which way dependencies point', () => {
  it.each(rules.map((rule) => [rule.name, rule] as const))('%s', (name, rule) => {
    expect(breaksOf(rule, imports), name).toEqual([])
  })

  it('lists as pending only breaks that still happen', () => {
    expect(stalePending(imports), 'remove these from `pending` in scripts/import-graph.ts').toEqual([])
  })

  it(serverRule.name, () => {
    expect(breaksOf(serverRule, imports), serverRule.name).toEqual([])
  })
})
