import { sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { db } from '#db/client.server.ts'
import { isDomainError } from './errors.server.ts'
import { consumeRateLimit, hitRateLimit } from './rate-limits.server.ts'

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

  it('counts correctly under concurrent attempts', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit({ key: 'test:race', windowSeconds: 60 })))
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })
})
