import fs from 'node:fs'
import os from 'node:os'

// Turns results into the Markdown that is both printed and written into bench/README.md.

export const readmePath = new URL('./README.md', import.meta.url)

export type Machine = { cpu: string; cores: number; memory: string; node: string; postgres: string; wrk: string; nginx: string }

export function describeMachine(versions: { postgres: string; wrk: string; nginx: string }): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown'
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))
    if (match?.[1]) cpu = match[1].trim()
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  return { cpu, cores: os.availableParallelism(), memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`, node: process.version, ...versions }
}

export function machineLine(m: Machine) {
  return `${m.cpu}, ${m.cores} cores, ${m.memory} RAM; Node ${m.node}; PostgreSQL ${m.postgres}; ${m.wrk}; ${m.nginx}`
}

export type ScenarioResult = {
  key: string
  name: string
  /** What the rate counts: answers, or a member's complete page loads (one answer each: the document). */
  unit: 'request' | 'page load'
  connections: number
  seconds: number
  /** Units completed. */
  count: number
  rate: number
  /** Milliseconds; of the document, the whole page load, for the member scenarios. */
  p50: number
  p99: number
  errors: number
  /** What the errors were, for the notes under the table. */
  errorDetail: string[]
  /** Bytes received per unit, headers included. */
  bytesPerUnit: number
  peakRss: number
  /** A line for the notes, when the scenario has more to say (how many requests got past nginx's cache, the posts stored). */
  note?: string
}

const mb = (bytes: number) => (bytes > 0 ? (bytes / 2 ** 20).toFixed(0) : '–')
const kb = (bytes: number) => (bytes / 1024).toFixed(1)
export const fixed = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–'

function ratio(n: number | undefined, of: number | undefined) {
  return n !== undefined && of ? n / of : NaN
}

function table(headers: string[], rows: string[][], rightAligned: boolean[]) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`
  return [line(headers), rule, ...rows.map(line)].join('\n')
}

export const NGINX_FILE = 'nginx-file'
export const NODE_STATIC = 'node-static'

export function resultsTable(results: ScenarioResult[]) {
  const nginxRate = results.find((r) => r.key === NGINX_FILE)?.rate
  const nodeRate = results.find((r) => r.key === NODE_STATIC)?.rate
  const rows = results.map((r) => [
    r.name,
    fixed(r.rate, r.rate < 10 ? 1 : 0),
    fixed(ratio(r.rate, nginxRate), 2),
    fixed(ratio(r.rate, nodeRate), 2),
    fixed(r.p50, r.p50 < 10 ? 1 : 0),
    fixed(r.p99, r.p99 < 10 ? 1 : 0),
    fixed(r.errors),
    kb(r.bytesPerUnit),
    mb(r.peakRss),
  ])
  return table(['scenario', 'req/s', '× nginx file', '× node:http', 'p50 ms', 'p99 ms', 'errors', 'KB/resp', 'peak RSS MB'], rows, [
    false,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
  ])
}

export type Target = { label: string; met: boolean; detail: string }

export type TargetRule = {
  label: string
  /** The scenarios it reads; it is evaluated only when all of them ran. */
  keys: string[]
  evaluate: (by: (key: string) => ScenarioResult) => Target
}

/** A target with wrong answers in any scenario it reads is missed, whatever the ratio. */
function clean(results: ScenarioResult[]) {
  const errors = results.reduce((sum, r) => sum + r.errors, 0)
  return { ok: errors === 0 && results.every((r) => r.count > 0), text: errors === 0 ? '' : `; ${fixed(errors)} errors` }
}

export function ratioTarget(label: string, key: string, baseKey: string, min: number, maxP99?: number): TargetRule {
  return {
    label,
    keys: [key, baseKey],
    evaluate(by) {
      const r = by(key)
      const base = by(baseKey)
      const value = ratio(r.rate, base.rate)
      const p99Ok = maxP99 === undefined || r.p99 <= maxP99
      const { ok, text } = clean([r, base])
      const p99Text = maxP99 === undefined ? '' : `, p99 ${fixed(r.p99)} ms (needs ≤ ${maxP99})`
      return { label, met: value >= min && p99Ok && ok, detail: `${fixed(value, 2)}× (needs ≥ ${min}×)${p99Text}${text}` }
    },
  }
}

export function latencyTarget(label: string, key: string, maxP99: number): TargetRule {
  return {
    label,
    keys: [key],
    evaluate(by) {
      const r = by(key)
      const { ok, text } = clean([r])
      return { label, met: r.p99 <= maxP99 && ok, detail: `p99 ${fixed(r.p99)} ms (needs ≤ ${maxP99}), ${fixed(r.count)} answers${text || ', 0 errors'}` }
    },
  }
}

export function evaluateTargets(rules: TargetRule[], results: ScenarioResult[]): Target[] {
  const byKey = new Map(results.map((r) => [r.key, r]))
  return rules.filter((rule) => rule.keys.every((k) => byKey.has(k))).map((rule) => rule.evaluate((k) => byKey.get(k)!))
}

export function targetsList(targets: Target[]) {
  return targets.map((t) => `- ${t.met ? 'met   ' : 'MISSED'} ${t.label}: ${t.detail}`).join('\n')
}

/** Notes under the table: what each scenario's errors were, and what else it measured. */
export function scenarioNotes(results: ScenarioResult[]) {
  const lines: string[] = []
  for (const r of results) {
    const parts = [...(r.note ? [r.note] : []), ...(r.errors > 0 || r.count === 0 ? r.errorDetail : [])]
    if (parts.length) lines.push(`- ${r.name}: ${parts.join('; ')}`)
  }
  return lines.join('\n')
}

/** Replaces what lies between `<!-- NAME:start -->` and `<!-- NAME:end -->` in the README. */
export function replaceSection(document: string, name: string, body: string) {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const from = document.indexOf(start)
  const to = document.indexOf(end)
  const block = `${start}\n${body.trim()}\n${end}`
  if (from === -1 || to === -1 || to < from) return `${document.trimEnd()}\n\n${block}\n`
  return document.slice(0, from) + block + document.slice(to + end.length)
}

export function updateReadme(name: string, body: string) {
  const current = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, 'utf8') : '# Benchmarks\n'
  fs.writeFileSync(readmePath, replaceSection(current, name, body))
}
