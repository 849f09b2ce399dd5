import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { codeOf, createPublishedArticle as createArticle } from '#app/test/domain.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { articles, comments, moderationActions, notifications, reports, users } from '#db/schema.ts'
import { createComment } from './comments.server.ts'
import {
  banMember,
  changeRole,
  liftRestrictions,
  moderateComments,
  purgeMemberComments,
  reportComment,
  setPremoderation,
  setSlowMode,
  suspendMember,
} from './moderation.server.ts'
import { putSetting } from './settings.server.ts'

// The boundaries and refusals of moderation, one rule a test (found by mutation testing: each
// assertion fails when the rule it names is changed).

const statusOf = async (id: number) =>
  (await db.select({ status: comments.status, reason: comments.moderationReason }).from(comments).where(eq(comments.id, id)))[0]!
const userRow = async (id: string) => (await db.select().from(users).where(eq(users.id, id)))[0]!

let moderator: Awaited<ReturnType<typeof createTestUser>>
let admin: Awaited<ReturnType<typeof createTestUser>>
let member: Awaited<ReturnType<typeof createTestUser>>

beforeEach(async () => {
  await truncateAll()
  await putSetting('newAccountHours', 0)
  await putSetting('holdFirstComment', false)
  await putSetting('commentsPerMinute', 1000)
  moderator = await createTestUser({ role: 'moderator' })
  admin = await createTestUser({ role: 'admin' })
  member = await createTestUser()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('slow mode', () => {
  it('takes a whole number of seconds from 0 to 86,400 and refuses anything else', async () => {
    const article = await createArticle()
    for (const seconds of [-1, 86_401, 1.5, Number.NaN]) {
      expect(await codeOf(setSlowMode({ actor: moderator, articleId: article.id, seconds }))).toBe('invalid-input')
    }
    for (const seconds of [0, 86_400, 30]) {
      await setSlowMode({ actor: moderator, articleId: article.id, seconds })
      const [row] = await db.select({ s: articles.slowModeSeconds }).from(articles).where(eq(articles.id, article.id))
      expect(row!.s).toBe(seconds)
    }
    expect(await codeOf(setSlowMode({ actor: moderator, articleId: article.id + 1000, seconds: 10 }))).toBe('not-found')
  })
})

describe('acting on members', () => {
  it('a suspension must end after now: the present moment is refused, a moment later is taken', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const now = new Date('2030-01-01T12:00:00Z')
    vi.setSystemTime(now)
    expect(await codeOf(suspendMember({ actor: moderator, userId: member.id, until: now, reason: 'x' }))).toBe('invalid-input')
    const until = new Date(now.getTime() + 1)
    await suspendMember({ actor: moderator, userId: member.id, until, reason: '  Cool off  ' })
    vi.useRealTimers()
    const row = await userRow(member.id)
    expect(row.suspendedUntil?.getTime()).toBe(until.getTime())
    expect(row.suspensionReason).toBe('Cool off')
    await suspendMember({ actor: moderator, userId: member.id, until: new Date('2099-01-01T00:00:00Z'), reason: '   ' })
    expect((await userRow(member.id)).suspensionReason).toBeNull()
  })

  it('a ban and a purge need a reason that is more than spaces', async () => {
    expect(await codeOf(banMember({ actor: moderator, userId: member.id, reason: '   ' }))).toBe('invalid-input')
    expect(await codeOf(purgeMemberComments({ actor: moderator, userId: member.id, reason: ' \n ' }))).toBe('invalid-input')
    expect((await userRow(member.id)).bannedAt).toBeNull()
    await banMember({ actor: moderator, userId: member.id, reason: '  Spam  ' })
    expect((await userRow(member.id)).banReason).toBe('Spam')
    await liftRestrictions({ actor: moderator, userId: member.id, reason: 'Appeal' })
    expect((await userRow(member.id)).bannedAt).toBeNull()
  })

  it('nobody acts on their own account, a deleted one, or one that does not exist', async () => {
    for (const act of [
      () => suspendMember({ actor: admin, userId: admin.id, until: new Date('2099-01-01'), reason: 'x' }),
      () => setPremoderation({ actor: moderator, userId: moderator.id, on: true }),
      () => changeRole({ actor: admin, userId: admin.id, role: 'member' }),
    ]) {
      expect(await codeOf(act())).toBe('forbidden')
    }
    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, member.id))
    expect(await codeOf(banMember({ actor: moderator, userId: member.id, reason: 'Spam' }))).toBe('not-found')
    expect(await codeOf(banMember({ actor: moderator, userId: '00000000-0000-4000-8000-000000000000', reason: 'Spam' }))).toBe('not-found')
  })

  it('only an admin restricts a moderator or an admin; a moderator restricts members and authors', async () => {
    const otherModerator = await createTestUser({ role: 'moderator' })
    const author = await createTestUser({ role: 'author' })
    expect(await codeOf(setPremoderation({ actor: moderator, userId: otherModerator.id, on: true }))).toBe('forbidden')
    expect(await codeOf(setPremoderation({ actor: moderator, userId: admin.id, on: true }))).toBe('forbidden')
    await setPremoderation({ actor: moderator, userId: author.id, on: true })
    expect((await userRow(author.id)).alwaysPremoderate).toBe(true)
    await setPremoderation({ actor: admin, userId: otherModerator.id, on: true })
    expect((await userRow(otherModerator.id)).alwaysPremoderate).toBe(true)
    await setPremoderation({ actor: admin, userId: otherModerator.id, on: false })
    expect((await userRow(otherModerator.id)).alwaysPremoderate).toBe(false)
  })

  it('giving a member the role they have changes and logs nothing', async () => {
    await changeRole({ actor: admin, userId: member.id, role: 'member' })
    expect(await db.select().from(moderationActions).where(eq(moderationActions.action, 'role'))).toHaveLength(0)
    await changeRole({ actor: admin, userId: member.id, role: 'author' })
    expect((await userRow(member.id)).role).toBe('author')
    expect(await db.select().from(moderationActions).where(eq(moderationActions.action, 'role'))).toHaveLength(1)
  })
})

describe('acting on comments', () => {
  it('refuses an empty selection, and a removal without a reason readers can see', async () => {
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: member.id, body: 'Hello there' })
    expect(await codeOf(moderateComments({ actor: moderator, commentIds: [], action: 'hide', reason: '' }))).toBe('invalid-input')
    expect(await codeOf(moderateComments({ actor: moderator, commentIds: [c.id], action: 'remove', reason: '  ' }))).toBe('invalid-input')
    expect((await statusOf(c.id)).status).toBe('published')
    // Other actions need no reason.
    expect(await moderateComments({ actor: moderator, commentIds: [c.id], action: 'hide', reason: '' })).toEqual({ changed: 1, skipped: 0 })
  })

  it('moves a comment only along the allowed transitions, and counts what it skipped', async () => {
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: member.id, body: 'Hello there' })
    const act = (action: 'approve' | 'hide' | 'remove' | 'restore', reason = '') =>
      moderateComments({ actor: moderator, commentIds: [c.id], action, reason })
    expect(await act('approve')).toEqual({ changed: 0, skipped: 1 })
    expect(await act('restore')).toEqual({ changed: 0, skipped: 1 })
    expect(await act('hide')).toEqual({ changed: 1, skipped: 0 })
    expect(await act('hide')).toEqual({ changed: 0, skipped: 1 })
    expect(await act('approve')).toEqual({ changed: 1, skipped: 0 })
    expect(await act('hide')).toEqual({ changed: 1, skipped: 0 })
    expect(await act('restore')).toEqual({ changed: 1, skipped: 0 })
    expect(await statusOf(c.id)).toEqual({ status: 'published', reason: null })
    expect(await act('remove', '  Off topic  ')).toEqual({ changed: 1, skipped: 0 })
    expect(await statusOf(c.id)).toEqual({ status: 'removed', reason: 'Off topic' })
    expect(await act('approve')).toEqual({ changed: 0, skipped: 1 })
    expect(await act('remove', 'again')).toEqual({ changed: 0, skipped: 1 })
    expect(await act('restore')).toEqual({ changed: 1, skipped: 0 })
    expect(await statusOf(c.id)).toEqual({ status: 'published', reason: null })
  })

  it('a plain hide leaves the reports open; approving, removing and restoring resolve them', async () => {
    await putSetting('reportThreshold', 100)
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: member.id, body: 'Hello there' })
    const reporter = await createTestUser()
    await reportComment({ actorId: reporter.id, commentId: c.id, reason: 'spam', note: '' })
    const open = async () => (await db.select({ resolvedAt: reports.resolvedAt }).from(reports)).filter((r) => r.resolvedAt === null).length
    await moderateComments({ actor: moderator, commentIds: [c.id], action: 'hide', reason: '' })
    expect(await open()).toBe(1)
    await moderateComments({ actor: moderator, commentIds: [c.id], action: 'approve', reason: '' })
    expect(await open()).toBe(0)
  })

  it('approving a held reply tells the parent’s author, once; approving a hidden one does not tell them again', async () => {
    const article = await createArticle()
    const parent = await createComment({ articleSlug: article.slug, actorId: member.id, body: 'The parent' })
    await putSetting('holdFirstComment', true)
    const replier = await createTestUser()
    const reply = await createComment({ articleSlug: article.slug, actorId: replier.id, body: 'A first reply', parentId: parent.id })
    expect(reply.status).toBe('pending')
    const told = async () =>
      await db.select({ kind: notifications.kind, commentId: notifications.commentId }).from(notifications).where(eq(notifications.userId, member.id))
    expect(await told(), 'nothing while it is held').toEqual([])
    await moderateComments({ actor: moderator, commentIds: [reply.id], action: 'approve', reason: '' })
    expect(await told()).toEqual([{ kind: 'reply', commentId: reply.id }])
    await moderateComments({ actor: moderator, commentIds: [reply.id], action: 'hide', reason: '' })
    await moderateComments({ actor: moderator, commentIds: [reply.id], action: 'approve', reason: '' })
    expect(await told(), 'back from hidden: already told').toHaveLength(1)
  })
})
