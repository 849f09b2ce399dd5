import { AsyncLocalStorage } from 'node:async_hooks'
import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql, type SQL } from 'drizzle-orm'
import { PgDatabase, PgPreparedQuery, type PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { env } from '#app/env.server.ts'
import { logger as log } from '#app/lib/logger.server.ts'
import * as schema from './schema.ts'

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

export type OpenOptions =
  | { url: string; poolMax?: number }
  | { dataDir: string }
  | { memory: true; loadDataDir?: Blob }

// Every statement Drizzle sends passes here; tests count them to hold pages to a fixed query budget.
const queryListeners = new Set<(query: string, params: unknown[]) => void>()
const logger = { logQuery: (query: string, params: unknown[]) => queryListeners.forEach((listener) => listener(query, params)) }

/** Calls `listener` with each statement sent until the returned function is called. */
export function observeQueries(listener: (query: string, params: unknown[]) => void): () => void {
  queryListeners.add(listener)
  return () => queryListeners.delete(listener)
}

/** The database server cannot be reached: the connection was refused, dropped, or timed out. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError'
}

// postgres.js's codes for a lost or unmade connection, Node's socket errors beneath them, and
// PostgreSQL's connection exceptions (class 08) and shutdown states (57P01-57P03).
const connectionFailureCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
])

/** Whether `error` (or what it wraps: Drizzle wraps every driver error) says the server is out of reach. */
export function isConnectionFailure(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    // By name: server.ts and the server build each load their own copy of this module.
    if ((e as { name?: unknown }).name === 'DatabaseUnavailableError') return true
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (connectionFailureCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true
  }
  return false
}

// Kept on globalThis: whichever copy of this module patched Drizzle (below) must find it.
const outage = globalThis as { __threadlineOnUnavailable?: (error: DatabaseUnavailableError) => unknown }

/**
 * Sets what a statement throws when the server is out of reach. Scripts get the
 * DatabaseUnavailableError itself; the app turns it into an answer its error pages show as a 503
 * (app/lib/database-outage.server.ts), so that no loader or action has to catch it.
 */
export function onDatabaseUnavailable(handler: (error: DatabaseUnavailableError) => unknown) {
  outage.__threadlineOnUnavailable = handler
}

function translate(error: unknown): unknown {
  if (!isConnectionFailure(error)) return error
  const known = (error as { name?: unknown }).name === 'DatabaseUnavailableError'
  const cause = !known && error instanceof Error && error.cause ? error.cause : error
  const failure = known ? (error as DatabaseUnavailableError) : new DatabaseUnavailableError(cause instanceof Error ? cause.message : String(cause), { cause })
  return outage.__threadlineOnUnavailable ? outage.__threadlineOnUnavailable(failure) : failure
}

// Slow statements are logged with their SQL (never their parameters, which may be a reader's words),
// whichever driver runs them: both send every statement through this one method of Drizzle's. A
// statement that finds the server gone throws the outage (above) instead of a driver error.
type TimedQuery = { queryWithCache: (query: string, params: unknown[], run: () => Promise<unknown>) => Promise<unknown> }
type Transactional = { transaction: (...args: unknown[]) => Promise<unknown> }
const prototype = PgPreparedQuery.prototype as unknown as TimedQuery & { __threadlineTimed?: true }
if (!prototype.__threadlineTimed) {
  const untimed = prototype.queryWithCache
  prototype.queryWithCache = async function (this: unknown, query, params, run) {
    const started = performance.now()
    try {
      return await untimed.call(this, query, params, run)
    } catch (error) {
      throw translate(error)
    } finally {
      const ms = performance.now() - started
      // Long statements (bulk inserts) are cut: the start says which one it was.
      if (ms >= env.SLOW_QUERY_MS) log.warn({ ms: Math.round(ms), sql: query.length > 500 ? `${query.slice(0, 500)}…` : query }, 'slow query')
    }
  }
  // BEGIN, COMMIT and a connection lost between statements fail in the driver, outside any statement.
  const database = PgDatabase.prototype as unknown as Transactional
  const transaction = database.transaction
  database.transaction = async function (this: unknown, ...args) {
    try {
      return await transaction.apply(this, args)
    } catch (error) {
      throw translate(error)
    }
  }
  prototype.__threadlineTimed = true
}

/** A start-up failure an operator can fix; printed as one line, never as a stack trace. */
export class DatabaseStartupError extends Error {
  override name = 'DatabaseStartupError'
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if ('url' in options) return openPostgres(options.url, options.poolMax ?? 10)
  if ('dataDir' in options) return openPglite(options.dataDir)
  const client = new PGlite({ loadDataDir: options.loadDataDir })
  await client.waitReady
  return pgliteHandle(client, true, async () => {})
}

const MIGRATION_LOCK_KEY = 7_240_113

async function openPostgres(url: string, poolMax: number): Promise<DatabaseHandle> {
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
  const db = drizzlePostgres(client, { schema, logger }) as unknown as Database
  return {
    db,
    driver: 'postgres',
    created: false,
    rows: async <T,>(query: SQL) => (await db.execute(query)) as unknown as T[],
    listen: async (channel, onPayload, onListening) => {
      const { unlisten } = await client.listen(channel, onPayload, onListening)
      return unlisten
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

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const dir = path.resolve(dataDir)
  const created = !fs.existsSync(path.join(dir, 'PG_VERSION'))
  fs.mkdirSync(dir, { recursive: true })
  // A PGlite directory opened by two processes loses writes silently: hold a pid lock.
  const lockFile = path.join(dir, 'threadline.pid')
  const holder = readLockHolder(lockFile)
  if (holder !== null && holder !== process.pid && isAlive(holder)) {
    throw new DatabaseStartupError(
      `the embedded database in ${dataDir} is in use by process ${holder}; stop it first (or set DATABASE_URL)`,
    )
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
  return pgliteHandle(client, created, async () => {
    if (readLockHolder(lockFile) === process.pid) fs.rmSync(lockFile, { force: true })
  })
}

/** Thrown where a statement outside a transaction was sent from inside it (see `guardedClient`). */
export class StatementOutsideTransactionError extends Error {
  override name = 'StatementOutsideTransactionError'
}

/**
 * PGlite runs one transaction at a time, and a statement sent outside it waits for it to end. So a
 * statement sent on the database handle (not the transaction's) from inside a transaction waits for
 * its own transaction: that request never answers, and every later statement of every request waits
 * behind it, for good. On the server the same code only takes a second connection and sees another
 * snapshot, so it passes every test there. This client refuses such a statement at once, with a
 * stack that names it, instead of hanging the site. (Work a transaction starts but does not wait for
 * may query the handle once the transaction has ended, not while it is still open.)
 */
function guardedClient(client: PGlite): PGlite {
  const inside = new AsyncLocalStorage<{ open: boolean }>()
  const refuse = () => {
    if (inside.getStore()?.open) {
      throw new StatementOutsideTransactionError(
        'a statement was sent on the database handle from inside a transaction: on PGlite it would wait for that transaction for ever (use the transaction’s handle)',
      )
    }
  }
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'query' || property === 'exec' || property === 'sql') {
        const method = Reflect.get(target, property, target) as (...args: unknown[]) => Promise<unknown>
        return (...args: unknown[]) => {
          refuse()
          return method.apply(target, args)
        }
      }
      if (property === 'transaction') {
        return async <T,>(callback: (tx: unknown) => Promise<T>) => {
          refuse()
          const state = { open: true }
          try {
            return await target.transaction((tx) => inside.run(state, () => callback(tx)))
          } finally {
            state.open = false
          }
        }
      }
      const value = Reflect.get(target, property, receiver) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

function pgliteHandle(client: PGlite, created: boolean, release: () => Promise<void>): DatabaseHandle {
  const db = drizzlePglite(guardedClient(client), { schema, logger }) as unknown as Database
  let closed = false
  return {
    db,
    driver: 'pglite',
    created,
    rows: async <T,>(query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows,
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

/** Opens the database the environment names: the server when DATABASE_URL is set, else PGlite. */
export function openFromEnv(): Promise<DatabaseHandle> {
  return env.DATABASE_URL
    ? openDatabase({ url: env.DATABASE_URL, poolMax: env.DB_POOL_MAX })
    : openDatabase({ dataDir: env.DATA_DIR })
}
