import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { createPublishedArticle as createArticle, expectCode } from '#app/test/domain.ts'
import { recordQueries } from '#app/test/queries.ts'
import { createTestUser, TEST_PASSWORD } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { articles, comments, moderationActions, reports, sessions, users } from '#db/schema.ts'
import { getPublishedArticle } from './articles.server.ts'
import { createComment, deleteComment, getCommentPage, getDiscussion } from './comments.server.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import { getModerationFeed } from './feeds.server.ts'
import {
  banMember,
  changeRole,
  getModerationQueue,
  liftRestrictions,
  listModerationLog,
  listPublicModerationLog,
  moderateComments,
  purgeMemberComments,
  reportComment,
  searchMembers,
  setCommentPinned,
  setDiscussionLocked,
  setSlowMode,
  suspendMember,
} from './moderation.server.ts'
import { listSettings, putSetting, updateSettings } from './settings.server.ts'
import { verifyLogin } from './users.server.ts'
import { voteOnComment } from './votes.server.ts'

async function status(commentId: number) {
  const [row] = await db
    .select({ status: comments.status, reason: comments.moderationReason, pinned: comments.pinned })
    .from(comments)
    .where(eq(comments.id, commentId))
  return row!
}

async function count(articleId: number) {
  const [row] = await db.select({ n: articles.commentCount }).from(articles).where(eq(articles.id, articleId))
  return row!.n
}

async function actionsLogged() {
  return db.select().from(moderationActions).orderBy(moderationActions.id)
}

let moderator: Awaited<ReturnType<typeof createTestUser>>
let admin: Awaited<ReturnType<typeof createTestUser>>

beforeEach(async () => {
  await truncateAll()
  await putSetting('newAccountHours', 0)
  await putSetting('holdFirstComment', false)
  await putSetting('commentsPerMinute', 1000)
  moderator = await createTestUser({ role: 'moderator' })
  admin = await createTestUser({ role: 'admin' })
})

describe('reports', () => {
  it('takes one report per member, refuses one’s own comment, and hides at the threshold', async () => {
    await putSetting('reportThreshold', 2)
    // Accounts made here are seconds old: this test is about the threshold, not their age.
    await putSetting('reportMinAccountHours', 0)
    const article = await createArticle()
    const [writer, r1, r2] = [await createTestUser(), await createTestUser(), await createTestUser()]
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Provocative' })
    await expectCode(reportComment({ actorId: writer.id, commentId: c.id, reason: 'spam', note: '' }), 'forbidden')

    expect(await reportComment({ actorId: r1.id, commentId: c.id, reason: 'spam', note: '' })).toMatchObject({ received: true, hidden: false })
    expect(await reportComment({ actorId: r1.id, commentId: c.id, reason: 'harassment', note: 'again' })).toMatchObject({ alreadyReported: true })
    expect((await status(c.id)).status).toBe('published')
    expect(await reportComment({ actorId: r2.id, commentId: c.id, reason: 'off_topic', note: '' })).toMatchObject({ hidden: true })
    expect((await status(c.id)).status).toBe('hidden')
    expect(await count(article.id)).toBe(0)
    const [log] = await actionsLogged()
    expect(log).toMatchObject({ action: 'hide', actorId: null, commentId: c.id, reason: 'Hidden automatically after 2 reports, pending review' })

    const queue = await getModerationQueue({ actor: moderator })
    expect(queue).toHaveLength(1)
    expect(queue[0]!.reports.map((r) => r.reason).sort()).toEqual(['off_topic', 'spam'])
  })
})

describe('moderating comments', () => {
  it('removes with a reason readers see, restores, approves, and logs each step', async () => {
    const article = await createArticle()
    const writer = await createTestUser()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Off the rails' })
    const member = await createTestUser()
    await expectCode(moderateComments({ actor: member, commentIds: [c.id], action: 'remove', reason: 'x' }), 'forbidden')
    await expectCode(moderateComments({ actor: moderator, commentIds: [c.id], action: 'remove', reason: ' ' }), 'invalid-input')

    await moderateComments({ actor: moderator, commentIds: [c.id], action: 'remove', reason: 'Personal attack' })
    expect(await status(c.id)).toMatchObject({ status: 'removed', reason: 'Personal attack' })
    expect(await count(article.id)).toBe(0)
    const { tree } = await getDiscussion({ article, viewer: null, sort: 'top', page: 1 })
    expect(tree[0]).toMatchObject({ status: 'removed', bodyHtml: null, moderationReason: 'Personal attack' })

    await moderateComments({ actor: moderator, commentIds: [c.id], action: 'restore', reason: '' })
    expect((await status(c.id)).status).toBe('published')
    expect(await count(article.id)).toBe(1)
    expect((await actionsLogged()).map((a) => [a.action, a.actorId])).toEqual([
      ['remove', moderator.id],
      ['restore', moderator.id],
    ])
  })

  it('acts on a selection at once and skips what is already in that state', async () => {
    const article = await createArticle()
    const writer = await createTestUser()
    const ids = []
    for (let i = 0; i < 4; i++) ids.push((await createComment({ articleSlug: article.slug, actorId: writer.id, body: `spam ${i}` })).id)
    await moderateComments({ actor: moderator, commentIds: [ids[0]!], action: 'hide', reason: '' })
    const result = await moderateComments({ actor: moderator, commentIds: ids, action: 'hide', reason: 'Spam wave' })
    expect(result).toEqual({ changed: 3, skipped: 1 })
    expect(await count(article.id)).toBe(0)
  })

  it('pins a top-level comment, locks a discussion and sets slow mode, all logged', async () => {
    const article = await createArticle()
    const writer = await createTestUser()
    const top = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Best answer' })
    const reply = await createComment({ articleSlug: article.slug, parentId: top.id, actorId: writer.id, body: 'reply' })
    await setCommentPinned({ actor: moderator, commentId: top.id, pinned: true })
    await expectCode(setCommentPinned({ actor: moderator, commentId: reply.id, pinned: true }), 'invalid-input')
    await expectCode(setCommentPinned({ actor: moderator, commentId: 99_999, pinned: true }), 'not-found')
    expect((await status(top.id)).pinned).toBe(true)

    await setSlowMode({ actor: moderator, articleId: article.id, seconds: 120 })
    const talker = await createTestUser()
    await createComment({ articleSlug: article.slug, actorId: talker.id, body: 'one' })
    const slow = await expectCode(createComment({ articleSlug: article.slug, actorId: talker.id, body: 'two' }), 'rate-limited')
    expect(slow.message).toMatch(/slow mode: you can comment again in \d+ seconds/)

    await setDiscussionLocked({ actor: moderator, articleId: article.id, locked: true, reason: 'Heated' })
    await expectCode(createComment({ articleSlug: article.slug, actorId: writer.id, body: 'x' }), 'discussion-locked')
    expect((await actionsLogged()).map((a) => a.action)).toEqual(['pin', 'slow_mode', 'lock'])
  })
})

describe('auto-moderation in the write path', () => {
  it('holds a watched word with the rule and word recorded, and rejects a rejected one with its reason', async () => {
    await putSetting('watchedWords', [
      { word: 'miracle', action: 'hold' },
      { word: 'scamcoin', action: 'reject' },
    ])
    const article = await createArticle()
    const writer = await createTestUser()
    const held = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'A miracle chip!' })
    expect(held).toMatchObject({ status: 'pending' })
    const [row] = await db.select().from(comments).where(eq(comments.id, held.id))
    expect(row).toMatchObject({ status: 'pending', heldRule: 'watched-word', heldDetail: 'miracle' })
    expect(await count(article.id)).toBe(0)
    const rejected = await expectCode(createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Buy SCAMCOIN now' }), 'invalid-input')
    expect(rejected.message).toContain('“scamcoin”')

    const [queued] = await getModerationQueue({ actor: moderator })
    expect(queued).toMatchObject({ id: held.id, heldRule: 'watched-word', heldDetail: 'miracle' })
    await moderateComments({ actor: moderator, commentIds: [held.id], action: 'approve', reason: '' })
    expect(await count(article.id)).toBe(1)
  })

  it('holds a member’s comments until one is approved (first-comment rule)', async () => {
    await putSetting('holdFirstComment', true)
    const article = await createArticle()
    const newcomer = await createTestUser()
    const first = await createComment({ articleSlug: article.slug, actorId: newcomer.id, body: 'Hello' })
    const second = await createComment({ articleSlug: article.slug, actorId: newcomer.id, body: 'Anyone?' })
    expect([first.status, second.status]).toEqual(['pending', 'pending'])
    const other = await createTestUser()
    expect((await getDiscussion({ article, viewer: { id: other.id }, sort: 'top', page: 1 })).tree).toHaveLength(0)
    expect((await getDiscussion({ article, viewer: { id: newcomer.id }, sort: 'top', page: 1 })).tree).toHaveLength(2)
    await moderateComments({ actor: moderator, commentIds: [first.id], action: 'approve', reason: '' })
    expect((await createComment({ articleSlug: article.slug, actorId: newcomer.id, body: 'Thanks' })).status).toBe('published')
  })
})

describe('members', () => {
  it('bans: sessions end, and posting, voting, reporting and logging in are refused with the reason', async () => {
    const article = await createArticle()
    const spammer = await createTestUser()
    const victim = await createTestUser()
    const c = await createComment({ articleSlug: article.slug, actorId: victim.id, body: 'Fine comment' })
    await db.insert(sessions).values({ id: 'spammer-session', userId: spammer.id, expiresAt: new Date(Date.now() + 86_400_000) })
    await banMember({ actor: moderator, userId: spammer.id, reason: 'Repeated spam' })

    expect(await db.select().from(sessions).where(eq(sessions.userId, spammer.id))).toHaveLength(0)
    const post = await expectCode(createComment({ articleSlug: article.slug, actorId: spammer.id, body: 'x' }), 'account-unavailable')
    expect(post.message).toBe('This account is banned: Repeated spam')
    await expectCode(voteOnComment({ commentId: c.id, actorId: spammer.id, up: true }), 'account-unavailable')
    await expectCode(reportComment({ actorId: spammer.id, commentId: c.id, reason: 'spam', note: '' }), 'account-unavailable')
    const login = await expectCode(verifyLogin({ login: spammer.email, password: TEST_PASSWORD, ip: '192.0.2.8' }), 'account-unavailable')
    expect(login.message).toContain('Repeated spam')
    // A wrong password learns nothing about the ban.
    await expectCode(verifyLogin({ login: spammer.email, password: 'not the password', ip: '192.0.2.8' }), 'invalid-credentials')

    await liftRestrictions({ actor: moderator, userId: spammer.id, reason: 'Appeal accepted' })
    await verifyLogin({ login: spammer.email, password: TEST_PASSWORD, ip: '192.0.2.8' })
  })

  it('suspends until a date, with the reason shown to the member', async () => {
    const article = await createArticle()
    const member = await createTestUser()
    await expectCode(suspendMember({ actor: moderator, userId: member.id, until: new Date(Date.now() - 1000), reason: '' }), 'invalid-input')
    await suspendMember({ actor: moderator, userId: member.id, until: new Date('2099-01-01T00:00:00Z'), reason: 'Cool off' })
    const error = await expectCode(createComment({ articleSlug: article.slug, actorId: member.id, body: 'x' }), 'account-unavailable')
    expect(error.message).toBe('Your account is suspended until 2099-01-01 00:00 UTC.')
  })

  it('removes all of a spammer’s comments in one action and keeps every count exact', async () => {
    const [a1, a2] = [await createArticle(), await createArticle()]
    const spammer = await createTestUser()
    const keeper = await createTestUser()
    await createComment({ articleSlug: a1.slug, actorId: spammer.id, body: 'buy' })
    await createComment({ articleSlug: a2.slug, actorId: spammer.id, body: 'buy' })
    await createComment({ articleSlug: a2.slug, actorId: keeper.id, body: 'real' })
    expect(await purgeMemberComments({ actor: moderator, userId: spammer.id, reason: 'Spam' })).toEqual({ removed: 2 })
    expect([await count(a1.id), await count(a2.id)]).toEqual([0, 1])
  })

  it('finds members by name, username or email, with their comment counts', async () => {
    const article = await createArticle()
    const target = await createTestUser()
    await createComment({ articleSlug: article.slug, actorId: target.id, body: 'hello' })
    for (const q of [target.username, target.username.toUpperCase(), target.email.split('@')[0]!]) {
      const found = await searchMembers({ actor: moderator, query: q })
      expect(found.map((m) => [m.id, m.comments])).toEqual([[target.id, 1]])
    }
    expect(await searchMembers({ actor: moderator, query: '%' })).toEqual([])
    expect((await searchMembers({ actor: moderator, query: '' })).length).toBeGreaterThanOrEqual(3)
    await expectCode(searchMembers({ actor: target, query: '' }), 'forbidden')
  })

  it('lets only admins change roles or restrict staff, and nobody act on themselves', async () => {
    const member = await createTestUser()
    await expectCode(changeRole({ actor: moderator, userId: member.id, role: 'author' }), 'forbidden')
    await changeRole({ actor: admin, userId: member.id, role: 'author' })
    await expectCode(banMember({ actor: moderator, userId: admin.id, reason: 'coup' }), 'forbidden')
    await expectCode(banMember({ actor: moderator, userId: moderator.id, reason: 'oops' }), 'forbidden')
    const other = await createTestUser({ role: 'moderator' })
    await banMember({ actor: admin, userId: other.id, reason: 'Abuse of tools' })
  })
})

describe('the logs and settings', () => {
  it('shows staff everything and the public what was done and why, without private details', async () => {
    const article = await createArticle()
    const writer = await createTestUser()
    const reporter = await createTestUser()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'secret words' })
    await reportComment({ actorId: reporter.id, commentId: c.id, reason: 'other', note: 'private note from a reporter' })
    await moderateComments({ actor: moderator, commentIds: [c.id], action: 'remove', reason: 'Doxxing' })
    await updateSettings({ actor: admin, values: { maxLinks: 5 } })

    const staffLog = await listModerationLog({ actor: moderator, page: 1 })
    expect(staffLog.entries.map((e) => e.action)).toEqual(['settings', 'remove'])
    expect(staffLog.entries[1]!.moderatorName).toBe(moderator.displayName)
    expect((await listModerationLog({ actor: moderator, page: 1, action: 'remove' })).entries).toHaveLength(1)
    expect((await listModerationLog({ actor: moderator, page: 1, moderator: moderator.username })).entries).toHaveLength(1)

    const publicLog = await listPublicModerationLog({ page: 1 })
    expect(publicLog.entries.map((e) => e.action)).toEqual(['remove'])
    const text = JSON.stringify(publicLog)
    expect(text).toContain('Doxxing')
    expect(text).not.toContain('private note')
    expect(text).not.toContain('secret words')
    expect(text).not.toContain(moderator.displayName)
    expect(text).not.toContain('@example.com')
  })

  it('lets only admins read and change settings, each checked by its schema', async () => {
    await expectCode(listSettings({ actor: moderator }), 'forbidden')
    await expectCode(updateSettings({ actor: moderator, values: { maxLinks: 1 } }), 'forbidden')
    const bad = await expectCode(updateSettings({ actor: admin, values: { reportThreshold: -3 } }), 'invalid-input')
    expect(bad.message).toContain('Reports that hide a comment')
    await expectCode(updateSettings({ actor: admin, values: { watchedWords: [{ word: 'x', action: 'delete' }] } }), 'invalid-input')
    await updateSettings({ actor: admin, values: { watchedWords: [{ word: 'x', action: 'reject' }], holdFirstComment: false } })
    const listed = await listSettings({ actor: admin })
    expect(listed.find((s) => s.key === 'watchedWords')?.value).toEqual([{ word: 'x', action: 'reject' }])
    expect(listed.find((s) => s.key === 'reportThreshold')).toMatchObject({ value: 3, default: 3 })
  })
})

describe('the queue', () => {
  it('gives each item its context in a fixed number of queries', async () => {
    await putSetting('reportThreshold', 100)
    const article = await createArticle()
    const writer = await createTestUser()
    const reporter = await createTestUser()
    const parent = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Parent words' })
    for (let i = 0; i < 5; i++) {
      const c = await createComment({ articleSlug: article.slug, parentId: parent.id, actorId: writer.id, body: `reply ${i}` })
      await reportComment({ actorId: reporter.id, commentId: c.id, reason: 'spam', note: '' })
    }
    let queue: Awaited<ReturnType<typeof getModerationQueue>> = []
    const queries = await recordQueries(async () => {
      queue = await getModerationQueue({ actor: moderator })
    })
    // The settings (read from the database each time here: tests do not listen for its changes),
    // the queue, and together its reports, the parents and the authors' recent comments.
    expect(queries).toHaveLength(5)
    expect(queue).toHaveLength(5)
    expect(queue[0]!.parent?.bodyHtml).toBe('<p>Parent words</p>')
    expect(queue[0]!.history.length).toBeGreaterThan(0)
    expect(queue[0]!.authorSince).toBeInstanceOf(Date)
  })
})

/** Makes an account `hours` old, as if it had signed up then. */
async function ageAccount(userId: string, hours: number) {
  await db
    .update(users)
    .set({ createdAt: sql`now() - make_interval(hours => ${hours})` })
    .where(eq(users.id, userId))
}

describe('reports from new accounts and many reports at once', () => {
  it('counts toward hiding only reports from accounts old enough when they reported, and the newsroom’s', async () => {
    await putSetting('reportThreshold', 3)
    await putSetting('reportMinAccountHours', 24)
    const article = await createArticle()
    const writer = await createTestUser()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'An unpopular opinion' })
    // Three accounts made seconds earlier, one report each: recorded, but the comment stays up.
    for (let i = 0; i < 3; i++) {
      const fresh = await createTestUser()
      expect(await reportComment({ actorId: fresh.id, commentId: c.id, reason: 'spam', note: '' })).toMatchObject({ received: true, hidden: false })
    }
    expect((await status(c.id)).status).toBe('published')
    // One just short of the age does not count either.
    const almost = await createTestUser()
    await ageAccount(almost.id, 23)
    expect(await reportComment({ actorId: almost.id, commentId: c.id, reason: 'spam', note: '' })).toMatchObject({ hidden: false })
    // Two old enough members count...
    for (let i = 0; i < 2; i++) {
      const settled = await createTestUser()
      await ageAccount(settled.id, 25)
      expect(await reportComment({ actorId: settled.id, commentId: c.id, reason: 'spam', note: '' })).toMatchObject({ hidden: false })
    }
    // An account old enough now, but not yet when it reported (30 hours old, reported 10 hours ago):
    // its report stays uncounted.
    const then = await createTestUser()
    await ageAccount(then.id, 30)
    await reportComment({ actorId: then.id, commentId: c.id, reason: 'spam', note: '' })
    await db
      .update(reports)
      .set({ createdAt: sql`now() - interval '10 hours'` })
      .where(eq(reports.reporterId, then.id))
    // ...and so does an author whose account is brand new: that is the third.
    const author = await createTestUser({ role: 'author' })
    expect(await reportComment({ actorId: author.id, commentId: c.id, reason: 'off_topic', note: '' })).toMatchObject({ hidden: true })
    expect((await status(c.id)).status).toBe('hidden')
    const [log] = await actionsLogged()
    expect(log).toMatchObject({ action: 'hide', actorId: null, reason: 'Hidden automatically after 3 reports, pending review' })

    // Moderators see every report, and which ones counted.
    const [item] = await getModerationQueue({ actor: moderator })
    expect(item!.reports).toHaveLength(8)
    // (Oldest first: the report moved back ten hours leads.)
    expect(item!.reports.map((r) => r.counted)).toEqual([false, false, false, false, false, true, true, true])
  })

  it('throttles each account’s reports, counted with the report: a repeat is free and a refusal stores nothing', async () => {
    await putSetting('reportsPerHour', 2)
    await putSetting('reportThreshold', 100)
    const article = await createArticle()
    const writer = await createTestUser()
    const ids: number[] = []
    for (let i = 0; i < 6; i++) ids.push((await createComment({ articleSlug: article.slug, actorId: writer.id, body: `c${i}` })).id)
    const reporter = await createTestUser()
    await reportComment({ actorId: reporter.id, commentId: ids[0]!, reason: 'spam', note: '' })
    expect(await reportComment({ actorId: reporter.id, commentId: ids[0]!, reason: 'spam', note: '' })).toMatchObject({ alreadyReported: true })
    await reportComment({ actorId: reporter.id, commentId: ids[1]!, reason: 'spam', note: '' })
    const refused = await expectCode(reportComment({ actorId: reporter.id, commentId: ids[2]!, reason: 'spam', note: '' }), 'rate-limited')
    expect(refused.message).toMatch(/^Too many reports in an hour\. Please try again in \d+ minutes\.$/)
    expect(await db.select({ id: reports.commentId }).from(reports).orderBy(reports.commentId)).toEqual([{ id: ids[0] }, { id: ids[1] }])
    // The allowance is the account's own: another member still reports.
    const other = await createTestUser()
    await reportComment({ actorId: other.id, commentId: ids[2]!, reason: 'spam', note: '' })

    // Sent all at once (in parallel on the server), a fresh account still gets exactly its allowance.
    const eager = await createTestUser()
    const results = await Promise.allSettled(ids.map((commentId) => reportComment({ actorId: eager.id, commentId, reason: 'spam', note: '' })))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2)
    for (const r of results) if (r.status === 'rejected') expect(isDomainError(r.reason, 'rate-limited')).toBe(true)
    expect(await db.$count(reports, eq(reports.reporterId, eager.id))).toBe(2)
  })
})

describe('pins', () => {
  it('pins only a published top-level comment; a pin or unpin that changes nothing logs nothing', async () => {
    await putSetting('watchedWords', [{ word: 'miracle', action: 'hold' }])
    const article = await createArticle()
    const writer = await createTestUser()
    const post = (body: string) => createComment({ articleSlug: article.slug, actorId: writer.id, body })
    const published = await post('Published')
    const pending = await post('A miracle')
    const hidden = await post('Hidden')
    const removed = await post('Removed')
    const deleted = await post('Deleted')
    await moderateComments({ actor: moderator, commentIds: [hidden.id], action: 'hide', reason: '' })
    await moderateComments({ actor: moderator, commentIds: [removed.id], action: 'remove', reason: 'Spam' })
    await deleteComment({ commentId: deleted.id, actorId: writer.id })
    const before = (await actionsLogged()).length

    for (const c of [pending, hidden, removed, deleted]) {
      await expectCode(setCommentPinned({ actor: moderator, commentId: c.id, pinned: true }), 'comment-unavailable')
      expect((await status(c.id)).pinned).toBe(false)
      // Unpinning what is not pinned: nothing to do.
      expect(await setCommentPinned({ actor: moderator, commentId: c.id, pinned: false })).toEqual({ changed: false })
    }
    expect(await actionsLogged()).toHaveLength(before)

    expect(await setCommentPinned({ actor: moderator, commentId: published.id, pinned: true })).toEqual({ changed: true })
    expect(await setCommentPinned({ actor: admin, commentId: published.id, pinned: true })).toEqual({ changed: false })
    // A pinned comment that is later removed can still be unpinned, once.
    await moderateComments({ actor: moderator, commentIds: [published.id], action: 'remove', reason: 'Off topic' })
    expect(await setCommentPinned({ actor: moderator, commentId: published.id, pinned: false })).toEqual({ changed: true })
    expect(await setCommentPinned({ actor: moderator, commentId: published.id, pinned: false })).toEqual({ changed: false })
    expect((await actionsLogged()).slice(before).map((a) => [a.action, a.commentId])).toEqual([
      ['pin', published.id],
      ['remove', published.id],
      ['unpin', published.id],
    ])
  })
})

describe('the public log names only what is public', () => {
  it('links no comment and names no story, title or author that readers cannot open, on the page or in the feed', async () => {
    await putSetting('watchedWords', [{ word: 'miracle', action: 'hold' }])
    const insertArticle = async (slug: string, status: 'published' | 'scheduled' | 'draft' | 'archived', publishedAt: Date | null) => {
      const [row] = await db
        .insert(articles)
        .values({ slug, title: `Title of ${slug}`, standfirst: 'S', body: 'B', bodyHtml: '<p>B</p>', status, publishedAt })
        .returning({ id: articles.id, slug: articles.slug })
      return { ...row!, status }
    }
    const past = new Date(Date.now() - 3_600_000)
    const open = await insertArticle('public-story', 'published', past)
    const withdrawn = await insertArticle('withdrawn-story', 'published', past)
    const stories = [
      open,
      await insertArticle('scheduled-story', 'scheduled', new Date(Date.now() + 86_400_000)),
      await insertArticle('draft-story', 'draft', null),
      withdrawn,
    ]
    const writer = await createTestUser()
    const post = (slug: string, body: string) => createComment({ articleSlug: slug, actorId: writer.id, body })
    const onOpen = {
      published: await post(open.slug, 'Published'),
      pending: await post(open.slug, 'A miracle'),
      hidden: await post(open.slug, 'Hidden'),
      removed: await post(open.slug, 'Removed'),
      deleted: await post(open.slug, 'Deleted'),
    }
    const onWithdrawn = await post(withdrawn.slug, 'On a story taken down later')
    await moderateComments({ actor: moderator, commentIds: [onOpen.hidden.id], action: 'hide', reason: 'Hidden' })
    await moderateComments({ actor: moderator, commentIds: [onOpen.removed.id], action: 'remove', reason: 'Removed' })
    await deleteComment({ commentId: onOpen.deleted.id, actorId: writer.id })
    await db.update(articles).set({ status: 'archived' }).where(eq(articles.id, withdrawn.id))
    // Every kind of entry on every kind of thing, as older code or a direct write might have left them.
    const commentEntries = [...Object.values(onOpen).map((c) => ({ c, articleId: open.id })), { c: onWithdrawn, articleId: withdrawn.id }]
    await db.insert(moderationActions).values([
      ...stories.map((a) => ({ actorId: moderator.id, action: 'lock' as const, articleId: a.id, reason: 'Heated' })),
      ...commentEntries.map(({ c, articleId }) => ({
        actorId: moderator.id,
        action: 'pin' as const,
        commentId: c.id,
        articleId,
        targetUserId: writer.id,
      })),
    ])

    const { entries } = await listPublicModerationLog({ page: 1 })
    const feed = await getModerationFeed()
    for (const e of entries) {
      if (e.commentId !== null) {
        expect(
          await getCommentPage({ articleSlug: e.articleSlug!, commentId: e.commentId, viewer: null, sort: undefined }),
          `comment ${e.commentId}`,
        ).not.toBeNull()
      }
      if (e.articleSlug !== null) expect(await getPublishedArticle({ slug: e.articleSlug }), e.articleSlug).not.toBeNull()
    }
    for (const item of feed.items) {
      const [, slug, commentId] = /^\/articles\/([^/#]+)(?:\/comments\/(\d+))?/.exec(item.path) ?? []
      if (commentId) expect(await getCommentPage({ articleSlug: slug!, commentId: Number(commentId), viewer: null, sort: undefined })).not.toBeNull()
      else if (slug) expect(await getPublishedArticle({ slug })).not.toBeNull()
    }
    const shown = JSON.stringify([entries, feed])
    for (const hidden of ['scheduled-story', 'draft-story', 'withdrawn-story']) expect(shown).not.toContain(hidden)
    // What is public is still linked and named: the filter does not simply hide everything.
    const linked = entries.filter((e) => e.commentId !== null).map((e) => e.commentId)
    expect(linked.sort()).toEqual(
      [onOpen.published.id, onOpen.hidden.id, onOpen.removed.id, onOpen.deleted.id, onOpen.hidden.id, onOpen.removed.id].sort(),
    )
    expect(entries.filter((e) => e.action === 'lock').map((e) => e.articleSlug)).toEqual([null, null, null, open.slug])
    const pinOfHeld = entries.find((e) => e.action === 'pin' && e.commentId === null && e.articleSlug === null && e.targetName === null)
    expect(pinOfHeld, 'the pin of the held comment, named by nothing').toBeDefined()
    expect(entries.filter((e) => e.targetName === writer.displayName)).toHaveLength(6)
    // A held comment that becomes public is linked from then on.
    await moderateComments({ actor: moderator, commentIds: [onOpen.pending.id], action: 'approve', reason: '' })
    expect((await listPublicModerationLog({ page: 1 })).entries.filter((e) => e.commentId === onOpen.pending.id)).toHaveLength(2)
  })
})
