import { and, eq, sql } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { comments, commentVotes } from '#db/schema.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { lockActiveMember } from './users.server.ts'

/**
 * Upvotes a comment, or takes the upvote back. One vote per member per comment (the primary key),
 * and the score moves only when a vote row really appeared or disappeared, in the same transaction:
 * concurrent clicks never lose or double a count.
 */
export async function voteOnComment({ commentId, actorId, up }: { commentId: number; actorId: string; up: boolean }) {
  return db.transaction(async (tx) => {
    // Checked with the vote, the member's row locked until it commits: a ban lands before or after it.
    await lockActiveMember(tx, actorId)
    const [comment] = await tx.select({ authorId: comments.authorId, status: comments.status }).from(comments).where(eq(comments.id, commentId))
    if (!comment) throw new DomainError('not-found', 'That comment does not exist.')
    if (comment.authorId === actorId) throw new DomainError('self-vote', 'You cannot vote on your own comment.')
    if (comment.status !== 'published') {
      throw new DomainError('comment-unavailable', 'Only published comments can be voted on.')
    }
    const changed = up
      ? await tx
          .insert(commentVotes)
          .values({ commentId, userId: actorId, value: 1 })
          .onConflictDoNothing()
          .returning({ commentId: commentVotes.commentId })
      : await tx
          .delete(commentVotes)
          .where(and(eq(commentVotes.commentId, commentId), eq(commentVotes.userId, actorId)))
          .returning({ commentId: commentVotes.commentId })
    const [row] =
      changed.length > 0
        ? await tx
            .update(comments)
            .set({ score: sql`${comments.score} + ${up ? 1 : -1}` })
            .where(eq(comments.id, commentId))
            .returning({ score: comments.score })
        : await tx.select({ score: comments.score }).from(comments).where(eq(comments.id, commentId))
    return { score: row!.score, voted: up }
  })
}
