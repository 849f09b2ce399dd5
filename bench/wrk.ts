import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { nginxInstalled } from '../e2e/nginx.ts'
import { runCommand } from './processes.ts'

// wrk, driven by the Lua scripts in bench/lua/: each prints its figures as one JSON line from its
// done() (bench/lua/bench.lua), which is read here; wrk's own text goes to a log beside it.

const luaDir = fileURLToPath(new URL('./lua/', import.meta.url))

export type WrkErrors = { connect: number; read: number; write: number; status: number; timeout: number }

export type WrkResult = {
  seconds: number
  /** Answers received. */
  requests: number
  /** Bytes received, headers included. */
  bytes: number
  /** wrk's own counts; `status` is answers of 400 and above. */
  errors: WrkErrors
  /** wrk's latency percentiles over all answers, in milliseconds. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number }
  /** Statuses counted by the script's response(); empty when it had none. */
  statuses: Record<string, number>
  /** Answers whose status the script did not expect. */
  unexpected: number
}

export type WrkRun = {
  /** A file of bench/lua/. */
  script: string
  /** Scheme, host and port; the script names the path. */
  url: string
  /** key=value options for the script. */
  options: string[]
  connections: number
  threads?: number
  duration: number
  timeout: number
  /** wrk's own output goes here. */
  logFile: string
}

let current: ChildProcess | null = null

/** Ends the wrk in progress early (Ctrl-C); it still prints its figures, so the run settles as usual. */
export function stopWrk() {
  current?.kill('SIGINT')
}

type Tallies = {
  statuses: Record<string, number> | []
  unexpected: number
}

type RawResult = {
  durationUs: number
  requests: number
  bytes: number
  errors: WrkErrors
  latencyUs: { p50: number; p90: number; p99: number; max: number; mean: number | null }
  /** Each thread's own tallies (bench/lua/bench.lua). */
  threads: Tallies[]
}

// The script's JSON encoder cannot tell an empty list from an empty object.
const record = <T>(value: Record<string, T> | T[]): Record<string, T> => (Array.isArray(value) ? {} : value)

function merge(threads: Tallies[]) {
  const statuses: Record<string, number> = {}
  let unexpected = 0
  for (const thread of threads) {
    for (const [status, n] of Object.entries(record(thread.statuses))) statuses[status] = (statuses[status] ?? 0) + n
    unexpected += thread.unexpected
  }
  return { statuses, unexpected }
}

export function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = [
    `--threads=${run.threads ?? 1}`,
    `--connections=${run.connections}`,
    `--duration=${run.duration}s`,
    `--timeout=${run.timeout}s`,
    '--latency',
    `--script=${path.join(luaDir, run.script)}`,
    run.url,
    '--',
    ...run.options,
  ]
  fs.mkdirSync(path.dirname(run.logFile), { recursive: true })
  return new Promise((resolve, reject) => {
    let output = ''
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    current = child
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      current = null
      fs.writeFileSync(run.logFile, `wrk ${args.join(' ')}\n\n${output}`)
      const line = output.split('\n').find((l) => l.startsWith('@bench-result '))
      if (!line) {
        reject(new Error(`wrk exited with ${signal ?? code} and no figures (see ${run.logFile}):\n${output.slice(-2000)}`))
        return
      }
      const raw = JSON.parse(line.slice('@bench-result '.length)) as RawResult
      const ms = (us: number | null) => (us ?? NaN) / 1000
      resolve({
        seconds: raw.durationUs / 1e6,
        requests: raw.requests,
        bytes: raw.bytes,
        errors: raw.errors,
        latency: {
          p50: ms(raw.latencyUs.p50),
          p90: ms(raw.latencyUs.p90),
          p99: ms(raw.latencyUs.p99),
          max: ms(raw.latencyUs.max),
          mean: ms(raw.latencyUs.mean),
        },
        ...merge(raw.threads),
      })
    })
  })
}

function installed(command: string) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).error === undefined
}

/** wrk and Debian's nginx, installed with apt-get when missing (as root; otherwise it says what to install). */
export async function ensureTools() {
  const missing = [...(installed('wrk') ? [] : ['wrk']), ...(nginxInstalled() ? [] : ['nginx-light'])]
  if (missing.length === 0) return
  if (process.getuid?.() !== 0) throw new Error(`the bench needs ${missing.join(' and ')}: apt-get install ${missing.join(' ')}`)
  console.log(`bench: installing Debian's ${missing.join(' and ')}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  await runCommand('apt-get', ['update', '-qq'], { env })
  await runCommand('apt-get', ['install', '-y', '-qq', ...missing], { env })
}
