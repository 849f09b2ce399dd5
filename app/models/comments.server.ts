import { and, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { buildCommentTree, commentSorts, MAX_SHOWN_DEPTH, type CommentSort } from '#app/lib/comment-tree.ts'
import { linkChipMentions } from '#app/lib/chip-mentions.ts'
import { renderMarkdown } from '#app/lib/markdown.ts'
import { db } from '#app/db.server.ts'
import { articles, chipMentions, chips, comments, commentVotes, notifications, users, type CommentStatus, type Role } from '#db/schema.ts'
import { commentPermissions, type CommentView } from '#app/lib/comment-view.ts'
import { isStaffRole, newsroomRoles } from '#app/lib/roles.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { publishEvent } from './events.server.ts'
import { isPublicArticle } from './fragments.server.ts'
import { consumeRateLimit, consumeRateLimits, hitRateLimit, type RateLimit } from './rate-limits.server.ts'
import { runAutoModeration, type Verdict } from '#app/lib/auto-moderation.ts'
import { getSettings } from './settings.server.ts'
import { isNewAccount, lockActiveMember } from './users.server.ts'
import { allChipCards } from './chips.server.ts'
import { readThrough } from '#app/lib/table-cache.server.ts'

export const TOP_LEVEL_PER_PAGE = 50
/**
 * Replies shown under one comment's thread on a page (the oldest, so the shown ones hang together);
 * the rest are a "more replies" link away. With TOP_LEVEL_PER_PAGE it bounds what one page carries,
 * however long a thread grows.
 */
export const REPLIES_PER_THREAD = 10

type Viewer = { id: string } | null

const commentColumns = {
  id: comments.id,
  parentId: comments.parentId,
  rootId: comments.rootId,
  depth: comments.depth,
  status: comments.status,
  body: comments.body,
  bodyHtml: comments.bodyHtml,
  score: comments.score,
  replyCount: comments.replyCount,
  pinned: comments.pinned,
  moderationReason: comments.moderationReason,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
  authorId: comments.authorId,
  authorName: users.displayName,
  authorUsername: users.username,
  authorRole: users.role,
  authorDeletedAt: users.deletedAt,
}

/** The comment columns, with whether `viewer` has upvoted each (read in the same query). */
function commentColumnsFor(viewer: Viewer) {
  return {
    ...commentColumns,
    viewerVoted: viewer
      ? sql<boolean>`exists (select 1 from ${commentVotes} where ${commentVotes.commentId} = ${comments.id} and ${commentVotes.userId} = ${viewer.id})`
      : sql<boolean>`false`,
  }
}

type CommentRow = {
  id: number
  parentId: number | null
  rootId: number | null
  depth: number
  status: CommentStatus
  body: string
  bodyHtml: string
  score: number
  replyCount: number
  pinned: boolean
  moderationReason: string | null
  createdAt: Date
  editedAt: Date | null
  authorId: string | null
  authorName: string | null
  authorUsername: string | null
  authorRole: Role | null
  authorDeletedAt: Date | null
  viewerVoted: boolean
}

function sortOrder(sort: CommentSort): SQL[] {
  if (sort === 'top') return [sql`${comments.pinned} desc`, sql`${comments.score} desc`, sql`${comments.createdAt} asc`, sql`${comments.id} asc`]
  if (sort === 'new') return [sql`${comments.pinned} desc`, sql`${comments.createdAt} desc`, sql`${comments.id} desc`]
  return [sql`${comments.pinned} desc`, sql`${comments.createdAt} asc`, sql`${comments.id} asc`]
}

/** Held comments are seen by their author only. */
function visibleTo(viewer: Viewer) {
  return viewer ? sql`(${comments.status} <> 'pending' or ${comments.authorId} = ${viewer.id})` : sql`${comments.status} <> 'pending'`
}

function toView(
  row: CommentRow,
  { viewer, now, editWindowMs, locked }: { viewer: Viewer; now: number; editWindowMs: number; locked: boolean },
): CommentView {
  const isOwn = viewer !== null && row.authorId === viewer.id
  const readable = row.status === 'published' || (row.status === 'pending' && isOwn)
  const permissions = commentPermissions({
    signedIn: viewer !== null,
    isOwn,
    status: row.status,
    locked,
    withinEditWindow: now - row.createdAt.getTime() < editWindowMs,
  })
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    status: row.status,
    score: row.score,
    replyCount: row.replyCount,
    pinned: row.pinned,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    author: {
      name: row.authorDeletedAt || !row.authorName ? 'Deleted user' : row.authorName,
      username: row.authorDeletedAt ? null : row.authorUsername,
      deleted: Boolean(row.authorDeletedAt) || row.authorId === null,
      staff: !row.authorDeletedAt && row.authorRole && isStaffRole(row.authorRole) ? row.authorRole : null,
    },
    bodyHtml: readable ? row.bodyHtml : null,
    moderationReason: row.status === 'removed' ? row.moderationReason : null,
    body: permissions.canEdit ? row.body : null,
    viewerVoted: row.viewerVoted,
    isOwn,
    ...permissions,
  }
}

type ArticleRef = { id: number; discussionLocked: boolean }

/**
 * One page of an article's discussion as a tree. Three queries whatever its size: the settings, the
 * page of top-level comments, and all their replies down to the shown depth (each row says whether
 * the viewer has upvoted it).
 */
export async function getDiscussion({ article, viewer, sort, page }: { article: ArticleRef; viewer: Viewer; sort: CommentSort; page: number }) {
  const { editWindowMinutes } = await getSettings(['editWindowMinutes'])
  const roots = await db
    .select({ ...commentColumnsFor(viewer), totalRoots: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.articleId, article.id), isNull(comments.parentId), visibleTo(viewer)))
    .orderBy(...sortOrder(sort))
    .limit(TOP_LEVEL_PER_PAGE)
    .offset((page - 1) * TOP_LEVEL_PER_PAGE)
  const rootIds = roots.map((r) => r.id)
  const replies =
    rootIds.length === 0
      ? []
      : await repliesIn(
          // The first replies of each thread, oldest first: a reply is newer than what it answers, so
          // the ones kept always hang together under their top-level comment.
          sql`select id from (
            select c.id, row_number() over (partition by c.root_id order by c.created_at, c.id) as rank
            from ${comments} c
            where c.root_id in (${sql.join(
              rootIds.map((id) => sql`${id}`),
              sql`, `,
            )})
              and c.parent_id is not null and c.depth <= ${MAX_SHOWN_DEPTH} and ${visibleIn('c', viewer)}
          ) ranked where rank <= ${REPLIES_PER_THREAD}`,
          viewer,
          sort,
        )
  const rows: CommentRow[] = [...roots, ...replies]
  const context = { viewer, now: Date.now(), editWindowMs: editWindowMinutes * 60_000, locked: article.discussionLocked }
  const totalRoots = roots[0]?.totalRoots ?? 0
  return {
    tree: buildCommentTree(rows.map((r) => toView(r, context))),
    page,
    pageCount: Math.max(1, Math.ceil(totalRoots / TOP_LEVEL_PER_PAGE)),
    totalRoots,
    maxDepth: MAX_SHOWN_DEPTH,
    repliesPerThread: REPLIES_PER_THREAD,
  }
}

/**
 * What the shared rendering of a story page cannot show one member (see app/lib/viewer-overlay.ts):
 * the comments they upvoted, their own comments with what they may still do to them, and their held
 * ones. One query whatever the discussion's size (and the settings, usually from memory): the story,
 * the member's own comments on it through their index, and their upvotes there, also through theirs,
 * computed once. Nothing if the story is not public.
 */
export async function getViewerComments({ slug, viewer }: { slug: string; viewer: { id: string } }) {
  const upvoted = sql<number[]>`(
    select coalesce(array_agg(v.comment_id), '{}') from ${commentVotes} v
    join ${comments} vc on vc.id = v.comment_id join ${articles} va on va.id = vc.article_id
    where v.user_id = ${viewer.id} and va.slug = ${slug})`
  const [{ editWindowMinutes }, rows] = await Promise.all([
    getSettings(['editWindowMinutes']),
    db
      .select({ ...commentColumnsFor(null), locked: articles.discussionLocked, upvoted })
      .from(articles)
      .leftJoin(comments, and(eq(comments.articleId, articles.id), eq(comments.authorId, viewer.id)))
      .leftJoin(users, eq(users.id, comments.authorId))
      .where(and(eq(articles.slug, slug), isPublicArticle())),
  ])
  const now = Date.now()
  const ownRows = rows.filter((row): row is typeof row & CommentRow => row.id !== null)
  const own = ownRows.map((row) => toView(row, { viewer, now, editWindowMs: editWindowMinutes * 60_000, locked: row.locked }))
  return {
    votes: (rows[0]?.upvoted ?? []).map(Number),
    own: own.filter((c) => c.status !== 'pending').map(({ id, canEdit, canDelete, body }) => ({ id, canEdit, canDelete, body })),
    held: own.filter((c) => c.status === 'pending'),
  }
}

/** Held comments are seen by their author only: the same rule as visibleTo, for raw SQL over `alias`. */
function visibleIn(alias: string, viewer: Viewer) {
  const status = sql.raw(`${alias}.status`)
  const author = sql.raw(`${alias}.author_id`)
  return viewer ? sql`(${status} <> 'pending' or ${author} = ${viewer.id})` : sql`${status} <> 'pending'`
}

/**
 * Replies chosen by `ids` (a query of comment ids), with their authors and whether the viewer upvoted
 * each, in the order of `sort`.
 */
function repliesIn(ids: SQL, viewer: Viewer, sort: CommentSort) {
  return db
    .select(commentColumnsFor(viewer))
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(sql`${comments.id} in (${ids})`)
    .orderBy(...sortOrder(sort))
}

/**
 * A comment's own page: the comment, the chain of parents above it for context, and one page of its
 * direct replies, each with the first replies of its own thread down to the shown depth. Five queries:
 * the settings, the chain (recursive, upwards), then together the chain's rows and the page of
 * replies, then their threads (recursive, downwards); each row says whether the viewer upvoted it.
 */
export async function getCommentThread({
  article,
  commentId,
  viewer,
  sort,
  page = 1,
}: {
  article: ArticleRef
  commentId: number
  viewer: Viewer
  sort: CommentSort
  page?: number
}) {
  const { editWindowMinutes } = await getSettings(['editWindowMinutes'])
  const [chain, children] = await Promise.all([
    // The comment and every comment above it, if it belongs to this story.
    db
      .select(commentColumnsFor(viewer))
      .from(comments)
      .leftJoin(users, eq(users.id, comments.authorId))
      .where(
        sql`${comments.id} in (
          with recursive chain(id, parent_id) as (
            select id, parent_id from ${comments} where id = ${commentId} and article_id = ${article.id}
            union all
            select c.id, c.parent_id from ${comments} c join chain on c.id = chain.parent_id
          ) select id from chain)`,
      )
      .orderBy(comments.depth),
    db
      .select({ ...commentColumnsFor(viewer), total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(comments)
      .leftJoin(users, eq(users.id, comments.authorId))
      .where(and(eq(comments.parentId, commentId), eq(comments.articleId, article.id), visibleTo(viewer)))
      .orderBy(...sortOrder(sort))
      .limit(TOP_LEVEL_PER_PAGE)
      .offset((page - 1) * TOP_LEVEL_PER_PAGE),
  ])
  const focused = chain.at(-1)
  if (!focused || focused.id !== commentId || (focused.status === 'pending' && focused.authorId !== viewer?.id)) return null
  const childIds = children.map((c) => c.id)
  // Below each reply on this page, the first replies of its own thread, as under a top-level comment
  // on the story's page.
  const below =
    childIds.length === 0
      ? []
      : await repliesIn(
          sql`select id from (
            select id, row_number() over (partition by thread order by created_at, id) as rank from (
              with recursive sub(id, thread, hops, created_at, status, author_id) as (
                select id, id, 1, created_at, status, author_id from ${comments}
                where id in (${sql.join(
                  childIds.map((id) => sql`${id}`),
                  sql`, `,
                )})
                union all
                select c.id, sub.thread, sub.hops + 1, c.created_at, c.status, c.author_id
                from ${comments} c join sub on c.parent_id = sub.id where sub.hops < ${MAX_SHOWN_DEPTH}
              ) select * from sub where hops > 1 and ${visibleIn('sub', viewer)}
            ) threads
          ) ranked where rank <= ${REPLIES_PER_THREAD}`,
          viewer,
          sort,
        )
  const ancestors = chain.slice(0, -1)
  const context = { viewer, now: Date.now(), editWindowMs: editWindowMinutes * 60_000, locked: article.discussionLocked }
  const rows: CommentRow[] = [focused, ...children, ...below]
  const [tree] = buildCommentTree(rows.map((r) => ({ ...toView(r, context), parentId: r.id === commentId ? null : r.parentId })))
  const totalReplies = children[0]?.total ?? 0
  return {
    ancestors: ancestors.map((r) => toView(r, context)),
    tree: tree!,
    maxDepth: focused.depth + MAX_SHOWN_DEPTH,
    page,
    pageCount: Math.max(1, Math.ceil(totalReplies / TOP_LEVEL_PER_PAGE)),
  }
}

/** Everything the auto-moderation pipeline needs that is not in the transaction: one round trip each. */
async function prepareModeration(actorId: string, body: string) {
  if (body.trim().length === 0) throw new DomainError('invalid-input', 'Write something before posting.', { field: 'body' })
  const [settings, [actor]] = await Promise.all([
    getSettings(['maxCommentLength', 'watchedWords', 'maxLinks', 'holdFirstComment']),
    db
      .select({
        id: users.id,
        role: users.role,
        createdAt: users.createdAt,
        deletedAt: users.deletedAt,
        bannedAt: users.bannedAt,
        banReason: users.banReason,
        suspendedUntil: users.suspendedUntil,
        alwaysPremoderate: users.alwaysPremoderate,
        // Spelled out: in a one-table select Drizzle leaves column names unqualified, and "id" would
        // then name the comment's.
        hasPublishedComment: sql<boolean>`exists (select 1 from comments c where c.author_id = "users"."id" and c.status = 'published')`,
      })
      .from(users)
      .where(eq(users.id, actorId)),
  ])
  if (!actor || actor.deletedAt) throw new DomainError('unauthenticated', 'Log in to take part in the discussion.')
  if (actor.bannedAt) {
    throw new DomainError('account-unavailable', `This account is banned${actor.banReason ? `: ${actor.banReason}` : '.'}`)
  }
  // `html` is the comment as it will be stored and shown: watched words are matched in what readers read.
  const moderate = (discussionLocked: boolean, html: string) =>
    runAutoModeration({
      body,
      html,
      discussionLocked,
      maxLength: settings.maxCommentLength,
      watchedWords: settings.watchedWords,
      maxLinks: settings.maxLinks,
      // The newsroom is known: the rules for strangers' first words do not apply to it.
      holdFirstComment: settings.holdFirstComment && !newsroomRoles.includes(actor.role),
      member: actor,
      now: new Date(),
    })
  return { actor, moderate }
}

/** Every chip's names, to link in comments: read by every post, kept while the table is unchanged. */
function chipDirectory() {
  return readThrough('chip-directory', ['chips'], () =>
    db.select({ id: chips.id, slug: chips.slug, name: chips.name, aliases: chips.aliases }).from(chips),
  )
}

/** Renders a comment and links the chips it names; the ids are stored as mentions. */
async function renderComment(body: string) {
  const directory = await chipDirectory()
  const { html, slugs } = linkChipMentions(renderMarkdown(body, 'comment'), directory)
  const ids = directory.filter((c) => slugs.includes(c.slug)).map((c) => c.id)
  return { html, chipIds: ids }
}

/**
 * A comment rendered as it would be posted, for the writer's preview. Members only, and throttled:
 * rendering is the costliest thing a form can ask for, and a preview stores nothing to hold anyone to.
 */
export async function previewComment({ actorId, body }: { actorId: string; body: string }) {
  const { previewsPerMinute } = await getSettings(['previewsPerMinute'])
  await consumeRateLimit({ key: `preview:${actorId}`, limit: previewsPerMinute, windowSeconds: 60, action: 'previews in a minute' })
  return (await renderComment(body)).html
}

/** Records the chips a comment names. (An edited comment's old mentions are deleted first.) */
async function addMentions(tx: Transaction, commentId: number, articleId: number, chipIds: number[]) {
  if (chipIds.length) {
    await tx.insert(chipMentions).values(chipIds.map((chipId) => ({ chipId, articleId, commentId })))
  }
}

/** A verdict that refuses the comment, as the error its writer sees (with the text kept). */
const lockedDiscussion = () =>
  new DomainError('discussion-locked', 'Moderators have locked this discussion: it accepts no new comments, replies or edits.')

function refusal(verdict: Exclude<Verdict, { action: 'publish' }>): DomainError {
  if (verdict.rule === 'discussion-locked') return lockedDiscussion()
  if (verdict.rule === 'member-state') return new DomainError('account-unavailable', verdict.message)
  return new DomainError('invalid-input', verdict.message, { field: 'body' })
}

/**
 * Moves a comment to a new status and keeps the counts readers see exact: its article's count of
 * published comments and its parent's count of published replies. The one place that knows which
 * changes add to them or take from them.
 */
export async function changeCommentStatus(
  tx: Transaction,
  comment: { id: number; articleId: number; status: CommentStatus },
  status: CommentStatus,
  extra: Partial<Pick<typeof comments.$inferInsert, 'moderationReason' | 'heldRule' | 'heldDetail' | 'body' | 'bodyHtml'>> = {},
) {
  const [changed] = await tx
    .update(comments)
    .set({ status, ...extra })
    .where(eq(comments.id, comment.id))
    .returning({ parentId: comments.parentId })
  const delta = Number(status === 'published') - Number(comment.status === 'published')
  if (delta !== 0) {
    await tx
      .update(articles)
      .set({ commentCount: sql`greatest(${articles.commentCount} + ${delta}, 0)` })
      .where(eq(articles.id, comment.articleId))
    if (changed?.parentId != null) {
      await tx
        .update(comments)
        .set({ replyCount: sql`greatest(${comments.replyCount} + ${delta}, 0)` })
        .where(eq(comments.id, changed.parentId))
    }
  }
}

type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0]

/** The comment allowances of this member: tighter while the account is new. */
async function commentLimits(actor: { id: string; role: Role; createdAt: Date }): Promise<RateLimit[]> {
  const settings = await getSettings(['commentsPerMinute', 'commentsPerDay', 'newAccountHours', 'newAccountCommentsPerMinute', 'newAccountCommentsPerDay'])
  const isNew = isNewAccount(actor, settings.newAccountHours)
  return [
    {
      key: `comment:minute:${actor.id}`,
      limit: isNew ? settings.newAccountCommentsPerMinute : settings.commentsPerMinute,
      windowSeconds: 60,
      action: 'comments in a minute',
    },
    {
      key: `comment:day:${actor.id}`,
      limit: isNew ? settings.newAccountCommentsPerDay : settings.commentsPerDay,
      windowSeconds: 86_400,
      action: 'comments today',
    },
  ]
}

/**
 * Posts a comment, or a reply when `parentId` is given, through the auto-moderation pipeline: it is
 * published, held for a moderator, or refused with its reason. In one transaction: the comment, its
 * root, the parent's reply count, the article's comment count, the parent author's notification, and
 * the live event (sent by Postgres at commit).
 */
export async function createComment({
  articleSlug,
  parentId,
  actorId,
  body,
}: {
  articleSlug: string
  parentId?: number | null
  actorId: string
  body: string
}) {
  const { actor, moderate } = await prepareModeration(actorId, body)
  const { html: bodyHtml, chipIds } = await renderComment(body)
  const limits = await commentLimits(actor)

  return db.transaction(async (tx) => {
    // The member's state again, locked until this comment commits: a ban or suspension lands either
    // before it (and it is refused) or after it.
    await lockActiveMember(tx, actor.id)
    const [article] = await tx
      .select({
        id: articles.id,
        slug: articles.slug,
        discussionLocked: articles.discussionLocked,
        slowModeSeconds: articles.slowModeSeconds,
      })
      .from(articles)
      .where(and(eq(articles.slug, articleSlug), isPublicArticle()))
    if (!article) throw new DomainError('not-found', 'There is no published story at this address.')

    let depth = 0
    let rootId: number | null = null
    let parentAuthorId: string | null = null
    if (parentId != null) {
      const [parent] = await tx
        .select({
          id: comments.id,
          articleId: comments.articleId,
          rootId: comments.rootId,
          depth: comments.depth,
          status: comments.status,
          authorId: comments.authorId,
        })
        .from(comments)
        .where(eq(comments.id, parentId))
        .for('update')
      if (!parent) throw new DomainError('not-found', 'The comment you are replying to does not exist.')
      if (parent.articleId !== article.id) {
        throw new DomainError('wrong-article', 'That comment belongs to another story’s discussion.')
      }
      if (parent.status !== 'published' && !article.discussionLocked) {
        throw new DomainError('comment-unavailable', 'That comment has been deleted or removed, so it takes no new replies.')
      }
      depth = parent.depth + 1
      rootId = parent.rootId ?? parent.id
      parentAuthorId = parent.authorId
    }

    const verdict = moderate(article.discussionLocked, bodyHtml)
    if (verdict.action === 'reject') throw refusal(verdict)
    if (article.slowModeSeconds > 0) {
      // One comment per member per slow-mode window, counted by an upsert that holds the counter's row
      // until this transaction ends: of several posts at once, one gets the window and the others wait
      // for it and are refused (a refused post rolls its count back with it).
      const { count, retryAfterSeconds } = await hitRateLimit({ key: `slow-mode:${article.id}:${actor.id}`, windowSeconds: article.slowModeSeconds }, tx)
      if (count > 1) {
        const wait = Math.max(1, Math.ceil(retryAfterSeconds))
        throw new DomainError('rate-limited', `This discussion is in slow mode: you can comment again in ${wait} seconds.`, {
          retryAfterSeconds: wait,
        })
      }
    }
    // Counted in the transaction, after the checks: a comment refused as invalid costs no allowance,
    // and a refused one rolls its count back, so the window never drifts past its limit.
    await consumeRateLimits(limits, tx)

    const held = verdict.action === 'hold'
    // The parent counts published replies only: a held one is added when a moderator approves it.
    if (parentId != null && !held) {
      await tx
        .update(comments)
        .set({ replyCount: sql`${comments.replyCount} + 1` })
        .where(eq(comments.id, parentId))
    }
    const [created] = await tx
      .insert(comments)
      .values({
        articleId: article.id,
        parentId: parentId ?? null,
        // (A top-level comment's own id, filled in by the comments_root trigger: migration 0008.)
        rootId,
        depth,
        authorId: actor.id,
        body,
        bodyHtml,
        status: held ? 'pending' : 'published',
        heldRule: held ? verdict.rule : null,
        heldDetail: held ? verdict.detail : null,
      })
      .returning({ id: comments.id, createdAt: comments.createdAt })
    await addMentions(tx, created!.id, article.id, chipIds)
    if (held) {
      // A held comment waits in a discussion that must still be open when it is stored: the story's
      // row, read for share as it is now, is what a moderator's lock changes, so a lock committed
      // meanwhile wins and one being committed waits for this post to finish. (No count changes,
      // so no stronger lock is needed.)
      const [open] = await tx
        .select({ id: articles.id })
        .from(articles)
        .where(and(eq(articles.id, article.id), eq(articles.discussionLocked, false)))
        .for('share')
      if (!open) throw lockedDiscussion()
    } else {
      // The story's row is locked only here, for the last moment of the transaction: members posting
      // to one story at once queue for microseconds, not for each other's whole posting. (Locking it
      // at the start, for share, deadlocked them.) A moderator who locked the discussion meanwhile
      // wins: the condition is checked again on the row as it is now.
      const [counted] = await tx
        .update(articles)
        .set({ commentCount: sql`${articles.commentCount} + 1` })
        .where(and(eq(articles.id, article.id), eq(articles.discussionLocked, false)))
        .returning({ id: articles.id })
      if (!counted) throw lockedDiscussion()
      await notifyReply(tx, { parentAuthorId, actorId: actor.id, articleId: article.id, commentId: created!.id })
      await publishEvent(tx, {
        type: 'comment-created',
        articleId: article.id,
        commentId: created!.id,
        parentId: parentId ?? null,
        authorId: actor.id,
      })
    }
    // The story's page shows the first REPLIES_PER_THREAD replies of a thread: is this one of them?
    const [earlier] =
      rootId === null
        ? [{ n: 0 }]
        : await tx
            .select({ n: sql<number>`count(*)`.mapWith(Number) })
            .from(comments)
            .where(and(eq(comments.rootId, rootId), sql`${comments.parentId} is not null`, sql`${comments.id} < ${created!.id}`))
    return {
      id: created!.id,
      articleSlug: article.slug,
      depth,
      parentId: parentId ?? null,
      shownOnStoryPage: depth <= MAX_SHOWN_DEPTH && (earlier?.n ?? 0) < REPLIES_PER_THREAD,
      status: held ? ('pending' as const) : ('published' as const),
      message: held ? verdict.message : null,
    }
  })
}

/** Tells a comment's author that someone else replied. */
export async function notifyReply(
  tx: Transaction,
  { parentAuthorId, actorId, articleId, commentId }: { parentAuthorId: string | null; actorId: string; articleId: number; commentId: number },
) {
  if (!parentAuthorId || parentAuthorId === actorId) return
  await tx.insert(notifications).values({ userId: parentAuthorId, kind: 'reply', actorId, articleId, commentId })
}

async function requireOwnComment(tx: Transaction, commentId: number, actorId: string) {
  const [comment] = await tx
    .select({ id: comments.id, articleId: comments.articleId, authorId: comments.authorId, status: comments.status, createdAt: comments.createdAt })
    .from(comments)
    .where(eq(comments.id, commentId))
    .for('update')
  if (!comment) throw new DomainError('not-found', 'That comment does not exist.')
  if (comment.authorId !== actorId) throw new DomainError('forbidden', 'You can only change your own comments.')
  return comment
}

/**
 * Edits the actor's own comment while the edit window is open. The new text goes through the same
 * pipeline as a new comment: a published comment whose edit trips a hold rule waits for a moderator.
 */
export async function editComment({ commentId, actorId, body }: { commentId: number; actorId: string; body: string }) {
  const [{ moderate }, { editWindowMinutes }] = await Promise.all([prepareModeration(actorId, body), getSettings(['editWindowMinutes'])])
  const { html: bodyHtml, chipIds } = await renderComment(body)
  return db.transaction(async (tx) => {
    await lockActiveMember(tx, actorId)
    const comment = await requireOwnComment(tx, commentId, actorId)
    if (comment.status !== 'published' && comment.status !== 'pending') {
      throw new DomainError('comment-unavailable', 'This comment has been deleted or removed and cannot be edited.')
    }
    const [article] = await tx.select({ discussionLocked: articles.discussionLocked }).from(articles).where(eq(articles.id, comment.articleId))
    const verdict = moderate(article?.discussionLocked ?? false, bodyHtml)
    if (verdict.action === 'reject') throw refusal(verdict)
    if (Date.now() - comment.createdAt.getTime() >= editWindowMinutes * 60_000) {
      throw new DomainError('edit-window-closed', `Comments can be edited for ${editWindowMinutes} minutes after posting.`)
    }
    await tx.update(comments).set({ body, bodyHtml, editedAt: new Date() }).where(eq(comments.id, commentId))
    await tx.delete(chipMentions).where(eq(chipMentions.commentId, commentId))
    await addMentions(tx, commentId, comment.articleId, chipIds)
    // A hold rule that trips on the new words sends it back to the queue. The first-comment rule
    // does not: it is about the member, who already passed or waits anyway.
    if (verdict.action === 'hold' && verdict.rule !== 'first-comment' && comment.status === 'published') {
      await changeCommentStatus(tx, comment, 'pending', { heldRule: verdict.rule, heldDetail: verdict.detail })
    }
    await publishEvent(tx, { type: 'comment-changed', articleId: comment.articleId, commentId })
    return { id: commentId, message: verdict.action === 'hold' ? verdict.message : null }
  })
}

/**
 * Deletes the actor's own comment: its words are erased, a "[deleted]" placeholder keeps its replies
 * in place, and the article's count drops in the same transaction.
 */
export async function deleteComment({ commentId, actorId }: { commentId: number; actorId: string }) {
  return db.transaction(async (tx) => {
    const comment = await requireOwnComment(tx, commentId, actorId)
    if (comment.status === 'deleted') return { id: commentId }
    if (comment.status === 'removed') {
      throw new DomainError('comment-unavailable', 'Moderators have already removed this comment.')
    }
    await changeCommentStatus(tx, comment, 'deleted', { body: '', bodyHtml: '' })
    await publishEvent(tx, { type: 'comment-changed', articleId: comment.articleId, commentId })
    return { id: commentId }
  })
}

/** The article a comment belongs to, for routes that address comments by article slug and id. */
export async function findCommentArticle({ commentId, articleSlug }: { commentId: number; articleSlug: string }) {
  const [row] = await db
    .select({ id: articles.id, discussionLocked: articles.discussionLocked })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(and(eq(comments.id, commentId), eq(articles.slug, articleSlug), isPublicArticle()))
  return row ?? null
}

export async function rememberCommentSort({ userId, sort }: { userId: string; sort: CommentSort }) {
  await db.update(users).set({ commentSort: sort }).where(eq(users.id, userId))
}

/**
 * A reader's explicit choice of order (a sort link, `?remember=1`): a member keeps it as their own.
 * Answers the address to show it at, without the marker, so the address bar, a shared link and the
 * page cache only ever see `?sort=`.
 */
export async function chooseCommentSort({
  viewer,
  sort,
  url,
}: {
  viewer: { id: string; commentSort: string | null } | null
  sort: CommentSort | undefined
  url: string
}): Promise<string> {
  if (viewer && sort && sort !== viewer.commentSort) await rememberCommentSort({ userId: viewer.id, sort })
  const shown = new URL(url)
  shown.searchParams.delete('remember')
  return shown.pathname + shown.search
}

/** A comment's own page: its article, the parents above it and the replies below it. */
export async function getCommentPage({
  articleSlug,
  commentId,
  viewer,
  sort,
  page = 1,
}: {
  articleSlug: string
  commentId: number
  viewer: (Viewer & { commentSort?: string | null }) | null
  sort: CommentSort | undefined
  page?: number
}) {
  const [article] = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      discussionLocked: articles.discussionLocked,
      // For mention links in the thread, fetched with the article rather than on their own.
      chipCards: allChipCards(),
    })
    .from(articles)
    .where(and(eq(articles.slug, articleSlug), isPublicArticle()))
  if (!article) return null
  const chosen = sort ?? commentSorts.find((s) => s === viewer?.commentSort) ?? 'top'
  const thread = await getCommentThread({ article, commentId, viewer, sort: chosen, page })
  return thread ? { article, ...thread, sort: chosen } : null
}
