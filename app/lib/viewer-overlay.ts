import type { Role } from '#db/enums.ts'
import type { CommentSort } from './comment-tree.ts'
import { commentPermissions, type CommentView } from './comment-view.ts'
import { unpackComments, type PackedDiscussion } from './discussion-codec.ts'

// A story page is rendered once, for everyone (docs/decisions/007-one-rendering-for-everyone.md).
// What belongs to one member travels beside it, as this overlay: who they are, and what they may do
// with the comments the shared page shows. The browser applies it after hydration; nothing in it is
// needed to read the page.

/** The signed-in member as the header shows them. */
export type SignedInMember = {
  id: string
  username: string
  displayName: string
  role: Role
  unreadNotifications: number
  suspended: { until: Date | string; reason: string | null } | null
}

/** The header's view of a signed-in account: a suspension shows only while it lasts. */
export function signedInMember(user: {
  id: string
  username: string
  displayName: string
  role: Role
  unreadNotifications: number
  suspendedUntil: Date | null
  suspensionReason: string | null
}): SignedInMember {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    unreadNotifications: user.unreadNotifications,
    suspended: user.suspendedUntil && user.suspendedUntil > new Date() ? { until: user.suspendedUntil, reason: user.suspensionReason } : null,
  }
}

/** One of the member's own comments on the story, as far as the shared page cannot say. */
export type OwnComment = { id: number; canEdit: boolean; canDelete: boolean; body: string | null }

export type ViewerOverlay = {
  user: SignedInMember
  staff: boolean
  /** The comment limits in force (schemas/comments.ts's CommentLimits). */
  commentLimits: { maxLength: number }
  /** The comments of this story the member has upvoted. */
  votes: number[]
  /** Their own comments on it, published or removed: the shared page shows them, not as theirs. */
  own: OwnComment[]
  /** Their comments awaiting moderation, which no shared page carries, in the codec's form. */
  held: PackedDiscussion
}

/**
 * What the shared rendering of a story page showed of its discussion (viewed by nobody), kept with the
 * stored page so that a member's copy can be given their controls without rendering it again.
 */
export type SharedDiscussionView = { slug: string; now: string; comments: CommentView[]; place: PagePlace }

/** Where the page sits in its discussion, for placing held comments as the member's own render would. */
export type PagePlace = { sort: CommentSort; page: number; pageCount: number; locked: boolean; maxDepth: number; repliesPerThread: number }

/**
 * Orders comments as the discussion's queries do (pinned first, then by the sort): negative when `a`
 * comes first.
 */
export function compareComments(sort: CommentSort) {
  const time = (c: CommentView) => new Date(c.createdAt).getTime()
  return (a: CommentView, b: CommentView) => {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1
    if (sort === 'top' && a.score !== b.score) return b.score - a.score
    const newestFirst = sort === 'new' ? -1 : 1
    return (time(a) - time(b) || a.id - b.id) * newestFirst
  }
}

/**
 * The shared page's comments as `overlay`'s member sees them: their votes and their own comments
 * marked, the controls they may use, and their held comments placed where their own render would put
 * them. `comments` are a page's rows in display order (unpackComments), viewed by nobody.
 */
export function applyViewerOverlay(comments: readonly CommentView[], overlay: ViewerOverlay, place: PagePlace): CommentView[] {
  const votes = new Set(overlay.votes)
  const own = new Map(overlay.own.map((c) => [c.id, c]))
  const rows: CommentView[] = comments.map((comment) => {
    const mine = own.get(comment.id)
    const permissions = commentPermissions({
      signedIn: true,
      isOwn: mine !== undefined,
      status: comment.status,
      locked: place.locked,
      withinEditWindow: false,
    })
    return {
      ...comment,
      viewerVoted: votes.has(comment.id),
      isOwn: mine !== undefined,
      ...permissions,
      canEdit: mine?.canEdit ?? false,
      canDelete: mine?.canDelete ?? false,
      body: mine?.canEdit ? mine.body : null,
    }
  })
  const held = unpackComments(overlay.held).sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || a.id - b.id)
  for (const comment of held) {
    if (rows.some((r) => r.id === comment.id) || !belongsOnPage(comment, rows, place)) continue
    insertAmongSiblings(rows, comment, compareComments(place.sort))
  }
  return rows
}

/** Whether the member's own render of this page would show their held `comment`. */
function belongsOnPage(comment: CommentView, rows: CommentView[], place: PagePlace) {
  const compare = compareComments(place.sort)
  if (comment.parentId === null) {
    const roots = rows.filter((r) => r.parentId === null)
    const first = roots[0]
    const last = roots.at(-1)
    // Between this page's first and last top-level comments, or beyond them on the first or last page.
    return (place.page === 1 || !first || compare(comment, first) > 0) && (place.page >= place.pageCount || !last || compare(comment, last) < 0)
  }
  const byId = new Map(rows.map((r) => [r.id, r]))
  const parent = byId.get(comment.parentId)
  if (!parent || comment.depth > place.maxDepth) return false
  // A thread shows its oldest replies, up to its share of the page.
  let root = parent
  while (root.parentId !== null && byId.has(root.parentId)) root = byId.get(root.parentId)!
  const shown = rows.filter((r) => r.parentId !== null && rootOf(r, byId) === root.id)
  const newest = Math.max(...shown.map((r) => new Date(r.createdAt).getTime()))
  return shown.length < place.repliesPerThread || new Date(comment.createdAt).getTime() < newest
}

function rootOf(comment: CommentView, byId: Map<number, CommentView>) {
  let current = comment
  while (current.parentId !== null && byId.has(current.parentId)) current = byId.get(current.parentId)!
  return current.id
}

/** Puts `comment` before the first of its siblings that sorts after it, or after all of them. */
function insertAmongSiblings(rows: CommentView[], comment: CommentView, compare: (a: CommentView, b: CommentView) => number) {
  const before = rows.findIndex((r) => r.parentId === comment.parentId && compare(comment, r) < 0)
  if (before === -1) rows.push(comment)
  else rows.splice(before, 0, comment)
}
