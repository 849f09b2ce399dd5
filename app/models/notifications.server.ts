import { desc, eq } from 'drizzle-orm'
import { db } from '#db/client.server.ts'
import { articles, notifications, users } from '#db/schema.ts'

const PAGE = 50

/** The newest notifications addressed to the actor; nobody can read another member's. */
export async function listNotifications({ actorId }: { actorId: string }) {
  return db
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
}
