import fs from 'node:fs'
import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { MAX_SHOWN_DEPTH, type CommentNode } from '#app/lib/comment-tree.ts'
import type { CommentView } from '#app/lib/comment-view.ts'
import { truncateAll } from '#app/test/db.ts'
import { createPublishedArticle as createArticle, expectCode } from '#app/test/domain.ts'
import { recordQueries } from '#app/test/queries.ts'
import { createTestUser } from '#app/test/users.ts'
import { database, db } from '#app/db.server.ts'
import { articles, comments } from '#db/schema.ts'
import { getArticlePage } from './articles.server.ts'
import {
  createComment,
  deleteComment,
  editComment,
  getCommentThread,
  getDiscussion,
  previewComment,
  REPLIES_PER_THREAD,
  TOP_LEVEL_PER_PAGE,
} from './comments.server.ts'
import { moderateComments, purgeMemberComments, reportComment } from './moderation.server.ts'
import { subscribeToArticle, type DiscussionEvent } from './events.server.ts'
import { countUnreadNotifications, openNotifications } from './notifications.server.ts'
import { putSetting } from './settings.server.ts'
import { voteOnComment } from './votes.server.ts'

async function commentCount(articleId: number) {
  const [row] = await db.select({ n: articles.commentCount }).from(articles).where(eq(articles.id, articleId))
  return row!.n
}

/** Bulk comments straight into the table, for size tests: `roots` threads of `perRoot` replies each. */
async function seedDiscussion(articleId: number, authorId: string, roots: number, perRoot: number) {
  const rootRows = await db
    .insert(comments)
    .values(Array.from({ length: roots }, (_, i) => ({ articleId, authorId, body: `root ${i}`, bodyHtml: `<p>root ${i}</p>` })))
    .returning({ id: comments.id })
  const replies = rootRows.flatMap(({ id }) =>
    Array.from({ length: perRoot }, (_, i) => ({
      articleId,
      authorId,
      parentId: id,
      rootId: id,
      depth: 1,
      body: `reply ${i}`,
      bodyHtml: `<p>reply ${i}</p>`,
    })),
  )
  for (let i = 0; i < replies.length; i += 1000) await db.insert(comments).values(replies.slice(i, i + 1000))
}

function flatten(nodes: CommentNode<CommentView>[]): CommentNode<CommentView>[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)])
}

beforeEach(async () => {
  await truncateAll()
  // Accounts made here are minutes old; the rate-limit tests set their own allowances.
  await putSetting('newAccountHours', 0)
  await putSetting('commentsPerMinute', 10_000)
  await putSetting('commentsPerDay', 10_000)
  await putSetting('holdFirstComment', false)
})

describe('createComment', () => {
  it('makes a top-level comment the root of its own thread in the database itself', async () => {
    const article = await createArticle()
    const ada = await createTestUser()
    // Written straight into the table, as a script or psql would: the trigger fills in the root.
    const [row] = await db.insert(comments).values({ articleId: article.id, authorId: ada.id, body: 'x', bodyHtml: '<p>x</p>' }).returning()
    expect(row!.rootId).toBe(row!.id)
    const [reply] = await db
      .insert(comments)
      .values({ articleId: article.id, authorId: ada.id, parentId: row!.id, rootId: row!.id, depth: 1, body: 'y', bodyHtml: '<p>y</p>' })
      .returning()
    expect(reply!.rootId).toBe(row!.id)
  })

  it('builds a thread of replies with roots, depths, reply counts and an exact comment count', async () => {
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    const first = await createComment({ articleSlug: article.slug, actorId: ada.id, body: 'Top *level*' })
    const reply = await createComment({ articleSlug: article.slug, parentId: first.id, actorId: bo.id, body: 'A reply' })
    const deeper = await createComment({ articleSlug: article.slug, parentId: reply.id, actorId: ada.id, body: 'Deeper' })
    expect([first.depth, reply.depth, deeper.depth]).toEqual([0, 1, 2])

    const rows = await db.select().from(comments).orderBy(comments.id)
    expect(rows.map((r) => r.rootId)).toEqual([first.id, first.id, first.id])
    expect(rows.map((r) => r.replyCount)).toEqual([1, 1, 0])
    expect(rows[0]!.bodyHtml).toBe('<p>Top <em>level</em></p>')
    expect(await commentCount(article.id)).toBe(3)

    const { tree } = await getDiscussion({ article, viewer: null, sort: 'old', page: 1 })
    expect(tree).toHaveLength(1)
    expect(tree[0]!.children[0]!.children[0]!.id).toBe(deeper.id)
    expect(tree[0]!.descendantCount).toBe(2)
  })

  it('refuses empty, overlong, misplaced and orphaned comments with clear errors', async () => {
    const article = await createArticle()
    const other = await createArticle()
    const user = await createTestUser()
    const elsewhere = await createComment({ articleSlug: other.slug, actorId: user.id, body: 'On the other story' })
    const gone = await createComment({ articleSlug: article.slug, actorId: user.id, body: 'Soon deleted' })
    await deleteComment({ commentId: gone.id, actorId: user.id })

    expect((await expectCode(createComment({ articleSlug: article.slug, actorId: user.id, body: ' \n\t ' }), 'invalid-input')).message).toBe(
      'Write something before posting.',
    )
    expect(
      (await expectCode(createComment({ articleSlug: article.slug, actorId: user.id, body: 'x'.repeat(10_001) }), 'invalid-input')).message,
    ).toContain('up to 10,000 characters')
    await expectCode(createComment({ articleSlug: article.slug, parentId: elsewhere.id, actorId: user.id, body: 'x' }), 'wrong-article')
    await expectCode(createComment({ articleSlug: article.slug, parentId: gone.id, actorId: user.id, body: 'x' }), 'comment-unavailable')
    await expectCode(createComment({ articleSlug: article.slug, parentId: 99_999, actorId: user.id, body: 'x' }), 'not-found')
    await expectCode(createComment({ articleSlug: 'no-such-story', actorId: user.id, body: 'x' }), 'not-found')
    // Nothing half-written: only the two comments above exist, and the counts agree.
    expect(await db.select().from(comments)).toHaveLength(2)
    expect(await commentCount(article.id)).toBe(0)
  })

  it('accepts nothing on a locked discussion', async () => {
    const article = await createArticle()
    const user = await createTestUser()
    const earlier = await createComment({ articleSlug: article.slug, actorId: user.id, body: 'Before the lock' })
    await db.update(articles).set({ discussionLocked: true }).where(eq(articles.id, article.id))
    await expectCode(createComment({ articleSlug: article.slug, actorId: user.id, body: 'x' }), 'discussion-locked')
    await expectCode(createComment({ articleSlug: article.slug, parentId: earlier.id, actorId: user.id, body: 'x' }), 'discussion-locked')
    await expectCode(editComment({ commentId: earlier.id, actorId: user.id, body: 'changed' }), 'discussion-locked')
  })

  it('throttles per member, more tightly while the account is new, and a refusal costs nothing', async () => {
    const article = await createArticle()
    const user = await createTestUser()
    await putSetting('commentsPerMinute', 3)
    for (let i = 0; i < 3; i++) await createComment({ articleSlug: article.slug, actorId: user.id, body: `c${i}` })
    const error = await expectCode(createComment({ articleSlug: article.slug, actorId: user.id, body: 'one more' }), 'rate-limited')
    expect(error.message).toMatch(/^Too many comments in a minute\. Please try again in \d+ seconds\.$/)
    expect(await commentCount(article.id)).toBe(3)

    await putSetting('newAccountHours', 24)
    await putSetting('newAccountCommentsPerMinute', 1)
    const newcomer = await createTestUser()
    await expectCode(createComment({ articleSlug: article.slug, parentId: 99_999, actorId: newcomer.id, body: 'bad parent' }), 'not-found')
    await createComment({ articleSlug: article.slug, actorId: newcomer.id, body: 'first words' })
    await expectCode(createComment({ articleSlug: article.slug, actorId: newcomer.id, body: 'second' }), 'rate-limited')
  })

  it('notifies the parent’s author of a reply, not of their own', async () => {
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    const first = await createComment({ articleSlug: article.slug, actorId: ada.id, body: 'Question' })
    await createComment({ articleSlug: article.slug, parentId: first.id, actorId: ada.id, body: 'Adding to myself' })
    const answer = await createComment({ articleSlug: article.slug, parentId: first.id, actorId: bo.id, body: 'Answer' })
    expect(await countUnreadNotifications({ userId: ada.id })).toBe(1)
    expect(await countUnreadNotifications({ userId: bo.id })).toBe(0)
    const list = await openNotifications({ actorId: ada.id })
    expect(list.map((n) => [n.kind, n.commentId, n.actorName, n.articleSlug])).toEqual([['reply', answer.id, bo.displayName, article.slug]])
    expect(await countUnreadNotifications({ userId: ada.id })).toBe(0)
    // Nobody reads another member's list.
    expect(await openNotifications({ actorId: bo.id })).toEqual([])
  })

  it('announces a new comment to subscribers once the transaction commits', async () => {
    const article = await createArticle()
    const user = await createTestUser()
    const received: DiscussionEvent[] = []
    const unsubscribe = await subscribeToArticle(article.id, (e) => received.push(e))
    const other = await createArticle()
    await createComment({ articleSlug: other.slug, actorId: user.id, body: 'Elsewhere' })
    const created = await createComment({ articleSlug: article.slug, actorId: user.id, body: 'Live' })
    await expect.poll(() => received.length).toBe(1)
    expect(received[0]).toEqual({ type: 'comment-created', articleId: article.id, commentId: created.id, parentId: null, authorId: user.id })
    await expectCode(createComment({ articleSlug: article.slug, actorId: user.id, body: '  ' }), 'invalid-input')
    unsubscribe()
    expect(received).toHaveLength(1)
  })
})

describe('posting at once', () => {
  it('stores every comment and reply exactly once when many members post to one story together', async () => {
    const article = await createArticle()
    const members = await Promise.all(Array.from({ length: 12 }, () => createTestUser()))
    const first = await createComment({ articleSlug: article.slug, actorId: members[0]!.id, body: 'Opening' })
    // Top-level comments and replies to one parent, all at the same moment: on the PostgreSQL server
    // these run in parallel transactions that all update the story's count.
    const results = await Promise.allSettled(
      members.flatMap((m, i) => [
        createComment({ articleSlug: article.slug, actorId: m.id, body: `Top ${i}` }),
        createComment({ articleSlug: article.slug, actorId: m.id, parentId: first.id, body: `Reply ${i}` }),
      ]),
    )
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    const rows = await db.select({ body: comments.body }).from(comments).where(eq(comments.articleId, article.id))
    expect(rows).toHaveLength(25)
    expect(new Set(rows.map((r) => r.body)).size).toBe(25)
    expect(await commentCount(article.id)).toBe(25)
    const [parent] = await db.select({ replyCount: comments.replyCount }).from(comments).where(eq(comments.id, first.id))
    expect(parent!.replyCount).toBe(12)
  })
})

describe('editing and deleting', () => {
  it('lets the author edit within the window, and nobody else ever', async () => {
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    const mine = await createComment({ articleSlug: article.slug, actorId: ada.id, body: 'Frist' })
    await editComment({ commentId: mine.id, actorId: ada.id, body: 'First, **fixed**' })
    const [row] = await db.select().from(comments).where(eq(comments.id, mine.id))
    expect(row!.bodyHtml).toBe('<p>First, <strong>fixed</strong></p>')
    expect(row!.editedAt).not.toBeNull()

    await expectCode(editComment({ commentId: mine.id, actorId: bo.id, body: 'vandalised' }), 'forbidden')
    await expectCode(deleteComment({ commentId: mine.id, actorId: bo.id }), 'forbidden')
    await expectCode(editComment({ commentId: 12_345, actorId: ada.id, body: 'x' }), 'not-found')

    await db
      .update(comments)
      .set({ createdAt: sql`now() - interval '16 minutes'` })
      .where(eq(comments.id, mine.id))
    await expectCode(editComment({ commentId: mine.id, actorId: ada.id, body: 'too late' }), 'edit-window-closed')
    const [after] = await db.select().from(comments).where(eq(comments.id, mine.id))
    expect(after!.body).toBe('First, **fixed**')
  })

  it('deletes to a placeholder that keeps the replies, and keeps the count exact', async () => {
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    const parent = await createComment({ articleSlug: article.slug, actorId: ada.id, body: 'Parent' })
    const child = await createComment({ articleSlug: article.slug, parentId: parent.id, actorId: bo.id, body: 'Child' })
    expect(await commentCount(article.id)).toBe(2)
    await deleteComment({ commentId: parent.id, actorId: ada.id })
    await deleteComment({ commentId: parent.id, actorId: ada.id })
    expect(await commentCount(article.id)).toBe(1)

    const { tree } = await getDiscussion({ article, viewer: { id: bo.id }, sort: 'top', page: 1 })
    expect(tree[0]).toMatchObject({ id: parent.id, status: 'deleted', bodyHtml: null, canReply: false })
    expect(tree[0]!.children[0]).toMatchObject({ id: child.id, bodyHtml: '<p>Child</p>' })
    const [row] = await db.select().from(comments).where(eq(comments.id, parent.id))
    expect(row!.body).toBe('')
  })
})

describe('votes', () => {
  it('counts one upvote per member, can be taken back, and never on one’s own comment', async () => {
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    const c = await createComment({ articleSlug: article.slug, actorId: ada.id, body: 'Vote for me' })
    await expectCode(voteOnComment({ commentId: c.id, actorId: ada.id, up: true }), 'self-vote')
    expect((await voteOnComment({ commentId: c.id, actorId: bo.id, up: true })).score).toBe(1)
    expect((await voteOnComment({ commentId: c.id, actorId: bo.id, up: true })).score).toBe(1)
    const { tree } = await getDiscussion({ article, viewer: { id: bo.id }, sort: 'top', page: 1 })
    expect(tree[0]).toMatchObject({ score: 1, viewerVoted: true, canVote: true })
    expect((await voteOnComment({ commentId: c.id, actorId: bo.id, up: false })).score).toBe(0)
    expect((await voteOnComment({ commentId: c.id, actorId: bo.id, up: false })).score).toBe(0)
  })

  it('loses and doubles nothing when votes arrive at once', async () => {
    const article = await createArticle()
    const author = await createTestUser()
    const c = await createComment({ articleSlug: article.slug, actorId: author.id, body: 'Popular' })
    const voters = await Promise.all(Array.from({ length: 25 }, () => createTestUser()))
    await Promise.all([
      ...voters.map((v) => voteOnComment({ commentId: c.id, actorId: v.id, up: true })),
      // One impatient member clicking ten times.
      ...Array.from({ length: 10 }, () => voteOnComment({ commentId: c.id, actorId: voters[0]!.id, up: true })),
    ])
    const [row] = await db.select({ score: comments.score }).from(comments).where(eq(comments.id, c.id))
    expect(row!.score).toBe(25)
    await Promise.all(voters.slice(0, 10).map((v) => voteOnComment({ commentId: c.id, actorId: v.id, up: false })))
    const [after] = await db.select({ score: comments.score }).from(comments).where(eq(comments.id, c.id))
    expect(after!.score).toBe(15)
  })
})

describe('reading a discussion', () => {
  it('costs the same few queries for 200 comments as for 2,000', async () => {
    const small = await createArticle('small-talk')
    const large = await createArticle('big-talk')
    const user = await createTestUser()
    await seedDiscussion(small.id, user.id, 40, 4)
    await seedDiscussion(large.id, user.id, 400, 4)
    const viewer = { id: user.id, commentSort: null }

    const smallQueries = await recordQueries(() => getArticlePage({ slug: small.slug, viewer, sort: 'top', page: 1 }))
    const largeQueries = await recordQueries(() => getArticlePage({ slug: large.slug, viewer, sort: 'top', page: 1 }))
    expect(largeQueries.length).toBe(smallQueries.length)
    // Article, author, tags, chips, related; settings, top-level page, replies, the viewer's votes.
    expect(largeQueries.length).toBeLessThanOrEqual(9)

    const page = await getArticlePage({ slug: large.slug, viewer, sort: 'top', page: 1 })
    expect(page!.discussion.tree).toHaveLength(50)
    expect(flatten(page!.discussion.tree)).toHaveLength(250)
    expect(page!.discussion.pageCount).toBe(8)
  })

  it('pages top-level comments without overlap, in each order', async () => {
    const article = await createArticle()
    const user = await createTestUser()
    await seedDiscussion(article.id, user.id, 120, 0)
    for (const sort of ['top', 'new', 'old'] as const) {
      const seen: number[] = []
      for (let page = 1; page <= 3; page++) {
        seen.push(...(await getDiscussion({ article, viewer: null, sort, page })).tree.map((c) => c.id))
      }
      expect(new Set(seen).size).toBe(120)
    }
    const newest = await getDiscussion({ article, viewer: null, sort: 'new', page: 1 })
    const ids = newest.tree.map((c) => c.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
  })

  it('carries a bounded share of each thread on the story’s page, and pages a comment’s replies on its own', async () => {
    const article = await createArticle()
    const ada = await createTestUser()
    await seedDiscussion(article.id, ada.id, 1, TOP_LEVEL_PER_PAGE + 15)
    const [root] = await db
      .select({ id: comments.id })
      .from(comments)
      .where(sql`${comments.articleId} = ${article.id} and ${comments.parentId} is null`)
    await db
      .update(comments)
      .set({ replyCount: TOP_LEVEL_PER_PAGE + 15 })
      .where(eq(comments.id, root!.id))
    const [first] = await db.select({ id: comments.id }).from(comments).where(eq(comments.parentId, root!.id)).orderBy(comments.id).limit(1)
    await db.insert(comments).values(
      Array.from({ length: REPLIES_PER_THREAD + 5 }, (_, i) => ({
        articleId: article.id,
        authorId: ada.id,
        parentId: first!.id,
        rootId: root!.id,
        depth: 2,
        body: `deeper ${i}`,
        bodyHtml: `<p>deeper ${i}</p>`,
      })),
    )
    await db
      .update(comments)
      .set({ replyCount: REPLIES_PER_THREAD + 5 })
      .where(eq(comments.id, first!.id))

    // The story's page: the thread's oldest replies, which hang together, and no more.
    const { tree } = await getDiscussion({ article, viewer: null, sort: 'old', page: 1 })
    const shown = flatten(tree)
    expect(shown).toHaveLength(1 + REPLIES_PER_THREAD)
    expect(shown.slice(1).every((c) => c.parentId === root!.id || c.parentId === first!.id)).toBe(true)
    expect(tree[0]!.replyCount).toBe(TOP_LEVEL_PER_PAGE + 15)

    // The comment's own page: its replies a page at a time, each with a bounded share of its thread.
    const pageOne = (await getCommentThread({ article, commentId: root!.id, viewer: null, sort: 'old' }))!
    expect(pageOne.pageCount).toBe(2)
    expect(pageOne.tree.children).toHaveLength(TOP_LEVEL_PER_PAGE)
    expect(pageOne.tree.children[0]!.id).toBe(first!.id)
    expect(pageOne.tree.children[0]!.children).toHaveLength(REPLIES_PER_THREAD)
    const pageTwo = (await getCommentThread({ article, commentId: root!.id, viewer: null, sort: 'old', page: 2 }))!
    expect(pageTwo.tree.children).toHaveLength(15)
    // Every direct reply is on exactly one page.
    const ids = [...pageOne.tree.children, ...pageTwo.tree.children].map((c) => c.id)
    expect(new Set(ids).size).toBe(TOP_LEVEL_PER_PAGE + 15)
    // And the first reply's own page holds all of its replies.
    const firstPage = (await getCommentThread({ article, commentId: first!.id, viewer: null, sort: 'old' }))!
    expect(firstPage.tree.children).toHaveLength(REPLIES_PER_THREAD + 5)
    expect(firstPage.ancestors.map((a) => a.id)).toEqual([root!.id])
  })

  it('previews a comment as it would be posted, a limited number of times a minute', async () => {
    const ada = await createTestUser()
    await putSetting('previewsPerMinute', 3)
    for (let i = 0; i < 3; i++) expect(await previewComment({ actorId: ada.id, body: `*try ${i}*` })).toBe(`<p><em>try ${i}</em></p>`)
    await expectCode(previewComment({ actorId: ada.id, body: 'once more' }), 'rate-limited')
  })

  it('caps the depth shown and continues the thread on the comment’s own page', async () => {
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    let parentId: number | undefined
    const chain: number[] = []
    for (let i = 0; i <= MAX_SHOWN_DEPTH + 3; i++) {
      const c = await createComment({ articleSlug: article.slug, parentId, actorId: i % 2 ? bo.id : ada.id, body: `level ${i}` })
      chain.push(c.id)
      parentId = c.id
    }
    const { tree } = await getDiscussion({ article, viewer: null, sort: 'top', page: 1 })
    const shown = flatten(tree)
    expect(shown.map((c) => c.depth)).toEqual(Array.from({ length: MAX_SHOWN_DEPTH + 1 }, (_, i) => i))
    const last = shown.at(-1)!
    expect(last.replyCount).toBe(1)

    const thread = await getCommentThread({ article, commentId: last.id, viewer: null, sort: 'top' })
    expect(thread!.ancestors.map((a) => a.id)).toEqual(chain.slice(0, MAX_SHOWN_DEPTH))
    expect(thread!.tree.id).toBe(last.id)
    expect(flatten([thread!.tree]).map((c) => c.id)).toEqual(chain.slice(MAX_SHOWN_DEPTH))
    expect(await getCommentThread({ article: await createArticle(), commentId: last.id, viewer: null, sort: 'top' })).toBeNull()
  })

  it('shows a held comment to its author only', async () => {
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    await db.insert(comments).values({ articleId: article.id, authorId: ada.id, body: 'held', bodyHtml: '<p>held</p>', status: 'pending' })
    expect((await getDiscussion({ article, viewer: null, sort: 'top', page: 1 })).tree).toHaveLength(0)
    expect((await getDiscussion({ article, viewer: { id: bo.id }, sort: 'top', page: 1 })).tree).toHaveLength(0)
    const own = await getDiscussion({ article, viewer: { id: ada.id }, sort: 'top', page: 1 })
    expect(own.tree[0]).toMatchObject({ status: 'pending', bodyHtml: '<p>held</p>' })
  })

  it('never ships another member’s edit source, and names deleted accounts', async () => {
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    await createComment({ articleSlug: article.slug, actorId: ada.id, body: 'mine' })
    const asBo = await getDiscussion({ article, viewer: { id: bo.id }, sort: 'top', page: 1 })
    expect(asBo.tree[0]).toMatchObject({ body: null, canEdit: false, canDelete: false, isOwn: false })
    const asAda = await getDiscussion({ article, viewer: { id: ada.id }, sort: 'top', page: 1 })
    expect(asAda.tree[0]).toMatchObject({ body: 'mine', canEdit: true, canDelete: true, isOwn: true, canVote: false })
    await db.execute(sql`update users set deleted_at = now(), display_name = 'Deleted user' where id = ${ada.id}`)
    const after = await getDiscussion({ article, viewer: null, sort: 'top', page: 1 })
    expect(after.tree[0]!.author).toEqual({ name: 'Deleted user', username: null, deleted: true, staff: null })
  })
})

describe('chip mentions', () => {
  it('links the chips a comment names, stores the mentions, and the chip page lists the discussion', async () => {
    const { chips: chipsTable, chipMentions } = await import('#db/schema.ts')
    const { getChip } = await import('./chips.server.ts')
    await db.insert(chipsTable).values([
      { slug: 'h200', name: 'H200', vendor: 'Nvidia', aliases: ['H-200'] },
      { slug: 'ascend-910b', name: 'Ascend 910B', vendor: 'Huawei', aliases: [] },
    ])
    const article = await createArticle()
    const user = await createTestUser()
    const c = await createComment({ articleSlug: article.slug, actorId: user.id, body: 'The h-200 against the Ascend 910B, not `H200` in code.' })
    const [row] = await db.select().from(comments).where(eq(comments.id, c.id))
    expect(row!.bodyHtml.match(/class="chip-mention"/g)).toHaveLength(2)
    expect(row!.bodyHtml).toContain('<code>H200</code>')
    expect(await db.select().from(chipMentions)).toHaveLength(2)
    const h200 = await getChip({ slug: 'h200' })
    expect(h200?.discussion.map((d) => d.commentId)).toEqual([c.id])

    await editComment({ commentId: c.id, actorId: user.id, body: 'Only the Ascend 910B now.' })
    const left = await db.select({ chipId: chipMentions.chipId }).from(chipMentions)
    expect(left).toHaveLength(1)
    expect((await getChip({ slug: 'h200' }))?.discussion).toEqual([])
  })
})

describe('the newsroom and the rules for newcomers', () => {
  it('never holds a staff member’s first comment or gives them a new account’s allowance; a member gets both', async () => {
    await putSetting('holdFirstComment', true)
    await putSetting('newAccountHours', 24)
    await putSetting('newAccountCommentsPerMinute', 1)
    const article = await createArticle()
    for (const role of ['member', 'author', 'moderator', 'admin'] as const) {
      const person = await createTestUser({ role })
      const first = await createComment({ articleSlug: article.slug, actorId: person.id, body: `First words of a ${role}` })
      const second = createComment({ articleSlug: article.slug, actorId: person.id, body: `More words of a ${role}` })
      if (role === 'member') {
        expect(first.status).toBe('pending')
        await expectCode(second, 'rate-limited')
      } else {
        expect(first.status, role).toBe('published')
        expect((await second).status, role).toBe('published')
      }
    }
  })
})

/** Every comment's reply count and every article's comment count, beside what they should be. */
async function countsAgainstTruth() {
  const rows = await database.rows<{ kind: string; id: number; kept: number; truth: number }>(sql`
    select 'reply_count' as kind, p.id, p.reply_count as kept,
           (select count(*)::int from comments r where r.parent_id = p.id and r.status = 'published') as truth
    from comments p
    union all
    select 'comment_count', a.id, a.comment_count,
           (select count(*)::int from comments c where c.article_id = a.id and c.status = 'published')
    from articles a`)
  return rows.filter((r) => Number(r.kept) !== Number(r.truth))
}

describe('reply counts', () => {
  it('count published replies only, kept exact through every change of status', async () => {
    await putSetting('watchedWords', [{ word: 'miracle', action: 'hold' }])
    await putSetting('reportThreshold', 1)
    await putSetting('reportMinAccountHours', 0)
    const article = await createArticle()
    const [ada, bo] = [await createTestUser(), await createTestUser()]
    const moderator = await createTestUser({ role: 'moderator' })
    const parent = await createComment({ articleSlug: article.slug, actorId: ada.id, body: 'Parent' })
    const replyCount = async () => (await db.select({ n: comments.replyCount }).from(comments).where(eq(comments.id, parent.id)))[0]!.n
    const reply = (body: string) => createComment({ articleSlug: article.slug, parentId: parent.id, actorId: bo.id, body })
    const act = (commentId: number, action: 'approve' | 'hide' | 'remove' | 'restore') =>
      moderateComments({ actor: moderator, commentIds: [commentId], action, reason: 'Because' })

    const steps: [string, () => Promise<unknown>, number][] = []
    let held = 0
    let other = 0
    steps.push(['a held reply', async () => (held = (await reply('A miracle')).id), 0])
    steps.push(['approved', () => act(held, 'approve'), 1])
    steps.push(['hidden', () => act(held, 'hide'), 0])
    steps.push(['unhidden', () => act(held, 'approve'), 1])
    steps.push(['removed', () => act(held, 'remove'), 0])
    steps.push(['restored', () => act(held, 'restore'), 1])
    steps.push(['a second, published reply', async () => (other = (await reply('Plain')).id), 2])
    steps.push(['hidden by a report', () => reportComment({ actorId: ada.id, commentId: other, reason: 'spam', note: '' }), 1])
    steps.push(['restored', () => act(other, 'restore'), 2])
    steps.push(['held again by an edit', () => editComment({ commentId: other, actorId: bo.id, body: 'Now a miracle' }), 1])
    steps.push(['approved', () => act(other, 'approve'), 2])
    steps.push(['deleted by its author', () => deleteComment({ commentId: held, actorId: bo.id }), 1])
    steps.push(['deleted again (no change)', () => deleteComment({ commentId: held, actorId: bo.id }), 1])
    steps.push(['removed with all its author’s comments', () => purgeMemberComments({ actor: moderator, userId: bo.id, reason: 'Spam' }), 0])
    for (const [what, step, expected] of steps) {
      await step()
      expect(await replyCount(), what).toBe(expected)
      expect(await countsAgainstTruth(), what).toEqual([])
    }
  })
})

describe('migration 0011', () => {
  it('recounts replies kept the old way (every reply, held ones included) as published ones only', async () => {
    const article = await createArticle()
    const ada = await createTestUser()
    const [parent] = await db
      .insert(comments)
      .values({ articleId: article.id, authorId: ada.id, body: 'p', bodyHtml: '<p>p</p>', replyCount: 4 })
      .returning()
    const reply = (status: 'published' | 'pending' | 'removed') => ({
      articleId: article.id,
      authorId: ada.id,
      parentId: parent!.id,
      rootId: parent!.id,
      depth: 1,
      body: 'r',
      bodyHtml: '<p>r</p>',
      status,
    })
    await db.insert(comments).values([reply('published'), reply('pending'), reply('removed'), reply('published')])
    // A childless comment that claims replies, as a held reply used to leave behind.
    await db.insert(comments).values({ articleId: article.id, authorId: ada.id, body: 'q', bodyHtml: '<p>q</p>', replyCount: 1 })
    const migration = fs.readFileSync(new URL('../../db/migrations/0011_published_reply_counts.sql', import.meta.url), 'utf8')
    await database.rows(sql.raw(migration))
    expect((await countsAgainstTruth()).filter((r) => r.kind === 'reply_count')).toEqual([])
    expect((await db.select({ n: comments.replyCount }).from(comments).where(eq(comments.id, parent!.id)))[0]!.n).toBe(2)
  })
})

describe('a locked discussion', () => {
  // Stands in for a moderator whose lock lands after the post has read the story, before it ends:
  // the comment's own insert locks the discussion in the same transaction.
  async function lockOnNextComment() {
    await database.rows(sql`
      create or replace function test_lock_on_comment() returns trigger language plpgsql as $$
      begin update articles set discussion_locked = true where id = new.article_id; return new; end $$`)
    await database.rows(sql`create trigger test_lock_on_comment after insert on comments for each row execute function test_lock_on_comment()`)
    return () => database.rows(sql`drop trigger test_lock_on_comment on comments`)
  }

  it('refuses a comment whatever the pipeline would do with it, when the lock lands during the post', async () => {
    await putSetting('watchedWords', [{ word: 'miracle', action: 'hold' }])
    const article = await createArticle()
    const user = await createTestUser()
    const parent = await createComment({ articleSlug: article.slug, actorId: user.id, body: 'Before the lock' })
    const attempts = [
      { what: 'published', body: 'Plain words' },
      { what: 'held (watched word)', body: 'A miracle' },
      { what: 'a held reply', body: 'A miracle', parentId: parent.id },
    ]
    for (const { what, body, parentId } of attempts) {
      const unlock = await lockOnNextComment()
      try {
        const error = await expectCode(createComment({ articleSlug: article.slug, actorId: user.id, body, parentId }), 'discussion-locked')
        expect(error.message, what).toContain('locked this discussion')
      } finally {
        await unlock()
      }
      // Nothing was kept, the lock included: it was part of the refused post.
      expect(await db.$count(comments), what).toBe(1)
      expect((await db.select({ locked: articles.discussionLocked }).from(articles).where(eq(articles.id, article.id)))[0]!.locked).toBe(false)
    }
    // A first comment held by the first-comment rule, in a discussion already locked, too.
    await putSetting('holdFirstComment', true)
    await db.update(articles).set({ discussionLocked: true }).where(eq(articles.id, article.id))
    const newcomer = await createTestUser()
    await expectCode(createComment({ articleSlug: article.slug, actorId: newcomer.id, body: 'Hello' }), 'discussion-locked')
  })

  it.skipIf(!process.env.DATABASE_URL)('makes a held comment wait for a lock being committed, then refuses it (server)', async () => {
    await putSetting('watchedWords', [{ word: 'miracle', action: 'hold' }])
    const article = await createArticle()
    const user = await createTestUser()
    let posted: Promise<unknown> | undefined
    let settled = false
    await db.transaction(async (tx) => {
      await tx.update(articles).set({ discussionLocked: true }).where(eq(articles.id, article.id))
      posted = createComment({ articleSlug: article.slug, actorId: user.id, body: 'A miracle' })
      posted.then(
        () => (settled = true),
        () => (settled = true),
      )
      await new Promise((resolve) => setTimeout(resolve, 500))
      // Still waiting on the story's row while the lock is uncommitted (checked before COMMIT is
      // sent: once it is, the post may finish before this transaction hears back).
      expect(settled).toBe(false)
    })
    await expectCode(posted!, 'discussion-locked')
    expect(await db.$count(comments)).toBe(0)
  })
})

describe('placeholders', () => {
  it('shows every reader, logged out too, the placeholder of a deleted, removed or hidden comment and the replies under it', async () => {
    const { moderateComments } = await import('./moderation.server.ts')
    const article = await createArticle()
    const [ada, bo, reader] = [await createTestUser(), await createTestUser(), await createTestUser()]
    const moderator = await createTestUser({ role: 'moderator' })
    const retire = {
      deleted: (id: number) => deleteComment({ commentId: id, actorId: ada.id }),
      removed: (id: number) => moderateComments({ actor: moderator, commentIds: [id], action: 'remove', reason: 'Off topic' }),
      hidden: (id: number) => moderateComments({ actor: moderator, commentIds: [id], action: 'hide', reason: '' }),
    }
    // For each status, a top-level comment and a reply that end as placeholders, each with a reply.
    const made: { status: keyof typeof retire; top: number; topReply: number; reply: number; replyReply: number }[] = []
    for (const status of Object.keys(retire) as (keyof typeof retire)[]) {
      const top = await createComment({ articleSlug: article.slug, actorId: ada.id, body: `${status} top` })
      const topReply = await createComment({ articleSlug: article.slug, parentId: top.id, actorId: bo.id, body: 'answer' })
      const thread = await createComment({ articleSlug: article.slug, actorId: bo.id, body: 'a thread' })
      const reply = await createComment({ articleSlug: article.slug, parentId: thread.id, actorId: ada.id, body: `${status} reply` })
      const replyReply = await createComment({ articleSlug: article.slug, parentId: reply.id, actorId: bo.id, body: 'answer' })
      await retire[status](top.id)
      await retire[status](reply.id)
      made.push({ status, top: top.id, topReply: topReply.id, reply: reply.id, replyReply: replyReply.id })
    }

    for (const viewer of [null, { id: reader.id }, { id: ada.id }]) {
      const who = viewer === null ? 'logged out' : viewer.id === ada.id ? 'the author' : 'a member'
      const nodes = new Map(flatten((await getDiscussion({ article, viewer, sort: 'old', page: 1 })).tree).map((n) => [n.id, n]))
      for (const { status, top, topReply, reply, replyReply } of made) {
        for (const [placeholder, answer] of [
          [top, topReply],
          [reply, replyReply],
        ] as const) {
          expect(nodes.get(placeholder), `${status} comment, seen ${who}`).toMatchObject({ status, bodyHtml: null })
          expect(
            nodes.get(placeholder)!.children.map((c) => c.id),
            `${status}, seen ${who}`,
          ).toEqual([answer])
          expect(nodes.get(answer)!.bodyHtml).toBe('<p>answer</p>')
          // And on the comment's own page, and above its reply's.
          const own = await getCommentThread({ article, commentId: placeholder, viewer, sort: 'old' })
          expect(own?.tree, `${status} permalink, seen ${who}`).toMatchObject({ id: placeholder, status, bodyHtml: null })
          const below = await getCommentThread({ article, commentId: answer, viewer, sort: 'old' })
          expect(
            below?.ancestors.map((a) => a.id),
            `${status} above its reply, seen ${who}`,
          ).toContain(placeholder)
        }
      }
    }
  })
})

describe('watched words in the write path', () => {
  it('holds a watched word however it is broken up, as readers read the stored comment, and not inside a longer word', async () => {
    await putSetting('watchedWords', [{ word: 'scamcoin', action: 'hold' }])
    const article = await createArticle()
    const writer = await createTestUser()
    for (const body of ['scam**coin**', 'scam\u2062coin', 's\u034Fcam\u180Ecoin', '`scam`coin', '[invest](https://scamcoin.example/)', '&#115;camcoin']) {
      expect((await createComment({ articleSlug: article.slug, actorId: writer.id, body })).status, body).toBe('pending')
    }
    for (const body of ['antiscamcoin measures', 'anti**scamcoin**']) {
      expect((await createComment({ articleSlug: article.slug, actorId: writer.id, body })).status, body).toBe('published')
    }
    const mine = await createComment({ articleSlug: article.slug, actorId: writer.id, body: 'Fine' })
    await editComment({ commentId: mine.id, actorId: writer.id, body: 'Now scam_coin_? No: scam*coin*.' })
    const [row] = await db.select({ status: comments.status }).from(comments).where(eq(comments.id, mine.id))
    expect(row!.status).toBe('pending')
  })
})
