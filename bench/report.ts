import fs from 'node:fs'
import os from 'node:os'
import type { ScenarioResult } from './load.ts'

// Turns results into the Markdown that is both printed and written into bench/README.md.

export const readmePath = new URL('./README.md', import.meta.url)

export type Machine = { cpu: string; cores: number; memory: string; node: string; postgres: string }

export function describeMachine(postgres: string): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown'
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))
    if (match?.[1]) cpu = match[1].trim()
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    postgres,
  }
}

export function machineLine(m: Machine) {
  return `${m.cpu}, ${m.cores} cores, ${m.memory} RAM; Node ${m.node}; PostgreSQL ${m.postgres}`
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0)
const kb = (bytes: number) => (bytes / 1024).toFixed(1)
const fixed = (n: number, digits = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })

function ratio(n: number, of: number | undefined) {
  return of ? n / of : NaN
}

function table(headers: string[], rows: string[][], rightAligned: boolean[]) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`
  return [line(headers), rule, ...rows.map(line)].join('\n')
}

export function resultsTable(results: ScenarioResult[]) {
  const staticRate = results.find((r) => r.key === 'static')?.reqPerSec
  const rows = results.map((r) => [
    r.name,
    fixed(r.reqPerSec, r.reqPerSec < 10 ? 1 : 0),
    r.key === 'static' ? '1.00' : fixed(ratio(r.reqPerSec, staticRate), 2),
    fixed(r.p50, 0),
    fixed(r.p99, 0),
    fixed(r.errors),
    mb(r.peakRss),
    kb(r.bytesPerResponse),
  ])
  return table(['scenario', 'req/s', '× static', 'p50 ms', 'p99 ms', 'errors', 'peak RSS MB', 'KB/resp'], rows, [
    false,
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

export function evaluateTargets(results: ScenarioResult[]): Target[] {
  const by = (key: string) => results.find((r) => r.key === key)
  const targets: Target[] = []
  const against = (label: string, key: string, baseKey: string, min: number) => {
    const r = by(key)
    const base = by(baseKey)
    if (!r || !base) return
    const value = ratio(r.reqPerSec, base.reqPerSec)
    targets.push({ label, met: value >= min, detail: `${fixed(value, 2)}× (needs ≥ ${min}×)` })
  }
  against('anonymous 200-comment ≥ 0.3× static', 'anon-200', 'static', 0.3)
  against('member 200-comment ≥ 0.05× static', 'member-200', 'static', 0.05)
  against('anonymous 10,000-comment ≥ 0.8× anonymous 200-comment', 'anon-10000', 'anon-200', 0.8)
  against('member 10,000-comment ≥ 0.8× member 200-comment', 'member-10000', 'member-200', 0.8)
  against('conditional feed (304) ≥ 0.5× static', 'feed-304', 'static', 0.5)
  const posting = by('post')
  if (posting) {
    targets.push({
      label: 'posting: p99 ≤ 250 ms and 0 errors',
      // No answer at all would otherwise read as a perfect p99.
      met: posting.requests > 0 && posting.p99 <= 250 && posting.errors === 0,
      detail: `p99 ${fixed(posting.p99)} ms, ${fixed(posting.errors)} errors, ${fixed(posting.requests)} answers`,
    })
  }
  return targets
}

export function targetsList(targets: Target[]) {
  return targets.map((t) => `- ${t.met ? 'met   ' : 'MISSED'} ${t.label}: ${t.detail}`).join('\n')
}

/** Statuses other than the expected ones, per scenario, so an error count can be explained. */
export function errorNotes(results: ScenarioResult[]) {
  return results
    .filter((r) => r.errors > 0 || r.requests === 0)
    .map((r) => {
      const statuses = Object.entries(r.statuses)
        .map(([status, n]) => `${status}×${n}`)
        .join(', ')
      const parts = [`statuses ${statuses || 'none'}`]
      if (r.connectionErrors > 0) parts.push(`${r.connectionErrors} connection errors`)
      if (r.timeouts > 0) parts.push(`${r.timeouts} timeouts`)
      if (r.requests === 0) parts.push(`no answer at all; ${r.unanswered} requests still waiting at the end`)
      return `- ${r.name}: ${parts.join('; ')}`
    })
    .join('\n')
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
