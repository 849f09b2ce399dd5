import { desc, sql } from 'drizzle-orm'
import { database, db } from '#app/db.server.ts'
import { articles, chips } from '#db/schema.ts'
import { isPublicArticle } from './fragments.server.ts'

/** Every public page worth indexing, with when it last changed. Three queries. */
export async function listSitemapEntries() {
  const [articleRows, tagRows, chipRows] = await Promise.all([
    db
      .select({ slug: articles.slug, updatedAt: articles.updatedAt, publishedAt: articles.publishedAt })
      .from(articles)
      .where(isPublicArticle())
      .orderBy(desc(articles.publishedAt)),
    database.rows<{ slug: string; lastmod: string | null }>(sql`
      select t.slug, max(greatest(a.updated_at, a.published_at)) as lastmod
      from tags t
      join article_tags at on at.tag_id = t.id
      join articles a on a.id = at.article_id and a.status in ('published', 'scheduled') and a.published_at <= now()
      group by t.slug order by t.slug`),
    db.select({ slug: chips.slug, updatedAt: chips.updatedAt }).from(chips).orderBy(chips.slug),
  ])
  const latest = (a: Date, b: Date | null) => (b && b > a ? b : a)
  return [
    { path: '/', lastmod: articleRows[0] ? latest(articleRows[0].updatedAt, articleRows[0].publishedAt) : null },
    { path: '/chips', lastmod: chipRows.reduce<Date | null>((m, c) => (!m || c.updatedAt > m ? c.updatedAt : m), null) },
    ...articleRows.map((a) => ({ path: `/articles/${a.slug}`, lastmod: latest(a.updatedAt, a.publishedAt) })),
    ...tagRows.map((t) => ({ path: `/tags/${t.slug}`, lastmod: t.lastmod ? new Date(t.lastmod) : null })),
    ...chipRows.map((c) => ({ path: `/chips/${c.slug}`, lastmod: c.updatedAt })),
  ]
}
