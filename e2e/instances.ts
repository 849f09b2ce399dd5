import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { instanceLogPath } from './paths.ts'

// Several app instances on one PostgreSQL database, for the scale-out spec: the database is made and
// seeded the way serve.ts does it, then each instance is the production build started as `npm run
// serve` would, on a port of its own.

const root = fileURLToPath(new URL('..', import.meta.url))
const logDir = path.join(root, 'e2e/.data')

function run(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))))
  })
}

export type SharedDatabase = {
  url: string
  /** Server backends on this database that hold a LISTEN: one per instance that listens for events. */
  countListeners(): Promise<number>
  drop: () => Promise<void>
}

/** A new database on the server `serverUrl` names, migrated and seeded by the project's own script. */
export async function createDatabase(serverUrl: string): Promise<SharedDatabase> {
  const name = `threadline_scale_${Date.now().toString(36)}${process.pid}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  const drop = async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  try {
    await admin.unsafe(`create database "${name}"`)
    await run(['node_modules/tsx/dist/cli.mjs', 'scripts/db-seed.ts'], { ...process.env, DATABASE_URL: url.toString() })
  } catch (error) {
    await drop().catch(() => {})
    throw error
  }
  return {
    url: url.toString(),
    countListeners: async () => {
      const [row] = await admin<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = ${name} and query ilike 'listen %'`
      return row?.n ?? 0
    },
    drop,
  }
}

export type Instance = {
  url: string
  stop: () => Promise<void>
  /** Sends the process a signal without waiting for it to end (a test of draining, say). */
  kill(signal: NodeJS.Signals): void
  /** The process's exit code, once it has ended (null when a signal ended it). */
  exited: Promise<number | null>
}

/**
 * A database of its own for a spec's instances: a new database on the server when DATABASE_URL is set,
 * else a new embedded one (each instance on it then needs its own directory: see `embeddedDataDir`).
 */
export async function createSpecDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const database = await createDatabase(process.env.DATABASE_URL)
    return { env: { DATABASE_URL: database.url }, drop: database.drop }
  }
  return { env: { DATABASE_URL: '' }, drop: async () => {} }
}

/** A new directory for an embedded database, removed by `drop`. */
export function embeddedDataDir() {
  fs.mkdirSync(logDir, { recursive: true })
  const dir = fs.mkdtempSync(path.join(logDir, 'data-'))
  return { dir, drop: () => fs.promises.rm(dir, { recursive: true, force: true }) }
}

/**
 * Starts the production build on `port` against `databaseUrl` (or with `env` naming the database);
 * resolves once /healthz answers 200.
 */
export async function startInstance({
  port,
  databaseUrl,
  env = {},
}: {
  port: number
  databaseUrl?: string
  env?: Record<string, string>
}): Promise<Instance> {
  const url = `http://127.0.0.1:${port}`
  fs.mkdirSync(logDir, { recursive: true })
  const logPath = instanceLogPath(port)
  const log = fs.createWriteStream(logPath)
  const child: ChildProcess = spawn(process.execPath, ['build/server.js'], {
    cwd: root,
    // TRUST_PROXY as behind a load balancer: each request names its client in X-Forwarded-For, so
    // per-IP limits do not get in the way of the per-account ones under test.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      TRUST_PROXY: '1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Two sources, one file: neither may end it while the other still writes.
  child.stdout!.pipe(log, { end: false })
  child.stderr!.pipe(log, { end: false })
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))

  const stop = async () => {
    // The app closes its database pool on SIGTERM, then exits.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
    log.end()
  }

  // An embedded database is created, migrated and seeded at the first start: slow on a busy machine.
  const deadline = Date.now() + 120_000
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the instance on port ${port} exited (${child.exitCode ?? child.signalCode}); see ${logPath}`)
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return { url, stop, kill: (signal) => child.kill(signal), exited }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the instance on port ${port} did not become healthy within 120 s (see ${logPath})`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
