import { sql } from 'drizzle-orm'
import { DrizzleQueryError } from 'drizzle-orm/errors'
import { drizzle } from 'drizzle-orm/postgres-js'
import type { Sql } from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle, type OpenOptions } from './connection.server.ts'
import { DatabaseUnavailableError, observedPostgres } from './driver.server.ts'

// The wrapper Drizzle is handed instead of the driver (db/driver.server.ts): every statement is seen
// by the handle's owner, with its time, and a lost connection becomes a DatabaseUnavailableError,
// on both drivers, without touching Drizzle's internals.

const serverUrl = process.env.DATABASE_URL

const targets: [string, () => OpenOptions][] = [['PGlite', () => ({ memory: true })]]
if (serverUrl) targets.push(['the PostgreSQL server', () => ({ url: serverUrl, poolMax: 2 })])

describe.each(targets)('statements on %s', (_name, options) => {
  const seen: { sql: string; ms: number }[] = []
  let handle: DatabaseHandle
  afterAll(() => handle?.close())

  it('are each reported once, with their SQL and a time, inside transactions too', async () => {
    handle = await openDatabase({ ...options(), onStatement: (text, ms) => seen.push({ sql: text, ms }) })
    seen.length = 0
    await handle.db.execute(sql`select 41 + ${1} as answer`)
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`select 'inside' as place`)
      await tx.transaction(async (nested) => nested.execute(sql`select 'nested' as place`))
    })
    const texts = seen.map((s) => s.sql)
    expect(texts).toContain('select 41 + $1 as answer')
    expect(texts).toContain(`select 'inside' as place`)
    expect(texts).toContain(`select 'nested' as place`)
    expect(texts.filter((t) => t === 'select 41 + $1 as answer')).toHaveLength(1)
    for (const { ms } of seen) expect(ms).toBeGreaterThanOrEqual(0)
  })

  it('keep their own errors: a failing statement is not an outage', async () => {
    const failure = await handle.db.execute(sql`select * from no_such_table`).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(DrizzleQueryError)
    expect((failure as Error).cause).not.toBeInstanceOf(DatabaseUnavailableError)
  })
})

/** A stand-in for postgres.js whose every query, and BEGIN, fails as a refused connection does. */
function unreachableServer(code: string): Sql {
  const refused = () => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code })
  const query = { values: () => Promise.reject(refused()), then: (ok: never, fail: (e: unknown) => unknown) => Promise.reject(refused()).then(ok, fail) }
  return Object.assign(() => query, {
    unsafe: () => query,
    begin: () => Promise.reject(refused()),
    options: { parsers: {}, serializers: {} },
  }) as unknown as Sql
}

describe('a server out of reach', () => {
  it('makes a statement fail with a DatabaseUnavailableError (as the cause of Drizzle’s error), still timed', async () => {
    const seen: string[] = []
    const db = drizzle(observedPostgres(unreachableServer('ECONNREFUSED'), (text) => seen.push(text)))
    const failure = await db.execute(sql`select 1`).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(DrizzleQueryError)
    expect((failure as Error).cause).toBeInstanceOf(DatabaseUnavailableError)
    expect(seen).toEqual(['select 1'])
  })

  it('makes a transaction that cannot begin fail with a DatabaseUnavailableError itself', async () => {
    const db = drizzle(observedPostgres(unreachableServer('CONNECTION_CLOSED')))
    await expect(db.transaction(async () => {})).rejects.toBeInstanceOf(DatabaseUnavailableError)
  })
})
