import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { codeOf, createPublishedArticle as createArticle } from '#app/test/domain.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { articles, comments, users } from '#db/schema.ts'
import { createComment, deleteComment, editComment, getDiscussion } from './comments.server.ts'
import { moderateComments, setDiscussionLocked } from './moderation.server.ts'
import { putSetting } from './settings.server.ts'

// The rules of one's own comments and of what each reader may do with a comment, at their
// boundaries (found by mutation testing: each assertion fails when the rule it names is changed).

const view = async (article: { id: number }, viewer: { id: string } | null, commentId: number) => {
  const [row] = await db.select({ locked: articles.discussionLocked }).from(articles).where(eq(articles.id, article.id))
  const { tree } = await getDiscussion({ article: { id: article.id, discussionLocked: row!.locked }, viewer, sort: 'old', page: 1 })
  const found = tree.find((node) => node.id === commentId)
  if (!found) throw new Error(`comment ${commentId} not shown`)
  return found
}

let writer: Awaited<ReturnType<typeof createTestUser>>
let reader: Awaited<ReturnType<typeof createTestUser>>
let moderator: Awaited<ReturnType<typeof createTestUser>>

beforeEach(async () => {
  await truncateAll()
  await putSetting('newAccountHours', 0)
  await putSetting('holdFirstComment', false)
  await putSetting('commentsPerMinute', 1000)
  writer = await createTestUser()
  reader = await createTestUser()
  moderator = await createTestUser({ role: 'moderator' })
})

afterEach(() => {
  vi.useRealTimers()
})

describe('the edit window', () => {
  it('is open until the last millisecond before it ends, and closed from then on', async () => {
    await putSetting('editWindowMinutes', 10)
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'First words' })
    const posted = new Date('2030-06-01T12:00:00Z')
    await db.update(comments).set({ createdAt: posted }).where(eq(comments.id, c.id))
    vi.useFakeTimers({ toFake: ['Date'] })

    vi.setSystemTime(posted.getTime() + 10 * 60_000 - 1)
    const open = await view(article, writer, c.id)
    expect(open).toMatchObject({ canEdit: true, body: 'First words' })
    await editComment({ commentId: c.id, actorId: writer.id, body: 'Second words' })

    vi.setSystemTime(posted.getTime() + 10 * 60_000)
    const closed = await view(article, writer, c.id)
    expect(closed).toMatchObject({ canEdit: false, body: null })
    expect(await codeOf(editComment({ commentId: c.id, actorId: writer.id, body: 'Third words' }))).toBe('edit-window-closed')
    expect((await view(article, null, c.id)).bodyHtml).toContain('Second words')
  })

  it('a locked discussion shows no edit link, even inside the window', async () => {
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Words' })
    expect((await view(article, writer, c.id)).canEdit).toBe(true)
    await setDiscussionLocked({ actor: moderator, articleId: article.id, locked: true, reason: 'Cooling off' })
    expect(await view(article, writer, c.id)).toMatchObject({ canEdit: false, body: null, canReply: false })
  })
})

describe('one’s own comments', () => {
  it('only the author edits or deletes a comment; one that does not exist is not found', async () => {
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Mine' })
    expect(await codeOf(editComment({ commentId: c.id, actorId: reader.id, body: 'Hijack' }))).toBe('forbidden')
    expect(await codeOf(deleteComment({ commentId: c.id, actorId: reader.id }))).toBe('forbidden')
    expect(await codeOf(deleteComment({ commentId: c.id + 1000, actorId: writer.id }))).toBe('not-found')
    expect(await codeOf(editComment({ commentId: c.id + 1000, actorId: writer.id, body: 'x' }))).toBe('not-found')
  })

  it('deleting twice is one deletion; a removed comment can be neither deleted nor edited; a deleted one not edited', async () => {
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Mine' })
    await deleteComment({ commentId: c.id, actorId: writer.id })
    expect(await deleteComment({ commentId: c.id, actorId: writer.id })).toEqual({ id: c.id })
    const [row] = await db
      .select({ status: comments.status, body: comments.body, bodyHtml: comments.bodyHtml })
      .from(comments)
      .where(eq(comments.id, c.id))
    expect(row).toEqual({ status: 'deleted', body: '', bodyHtml: '' })
    expect(await codeOf(editComment({ commentId: c.id, actorId: writer.id, body: 'Back' }))).toBe('comment-unavailable')

    const d = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Other' })
    await moderateComments({ actor: moderator, commentIds: [d.id], action: 'remove', reason: 'Off topic' })
    expect(await codeOf(deleteComment({ commentId: d.id, actorId: writer.id }))).toBe('comment-unavailable')
    expect(await codeOf(editComment({ commentId: d.id, actorId: writer.id, body: 'Back' }))).toBe('comment-unavailable')
  })
})

describe('what each reader may do with a comment', () => {
  it('the author edits and deletes, another member votes and replies, a logged-out reader only reads', async () => {
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Words' })
    expect(await view(article, writer, c.id)).toMatchObject({ isOwn: true, canEdit: true, canDelete: true, canVote: false, canReply: true })
    expect(await view(article, reader, c.id)).toMatchObject({ isOwn: false, canEdit: false, canDelete: false, canVote: true, canReply: true, body: null })
    expect(await view(article, null, c.id)).toMatchObject({ isOwn: false, canEdit: false, canDelete: false, canVote: false, canReply: false, body: null })
  })

  it('a hidden, removed or deleted comment takes no votes or replies, and shows its words to nobody', async () => {
    const article = await createArticle()
    const hidden = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Hidden words' })
    const removed = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Removed words' })
    const deleted = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Deleted words' })
    await moderateComments({ actor: moderator, commentIds: [hidden.id], action: 'hide', reason: 'Looks off' })
    await moderateComments({ actor: moderator, commentIds: [removed.id], action: 'remove', reason: 'Off topic' })
    await deleteComment({ commentId: deleted.id, actorId: writer.id })
    for (const viewer of [writer, reader, null]) {
      const h = await view(article, viewer, hidden.id)
      const r = await view(article, viewer, removed.id)
      const d = await view(article, viewer, deleted.id)
      for (const node of [h, r, d]) expect(node).toMatchObject({ bodyHtml: null, canVote: false, canReply: false, canEdit: false })
      expect(h.moderationReason).toBeNull()
      expect(r.moderationReason).toBe('Off topic')
      expect(d.moderationReason).toBeNull()
    }
    expect((await view(article, writer, removed.id)).canDelete).toBe(false)
    expect((await view(article, writer, deleted.id)).canDelete).toBe(false)
    expect((await view(article, writer, hidden.id)).canDelete).toBe(true)
  })

  it('a held comment is shown to its author only, with its words', async () => {
    await putSetting('holdFirstComment', true)
    const article = await createArticle()
    const held = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Held words' })
    const [row] = await db.select({ status: comments.status }).from(comments).where(eq(comments.id, held.id))
    expect(row!.status).toBe('pending')
    expect((await view(article, writer, held.id)).bodyHtml).toContain('Held words')
    for (const viewer of [reader, null]) {
      const { tree } = await getDiscussion({ article, viewer, sort: 'old', page: 1 })
      expect(tree.map((n) => n.id)).not.toContain(held.id)
    }
  })

  it('a deleted account’s comments are credited to nobody', async () => {
    const article = await createArticle()
    const c = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Words' })
    expect((await view(article, null, c.id)).author).toMatchObject({ deleted: false, username: writer.username })
    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, writer.id))
    expect((await view(article, null, c.id)).author).toEqual({ name: 'Deleted user', username: null, deleted: true, staff: null })
  })
})

describe('new accounts', () => {
  it('have the tighter per-minute allowance until they are newAccountHours old; the newsroom never does', async () => {
    await putSetting('newAccountHours', 24)
    await putSetting('newAccountCommentsPerMinute', 1)
    const article = await createArticle()
    await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'One' })
    expect(await codeOf(createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Two' }))).toBe('rate-limited')

    const author = await createTestUser({ role: 'author' })
    await createComment({ articleSlug: article.slug, actorId: author.id, body: 'One' })
    await createComment({ articleSlug: article.slug, actorId: author.id, body: 'Two' })

    const veteran = await createTestUser()
    await db
      .update(users)
      .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(users.id, veteran.id))
    await createComment({ articleSlug: article.slug, actorId: veteran.id, body: 'One' })
    await createComment({ articleSlug: article.slug, actorId: veteran.id, body: 'Two' })
  })
})
