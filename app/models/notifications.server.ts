import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { articles, notifications, users } from '#db/schema.ts'

const PAGE = 50

/**
 * The newest notifications addressed to the actor (nobody can read another member's), marking them
 * read: opening the list is reading it.
 */
export async function openNotifications({ actorId }: { actorId: string }) {
  const list = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      message: notifications.message,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      actorName: users.displayName,
      articleSlug: articles.slug,
      articleTitle: articles.title,
      commentId: notifications.commentId,
    })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorId))
    .leftJoin(articles, eq(articles.id, notifications.articleId))
    .where(eq(notifications.userId, actorId))
    .orderBy(desc(notifications.createdAt))
    .limit(PAGE)
  if (list.some((n) => n.readAt === null)) {
    await db
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(eq(notifications.userId, actorId), isNull(notifications.readAt)))
  }
  return list
}

export async function countUnreadNotifications({ userId }: { userId: string }) {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
  return row?.n ?? 0
}
