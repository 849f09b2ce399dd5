import { sql, type SQL } from 'drizzle-orm'
import { database } from '#app/db.server.ts'
import { observeQueries } from '#db/connection.server.ts'

export type RecordedQuery = { text: string; params: unknown[] }

/** Runs `work` and returns the statements it sent to the database. */
export async function recordQueries(work: () => Promise<unknown>): Promise<string[]> {
  return (await recordQueriesWithParams(work)).map((q) => q.text)
}

/** Runs `work` and returns the statements it sent, with their parameters. */
export async function recordQueriesWithParams(work: () => Promise<unknown>): Promise<RecordedQuery[]> {
  const queries: RecordedQuery[] = []
  const stop = observeQueries((text, params) => queries.push({ text, params }))
  try {
    await work()
  } finally {
    stop()
  }
  return queries
}

/** The statement again, with its parameters bound, as a Drizzle SQL value. */
function bind({ text, params }: RecordedQuery): SQL {
  const chunks: SQL[] = []
  let last = 0
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, match.index)), sql`${params[Number(match[1]) - 1]}`)
    last = match.index + match[0].length
  }
  chunks.push(sql.raw(text.slice(last)))
  return sql.join(chunks, sql``)
}

/**
 * The tables a statement would read by sequential scan even if the planner were told to avoid
 * them: on a small test database a scan can be the cheaper plan, so scans are discouraged first and
 * whatever is still scanned has no index that serves the query.
 */
export async function sequentialScans(query: RecordedQuery): Promise<string[]> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`)
    const result = await tx.execute(sql`explain (format json) ${bind(query)}`)
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[]
    const value = Object.values(rows[0] ?? {})[0]
    const plan = JSON.stringify(typeof value === 'string' ? JSON.parse(value) : value)
    return [...plan.matchAll(/"Node Type":"Seq Scan"[^{}]*?"Relation Name":"([a-z_]+)"/g)].map((m) => m[1]!)
  })
}
