import { eq } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { tags } from '#db/schema.ts'
import { listPublishedArticles } from './articles.server.ts'

/** A tag and one page of the public articles that carry it. */
export async function getTagWithArticles({ slug, page }: { slug: string; page: number }) {
  const [tag] = await db
    .select({ id: tags.id, slug: tags.slug, name: tags.name, description: tags.description })
    .from(tags)
    .where(eq(tags.slug, slug))
    .limit(1)
  if (!tag) return null
  return { tag, listing: await listPublishedArticles({ page, tagId: tag.id }) }
}
