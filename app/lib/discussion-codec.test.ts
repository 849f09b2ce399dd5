import { describe, expect, it } from 'vitest'
import { buildCommentTree } from './comment-tree.ts'
import { packDiscussion, unpackDiscussion } from './discussion-codec.ts'
import type { CommentView } from './comment-view.ts'

function comment(overrides: Partial<CommentView> & { id: number }): CommentView {
  return {
    parentId: null,
    depth: 0,
    status: 'published',
    score: 0,
    replyCount: 0,
    pinned: false,
    createdAt: new Date('2026-11-01T10:00:00.123Z'),
    editedAt: null,
    author: { name: 'Ada', username: 'ada', deleted: false, staff: null },
    bodyHtml: null,
    moderationReason: null,
    body: null,
    viewerVoted: false,
    isOwn: false,
    canEdit: false,
    canDelete: false,
    canVote: true,
    canReply: true,
    ...overrides,
  }
}

describe('the discussion codec', () => {
  it('gives back exactly the tree it was given', () => {
    const rows = [
      comment({ id: 1, score: 12, replyCount: 2, pinned: true }),
      comment({
        id: 2,
        parentId: 1,
        depth: 1,
        author: { name: 'Bo, “the critic”; ok', username: 'bo', deleted: false, staff: 'moderator' },
        viewerVoted: true,
      }),
      comment({ id: 40, parentId: 2, depth: 2, status: 'removed', moderationReason: 'Spam; links, “quotes”', canVote: false }),
      comment({
        id: 3,
        parentId: 1,
        depth: 1,
        isOwn: true,
        canEdit: true,
        canDelete: true,
        canVote: false,
        body: 'my *words*',
        bodyHtml: '<p>my <em>words</em></p>',
        editedAt: new Date('2026-11-02T00:00:00Z'),
      }),
      comment({ id: 99_999_999, score: -3, author: { name: 'Deleted user', username: null, deleted: true, staff: null }, status: 'deleted' }),
      comment({ id: 7, status: 'pending', isOwn: true, bodyHtml: '<p>held</p>' }),
      comment({ id: 50, author: { name: 'Priya', username: 'priya', deleted: false, staff: 'author' } }),
      comment({ id: 51, author: { name: 'Ada Admin', username: 'admin', deleted: false, staff: 'admin' }, pinned: true, canReply: false }),
    ]
    const tree = buildCommentTree(rows)
    const packed = packDiscussion(tree)
    expect(unpackDiscussion(JSON.parse(JSON.stringify(packed)) as typeof packed)).toEqual(tree)
    // Authors appear once however often they write.
    expect(packed.authors.filter((a) => a === 'Ada')).toHaveLength(1)
  })

  it('packs an empty discussion', () => {
    expect(unpackDiscussion(packDiscussion([]))).toEqual([])
  })
})
