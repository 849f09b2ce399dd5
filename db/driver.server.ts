import { AsyncLocalStorage } from 'node:async_hooks'
import type { PGlite, Transaction } from '@electric-sql/pglite'
import type { Sql } from 'postgres'

// The seam between Drizzle and the two drivers. Drizzle is handed these wrappers instead of the
// drivers themselves, so every statement it sends (and every transaction it opens) passes through
// code this project owns, using only the drivers' public methods: each statement is timed for the
// owner of the handle (the app logs the slow ones), and a failure that means the server is out of
// reach becomes a DatabaseUnavailableError, whatever the driver called it. Drizzle wraps a
// statement's error in its own DrizzleQueryError, with this one as its cause.

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
    if (e instanceof DatabaseUnavailableError) return true
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (connectionFailureCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true
  }
  return false
}

/** A driver's error as the app should see it: an outage as DatabaseUnavailableError, anything else as it is. */
export function classifyDriverError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError || !isConnectionFailure(error)) return error
  return new DatabaseUnavailableError(error instanceof Error ? error.message : String(error), { cause: error })
}

/** What the owner of a database handle learns about each statement Drizzle sends. */
export type StatementObserver = (sql: string, ms: number) => void

function timed<T>(text: string, observe: StatementObserver | undefined, run: PromiseLike<T>): Promise<T> {
  const started = performance.now()
  const done = () => observe?.(text, performance.now() - started)
  return Promise.resolve(run).then(
    (value) => {
      done()
      return value
    },
    (error: unknown) => {
      done()
      throw classifyDriverError(error)
    },
  )
}

function failuresClassified<T>(run: PromiseLike<T>): Promise<T> {
  return Promise.resolve(run).catch((error: unknown) => {
    throw classifyDriverError(error)
  })
}

type Unsafe = (text: string, params?: unknown[], options?: unknown) => PromiseLike<unknown> & { values(): PromiseLike<unknown> }

/**
 * postgres.js as Drizzle's postgres-js driver uses it: `unsafe(text, params).values()` or awaited as
 * it is, `begin` for a transaction and `savepoint` inside one. Everything else (tagged templates,
 * listen, reserve, end) is the client itself.
 */
export function observedPostgres(client: Sql, observe?: StatementObserver): Sql {
  const wrap = (sql: Sql): Sql =>
    new Proxy(sql, {
      get(target, property, receiver) {
        if (property === 'unsafe') {
          // A postgres.js query runs when it is awaited; `.values()` only changes the rows' shape.
          return (text: string, params?: unknown[], options?: unknown) => {
            const query = (target.unsafe as unknown as Unsafe)(text, params, options)
            return {
              values: () => timed(text, observe, query.values()),
              then: <A, B>(onFulfilled?: (value: unknown) => A, onRejected?: (reason: unknown) => B) =>
                timed(text, observe, query).then(onFulfilled, onRejected),
            }
          }
        }
        if (property === 'begin' || property === 'savepoint') {
          // BEGIN, COMMIT and a connection lost between statements fail here, outside any statement.
          return (...args: unknown[]) => {
            const callback = args.pop() as (tx: Sql) => unknown
            const open = Reflect.get(target, property, target) as (...a: unknown[]) => PromiseLike<unknown>
            return failuresClassified(open.call(target, ...args, (tx: Sql) => callback(wrap(tx))))
          }
        }
        return Reflect.get(target, property, receiver) as unknown
      },
    })
  return wrap(client)
}

/** Thrown where a statement outside a transaction was sent from inside it (see `observedPglite`). */
export class StatementOutsideTransactionError extends Error {
  override name = 'StatementOutsideTransactionError'
}

type Queries = Pick<PGlite, 'query' | 'exec' | 'sql'>

/**
 * PGlite as Drizzle's pglite driver uses it: `query` and `exec`, and `transaction` whose handle has
 * the same two. Statements are timed as on the server.
 *
 * It also guards against a hang only PGlite has. PGlite runs one transaction at a time, and a
 * statement sent outside it waits for it to end. So a statement sent on the database handle (not the
 * transaction's) from inside a transaction waits for its own transaction: that request never answers,
 * and every later statement of every request waits behind it, for good. On the server the same code
 * only takes a second connection and sees another snapshot, so it passes every test there. Such a
 * statement is refused at once, with a stack that names it, instead of hanging the site. (Work a
 * transaction starts but does not wait for may query the handle once the transaction has ended, not
 * while it is still open.)
 */
export function observedPglite(client: PGlite, observe?: StatementObserver): PGlite {
  const inside = new AsyncLocalStorage<{ open: boolean }>()
  const refuse = () => {
    if (inside.getStore()?.open) {
      throw new StatementOutsideTransactionError(
        'a statement was sent on the database handle from inside a transaction: on PGlite it would wait for that transaction for ever (use the transaction’s handle)',
      )
    }
  }
  const statements = <T extends Queries>(target: T, property: string | symbol, guard: boolean) => {
    if (property !== 'query' && property !== 'exec' && property !== 'sql') return undefined
    const method = Reflect.get(target, property, target) as (...args: unknown[]) => Promise<unknown>
    return (...args: unknown[]) => {
      if (guard) refuse()
      const text = typeof args[0] === 'string' ? args[0] : String(property)
      return timed(text, observe, method.apply(target, args))
    }
  }
  const transactionHandle = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get: (target, property, receiver) => statements(target, property, false) ?? (Reflect.get(target, property, receiver) as unknown),
    })
  return new Proxy(client, {
    get(target, property, receiver) {
      const statement = statements(target, property, true)
      if (statement) return statement
      if (property === 'transaction') {
        return async <T>(callback: (tx: Transaction) => Promise<T>) => {
          refuse()
          const state = { open: true }
          try {
            return await target.transaction((tx) => inside.run(state, () => callback(transactionHandle(tx))))
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
