import { and, desc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { database, db } from '#app/db.server.ts'
import {
  articles,
  comments,
  moderationActions,
  reports,
  sessions,
  users,
  type CommentStatus,
  type ModerationActionKind,
  type ReportReason,
  type Role,
} from '#db/schema.ts'
import { assertRole, assertStaff, adminRoles, newsroomRoles, type Actor } from './admin.server.ts'
import { changeCommentStatus, notifyReply } from './comments.server.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { isAdmin, isStaff } from '#app/lib/roles.ts'
import { isPublicArticle } from './fragments.server.ts'
import { publishEvent } from './events.server.ts'
import { consumeRateLimit } from './rate-limits.server.ts'
import { getSettings } from './settings.server.ts'
import { lockActiveMember } from './users.server.ts'

type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0]

/** Every moderator step leaves a line in the log, in the same transaction as the step. */
async function logAction(
  tx: Transaction,
  entry: {
    actorId: string | null
    action: ModerationActionKind
    commentId?: number | null
    articleId?: number | null
    targetUserId?: string | null
    reason?: string
    details?: Record<string, unknown>
  },
) {
  await tx.insert(moderationActions).values({
    actorId: entry.actorId,
    action: entry.action,
    commentId: entry.commentId ?? null,
    articleId: entry.articleId ?? null,
    targetUserId: entry.targetUserId ?? null,
    reason: entry.reason ?? '',
    details: entry.details ?? {},
  })
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

/**
 * A member reports a comment. One report per member per comment (a second is acknowledged, not
 * counted), and a few per hour per account (a setting). At the threshold (a setting) the comment is
 * hidden until a moderator reviews it; only reports from accounts that were old enough when they
 * reported (a setting), or from the newsroom, count toward it, so a handful of accounts made a
 * moment ago cannot hide anyone. Every report is kept and shown to moderators all the same.
 */
export async function reportComment({ actorId, commentId, reason, note }: { actorId: string; commentId: number; reason: ReportReason; note: string }) {
  const { reportThreshold, reportMinAccountHours, reportsPerHour } = await getSettings(['reportThreshold', 'reportMinAccountHours', 'reportsPerHour'])
  return db.transaction(async (tx) => {
    // Checked with the report, the member's row locked until it commits: a ban lands before or after it.
    await lockActiveMember(tx, actorId)
    const [comment] = await tx
      .select({ id: comments.id, articleId: comments.articleId, authorId: comments.authorId, status: comments.status })
      .from(comments)
      .where(eq(comments.id, commentId))
      .for('update')
    if (!comment || (comment.status !== 'published' && comment.status !== 'hidden')) {
      throw new DomainError('not-found', 'That comment is no longer there to report.')
    }
    if (comment.authorId === actorId) throw new DomainError('forbidden', 'You cannot report your own comment.')
    const inserted = await tx.insert(reports).values({ commentId, reporterId: actorId, reason, note }).onConflictDoNothing().returning({ id: reports.id })
    if (inserted.length === 0) return { received: true, alreadyReported: true, hidden: comment.status === 'hidden' }
    // Counted with the report, after it is known to be new: a repeat costs nothing, and a refusal
    // rolls the report back with the count.
    await consumeRateLimit({ key: `report:hour:${actorId}`, limit: reportsPerHour, windowSeconds: 3600, action: 'reports in an hour' }, tx)
    const [open] = await tx
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(reports)
      .innerJoin(users, eq(users.id, reports.reporterId))
      .where(and(eq(reports.commentId, commentId), isNull(reports.resolvedAt), countsTowardHiding(reportMinAccountHours)))
    let hidden = comment.status === 'hidden'
    if (comment.status === 'published' && (open?.n ?? 0) >= reportThreshold) {
      await changeCommentStatus(tx, comment, 'hidden')
      await logAction(tx, {
        actorId: null,
        action: 'hide',
        commentId,
        articleId: comment.articleId,
        targetUserId: comment.authorId,
        reason: `Hidden automatically after ${open?.n} reports, pending review`,
        details: { automatic: true },
      })
      await publishEvent(tx, { type: 'comment-changed', articleId: comment.articleId, commentId })
      hidden = true
    }
    return { received: true, alreadyReported: false, hidden }
  })
}

/**
 * Whether a report (joined with its reporter) counts toward hiding: the newsroom's always, a
 * member's when their account was at least `minAccountHours` old at the time they reported.
 */
function countsTowardHiding(minAccountHours: number) {
  return or(inArray(users.role, newsroomRoles), sql`${users.createdAt} <= ${reports.createdAt} - make_interval(hours => ${minAccountHours})`)
}

// ---------------------------------------------------------------------------------------------
// Acting on comments
// ---------------------------------------------------------------------------------------------

export const commentModerationActions = ['approve', 'hide', 'remove', 'restore'] as const
export type CommentModerationAction = (typeof commentModerationActions)[number]

const transitions: Record<CommentModerationAction, { from: CommentStatus[]; to: CommentStatus }> = {
  approve: { from: ['pending', 'hidden'], to: 'published' },
  hide: { from: ['published'], to: 'hidden' },
  remove: { from: ['published', 'hidden', 'pending'], to: 'removed' },
  restore: { from: ['removed', 'hidden'], to: 'published' },
}

/**
 * Approves, hides, removes or restores comments, one or many, in one transaction: each change is
 * logged, its reports are resolved (except by a plain hide), and readers see it at once.
 */
export async function moderateComments({
  actor,
  commentIds,
  action,
  reason,
}: {
  actor: Actor
  commentIds: number[]
  action: CommentModerationAction
  reason: string
}) {
  assertStaff(actor)
  if (commentIds.length === 0) throw new DomainError('invalid-input', 'Select at least one comment.')
  if (action === 'remove' && reason.trim().length === 0) {
    throw new DomainError('invalid-input', 'Give a reason for removing: readers see it in the placeholder.', { field: 'reason' })
  }
  const { to, from } = transitions[action]
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: comments.id,
        articleId: comments.articleId,
        authorId: comments.authorId,
        parentId: comments.parentId,
        status: comments.status,
      })
      .from(comments)
      .where(inArray(comments.id, commentIds))
      .for('update')
    let changed = 0
    for (const comment of rows) {
      if (!from.includes(comment.status)) continue
      await changeCommentStatus(tx, comment, to, {
        moderationReason: action === 'remove' ? reason.trim() : null,
        ...(to === 'published' ? { heldRule: null, heldDetail: null } : {}),
      })
      if (action !== 'hide') {
        await tx
          .update(reports)
          .set({ resolvedAt: sql`now()`, resolvedById: actor.id })
          .where(and(eq(reports.commentId, comment.id), isNull(reports.resolvedAt)))
      }
      if (action === 'approve' && comment.status === 'pending' && comment.authorId) {
        // A held comment reaches the discussion now: its parent's author hears of it, as they would have.
        const [parent] = comment.parentId ? await tx.select({ authorId: comments.authorId }).from(comments).where(eq(comments.id, comment.parentId)) : []
        await notifyReply(tx, { parentAuthorId: parent?.authorId ?? null, actorId: comment.authorId, articleId: comment.articleId, commentId: comment.id })
      }
      await logAction(tx, {
        actorId: actor.id,
        action,
        commentId: comment.id,
        articleId: comment.articleId,
        targetUserId: comment.authorId,
        reason: reason.trim(),
        details: { from: comment.status, to },
      })
      await publishEvent(tx, { type: 'comment-changed', articleId: comment.articleId, commentId: comment.id })
      changed++
    }
    return { changed, skipped: commentIds.length - changed }
  })
}

/**
 * Pins a published top-level comment to the top of its discussion, or unpins a comment. Asking for
 * the state a comment is already in changes nothing and logs nothing.
 */
export async function setCommentPinned({ actor, commentId, pinned }: { actor: Actor; commentId: number; pinned: boolean }) {
  assertStaff(actor)
  return db.transaction(async (tx) => {
    const [comment] = await tx
      .select({
        id: comments.id,
        articleId: comments.articleId,
        authorId: comments.authorId,
        parentId: comments.parentId,
        status: comments.status,
        pinned: comments.pinned,
      })
      .from(comments)
      .where(eq(comments.id, commentId))
      .for('update')
    if (!comment) throw new DomainError('not-found', 'That comment does not exist.')
    if (comment.pinned === pinned) return { changed: false }
    // Unpinning is always allowed: it is how a pin on a comment that has since gone is taken off.
    if (pinned) {
      if (comment.parentId !== null) throw new DomainError('invalid-input', 'Only a top-level comment can be pinned, not a reply.')
      if (comment.status !== 'published') {
        throw new DomainError('comment-unavailable', 'Only a published comment can be pinned: this one is held, hidden, removed or deleted.')
      }
    }
    await tx.update(comments).set({ pinned }).where(eq(comments.id, commentId))
    await logAction(tx, { actorId: actor.id, action: pinned ? 'pin' : 'unpin', commentId, articleId: comment.articleId, targetUserId: comment.authorId })
    await publishEvent(tx, { type: 'comment-changed', articleId: comment.articleId, commentId })
    return { changed: true }
  })
}

export async function setDiscussionLocked({ actor, articleId, locked, reason }: { actor: Actor; articleId: number; locked: boolean; reason: string }) {
  assertStaff(actor)
  return db.transaction(async (tx) => {
    const [article] = await tx.update(articles).set({ discussionLocked: locked }).where(eq(articles.id, articleId)).returning({ id: articles.id })
    if (!article) throw new DomainError('not-found', 'That article does not exist.')
    await logAction(tx, { actorId: actor.id, action: locked ? 'lock' : 'unlock', articleId, reason: reason.trim() })
  })
}

export async function setSlowMode({ actor, articleId, seconds }: { actor: Actor; articleId: number; seconds: number }) {
  assertStaff(actor)
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
    throw new DomainError('invalid-input', 'Slow mode is a whole number of seconds from 0 (off) to 86,400.', { field: 'seconds' })
  }
  return db.transaction(async (tx) => {
    const [article] = await tx.update(articles).set({ slowModeSeconds: seconds }).where(eq(articles.id, articleId)).returning({ id: articles.id })
    if (!article) throw new DomainError('not-found', 'That article does not exist.')
    await logAction(tx, { actorId: actor.id, action: 'slow_mode', articleId, details: { seconds } })
  })
}

// ---------------------------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------------------------

const QUEUE_PAGE = 50

/**
 * Reported and held comments, oldest first, with what a moderator needs beside each: the article,
 * the parent comment, the author's account age and recent comments, and the reports (each saying
 * whether it counts toward hiding). Five queries whatever the queue's length.
 */
export async function getModerationQueue({ actor }: { actor: Actor }) {
  assertStaff(actor)
  const { reportMinAccountHours } = await getSettings(['reportMinAccountHours'])
  const items = await db
    .select({
      id: comments.id,
      status: comments.status,
      body: comments.body,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      parentId: comments.parentId,
      pinned: comments.pinned,
      heldRule: comments.heldRule,
      heldDetail: comments.heldDetail,
      articleId: articles.id,
      articleSlug: articles.slug,
      articleTitle: articles.title,
      discussionLocked: articles.discussionLocked,
      slowModeSeconds: articles.slowModeSeconds,
      authorId: users.id,
      authorName: users.displayName,
      authorUsername: users.username,
      authorSince: users.createdAt,
      authorBanned: users.bannedAt,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(
      or(
        inArray(comments.status, ['pending', 'hidden']),
        sql`exists (select 1 from ${reports} r where r.comment_id = ${comments.id} and r.resolved_at is null)`,
      ),
    )
    .orderBy(comments.createdAt)
    .limit(QUEUE_PAGE)
  const ids = items.map((i) => i.id)
  const parentIds = items.flatMap((i) => (i.parentId ? [i.parentId] : []))
  const authorIds = [...new Set(items.flatMap((i) => (i.authorId ? [i.authorId] : [])))]
  const [reportRows, parents, history] = await Promise.all([
    ids.length
      ? db
          .select({
            commentId: reports.commentId,
            reason: reports.reason,
            note: reports.note,
            createdAt: reports.createdAt,
            reporterName: users.displayName,
            // A report from an account too new to count is shown, but did not help hide the comment.
            counted: sql<boolean>`coalesce(${countsTowardHiding(reportMinAccountHours)}, false)`.mapWith(Boolean),
          })
          .from(reports)
          .leftJoin(users, eq(users.id, reports.reporterId))
          .where(and(inArray(reports.commentId, ids), isNull(reports.resolvedAt)))
          .orderBy(reports.createdAt)
      : [],
    parentIds.length
      ? db
          .select({ id: comments.id, bodyHtml: comments.bodyHtml, status: comments.status, authorName: users.displayName })
          .from(comments)
          .leftJoin(users, eq(users.id, comments.authorId))
          .where(inArray(comments.id, parentIds))
      : [],
    authorIds.length
      ? database.rows<{ author_id: string; id: number; status: CommentStatus; created_at: string; excerpt: string }>(sql`
          select author_id, id, status, created_at, left(body, 140) as excerpt from (
            select c.*, row_number() over (partition by c.author_id order by c.created_at desc) as n
            from ${comments} c where c.author_id in ${sql`(${sql.join(
              authorIds.map((a) => sql`${a}`),
              sql`, `,
            )})`}
          ) recent where n <= 5 order by created_at desc`)
      : [],
  ])
  const parentById = new Map(parents.map((p) => [p.id, p]))
  return items.map((item) => ({
    ...item,
    reports: reportRows.filter((r) => r.commentId === item.id),
    parent: item.parentId ? (parentById.get(item.parentId) ?? null) : null,
    history: history
      .filter((h) => h.author_id === item.authorId && Number(h.id) !== item.id)
      .map((h) => ({ id: Number(h.id), status: h.status, createdAt: new Date(h.created_at), excerpt: h.excerpt })),
  }))
}

/** Articles with their discussion controls, for locking and slow mode. */
export async function listDiscussions({ actor }: { actor: Actor }) {
  assertStaff(actor)
  return db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      commentCount: articles.commentCount,
      discussionLocked: articles.discussionLocked,
      slowModeSeconds: articles.slowModeSeconds,
    })
    .from(articles)
    .where(inArray(articles.status, ['published', 'scheduled']))
    .orderBy(desc(articles.publishedAt))
}

// ---------------------------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------------------------

export async function searchMembers({ actor, query }: { actor: Actor; query: string }) {
  assertStaff(actor)
  const q = query.trim()
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
      bannedAt: users.bannedAt,
      suspendedUntil: users.suspendedUntil,
      // Qualified by hand: inside the subquery a bare "id" would be the comment's.
      comments: sql<number>`(select count(*)::int from ${comments} c where c.author_id = "users"."id")`.mapWith(Number),
    })
    .from(users)
    .where(
      and(isNull(users.deletedAt), q ? or(ilike(users.username, pattern), ilike(users.displayName, pattern), ilike(users.email, pattern)) : undefined),
    )
    .orderBy(desc(users.createdAt))
    .limit(100)
}

export async function getMemberDetail({ actor, userId }: { actor: Actor; userId: string }) {
  assertStaff(actor)
  const [member] = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
      bannedAt: users.bannedAt,
      banReason: users.banReason,
      suspendedUntil: users.suspendedUntil,
      suspensionReason: users.suspensionReason,
      alwaysPremoderate: users.alwaysPremoderate,
      deletedAt: users.deletedAt,
    })
    .from(users)
    .where(eq(users.id, userId))
  if (!member || member.deletedAt) return null
  const [recentComments, reportsMade, reportsAgainst] = await Promise.all([
    db
      .select({
        id: comments.id,
        status: comments.status,
        excerpt: sql<string>`left(${comments.body}, 200)`,
        createdAt: comments.createdAt,
        articleSlug: articles.slug,
        articleTitle: articles.title,
      })
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .where(eq(comments.authorId, userId))
      .orderBy(desc(comments.createdAt))
      .limit(50),
    db
      .select({ id: reports.id, commentId: reports.commentId, reason: reports.reason, note: reports.note, createdAt: reports.createdAt })
      .from(reports)
      .where(eq(reports.reporterId, userId))
      .orderBy(desc(reports.createdAt))
      .limit(50),
    db
      .select({ id: reports.id, commentId: reports.commentId, reason: reports.reason, note: reports.note, createdAt: reports.createdAt })
      .from(reports)
      .innerJoin(comments, eq(comments.id, reports.commentId))
      .where(eq(comments.authorId, userId))
      .orderBy(desc(reports.createdAt))
      .limit(50),
  ])
  return { member, recentComments, reportsMade, reportsAgainst }
}

/** The member a moderator may act on: not themselves, and staff only by an admin. */
async function requireTarget(tx: Transaction, actor: Actor, userId: string) {
  if (userId === actor.id) throw new DomainError('forbidden', 'You cannot do this to your own account.')
  const [target] = await tx.select({ id: users.id, role: users.role, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId)).for('update')
  if (!target || target.deletedAt) throw new DomainError('not-found', 'That member does not exist.')
  if (isStaff(target.role) && !isAdmin(actor.role)) {
    throw new DomainError('forbidden', 'Only an admin can restrict a moderator or an admin.')
  }
  return target
}

export async function suspendMember({ actor, userId, until, reason }: { actor: Actor; userId: string; until: Date; reason: string }) {
  assertStaff(actor)
  if (until.getTime() <= Date.now()) {
    throw new DomainError('invalid-input', 'A suspension ends in the future.', { field: 'until' })
  }
  return db.transaction(async (tx) => {
    await requireTarget(tx, actor, userId)
    await tx
      .update(users)
      .set({ suspendedUntil: until, suspensionReason: reason.trim() || null })
      .where(eq(users.id, userId))
    await logAction(tx, { actorId: actor.id, action: 'suspend', targetUserId: userId, reason: reason.trim(), details: { until: until.toISOString() } })
  })
}

/** Bans a member: every session ends at once, and they can no longer post, vote, report or log in. */
export async function banMember({ actor, userId, reason }: { actor: Actor; userId: string; reason: string }) {
  assertStaff(actor)
  if (reason.trim().length === 0) throw new DomainError('invalid-input', 'Give the reason the member will see.', { field: 'reason' })
  return db.transaction(async (tx) => {
    await requireTarget(tx, actor, userId)
    await tx.update(users).set({ bannedAt: new Date(), banReason: reason.trim() }).where(eq(users.id, userId))
    await tx.delete(sessions).where(eq(sessions.userId, userId))
    await logAction(tx, { actorId: actor.id, action: 'ban', targetUserId: userId, reason: reason.trim() })
  })
}

export async function liftRestrictions({ actor, userId, reason }: { actor: Actor; userId: string; reason: string }) {
  assertStaff(actor)
  return db.transaction(async (tx) => {
    await requireTarget(tx, actor, userId)
    await tx.update(users).set({ bannedAt: null, banReason: null, suspendedUntil: null, suspensionReason: null }).where(eq(users.id, userId))
    await logAction(tx, { actorId: actor.id, action: 'lift', targetUserId: userId, reason: reason.trim() })
  })
}

export async function setPremoderation({ actor, userId, on }: { actor: Actor; userId: string; on: boolean }) {
  assertStaff(actor)
  return db.transaction(async (tx) => {
    await requireTarget(tx, actor, userId)
    await tx.update(users).set({ alwaysPremoderate: on }).where(eq(users.id, userId))
    await logAction(tx, {
      actorId: actor.id,
      action: on ? 'suspend' : 'lift',
      targetUserId: userId,
      reason: on ? 'Every comment now waits for a moderator' : 'Comments no longer wait for a moderator',
      details: { premoderation: on },
    })
  })
}

/** Removes every comment of a spammer in one action, with one reason, keeping counts exact. */
export async function purgeMemberComments({ actor, userId, reason }: { actor: Actor; userId: string; reason: string }) {
  assertStaff(actor)
  if (reason.trim().length === 0) throw new DomainError('invalid-input', 'Give a reason: readers see it in the placeholders.', { field: 'reason' })
  return db.transaction(async (tx) => {
    await requireTarget(tx, actor, userId)
    const doomed = await tx
      .select({ id: comments.id, articleId: comments.articleId, status: comments.status })
      .from(comments)
      .where(and(eq(comments.authorId, userId), inArray(comments.status, ['published', 'hidden', 'pending'])))
      .for('update')
    for (const comment of doomed) {
      await changeCommentStatus(tx, comment, 'removed', { moderationReason: reason.trim() })
      await publishEvent(tx, { type: 'comment-changed', articleId: comment.articleId, commentId: comment.id })
    }
    await tx
      .update(reports)
      .set({ resolvedAt: sql`now()`, resolvedById: actor.id })
      .where(and(isNull(reports.resolvedAt), inArray(reports.commentId, doomed.length ? doomed.map((c) => c.id) : [-1])))
    await logAction(tx, { actorId: actor.id, action: 'purge', targetUserId: userId, reason: reason.trim(), details: { removed: doomed.length } })
    return { removed: doomed.length }
  })
}

export async function changeRole({ actor, userId, role }: { actor: Actor; userId: string; role: Role }) {
  assertRole(actor, adminRoles, 'change roles')
  return db.transaction(async (tx) => {
    const target = await requireTarget(tx, actor, userId)
    if (target.role === role) return
    await tx.update(users).set({ role }).where(eq(users.id, userId))
    await logAction(tx, { actorId: actor.id, action: 'role', targetUserId: userId, details: { from: target.role, to: role } })
  })
}

// ---------------------------------------------------------------------------------------------
// The log
// ---------------------------------------------------------------------------------------------

const LOG_PAGE = 50

/** The full log for staff: who did what to whom and why, filterable by action and moderator. */
export async function listModerationLog({
  actor,
  action,
  moderator,
  page,
}: {
  actor: Actor
  action?: ModerationActionKind
  moderator?: string
  page: number
}) {
  assertStaff(actor)
  const moderatorUser = alias(users, 'moderator_user')
  const targetUser = alias(users, 'target_user')
  const rows = await db
    .select({
      id: moderationActions.id,
      action: moderationActions.action,
      reason: moderationActions.reason,
      details: moderationActions.details,
      createdAt: moderationActions.createdAt,
      moderatorName: moderatorUser.displayName,
      commentId: moderationActions.commentId,
      articleSlug: articles.slug,
      articleTitle: articles.title,
      targetName: targetUser.displayName,
      targetUserId: moderationActions.targetUserId,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(moderationActions)
    .leftJoin(moderatorUser, eq(moderatorUser.id, moderationActions.actorId))
    .leftJoin(targetUser, eq(targetUser.id, moderationActions.targetUserId))
    .leftJoin(articles, eq(articles.id, moderationActions.articleId))
    .where(
      and(
        action ? eq(moderationActions.action, action) : undefined,
        moderator === 'automatic'
          ? isNull(moderationActions.actorId)
          : moderator
            ? eq(sql`lower(${moderatorUser.username})`, moderator.toLowerCase())
            : undefined,
      ),
    )
    .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
    .limit(LOG_PAGE)
    .offset((page - 1) * LOG_PAGE)
  const total = rows[0]?.total ?? 0
  return { entries: rows, page, pageCount: Math.max(1, Math.ceil(total / LOG_PAGE)) }
}

/**
 * The public log (Lobsters style): what was done and why, with no private details. Reasons are
 * shown, reporters, report notes, emails and removed words never are. Nor is anything a reader
 * cannot open: an entry about an article that is not public (a draft, a story scheduled for
 * later, one taken down) or a comment readers cannot see (held, or on such an article) names
 * neither it, nor its story, nor its author; what the moderators did still shows.
 */
export async function listPublicModerationLog({ page }: { page: number }) {
  const logComment = alias(comments, 'log_comment')
  const articlePublic = sql`coalesce(${isPublicArticle()}, false)`
  // Readers see every comment of a public story but a held one (removed ones as placeholders).
  const commentPublic = sql`(${logComment.id} is not null and ${logComment.status} <> 'pending' and ${articlePublic})`
  const namesNothingHidden = sql`(${moderationActions.commentId} is null or ${commentPublic})`
  const rows = await db
    .select({
      id: moderationActions.id,
      action: moderationActions.action,
      reason: moderationActions.reason,
      createdAt: moderationActions.createdAt,
      automatic: sql<boolean>`${moderationActions.actorId} is null`,
      commentId: sql<number | null>`case when ${commentPublic} then ${moderationActions.commentId} end`,
      articleSlug: sql<string | null>`case when ${articlePublic} and ${namesNothingHidden} then ${articles.slug} end`,
      articleTitle: sql<string | null>`case when ${articlePublic} and ${namesNothingHidden} then ${articles.title} end`,
      targetName: sql<
        string | null
      >`case when ${namesNothingHidden} then (select case when deleted_at is null then display_name end from ${users} t where t.id = ${moderationActions.targetUserId}) end`,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(moderationActions)
    .leftJoin(articles, eq(articles.id, moderationActions.articleId))
    .leftJoin(logComment, eq(logComment.id, moderationActions.commentId))
    .where(sql`${moderationActions.action} not in ('settings', 'role')`)
    .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
    .limit(LOG_PAGE)
    .offset((page - 1) * LOG_PAGE)
  const total = rows[0]?.total ?? 0
  return { entries: rows.map(({ total: _t, ...r }) => r), page, pageCount: Math.max(1, Math.ceil(total / LOG_PAGE)) }
}
