import { eq, sql } from 'drizzle-orm'
import { db, type Database } from '#app/db.server.ts'
import { rateLimits } from '#db/schema.ts'
import { DomainError, retryAfterText } from '#app/lib/domain-errors.ts'

// Fixed windows counted in Postgres, so every app instance sees the same count. One statement per
// check: the upsert starts a new window when the old one has ended.

export type RateLimit = { key: string; limit: number; windowSeconds: number; action: string }

// Inside a transaction, pass it: the count then commits or rolls back with the work it limits.
type Executor = Pick<Database, 'insert'>

/** Counts one attempt against a limit: the window's count so far, and when it ends. */
export async function hitRateLimit(limit: Pick<RateLimit, 'key' | 'windowSeconds'>, executor: Executor = db) {
  const [row] = await hitRateLimits([limit], executor)
  return row!
}

/**
 * Counts one attempt against each limit, in one statement; the answers come in the same order.
 * The keys must differ (a statement cannot update one row twice).
 */
export async function hitRateLimits(limits: readonly Pick<RateLimit, 'key' | 'windowSeconds'>[], executor: Executor = db) {
  const rows = await executor
    .insert(rateLimits)
    .values(limits.map(({ key, windowSeconds }) => ({ key, count: 1, resetAt: sql`now() + make_interval(secs => ${windowSeconds})` })))
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        // A window that has ended starts again, with the length this attempt asked for.
        count: sql`case when ${rateLimits.resetAt} <= now() then 1 else ${rateLimits.count} + 1 end`,
        resetAt: sql`case when ${rateLimits.resetAt} <= now() then excluded.reset_at else ${rateLimits.resetAt} end`,
      },
    })
    .returning({
      key: rateLimits.key,
      count: rateLimits.count,
      retryAfterSeconds: sql<number>`greatest(0, extract(epoch from ${rateLimits.resetAt} - now()))`.mapWith(Number),
    })
  const byKey = new Map(rows.map((row) => [row.key, row]))
  return limits.map(({ key }) => byKey.get(key)!)
}

/** Counts one attempt; throws `rate-limited` once the window's allowance is spent. */
export async function consumeRateLimit(limit: RateLimit, executor: Executor = db) {
  await consumeRateLimits([limit], executor)
}

/** Counts one attempt against each limit, in one statement; throws for the first that is spent. */
export async function consumeRateLimits(limits: readonly RateLimit[], executor: Executor = db) {
  const counted = await hitRateLimits(limits, executor)
  for (const [i, limit] of limits.entries()) {
    const { count, retryAfterSeconds } = counted[i]!
    if (count > limit.limit) {
      throw new DomainError('rate-limited', `Too many ${limit.action}. Please try again ${retryAfterText(retryAfterSeconds)}.`, {
        retryAfterSeconds: Math.ceil(retryAfterSeconds),
      })
    }
  }
}

/** Whether a limit is already spent, without counting an attempt. */
export async function checkRateLimit(limit: RateLimit) {
  const [row] = await db
    .select({
      count: rateLimits.count,
      retryAfterSeconds: sql<number>`greatest(0, extract(epoch from ${rateLimits.resetAt} - now()))`.mapWith(Number),
    })
    .from(rateLimits)
    .where(sql`${rateLimits.key} = ${limit.key} and ${rateLimits.resetAt} > now()`)
  if (row && row.count >= limit.limit) {
    throw new DomainError('rate-limited', `Too many ${limit.action}. Please try again ${retryAfterText(row.retryAfterSeconds)}.`, {
      retryAfterSeconds: Math.ceil(row.retryAfterSeconds),
    })
  }
}

export async function clearRateLimit(key: string) {
  await db.delete(rateLimits).where(eq(rateLimits.key, key))
}
