import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { articles, moderationActions } from '#db/schema.ts'
import { assertRole, assertStaff } from './admin.server.ts'
import { createComment } from './comments.server.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import { moderateComments } from './moderation.server.ts'
import { checkRateLimit, clearRateLimit, consumeRateLimit } from './rate-limits.server.ts'
import { getSettings, listSettings, putSetting, updateSettings } from './settings.server.ts'
import { voteOnComment } from './votes.server.ts'

// Refusals and boundaries of the smaller rule-bearing models: who may act, rate limits, settings and
// votes (found by mutation testing: each assertion fails when the rule it names is changed).

async function codeOf(promise: Promise<unknown> | (() => unknown)) {
  const error =
    typeof promise === 'function'
      ? (() => {
          try {
            promise()
            return null
          } catch (e) {
            return e
          }
        })()
      : await promise.then(
          () => null,
          (e: unknown) => e,
        )
  return isDomainError(error) ? error.code : error
}

beforeEach(truncateAll)

describe('who may act', () => {
  it('nobody logged in is unauthenticated; a role not listed is forbidden; staff are moderators and admins', async () => {
    expect(await codeOf(() => assertRole(null, ['admin']))).toBe('unauthenticated')
    expect(await codeOf(() => assertRole(undefined, ['admin'], 'change roles'))).toBe('unauthenticated')
    expect(await codeOf(() => assertRole({ role: 'moderator' }, ['admin']))).toBe('forbidden')
    expect(await codeOf(() => assertRole({ role: 'admin' }, ['admin']))).toBeNull()
    for (const role of ['member', 'author'] as const) expect(await codeOf(() => assertStaff({ role }))).toBe('forbidden')
    for (const role of ['moderator', 'admin'] as const) expect(await codeOf(() => assertStaff({ role }))).toBeNull()
    const error = (() => {
      try {
        assertRole({ role: 'member' }, ['admin'], 'change roles')
      } catch (e) {
        return e as Error
      }
    })()
    expect(error?.message).toBe('Your role does not allow you to change roles.')
  })
})

describe('rate limits', () => {
  const limit = { key: 'rules:check', limit: 2, windowSeconds: 600, action: 'attempts' }

  it('checking refuses once the count reaches the limit, without counting; a spent window no longer counts', async () => {
    await checkRateLimit(limit)
    await consumeRateLimit(limit)
    await checkRateLimit(limit)
    await consumeRateLimit(limit)
    const error = await checkRateLimit(limit).catch((e: unknown) => e)
    expect(isDomainError(error, 'rate-limited')).toBe(true)
    expect((error as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBeGreaterThan(590)
    expect((error as Error).message).toBe('Too many attempts. Please try again in 10 minutes.')
    await db.execute(sql`update rate_limits set reset_at = now() - interval '1 second'`)
    await checkRateLimit(limit)
    await clearRateLimit(limit.key)
    await consumeRateLimit(limit)
    await consumeRateLimit(limit)
    expect(await codeOf(consumeRateLimit(limit))).toBe('rate-limited')
    await clearRateLimit(limit.key)
    await consumeRateLimit(limit)
  })
})

describe('settings', () => {
  it('only an admin lists or changes them', async () => {
    const moderator = await createTestUser({ role: 'moderator' })
    const admin = await createTestUser({ role: 'admin' })
    expect(await codeOf(listSettings({ actor: moderator }))).toBe('forbidden')
    expect(await codeOf(updateSettings({ actor: moderator, values: { reportThreshold: 4 } }))).toBe('forbidden')
    const listed = await listSettings({ actor: admin })
    expect(listed.find((s) => s.key === 'reportThreshold')).toMatchObject({ value: 3, default: 3 })
    await updateSettings({ actor: admin, values: { reportThreshold: 4, maxLinks: 0 } })
    expect(await getSettings(['reportThreshold', 'maxLinks'], { fresh: true })).toEqual({ reportThreshold: 4, maxLinks: 0 })
    const [log] = await db.select().from(moderationActions).where(eq(moderationActions.action, 'settings'))
    expect(log).toMatchObject({ actorId: admin.id, details: { keys: ['reportThreshold', 'maxLinks'] } })
  })

  it('a value its schema refuses, or an unknown setting, saves nothing and names the setting', async () => {
    const admin = await createTestUser({ role: 'admin' })
    const refused = await updateSettings({ actor: admin, values: { reportThreshold: 5, maxLinks: 1001 } }).catch((e: unknown) => e)
    expect(isDomainError(refused, 'invalid-input')).toBe(true)
    expect((refused as { details: { field?: string } }).details.field).toBe('maxLinks')
    expect((refused as Error).message).toMatch(/^Links a comment may hold before it waits for a moderator: the most is 1,000$/)
    expect(await codeOf(updateSettings({ actor: admin, values: { nope: 1 } as never }))).toBe('invalid-input')
    expect(await getSettings(['reportThreshold'], { fresh: true })).toEqual({ reportThreshold: 3 })
    expect(await db.select().from(moderationActions)).toHaveLength(0)
  })
})

describe('votes', () => {
  it('a comment that is missing or not published takes no vote; taking a vote back that was never given changes nothing', async () => {
    await putSetting('newAccountHours', 0)
    await putSetting('holdFirstComment', false)
    const [writer, voter, moderator] = [await createTestUser(), await createTestUser(), await createTestUser({ role: 'moderator' })]
    const slug = 'vote-story'
    await db
      .insert(articles)
      .values({ slug, title: 'T', standfirst: 'S', body: 'B', bodyHtml: '<p>B</p>', status: 'published', publishedAt: new Date(Date.now() - 60_000) })
    const c = await createComment({ articleSlug: slug, actorId: writer.id, body: 'Vote on me' })
    expect(await codeOf(voteOnComment({ commentId: c.id + 1000, actorId: voter.id, up: true }))).toBe('not-found')
    expect(await voteOnComment({ commentId: c.id, actorId: voter.id, up: false })).toEqual({ score: 0, voted: false })
    expect(await voteOnComment({ commentId: c.id, actorId: voter.id, up: true })).toEqual({ score: 1, voted: true })
    await moderateComments({ actor: moderator, commentIds: [c.id], action: 'hide', reason: '' })
    expect(await codeOf(voteOnComment({ commentId: c.id, actorId: voter.id, up: false }))).toBe('comment-unavailable')
  })
})
