import { sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { db } from '#app/db.server.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import { consumeRateLimit, consumeRateLimits, hitRateLimit, hitRateLimits } from './rate-limits.server.ts'

beforeEach(truncateAll)

const limit = { key: 'test:window', limit: 3, windowSeconds: 600, action: 'test attempts' }

describe('rate limits', () => {
  it('counts within a window and refuses past the limit with the time to wait', async () => {
    for (let i = 0; i < 3; i++) await consumeRateLimit(limit)
    const error = await consumeRateLimit(limit).catch((e: unknown) => e)
    expect(isDomainError(error, 'rate-limited')).toBe(true)
    expect((error as Error).message).toBe('Too many test attempts. Please try again in 10 minutes.')
    expect((error as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBeGreaterThan(590)
  })

  it('starts a new window once the old one has ended', async () => {
    for (let i = 0; i < 4; i++) await hitRateLimit(limit)
    await db.execute(sql`update rate_limits set reset_at = now() - interval '1 second'`)
    expect((await hitRateLimit(limit)).count).toBe(1)
  })

  it('counts several limits in one statement, each with its own window, and refuses on the one spent', async () => {
    const minute = { key: 'test:minute', limit: 2, windowSeconds: 60, action: 'attempts in a minute' }
    const day = { key: 'test:day', limit: 5, windowSeconds: 86_400, action: 'attempts today' }
    const first = await hitRateLimits([day, minute])
    expect(first.map((r) => r.count)).toEqual([1, 1])
    expect(first[0]!.retryAfterSeconds).toBeGreaterThan(86_000)
    expect(first[1]!.retryAfterSeconds).toBeLessThanOrEqual(60)
    // The minute's window ends; the day's does not. The minute starts again with its own length.
    await db.execute(sql`update rate_limits set reset_at = now() - interval '1 second' where key = 'test:minute'`)
    const second = await hitRateLimits([minute, day])
    expect(second.map((r) => r.count)).toEqual([1, 2])
    expect(second[0]!.retryAfterSeconds).toBeLessThanOrEqual(60)
    await consumeRateLimits([minute, day])
    const error = await consumeRateLimits([minute, day]).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/^Too many attempts in a minute\./)
  })

  it('counts correctly under concurrent attempts', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit({ key: 'test:race', windowSeconds: 60 })))
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })
})
