import { commentStatuses } from '#db/enums.ts'
import { buildCommentTree, type CommentNode } from './comment-tree.ts'
import type { CommentView } from './comment-view.ts'
import { staffBadgeRoles } from './roles.ts'

// A discussion travels to the browser in a compact form. As plain route data, each comment cost
// some 360 bytes of hydration script (twenty keys, escaped twice), more than its visible markup;
// packed, it is one short line of base-36 numbers, authors are listed once, and words (bodies,
// removal reasons, a member's own editable source) go only where they exist and are not already in
// the page (see html-store.server.ts). Server render and hydration both unpack the same value.

export type PackedDiscussion = {
  /** name and username (empty for a deleted account) of each author, in pairs. */
  authors: string[]
  /** One comment per `;`: id,parent,depth,status,score,replies,flags,created,edited,author (base 36). */
  rows: string
  /** bodyHtml, moderationReason, body for the comments that carry any, by id. */
  texts: Record<string, [string | null, string | null, string | null]>
}

const flagNames = ['pinned', 'viewerVoted', 'isOwn', 'canEdit', 'canDelete', 'canVote', 'canReply'] as const
const DELETED_AUTHOR = 1 << flagNames.length
// The author's staff role, as its index + 1 in staffBadgeRoles, in the two bits above.
const STAFF_SHIFT = flagNames.length + 1

const b36 = (n: number) => n.toString(36)
const unb36 = (s: string) => parseInt(s, 36)

/** A tree's comments in display order, without their nesting. */
export function flatten(nodes: CommentNode<CommentView>[], out: CommentView[] = []): CommentView[] {
  for (const { children, descendantCount: _count, ...comment } of nodes) {
    out.push(comment)
    flatten(children, out)
  }
  return out
}

export function packDiscussion(tree: CommentNode<CommentView>[]): PackedDiscussion {
  const authors: string[] = []
  const authorIndex = new Map<string, number>()
  const rows: string[] = []
  const texts: PackedDiscussion['texts'] = {}
  for (const c of flatten(tree)) {
    const authorKey = `${c.author.name}\u0000${c.author.username ?? ''}`
    let author = authorIndex.get(authorKey)
    if (author === undefined) {
      author = authors.length / 2
      authorIndex.set(authorKey, author)
      authors.push(c.author.name, c.author.username ?? '')
    }
    let flags = c.author.deleted ? DELETED_AUTHOR : 0
    if (c.author.staff) flags |= (staffBadgeRoles.indexOf(c.author.staff) + 1) << STAFF_SHIFT
    flagNames.forEach((name, bit) => {
      if (c[name]) flags |= 1 << bit
    })
    rows.push(
      [
        b36(c.id),
        c.parentId === null ? '' : b36(c.parentId),
        b36(c.depth),
        b36(commentStatuses.indexOf(c.status)),
        // Scores can go below zero only in theory; keep the sign.
        c.score < 0 ? `-${b36(-c.score)}` : b36(c.score),
        b36(c.replyCount),
        b36(flags),
        b36(new Date(c.createdAt).getTime()),
        c.editedAt ? b36(new Date(c.editedAt).getTime()) : '',
        b36(author),
      ].join(','),
    )
    if (c.bodyHtml !== null || c.moderationReason !== null || c.body !== null) {
      texts[b36(c.id)] = [c.bodyHtml, c.moderationReason, c.body]
    }
  }
  return { authors, rows: rows.join(';'), texts }
}

export function unpackDiscussion(packed: PackedDiscussion): CommentNode<CommentView>[] {
  return buildCommentTree(unpackComments(packed))
}

/** The packed comments as flat rows, in the order they were packed (display order). */
export function unpackComments({ authors, rows, texts }: PackedDiscussion): CommentView[] {
  if (rows === '') return []
  return rows.split(';').map((row): CommentView => {
    const [id, parent, depth, status, score, replies, flags, created, edited, author] = row.split(',') as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    const bits = unb36(flags)
    const [bodyHtml, moderationReason, body] = texts[id] ?? [null, null, null]
    const a = unb36(author) * 2
    const username = authors[a + 1] ?? ''
    const comment = {
      id: unb36(id),
      parentId: parent === '' ? null : unb36(parent),
      depth: unb36(depth),
      status: commentStatuses[unb36(status)] ?? 'published',
      score: score.startsWith('-') ? -unb36(score.slice(1)) : unb36(score),
      replyCount: unb36(replies),
      createdAt: new Date(unb36(created)),
      editedAt: edited === '' ? null : new Date(unb36(edited)),
      author: {
        name: authors[a] ?? 'Deleted user',
        username: username === '' ? null : username,
        deleted: (bits & DELETED_AUTHOR) !== 0,
        staff: staffBadgeRoles[((bits >> STAFF_SHIFT) & 3) - 1] ?? null,
      },
      bodyHtml,
      moderationReason,
      body,
    } as CommentView
    flagNames.forEach((name, bit) => {
      comment[name] = (bits & (1 << bit)) !== 0
    })
    return comment
  })
}
