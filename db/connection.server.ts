import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql, type SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { observedPglite, observedPostgres, type StatementObserver } from './driver.server.ts'
import * as schema from './schema.ts'

export { DatabaseUnavailableError, isConnectionFailure, StatementOutsideTransactionError, type StatementObserver } from './driver.server.ts'

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

export type DatabaseHandle = {
  db: Database
  driver: 'postgres' | 'pglite'
  /** True when this open created the database (a new PGlite directory). */
  created: boolean
  /** Rows of a raw query, whatever the driver returns them in. */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>
  migrate(migrationsFolder: string): Promise<void>
  /**
   * Calls `onPayload` for every NOTIFY on `channel`. On the server this holds one connection of its
   * own, so notifications written by any app instance arrive; on PGlite they arrive in-process.
   * `onListening` runs each time the LISTEN is (re)established: notifications sent while the
   * connection was down are lost, so a cache must treat every reconnection as a change.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListening?: () => void): Promise<() => Promise<void>>
  /** PGlite only: the whole data directory as a tarball, for tests to start from. */
  snapshot?: () => Promise<Blob>
  close(): Promise<void>
}

export type OpenOptions = ({ url: string; poolMax?: number } | { dataDir: string } | { memory: true; loadDataDir?: Blob }) & {
  /** Told of every statement and how long it took (the app logs the slow ones). */
  onStatement?: StatementObserver
}

// Every statement Drizzle sends passes here; tests count them to hold pages to a fixed query budget.
const queryListeners = new Set<(query: string, params: unknown[]) => void>()
const logger = { logQuery: (query: string, params: unknown[]) => queryListeners.forEach((listener) => listener(query, params)) }

/** Calls `listener` with each statement sent until the returned function is called. */
export function observeQueries(listener: (query: string, params: unknown[]) => void): () => void {
  queryListeners.add(listener)
  return () => queryListeners.delete(listener)
}

/** A start-up failure an operator can fix; printed as one line, never as a stack trace. */
export class DatabaseStartupError extends Error {
  override name = 'DatabaseStartupError'
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if ('url' in options) return openPostgres(options.url, options.poolMax ?? 10, options.onStatement)
  if ('dataDir' in options) return openPglite(options.dataDir, options.onStatement)
  const client = new PGlite({ loadDataDir: options.loadDataDir })
  await client.waitReady
  return pgliteHandle(client, true, async () => {}, options.onStatement)
}

const MIGRATION_LOCK_KEY = 7_240_113

async function openPostgres(url: string, poolMax: number, onStatement?: StatementObserver): Promise<DatabaseHandle> {
  const client = postgres(url, {
    max: poolMax,
    connect_timeout: 5,
    // postgres.js waits up to 20 s between attempts once a server has refused a few: every request
    // in an outage would hang that long, and the app would take as long to notice the server is back.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    onnotice: () => {},
  })
  try {
    await client`select 1`
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {})
    const where = describeUrl(url)
    const reason = error instanceof Error ? error.message : String(error)
    throw new DatabaseStartupError(`cannot reach the PostgreSQL server at ${where} (${reason})`)
  }
  const typed = drizzlePostgres(observedPostgres(client, onStatement), { schema, logger })
  const db = typed as unknown as Database
  return {
    db,
    driver: 'postgres',
    created: false,
    rows: async <T extends Record<string, unknown>>(query: SQL) => [...(await typed.execute(query))] as T[],
    listen: async (channel, onPayload, onListening) => {
      const listening = await client.listen(channel, onPayload, onListening)
      return () => listening.unlisten()
    },
    migrate: async (migrationsFolder) => {
      // Instances starting together take turns; the later ones then find nothing left to apply.
      const lock = await client.reserve()
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`
        await migratePostgres(db as never, { migrationsFolder })
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {})
        lock.release()
      }
    },
    close: () => client.end({ timeout: 5 }),
  }
}

function describeUrl(url: string) {
  try {
    const u = new URL(url)
    // Never print the password.
    return `${u.hostname}:${u.port || 5432}${u.pathname}`
  } catch {
    return 'DATABASE_URL'
  }
}

async function openPglite(dataDir: string, onStatement?: StatementObserver): Promise<DatabaseHandle> {
  const dir = path.resolve(dataDir)
  const created = !fs.existsSync(path.join(dir, 'PG_VERSION'))
  fs.mkdirSync(dir, { recursive: true })
  // A PGlite directory opened by two processes loses writes silently: hold a pid lock.
  const lockFile = path.join(dir, 'threadline.pid')
  const holder = readLockHolder(lockFile)
  if (holder !== null && holder !== process.pid && isAlive(holder)) {
    throw new DatabaseStartupError(`the embedded database in ${dataDir} is in use by process ${holder}; stop it first (or set DATABASE_URL)`)
  }
  // Closing removes the lock: this process opened the directory before and still holds it (in
  // development, Vite re-ran the module that opens it after an edit). Two handles would lose writes.
  if (holder === process.pid) {
    throw new DatabaseStartupError(`the embedded database in ${dataDir} is already open in this process; restart it to reopen the database`)
  }
  fs.writeFileSync(lockFile, String(process.pid))
  let client: PGlite
  try {
    client = new PGlite(dir)
    await client.waitReady
  } catch (error) {
    fs.rmSync(lockFile, { force: true })
    const reason = error instanceof Error ? error.message : String(error)
    throw new DatabaseStartupError(`cannot open the embedded database in ${dataDir} (${reason})`)
  }
  return pgliteHandle(
    client,
    created,
    () => {
      if (readLockHolder(lockFile) === process.pid) fs.rmSync(lockFile, { force: true })
      return Promise.resolve()
    },
    onStatement,
  )
}

function pgliteHandle(client: PGlite, created: boolean, release: () => Promise<void>, onStatement?: StatementObserver): DatabaseHandle {
  const typed = drizzlePglite(observedPglite(client, onStatement), { schema, logger })
  const db = typed as unknown as Database
  let closed = false
  return {
    db,
    driver: 'pglite',
    created,
    rows: async <T extends Record<string, unknown>>(query: SQL) => (await typed.execute(query)).rows as T[],
    listen: async (channel, onPayload, onListening) => {
      const unlisten = await client.listen(channel, onPayload)
      onListening?.()
      return unlisten
    },
    migrate: (migrationsFolder) => migratePglite(db as never, { migrationsFolder }),
    snapshot: () => client.dumpDataDir('none'),
    close: async () => {
      if (closed) return
      closed = true
      await client.close()
      await release()
    },
  }
}

function readLockHolder(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether the database answers a trivial query within the time allowed. */
export async function pingDatabase(handle: DatabaseHandle, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  try {
    return await Promise.race([handle.rows(sql`select 1 as ok`).then(() => true), timeout])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
