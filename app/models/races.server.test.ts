import { and, eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { articles, chipCorrections, chips, comments, commentVotes } from '#db/schema.ts'
import { createComment } from './comments.server.ts'
import { MAX_PENDING_CORRECTIONS, suggestCorrection } from './corrections.server.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import { banMember, setSlowMode } from './moderation.server.ts'
import { putSetting } from './settings.server.ts'
import { verifyLogin } from './users.server.ts'
import { voteOnComment } from './votes.server.ts'

// Check-then-act races: every limit or state check that guards a write must hold when the write is
// sent many times at once. On the PostgreSQL server the attempts really run side by side (the test
// database's pool has five connections); the embedded database runs them one after another, so
// there the tests show the rules, and on the server they show the rules hold under concurrency.

const ATTEMPTS = 30

beforeEach(async () => {
  await truncateAll()
  await putSetting('newAccountHours', 0)
  await putSetting('commentsPerMinute', 10_000)
  await putSetting('commentsPerDay', 10_000)
  await putSetting('holdFirstComment', false)
})

async function story() {
  const [row] = await db
    .insert(articles)
    .values({
      slug: 'a-story',
      title: 'A story',
      standfirst: 'S',
      body: 'B',
      bodyHtml: '<p>B</p>',
      status: 'published',
      publishedAt: new Date(Date.now() - 60_000),
    })
    .returning({ id: articles.id, slug: articles.slug })
  return row!
}

/** Every attempt settled: how many succeeded, and the codes of those refused. */
async function settle(attempts: Promise<unknown>[]) {
  const results = await Promise.allSettled(attempts)
  const refusals = results.flatMap((r) => (r.status === 'rejected' ? [isDomainError(r.reason) ? r.reason.code : String(r.reason)] : []))
  return { succeeded: results.length - refusals.length, refusals }
}

async function publishedBy(authorId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(comments)
    .where(and(eq(comments.authorId, authorId), eq(comments.status, 'published')))
  return row!.n
}

describe('every guarded write, sent 30 times at once', () => {
  it('slow mode lets one comment per member through its window', async () => {
    const article = await story()
    const [ada, moderator] = await Promise.all([createTestUser(), createTestUser({ role: 'moderator' })])
    await setSlowMode({ actor: moderator, articleId: article.id, seconds: 60 })
    const { succeeded, refusals } = await settle(
      Array.from({ length: ATTEMPTS }, (_, i) => createComment({ articleSlug: article.slug, actorId: ada.id, body: `Comment ${i}` })),
    )
    expect(succeeded).toBe(1)
    expect(new Set(refusals)).toEqual(new Set(['rate-limited']))
    expect(await publishedBy(ada.id)).toBe(1)
  })

  it('a ban that has answered is followed by no comment or vote of the banned member', async () => {
    const article = await story()
    const [ada, other, moderator] = await Promise.all([createTestUser(), createTestUser(), createTestUser({ role: 'moderator' })])
    const target = await createComment({ articleSlug: article.slug, actorId: other.id, body: 'Vote on this' })
    const posts = Array.from({ length: ATTEMPTS }, (_, i) =>
      i % 3 === 0
        ? voteOnComment({ commentId: target.id, actorId: ada.id, up: i % 2 === 0 })
        : createComment({ articleSlug: article.slug, actorId: ada.id, body: `Comment ${i}` }),
    )
    const settled = settle(posts)
    // The ban goes out while the posts are under way.
    await new Promise((resolve) => setTimeout(resolve, 5))
    await banMember({ actor: moderator, userId: ada.id, reason: 'Spam' })
    const [atBan, votesAtBan] = await Promise.all([
      publishedBy(ada.id),
      db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(commentVotes)
        .where(eq(commentVotes.userId, ada.id)),
    ])
    const { refusals } = await settled
    expect(refusals.every((code) => code === 'account-unavailable')).toBe(true)
    // Whatever was not in before the ban answered never gets in.
    expect(await publishedBy(ada.id)).toBe(atBan)
    const [votesAfter] = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(commentVotes)
      .where(eq(commentVotes.userId, ada.id))
    expect(votesAfter!.n).toBe(votesAtBan[0]!.n)
    // And after it, nothing is accepted at all.
    await expect(createComment({ articleSlug: article.slug, actorId: ada.id, body: 'Later' })).rejects.toMatchObject({ code: 'account-unavailable' })
  })

  it('a member’s pending suggestions stop at the cap', async () => {
    await db.insert(chips).values({ slug: 'h200', name: 'H200', vendor: 'Nvidia', memoryBandwidthGbs: 4800 })
    const ada = await createTestUser()
    const { succeeded, refusals } = await settle(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        suggestCorrection({
          actorId: ada.id,
          chipSlug: 'h200',
          field: 'memoryBandwidthGbs',
          proposedValue: String(4900 + i),
          sourceUrl: 'https://example.com/sheet',
        }),
      ),
    )
    expect(succeeded).toBe(MAX_PENDING_CORRECTIONS)
    expect(new Set(refusals)).toEqual(new Set(['rate-limited']))
    const stored = await db.select({ id: chipCorrections.id }).from(chipCorrections).where(eq(chipCorrections.suggesterId, ada.id))
    expect(stored).toHaveLength(MAX_PENDING_CORRECTIONS)
  })

  it('the comment allowances hold whatever the number sent at once', async () => {
    const article = await story()
    const ada = await createTestUser()
    await putSetting('commentsPerMinute', 5)
    const { succeeded } = await settle(
      Array.from({ length: ATTEMPTS }, (_, i) => createComment({ articleSlug: article.slug, actorId: ada.id, body: `Comment ${i}` })),
    )
    expect(succeeded).toBe(5)
    expect(await publishedBy(ada.id)).toBe(5)
  })

  it('log-ins for one account check at most the allowance of passwords, whatever the spelling', async () => {
    await putSetting('loginAttemptsPerAccount', 5)
    const ada = await createTestUser()
    const spellings = [ada.email, ada.email.toUpperCase(), ada.username, ada.username.toUpperCase(), ` ${ada.username} `]
    // Every attempt from its own address, so only the account's allowance can stop them.
    const { refusals } = await settle(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        verifyLogin({ login: spellings[i % spellings.length]!, password: `wrong password ${i}`, ip: `198.51.100.${i + 1}` }),
      ),
    )
    const checked = refusals.filter((code) => code === 'invalid-credentials').length
    expect(checked).toBe(5)
    expect(refusals.filter((code) => code === 'rate-limited')).toHaveLength(ATTEMPTS - 5)
    // The right password waits too, until the window ends.
    await expect(verifyLogin({ login: ada.username, password: ada.password, ip: '198.51.100.200' })).rejects.toMatchObject({ code: 'rate-limited' })
  })

  it('log-ins for an unknown name are limited the same way', async () => {
    await putSetting('loginAttemptsPerAccount', 5)
    const { refusals } = await settle(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        verifyLogin({ login: i % 2 ? 'Nobody@Example.com' : 'nobody@example.com ', password: `wrong password ${i}`, ip: `198.51.100.${i + 1}` }),
      ),
    )
    expect(refusals.filter((code) => code === 'invalid-credentials')).toHaveLength(5)
  })
})
