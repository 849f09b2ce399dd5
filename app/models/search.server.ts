import { and, desc, eq, sql } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { articles, chips, users } from '#db/schema.ts'
import { MARK_END, MARK_START, MAX_QUERY_LENGTH } from '#app/lib/search-markers.ts'
import { isPublicArticle } from './fragments.server.ts'

export const RESULTS_PER_PAGE = 10

const headlineOptions = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`

// Markdown punctuation and link targets make poor snippets: strip them before highlighting.
const plainBody = sql`regexp_replace(${articles.body}, '\\]\\([^)]*\\)|[*_\`#>\\[\\]]', '', 'g')`

export type SearchResult =
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number }
  | {
      kind: 'results'
      query: string
      page: number
      pageCount: number
      total: number
      articles: { slug: string; title: string; snippet: string; publishedAt: Date; authorName: string | null }[]
      chips: { slug: string; name: string; vendor: string; snippet: string }[]
    }

/**
 * Full-text search over published articles (title, standfirst, body) and chips, ranked, with
 * highlighted snippets. Reader syntax ("quoted phrases", -exclusions, or) is understood and never an
 * error. Two queries: a page of articles with its total, and the best chips.
 */
export async function search({ query, page }: { query: string; page: number }): Promise<SearchResult> {
  // U+0000 (a "%00" in the address) cannot be sent to Postgres and means nothing to a reader: it
  // counts as a space, like the runs of whitespace that fold into one.
  const q = query
    .replace(/\u0000/g, ' ')
    .trim()
    .replace(/\s+/g, ' ')
  if (!q) return { kind: 'empty' }
  if (q.length > MAX_QUERY_LENGTH) return { kind: 'too-long', length: q.length }
  const tsquery = sql`websearch_to_tsquery('english', ${q})`
  const [articleRows, chipRows] = await Promise.all([
    db
      .select({
        slug: articles.slug,
        title: articles.title,
        publishedAt: articles.publishedAt,
        authorName: users.displayName,
        snippet: sql<string>`ts_headline('english', ${articles.standfirst} || ' ' || ${plainBody}, ${tsquery}, ${headlineOptions})`,
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(articles)
      .leftJoin(users, eq(users.id, articles.authorId))
      .where(and(isPublicArticle(), sql`${articles.searchVector} @@ ${tsquery}`))
      .orderBy(sql`ts_rank_cd(${articles.searchVector}, ${tsquery}) desc`, desc(articles.publishedAt))
      .limit(RESULTS_PER_PAGE)
      .offset((page - 1) * RESULTS_PER_PAGE),
    page === 1
      ? db
          .select({
            slug: chips.slug,
            name: chips.name,
            vendor: chips.vendor,
            snippet: sql<string>`ts_headline('english', ${chips.name} || ' — ' || ${chips.summary}, ${tsquery}, ${headlineOptions})`,
          })
          .from(chips)
          .where(sql`${chips.searchVector} @@ ${tsquery}`)
          .orderBy(sql`ts_rank_cd(${chips.searchVector}, ${tsquery}) desc`, chips.name)
          .limit(5)
      : [],
  ])
  const total = articleRows[0]?.total ?? 0
  return {
    kind: 'results',
    query: q,
    page,
    pageCount: Math.max(1, Math.ceil(total / RESULTS_PER_PAGE)),
    total,
    articles: articleRows.map(({ total: _t, publishedAt, ...r }) => ({ ...r, publishedAt: publishedAt ?? new Date(0) })),
    chips: chipRows,
  }
}
