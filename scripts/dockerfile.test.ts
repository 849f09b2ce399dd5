// Static checks of the Dockerfile and .dockerignore (no Docker engine needed).
// A real build and smoke run: scripts/buildah-build.sh.
import { describe, it, expect } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { validate } from 'dockerfile-utils'
import { DockerfileParser } from 'dockerfile-ast'
import type { Copy, Env, From, Instruction } from 'dockerfile-ast'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const dockerfileText = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8')
const dockerignoreText = fs.existsSync(path.join(repoRoot, '.dockerignore')) ? fs.readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8') : ''

// ---------------------------------------------------------------------------
// .dockerignore matcher (Docker's rules, for the syntax used here):
// patterns are relative to the context root, `*` and `?` stay within one path
// segment, `**` spans any number of segments, `[...]` is a character class,
// a pattern that matches a directory excludes everything below it, `!` re-includes,
// and the last matching pattern wins.

type IgnoreRule = { negate: boolean; re: RegExp; source: string }

function cleanPattern(p: string): string {
  let s = p.trim().replace(/\\/g, '/')
  s = path.posix.normalize(s)
  s = s
    .replace(/^\/+/, '')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
  return s === '.' ? '' : s
}

function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i)
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++
        if (glob[i + 1] === '/') {
          i++
          re += '(?:.*/)?' // `**/` : zero or more leading segments
        } else {
          re += '.*' // `**` : anything, across segments
        }
      } else {
        re += '[^/]*'
      }
    } else if (c === '?') {
      re += '[^/]'
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1)
      if (end === -1) {
        re += '\\['
      } else {
        let cls = glob.slice(i + 1, end)
        if (cls.startsWith('!') || cls.startsWith('^')) cls = '^' + cls.slice(1)
        re += '[' + cls.replace(/\\/g, '\\\\') + ']'
        i = end
      }
    } else {
      re += c.replace(/[.+^${}()|\\]/g, '\\$&')
    }
  }
  return new RegExp('^' + re + '$')
}

function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const negate = line.startsWith('!')
    const pattern = cleanPattern(negate ? line.slice(1) : line)
    if (pattern === '') continue
    rules.push({ negate, re: globToRegExp(pattern), source: line })
  }
  return rules
}

/** True when `relPath` (relative to the context root, `/`-separated) is excluded. */
function isIgnored(relPath: string, rules: IgnoreRule[]): boolean {
  const clean = cleanPattern(relPath)
  if (clean === '') return false
  const parts = clean.split('/')
  // The path itself or any of its parent directories.
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
  let ignored = false
  for (const rule of rules) {
    if (candidates.some((c) => rule.re.test(c))) ignored = !rule.negate
  }
  return ignored
}

// ---------------------------------------------------------------------------
// Dockerfile model: instructions grouped by stage.

type Stage = { index: number; name: string | null; from: From; instructions: Instruction[] }

const dockerfile = DockerfileParser.parse(dockerfileText)

function splitStages(): Stage[] {
  const stages: Stage[] = []
  for (const ins of dockerfile.getInstructions()) {
    if (ins.getKeyword() === 'FROM') {
      const from = ins as From
      stages.push({ index: stages.length, name: from.getBuildStage(), from, instructions: [] })
    } else {
      stages.at(-1)?.instructions.push(ins)
    }
  }
  return stages
}

const stages = splitStages()
if (stages.length === 0) throw new Error('Dockerfile has no FROM instruction')
const finalStage: Stage = stages[stages.length - 1]!
const ofKind = <T extends Instruction>(stage: Stage, keyword: string): T[] => stage.instructions.filter((i) => i.getKeyword() === keyword) as T[]
const lineOf = (ins: Instruction) => `Dockerfile:${ins.getRange().start.line + 1}`

function stageByRef(ref: string, before: number): Stage | undefined {
  if (/^\d+$/.test(ref)) {
    const idx = Number(ref)
    return idx < before ? stages[idx] : undefined
  }
  return stages.slice(0, before).find((s) => s.name?.toLowerCase() === ref.toLowerCase())
}

/** The stage and every stage it is built FROM, nearest first. */
function lineage(stage: Stage): Stage[] {
  const chain = [stage]
  let cur = stage
  for (;;) {
    const parent = stageByRef(cur.from.getImage() ?? '', cur.index)
    if (!parent) return chain
    chain.push(parent)
    cur = parent
  }
}

function copySources(copy: Copy): string[] {
  if (copy.getOpeningBracket()) {
    const values = copy.getJSONStrings().map((s) => s.getJSONValue())
    return values.slice(0, -1)
  }
  const args = copy.getArguments().map((a) => a.getValue())
  return args.slice(0, -1)
}

function runCommands(stage: Stage): string[] {
  return ofKind(stage, 'RUN').map((r) => r.getArgumentsContent() ?? '')
}

/** `[ ... ]` text of an exec-form command, or null for shell form. */
function execForm(text: string): string | null {
  const t = text.trim()
  return t.startsWith('[') ? t : null
}

function parseExec(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e))
  }
}

function envOf(stage: Stage): Map<string, string | null> {
  const env = new Map<string, string | null>()
  for (const e of ofKind<Env>(stage, 'ENV')) {
    for (const p of e.getProperties()) env.set(p.getName(), p.getValue())
  }
  return env
}

// ---------------------------------------------------------------------------

describe('.dockerignore matcher', () => {
  const rules = parseDockerignore(['node_modules', '**/*.log', 'build', '.env*', '!.env.example', '**/test-results'].join('\n'))
  it('follows Docker semantics for the patterns used', () => {
    expect(isIgnored('node_modules', rules)).toBe(true)
    expect(isIgnored('node_modules/react/index.js', rules)).toBe(true)
    expect(isIgnored('app/node_modules', rules)).toBe(false) // bare names are anchored at the root
    expect(isIgnored('npm-debug.log', rules)).toBe(true)
    expect(isIgnored('e2e/logs/x.log', rules)).toBe(true)
    expect(isIgnored('build/server/index.js', rules)).toBe(true)
    expect(isIgnored('app/build.ts', rules)).toBe(false)
    expect(isIgnored('.env', rules)).toBe(true)
    expect(isIgnored('.env.local', rules)).toBe(true)
    expect(isIgnored('.env.example', rules)).toBe(false)
    expect(isIgnored('e2e/test-results/trace.zip', rules)).toBe(true)
    expect(isIgnored('app', rules)).toBe(false)
  })
})

describe('Dockerfile', () => {
  it('passes dockerfile-utils lint with no errors or warnings', () => {
    const problems = validate(dockerfileText)
      // LSP severities: 1 error, 2 warning, 3 information, 4 hint (unset means error)
      .filter((d) => d.severity === undefined || d.severity <= 2)
      .map((d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`)
    expect(problems).toEqual([])
  })

  it('is multi-stage (deps, build, prod-deps, runtime) and ends on node:24-slim, a maintained LTS line', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3)
    expect(finalStage.from.getImage()).toBe('node:24-slim')
    const names = stages.map((s) => s.name)
    expect(new Set(names.filter(Boolean)).size, 'stage names must be unique').toBe(names.filter(Boolean).length)
  })

  it('every COPY --from names an earlier stage', () => {
    for (const stage of stages) {
      for (const copy of ofKind<Copy>(stage, 'COPY')) {
        const ref = copy.getFromFlag()?.getValue()
        if (ref === undefined || ref === null) continue
        expect(stageByRef(ref, stage.index), `${lineOf(copy)}: COPY --from=${ref} is not an earlier stage`).toBeDefined()
      }
    }
  })

  it('exec-form CMD, ENTRYPOINT and HEALTHCHECK CMD are valid JSON string arrays', () => {
    let checked = 0
    for (const stage of stages) {
      const cmds = [...ofKind(stage, 'CMD'), ...ofKind(stage, 'ENTRYPOINT')].map((i) => ({
        ins: i,
        text: i.getArgumentsContent() ?? '',
      }))
      for (const hc of ofKind(stage, 'HEALTHCHECK')) {
        const m = /^\s*CMD\s+([\s\S]*)$/i.exec(hc.getArgumentsContent() ?? '')
        if (m) cmds.push({ ins: hc, text: m[1] ?? '' })
      }
      for (const { ins, text } of cmds) {
        const exec = execForm(text)
        if (exec === null) continue
        checked++
        const parsed = parseExec(exec)
        expect(parsed, `${lineOf(ins)}: ${ins.getKeyword()} exec form is not JSON`).not.toBeInstanceOf(Error)
        expect(Array.isArray(parsed) && parsed.length > 0, `${lineOf(ins)}: not a non-empty array`).toBe(true)
        expect(
          (parsed as unknown[]).every((x) => typeof x === 'string'),
          `${lineOf(ins)}: exec form must hold only strings`,
        ).toBe(true)
      }
    }
    expect(checked, 'the runtime CMD should be in exec form').toBeGreaterThan(0)
  })

  it('the final CMD is in exec form and runs the compiled server (build/server.js), without tsx', () => {
    const cmds = ofKind(finalStage, 'CMD')
    expect(cmds.length).toBeGreaterThan(0)
    const cmd = cmds[cmds.length - 1]!
    const exec = execForm(cmd.getArgumentsContent() ?? '')
    expect(exec, `${lineOf(cmd)}: CMD must be exec form`).not.toBeNull()
    const argv = JSON.parse(exec as string) as string[]
    expect(argv.join(' ')).toBe('node build/server.js')
  })

  it('the runtime copies no TypeScript source from the build context (it runs compiled JavaScript)', () => {
    const sources = ofKind(finalStage, 'COPY')
      .filter((c) => !(c as Copy).getFromFlag())
      .flatMap((c) => copySources(c as Copy))
    const files = (rel: string): string[] => {
      const abs = path.join(repoRoot, rel)
      if (!fs.statSync(abs).isDirectory()) return [rel]
      return fs.readdirSync(abs).flatMap((name) => files(path.join(rel, name)))
    }
    const typescript = sources.flatMap(files).filter((f) => /\.(ts|tsx|mts|cts)$/.test(f))
    expect(typescript).toEqual([])
    expect(sources.length).toBeGreaterThan(0)
  })

  it('every COPY source from the build context exists and is not excluded by .dockerignore', () => {
    const rules = parseDockerignore(dockerignoreText)
    let checked = 0
    for (const stage of stages) {
      for (const copy of ofKind<Copy>(stage, 'COPY')) {
        if (copy.getFromFlag()) continue
        for (const src of copySources(copy)) {
          checked++
          const rel = cleanPattern(src)
          if (/[*?[]/.test(rel)) {
            // A glob: at least one existing, non-excluded match in its directory.
            const dir = path.posix.dirname(rel)
            const re = globToRegExp(path.posix.basename(rel))
            const matches = fs
              .readdirSync(path.join(repoRoot, dir))
              .filter((f) => re.test(f))
              .map((f) => (dir === '.' ? f : `${dir}/${f}`))
              .filter((f) => !isIgnored(f, rules))
            expect(matches.length, `${lineOf(copy)}: COPY ${src} matches nothing`).toBeGreaterThan(0)
            continue
          }
          expect(fs.existsSync(path.join(repoRoot, rel)), `${lineOf(copy)}: COPY source ${src} does not exist`).toBe(true)
          expect(isIgnored(rel, rules), `${lineOf(copy)}: COPY source ${src} is excluded by .dockerignore`).toBe(false)
        }
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it('.dockerignore keeps local artifacts and secrets out of the context', () => {
    const rules = parseDockerignore(dockerignoreText)
    for (const p of ['node_modules', 'build', 'data', '.git', '.env', '.env.local', 'test-results', 'playwright-report', 'npm-debug.log']) {
      expect(isIgnored(p, rules), `${p} should be excluded`).toBe(true)
    }
    for (const p of ['package.json', 'package-lock.json', 'app', 'db']) {
      expect(isIgnored(p, rules), `${p} must stay in the context`).toBe(false)
    }
  })

  it('runs as a non-root user with a /healthz HEALTHCHECK, a VOLUME and NODE_ENV=production', () => {
    const users = ofKind(finalStage, 'USER')
    expect(users.length, 'final stage needs a USER').toBeGreaterThan(0)
    const user = (users.at(-1)?.getArgumentsContent() ?? '').trim()
    expect(user).not.toMatch(/^(root|0)(:.*)?$/)

    const healthchecks = ofKind(finalStage, 'HEALTHCHECK')
    expect(healthchecks.length, 'final stage needs a HEALTHCHECK').toBeGreaterThan(0)
    const hc = healthchecks.at(-1)?.getArgumentsContent() ?? ''
    expect(hc).toMatch(/^\s*CMD\b/i)
    expect(hc).toContain('/healthz')
    expect(hc, 'node:24-slim has no curl/wget').not.toMatch(/\b(curl|wget)\b/)

    expect(ofKind(finalStage, 'VOLUME').length, 'final stage needs a VOLUME').toBeGreaterThan(0)
    expect(envOf(finalStage).get('NODE_ENV')).toBe('production')
    expect(ofKind(finalStage, 'EXPOSE').map((e) => e.getArgumentsContent())).toContain('3000')
  })

  it('the runtime node_modules come from a stage that ran `npm ci --omit=dev`', () => {
    const copies = ofKind<Copy>(finalStage, 'COPY').filter((c) => c.getFromFlag() && copySources(c).some((s) => /(^|\/)node_modules\/?$/.test(s)))
    expect(copies.length, 'runtime must COPY --from=<stage> node_modules').toBeGreaterThan(0)
    for (const copy of copies) {
      const src = stageByRef(copy.getFromFlag()!.getValue() ?? '', finalStage.index)
      expect(src, `${lineOf(copy)}: unknown stage`).toBeDefined()
      const runs = lineage(src!).flatMap(runCommands)
      expect(
        runs.some((r) => /\bnpm\s+ci\b/.test(r) && /--omit[= ]dev\b/.test(r)),
        `${lineOf(copy)}: node_modules must come from a stage running npm ci --omit=dev`,
      ).toBe(true)
      // …and no stage in that lineage installed dev dependencies.
      expect(runs.some((r) => /\bnpm\s+(ci|install|i)\b/.test(r) && !/--omit[= ]dev\b/.test(r))).toBe(false)
    }
  })

  it('the runtime takes its build output from a stage that ran the build', () => {
    const copies = ofKind<Copy>(finalStage, 'COPY').filter((c) => c.getFromFlag() && copySources(c).some((s) => /(^|\/)build\/?$/.test(s)))
    expect(copies.length, 'runtime must COPY --from=<stage> the build/ directory').toBeGreaterThan(0)
    for (const copy of copies) {
      const src = stageByRef(copy.getFromFlag()!.getValue() ?? '', finalStage.index)!
      expect(
        lineage(src)
          .flatMap(runCommands)
          .some((r) => /\bnpm\s+run\s+build\b/.test(r)),
      ).toBe(true)
    }
    const contextCopies = ofKind<Copy>(finalStage, 'COPY')
      .filter((c) => !c.getFromFlag())
      .flatMap(copySources)
      .map(cleanPattern)
    // What the compiled app reads at run time: the migrations, the seed content, package.json.
    for (const needed of ['db/migrations', 'db/seed/articles', 'db/seed/chips.json', 'package.json']) {
      expect(contextCopies, `runtime must copy ${needed}`).toContain(needed)
    }
  })

  it('every npm ci passes --no-audit --no-fund', () => {
    const cis = stages.flatMap(runCommands).filter((r) => /\bnpm\s+ci\b/.test(r))
    expect(cis.length).toBeGreaterThanOrEqual(2)
    for (const r of cis) {
      expect(r).toMatch(/--no-audit\b/)
      expect(r).toMatch(/--no-fund\b/)
    }
  })
})
