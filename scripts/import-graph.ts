import fs from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'

// Which way the code's dependencies point, read from the sources: every static import, re-export,
// dynamic import() and `import type` / `typeof import()` (types count: a type import still couples
// two modules) in app/, db/, scripts/ and server.ts, resolved to a file of the repository or left as
// a package name. scripts/import-graph.test.ts holds the rules to them; run this file
// (`npx tsx scripts/import-graph.ts`) for the layer-to-layer edge counts and what breaks a rule.

export const repoRoot = fileURLToPath(new URL('..', import.meta.url))

const sourceRoots = ['app', 'db', 'scripts', 'server.ts']

const under = (file: string, ...dirs: string[]) => dirs.some((dir) => file === dir || file.startsWith(`${dir}/`))

export type Import = {
  /** The importing file, relative to the repository, with forward slashes. */
  from: string
  line: number
  specifier: string
  /** A repository path for the project's own modules, else the package (or `node:` builtin). */
  target: string
  internal: boolean
  typeOnly: boolean
}

/** Every .ts/.tsx source under the roots, relative to the repository, sorted. */
export function sourceFiles(root = repoRoot): string[] {
  const files: string[] = []
  const walk = (rel: string) => {
    const full = path.join(root, rel)
    if (fs.statSync(full).isDirectory()) {
      for (const name of fs.readdirSync(full)) {
        if (name !== 'node_modules' && !name.startsWith('.')) walk(path.posix.join(rel, name))
      }
    } else if (/\.tsx?$/.test(rel)) files.push(rel)
  }
  for (const rel of sourceRoots) if (fs.existsSync(path.join(root, rel))) walk(rel)
  return files.sort()
}

/** package.json `imports` (`#app/*` → `./app/*`) as prefix pairs. */
function aliases(root: string): [string, string][] {
  const { imports = {} } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    imports?: Record<string, string>
  }
  return Object.entries(imports).map(([from, to]) => [from.replace(/\*$/, ''), to.replace(/^\.\//, '').replace(/\*$/, '')])
}

function resolve(from: string, specifier: string, aliasList: [string, string][]): { target: string; internal: boolean } {
  // Vite's query suffixes (`app.css?url`) name the same file.
  const bare = specifier.replace(/\?.*$/, '')
  for (const [prefix, dir] of aliasList) {
    if (bare.startsWith(prefix)) return { target: path.posix.normalize(dir + bare.slice(prefix.length)), internal: true }
  }
  if (bare.startsWith('#')) throw new Error(`${from}: ${specifier} matches no alias in package.json "imports"`)
  if (bare.startsWith('.')) return { target: path.posix.normalize(path.posix.join(path.posix.dirname(from), bare)), internal: true }
  return { target: bare, internal: false }
}

function typeOnlyClause(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false // import 'x': run for its effects
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return true
  if (clause.name || !clause.namedBindings || ts.isNamespaceImport(clause.namedBindings)) return false
  // import { type A, type B }: erased whole (the project does not use verbatimModuleSyntax).
  const elements = clause.namedBindings.elements
  return elements.length > 0 && elements.every((e) => e.isTypeOnly)
}

/** The imports written in one file. */
export function importsOf(file: string, text: string, aliasList = aliases(repoRoot)): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const found: Import[] = []
  const add = (node: ts.Node, specifier: ts.Node, typeOnly: boolean) => {
    // A computed dynamic import (server.ts loads the built server so) names no module to check.
    if (!ts.isStringLiteralLike(specifier)) return
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
    found.push({ from: file, line, specifier: specifier.text, ...resolve(file, specifier.text, aliasList), typeOnly })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, typeOnlyClause(node.importClause))
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, node.moduleSpecifier, node.isTypeOnly)
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      add(node, node.arguments[0], false)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal, true)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** Every import of every source file. */
export function readImports(root = repoRoot): Import[] {
  const aliasList = aliases(root)
  return sourceFiles(root).flatMap((file) => importsOf(file, fs.readFileSync(path.join(root, file), 'utf8'), aliasList))
}

// ---------------------------------------------------------------------------------------------
// Layers and rules
// ---------------------------------------------------------------------------------------------

/** The layer a repository path belongs to: app/ by folder, its top-level modules by name. */
export function layerOf(file: string): string {
  const [top = file, second] = file.split('/')
  if (top === 'server.ts') return 'server'
  if (top !== 'app' || !second) return top
  // app/root.tsx, entry.server.tsx, env.server.ts, auth.server.ts (and their tests); app/db.server.ts
  // is the app's database (opened from db/), named apart from db/ itself
  if (file.split('/').length !== 2) return second
  const name = second.split('.')[0]!
  return name === 'db' ? 'app-db' : name
}

export const isTestFile = (file: string) => /\.test\.tsx?$/.test(file)
/** Tests and their helpers (app/test, db/test), which the edge counts show apart from the code. */
export const isTestCode = (file: string) => isTestFile(file) || under(file, 'app/test', 'db/test')
export const isServerModule = (file: string) => /\.server(\.|$)/.test(path.posix.basename(file))

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name.split('/')[0]!)

export type Rule = {
  name: string
  /** Whether this import breaks the rule. */
  breaks: (imp: Import) => boolean
}

/** What tests may use whatever their layer: the shared test helpers and the demo content. */
const testSupport = (imp: Import) => isTestFile(imp.from) && imp.internal && under(imp.target, 'app/test', 'app/seed')

export const rules: Rule[] = [
  {
    name: 'db/ imports nothing from app/',
    breaks: (imp) => under(imp.from, 'db') && imp.internal && under(imp.target, 'app') && !(isTestFile(imp.from) && under(imp.target, 'app/test')),
  },
  {
    name: 'app/lib imports only app/lib, app/env.server.ts and db/',
    breaks: (imp) => under(imp.from, 'app/lib') && imp.internal && !under(imp.target, 'app/lib', 'app/env.server.ts', 'db') && !testSupport(imp),
  },
  {
    name: 'app/models imports nothing from app/routes, app/components, app/seed or the app shell (root, entry)',
    breaks: (imp) =>
      under(imp.from, 'app/models') &&
      imp.internal &&
      under(imp.target, 'app/routes', 'app/components', 'app/seed', 'app/root.tsx', 'app/entry.server.tsx') &&
      !testSupport(imp),
  },
  {
    // Node builtins, the database drivers and the database itself run on the server only; db/enums.ts
    // is the one db/ module made for both sides (plain value lists).
    name: 'a module of app/lib or app/models that reaches server-only code says .server in its name',
    breaks: (imp) =>
      under(imp.from, 'app/lib', 'app/models') &&
      !isTestFile(imp.from) &&
      !isServerModule(imp.from) &&
      (imp.internal
        ? isServerModule(imp.target) || (under(imp.target, 'db') && imp.target !== 'db/enums.ts')
        : isBuiltin(imp.target) || imp.target === 'postgres' || imp.target.startsWith('@electric-sql/pglite')),
  },
]

/** Known breaks still to be removed, each with its reason. The test fails once one no longer happens, so the list only shrinks. */
export const pending: { from: string; target: string; why: string }[] = []

/** server.ts reaches the app only through the server build (its entry exports `runtime`); types are fine. */
export const serverRule: Rule = {
  name: 'server.ts imports nothing from app/ or db/ but types',
  breaks: (imp) => imp.from === 'server.ts' && imp.internal && under(imp.target, 'app', 'db') && !imp.typeOnly,
}

export const describeImport = (imp: Import) =>
  `${imp.from}:${imp.line} → '${imp.specifier}'${imp.internal && imp.specifier !== imp.target ? ` (${imp.target})` : ''}${imp.typeOnly ? ' [type]' : ''}`

const isPending = (imp: Import) => pending.some((p) => p.from === imp.from && p.target === imp.target)

/** Every import that breaks `rule`, described, pending ones left out. */
export function breaksOf(rule: Rule, imports: Import[]): string[] {
  return imports.filter((imp) => rule.breaks(imp) && !isPending(imp)).map(describeImport)
}

/** Pending entries no import matches any more. */
export function stalePending(imports: Import[]): string[] {
  return pending.filter((p) => !imports.some((imp) => imp.from === p.from && imp.target === p.target)).map((p) => `${p.from} → ${p.target}`)
}

/** How many imports go from each layer to each other one (within a layer left out), by layer. */
export function edgeCounts(imports: Import[]): { from: string; to: string; count: number; typeOnly: number }[] {
  const counts = new Map<string, { from: string; to: string; count: number; typeOnly: number }>()
  for (const imp of imports) {
    if (!imp.internal) continue
    const from = layerOf(imp.from)
    const to = layerOf(imp.target)
    if (from === to) continue
    const key = `${from} → ${to}`
    const entry = counts.get(key) ?? { from, to, count: 0, typeOnly: 0 }
    entry.count++
    if (imp.typeOnly) entry.typeOnly++
    counts.set(key, entry)
  }
  return [...counts.values()].sort((a, b) => a.from.localeCompare(b.from) || b.count - a.count || a.to.localeCompare(b.to))
}

function main() {
  const imports = readImports()
  console.log(`${sourceFiles().length} files, ${imports.length} imports (${imports.filter((i) => i.internal).length} of the project's own modules)\n`)
  const show = (title: string, edges: ReturnType<typeof edgeCounts>) => {
    console.log(title)
    for (const e of edges) console.log(`  ${e.from} → ${e.to}: ${e.count}${e.typeOnly ? ` (${e.typeOnly} type-only)` : ''}`)
  }
  show('Imports between layers, code:', edgeCounts(imports.filter((i) => !isTestCode(i.from))))
  show('\nImports between layers, tests and test helpers:', edgeCounts(imports.filter((i) => isTestCode(i.from))))
  let broken = 0
  for (const rule of rules) {
    const found = breaksOf(rule, imports)
    broken += found.length
    console.log(`\n${found.length === 0 ? 'ok' : 'BROKEN'}: ${rule.name}`)
    for (const line of found) console.log(`  ${line}`)
  }
  console.log('\npending (being removed elsewhere):')
  for (const p of pending) console.log(`  ${p.from} → ${p.target}: ${p.why}`)
  for (const line of stalePending(imports)) console.log(`  STALE, remove from the list: ${line}`)
  const server = breaksOf(serverRule, imports)
  console.log(`\n${server.length === 0 ? 'ok' : `not yet (${server.length})`}: ${serverRule.name}`)
  process.exitCode = broken > 0 || stalePending(imports).length > 0 ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
