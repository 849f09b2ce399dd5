import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, StatementOutsideTransactionError, type DatabaseHandle } from './connection.server.ts'

// PGlite runs one transaction at a time: a statement sent on the handle from inside a transaction
// would wait for that transaction for ever, and the whole site with it. The handle refuses it.
describe('the embedded database refuses a statement sent outside the transaction from inside it', () => {
  let handle: DatabaseHandle
  beforeAll(async () => {
    handle = await openDatabase({ memory: true })
  })
  afterAll(() => handle.close())

  /** The refusal, whether Drizzle passes it on as it is or as the cause of its own error. */
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof Error && !(error instanceof StatementOutsideTransactionError) ? error.cause : error),
    )

  it('throws at once, rolls the transaction back, and the database goes on answering', async () => {
    await handle.rows(sql`create table notes (body text)`)
    const inside = handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into notes values ('kept only if committed')`)
      await handle.db.execute(sql`select 1`)
    })
    await expect(refusal(inside)).resolves.toBeInstanceOf(StatementOutsideTransactionError)
    await expect(refusal(handle.db.transaction(async () => handle.db.transaction(async () => {})))).resolves.toBeInstanceOf(
      StatementOutsideTransactionError,
    )
    expect(await handle.rows(sql`select count(*)::int as n from notes`)).toEqual([{ n: 0 }])
  })

  it('lets other requests wait their turn, and work a transaction started run once it has ended', async () => {
    let later: Promise<unknown> = Promise.resolve()
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const transaction = handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into notes values ('a')`)
      // Work started here that runs once the transaction has ended is no longer inside it.
      later = new Promise((resolve) => setTimeout(resolve, 50)).then(() => handle.rows(sql`select count(*)::int as n from notes`))
      await held
    })
    // Another request, in its own context, waits for the transaction instead of being refused.
    const other = handle.rows(sql`select count(*)::int as n from notes`)
    release()
    await transaction
    expect(await other).toEqual([{ n: 1 }])
    expect(await later).toEqual([{ n: 1 }])
  })
})
