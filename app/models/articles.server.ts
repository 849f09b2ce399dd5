import { and, desc, eq, exists, inArray, sql } from 'drizzle-orm'
import { db } from '#db/client.server.ts'
import { articleChips, articles, articleTags, chips, tags, users, type ExportStatus } from '#db/schema.ts'
import { commentSorts, type CommentSort } from '#app/lib/comment-tree.ts'
import { getDiscussion, rememberCommentSort } from './comments.server.ts'
import { chipSummaryColumns, currentExportStatus, exportStatusOn, exportStatusSince, isPublicArticle } from './fragments.server.ts'

export const ARTICLES_PER_PAGE = 10


export type ArticleTagRef = { slug: string; name: string }
export type ArticleChipRef = { slug: string; name: string; exportStatus: ExportStatus }

export type ArticleSummary = {
  id: number
  slug: string
  title: string
  standfirst: string
  publishedAt: Date
  readingMinutes: number
  commentCount: number
  authorName: string | null
  tags: ArticleTagRef[]
  chips: ArticleChipRef[]
}

export type ArticlePage = { articles: ArticleSummary[]; page: number; pageCount: number; total: number }

/**
 * One page of public articles, newest first, optionally those with one tag. Three queries whatever
 * the page size: the page (with its total), then the tags and the chips of the articles on it.
 */
export async function listPublishedArticles({
  page,
  perPage = ARTICLES_PER_PAGE,
  tagId,
}: {
  page: number
  perPage?: number
  tagId?: number
}): Promise<ArticlePage> {
  const withTag =
    tagId === undefined
      ? undefined
      : exists(
          db
            .select({ one: sql`1` })
            .from(articleTags)
            .where(and(eq(articleTags.articleId, articles.id), eq(articleTags.tagId, tagId))),
        )
  const rows = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      standfirst: articles.standfirst,
      publishedAt: articles.publishedAt,
      readingMinutes: articles.readingMinutes,
      commentCount: articles.commentCount,
      authorName: users.displayName,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(articles)
    .leftJoin(users, eq(users.id, articles.authorId))
    .where(and(isPublicArticle(), withTag))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(perPage)
    .offset((page - 1) * perPage)

  const total = rows[0]?.total ?? (page > 1 ? await countPublished(withTag) : 0)
  const { tagsByArticle, chipsByArticle } = await loadArticleRefs(rows.map((r) => r.id))
  return {
    articles: rows.map(({ total: _total, publishedAt, ...row }) => ({
      ...row,
      publishedAt: publishedAt ?? new Date(0),
      tags: tagsByArticle.get(row.id) ?? [],
      chips: chipsByArticle.get(row.id) ?? [],
    })),
    page,
    pageCount: Math.max(1, Math.ceil(total / perPage)),
    total,
  }
}

// Only reached when a page past the end is asked for, to tell the reader how many pages there are.
async function countPublished(withTag: ReturnType<typeof exists> | undefined) {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(articles)
    .where(and(isPublicArticle(), withTag))
  return row?.n ?? 0
}

async function loadArticleRefs(articleIds: number[]) {
  const tagsByArticle = new Map<number, ArticleTagRef[]>()
  const chipsByArticle = new Map<number, ArticleChipRef[]>()
  if (articleIds.length === 0) return { tagsByArticle, chipsByArticle }
  const [tagRows, chipRows] = await Promise.all([
    db
      .select({ articleId: articleTags.articleId, slug: tags.slug, name: tags.name })
      .from(articleTags)
      .innerJoin(tags, eq(tags.id, articleTags.tagId))
      .where(inArray(articleTags.articleId, articleIds))
      .orderBy(tags.name),
    db
      .select({
        articleId: articleChips.articleId,
        slug: chips.slug,
        name: chips.name,
        exportStatus: currentExportStatus(),
      })
      .from(articleChips)
      .innerJoin(chips, eq(chips.id, articleChips.chipId))
      .where(inArray(articleChips.articleId, articleIds))
      .orderBy(chips.name),
  ])
  for (const { articleId, ...tag } of tagRows) push(tagsByArticle, articleId, tag)
  for (const { articleId, ...chip } of chipRows) push(chipsByArticle, articleId, chip)
  return { tagsByArticle, chipsByArticle }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const RELATED_LIMIT = 3

/** A public article with what its page shows: author, tags, full chip records, related articles. */
export async function getPublishedArticle({ slug }: { slug: string }) {
  const [article] = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      standfirst: articles.standfirst,
      bodyHtml: articles.bodyHtml,
      readingMinutes: articles.readingMinutes,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
      commentCount: articles.commentCount,
      discussionLocked: articles.discussionLocked,
      authorName: users.displayName,
    })
    .from(articles)
    .leftJoin(users, eq(users.id, articles.authorId))
    .where(and(eq(articles.slug, slug), isPublicArticle()))
    .limit(1)
  if (!article) return null

  const [articleTagRows, chipRows, related] = await Promise.all([
    db
      .select({ slug: tags.slug, name: tags.name })
      .from(articleTags)
      .innerJoin(tags, eq(tags.id, articleTags.tagId))
      .where(eq(articleTags.articleId, article.id))
      .orderBy(tags.name),
    db
      .select({
        ...chipSummaryColumns,
        // What readers of the day were told, beside what holds now.
        statusAtPublication: exportStatusOn((article.publishedAt ?? new Date()).toISOString().slice(0, 10)),
        statusSince: exportStatusSince,
      })
      .from(articleChips)
      .innerJoin(chips, eq(chips.id, articleChips.chipId))
      .where(eq(articleChips.articleId, article.id))
      .orderBy(chips.vendor, chips.name),
    listRelatedArticles(article.id),
  ])
  return {
    ...article,
    publishedAt: article.publishedAt ?? new Date(0),
    tags: articleTagRows,
    chips: chipRows,
    related,
  }
}

/** Public articles sharing the most tags and chips with this one, newest first among equals. */
async function listRelatedArticles(articleId: number) {
  const shared = sql<number>`(
    (select count(*) from ${articleTags} t1 join ${articleTags} t2 on t2.tag_id = t1.tag_id
      where t1.article_id = ${articleId} and t2.article_id = ${articles.id})
    + (select count(*) from ${articleChips} c1 join ${articleChips} c2 on c2.chip_id = c1.chip_id
      where c1.article_id = ${articleId} and c2.article_id = ${articles.id})
  )`.mapWith(Number)
  const rows = await db
    .select({
      slug: articles.slug,
      title: articles.title,
      publishedAt: articles.publishedAt,
      shared,
    })
    .from(articles)
    .where(and(isPublicArticle(), sql`${articles.id} <> ${articleId}`))
    .orderBy(desc(shared), desc(articles.publishedAt))
    .limit(RELATED_LIMIT)
  return rows
    .filter((r) => r.shared > 0)
    .map(({ shared: _shared, publishedAt, ...r }) => ({ ...r, publishedAt: publishedAt ?? new Date(0) }))
}

/**
 * Everything an article page shows: the article (4 queries) and one page of its discussion
 * (3 queries: see getDiscussion). The member's chosen order is remembered when it changes.
 */
export async function getArticlePage({
  slug,
  viewer,
  sort,
  page,
}: {
  slug: string
  viewer: { id: string; commentSort: string | null } | null
  sort: CommentSort | undefined
  page: number
}) {
  const article = await getPublishedArticle({ slug })
  if (!article) return null
  const remembered = commentSorts.find((s) => s === viewer?.commentSort)
  const chosen = sort ?? remembered ?? 'top'
  const [discussion] = await Promise.all([
    getDiscussion({ article, viewer, sort: chosen, page }),
    viewer && sort && sort !== viewer.commentSort ? rememberCommentSort({ userId: viewer.id, sort }) : null,
  ])
  return { article, discussion, sort: chosen }
}

/** The id of a public article, for the discussion's live stream. */
export async function findPublicArticleId({ slug }: { slug: string }) {
  const [row] = await db
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.slug, slug), isPublicArticle()))
  return row?.id ?? null
}
