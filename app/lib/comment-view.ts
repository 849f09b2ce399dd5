import type { CommentStatus } from '#db/enums.ts'
import type { StaffRole } from './roles.ts'

// The comments model builds these for a viewer; the discussion component renders them and the codec
// (discussion-codec.ts) packs them for the browser.

/** What a reader may know of a comment: its words only while it is published (or their own, held). */
export type CommentView = {
  id: number
  parentId: number | null
  depth: number
  status: CommentStatus
  score: number
  replyCount: number
  pinned: boolean
  createdAt: Date
  editedAt: Date | null
  /** `staff`: the author's newsroom role, shown as a badge beside (never inside) the name. */
  author: { name: string; username: string | null; deleted: boolean; staff: StaffRole | null }
  bodyHtml: string | null
  /** Why moderators removed it, for the placeholder. */
  moderationReason: string | null
  /** The Markdown source, only for the author while they may still edit. */
  body: string | null
  viewerVoted: boolean
  isOwn: boolean
  canEdit: boolean
  canDelete: boolean
  canVote: boolean
  canReply: boolean
}

/**
 * What a viewer may do with a comment. The one rule for the server's views (the comments model) and
 * for the browser, which adds a member's permissions to a page rendered for everyone (viewer-overlay.ts).
 */
export function commentPermissions({
  signedIn,
  isOwn,
  status,
  locked,
  withinEditWindow,
}: {
  signedIn: boolean
  isOwn: boolean
  status: CommentStatus
  locked: boolean
  withinEditWindow: boolean
}) {
  return {
    canEdit: isOwn && status === 'published' && !locked && withinEditWindow,
    canDelete: isOwn && status !== 'deleted' && status !== 'removed',
    canVote: signedIn && !isOwn && status === 'published',
    canReply: signedIn && !locked && status === 'published',
  }
}
