import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

// Every child the bench starts is registered here, so Ctrl-C (or a failure half-way) stops them all
// instead of leaving a server holding the port and the bench database open.

const children = new Set<ChildProcess>()

function track(child: ChildProcess) {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

/** Runs a command to completion with its output shown; rejects on a non-zero exit. */
export function runCommand(command: string, args: string[], options: SpawnOptions = {}) {
  return new Promise<void>((resolve, reject) => {
    const child = track(spawn(command, args, { stdio: 'inherit', ...options }))
    child.once('error', reject)
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}`))))
  })
}

export type Service = { child: ChildProcess; pid: number; stop: () => Promise<void> }

/**
 * Starts a long-running Node process (a compiled .js file, or TypeScript under tsx), with stdout (and stderr) written to
 * `logFile`. Resolves once it is spawned; readiness is the caller's check.
 */
export function startService(script: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, nodeArgs: string[] = []): Service {
  fs.mkdirSync(path.dirname(logFile), { recursive: true })
  const log = fs.createWriteStream(logFile)
  // The app runs compiled (build/server.js); the bench's own helpers are TypeScript.
  const loader = script.endsWith('.js') ? [] : ['--import', 'tsx']
  const child = track(spawn(process.execPath, [...nodeArgs, ...loader, script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }))
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  if (child.pid === undefined) throw new Error(`could not start ${script}`)
  return { child, pid: child.pid, stop: () => stopChild(child) }
}

export async function stopChild(child: ChildProcess, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

export async function stopAllChildren() {
  await Promise.all([...children].map((child) => stopChild(child)))
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitForOk(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${url}: the process exited (${child.signalCode ?? child.exitCode}) before it answered`)
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      await response.arrayBuffer()
      if (response.status === 200) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`)
}

/** Resident memory of a process in bytes, from /proc (Linux only); null once it has gone. */
export function readRss(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    return match ? Number(match[1]) * 1024 : null
  } catch {
    return null
  }
}

export type RssSample = { at: number; bytes: number }

/** Samples the summed RSS of `pids()` every `everyMs` until stopped; returns the samples, times from the start. */
export function sampleRss(pids: () => number[], everyMs = 200) {
  const started = Date.now()
  const samples: RssSample[] = []
  const take = () => {
    const readings = pids().map(readRss)
    if (readings.some((bytes) => bytes !== null))
      samples.push({ at: Date.now() - started, bytes: readings.reduce<number>((sum, bytes) => sum + (bytes ?? 0), 0) })
  }
  take()
  const timer = setInterval(take, everyMs)
  return {
    samples,
    stop() {
      clearInterval(timer)
      take()
      return samples
    },
  }
}
