import crypto from 'node:crypto'
import { and, desc, eq, exists, inArray, sql } from 'drizzle-orm'
import MarkdownIt from 'markdown-it'
import { db } from '#app/db.server.ts'
import { articleChips, articles, articleTags, chips, tags, users, type ExportStatus } from '#db/schema.ts'
import {
  buildComparison,
  COMPARE_MAX_CHIPS,
  escapeHtml,
  KEBAB_SLUG,
  renderComparisonHtml,
  splitChipSlugs,
  type ComparableChip,
} from '#app/lib/chip-compare.ts'
import { linkChipMentions } from '#app/lib/chip-mentions.ts'
import { commentSorts, type CommentSort } from '#app/lib/comment-tree.ts'
import { renderMarkdown } from '#app/lib/markdown.ts'
import { getDiscussion } from './comments.server.ts'
import { allChipCards, type ChipSummary } from './chips.server.ts'
import { getChipsForComparison } from './compare.server.ts'
import { chipSummaryColumns, currentExportStatus, exportStatusOn, exportStatusSince, isPublicArticle, jsonObject } from './fragments.server.ts'

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

type ArticleChipRow = ChipSummary & { statusAtPublication: ExportStatus; statusSince: string | null }
type RelatedRow = { slug: string; title: string; publishedAt: string | null }

/**
 * A public article with what its page shows: author, tags, full chip records, related articles and
 * the cards of every chip (for mention links in its discussion). One query: each list is a JSON
 * subquery, so the page's query count does not grow with what the article links to.
 */
export async function getPublishedArticle({ slug }: { slug: string }) {
  const publishedDay = sql`coalesce(${articles.publishedAt}, now())::date`
  // Tags and chips shared with this article, for ranking related stories.
  const shared = sql`(
    (select count(*) from article_tags t1 join article_tags t2 on t2.tag_id = t1.tag_id
      where t1.article_id = ${articles.id} and t2.article_id = other.id)
    + (select count(*) from article_chips c1 join article_chips c2 on c2.chip_id = c1.chip_id
      where c1.article_id = ${articles.id} and c2.article_id = other.id))`
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
      tags: sql<ArticleTagRef[]>`coalesce((
        select json_agg(json_build_object('slug', t.slug, 'name', t.name) order by t.name)
        from article_tags at join tags t on t.id = at.tag_id where at.article_id = ${articles.id}), '[]'::json)`,
      chips: sql<ArticleChipRow[]>`coalesce((
        select json_agg(${jsonObject({
          ...chipSummaryColumns,
          // What readers of the day were told, beside what holds now.
          statusAtPublication: exportStatusOn(publishedDay),
          statusSince: exportStatusSince,
        })} order by ${chips.vendor}, ${chips.name})
        from article_chips join chips on chips.id = article_chips.chip_id where article_chips.article_id = ${articles.id}), '[]'::json)`,
      related: sql<RelatedRow[]>`coalesce((
        select json_agg(json_build_object('slug', r.slug, 'title', r.title, 'publishedAt', r.published_at) order by r.shared desc, r.published_at desc)
        from (
          select other.slug, other.title, other.published_at, ${shared} as shared
          from articles other
          where other.status in ('published', 'scheduled') and other.published_at <= now() and other.id <> ${articles.id}
          order by shared desc, other.published_at desc
          limit ${RELATED_LIMIT}
        ) r where r.shared > 0), '[]'::json)`,
      chipCards: allChipCards(),
    })
    .from(articles)
    .leftJoin(users, eq(users.id, articles.authorId))
    .where(and(eq(articles.slug, slug), isPublicArticle()))
    .limit(1)
  if (!article) return null
  return {
    ...article,
    publishedAt: article.publishedAt ?? new Date(0),
    related: article.related.map((r) => ({ ...r, publishedAt: r.publishedAt ? new Date(r.publishedAt) : new Date(0) })),
  }
}

/**
 * Everything an article page shows: the article (4 queries) and one page of its discussion
 * (3 queries: see getDiscussion), in the order asked for, else the member's own, else Top.
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
  const discussion = await getDiscussion({ article, viewer, sort: chosen, page })
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

// ---------------------------------------------------------------------------------------------
// Rendering an article's body, which authoring.server.ts stores when it saves and shows in previews
// ---------------------------------------------------------------------------------------------

// Only the block structure matters here; the real render (and sanitising) is renderMarkdown's.
const blockParser = new MarkdownIt({ html: false })

type CompareBlock = { startLine: number; endLine: number; slugs: string[] }

/** Top-level fenced blocks whose info string is `compare`; nested ones stay code. */
function findCompareBlocks(body: string): CompareBlock[] {
  return blockParser
    .parse(body, {})
    .filter((t) => t.type === 'fence' && t.level === 0 && t.info.trim().toLowerCase() === 'compare' && t.map)
    .map((t) => ({
      startLine: t.map![0],
      endLine: t.map![1],
      slugs: splitChipSlugs(t.content),
    }))
}

function noteHtml(text: string) {
  return `<p class="compare-note">${escapeHtml(text)}</p>`
}

function renderDirective(slugs: string[], found: Map<string, ComparableChip>): string {
  const unique = [...new Set(slugs)]
  const known = unique.filter((s) => found.has(s))
  const unknown = unique.filter((s) => !found.has(s))
  const shown = known.slice(0, COMPARE_MAX_CHIPS)
  const parts: string[] = []
  if (shown.length > 0) {
    const comparison = buildComparison(shown.map((s) => found.get(s)!))
    parts.push(renderComparisonHtml(comparison, `Comparison: ${comparison.chips.map((c) => c.name).join(', ')}`))
  }
  for (const slug of unknown) parts.push(noteHtml(`(unknown chip: ${slug.slice(0, 80)})`))
  if (known.length > COMPARE_MAX_CHIPS) {
    parts.push(noteHtml(`(a comparison shows at most ${COMPARE_MAX_CHIPS} chips; left out: ${known.slice(COMPARE_MAX_CHIPS).join(', ')})`))
  }
  if (unique.length === 0) parts.push(noteHtml('(no chips named for this comparison)'))
  return parts.join('\n')
}

/**
 * An article body as stored HTML. ```compare blocks become comparison tables: each is swapped for
 * a random placeholder paragraph, the rest goes through renderMarkdown (and its sanitiser), then the
 * placeholders are replaced by tables built here with every value escaped. The placeholder is random
 * per render so an author cannot type one to smuggle markup past the sanitiser.
 */
export async function renderArticleBody(body: string): Promise<string> {
  // Chip names in the text become links (the comparison tables are added after, so they stay as they are).
  const directory = await db.select({ slug: chips.slug, name: chips.name, aliases: chips.aliases }).from(chips)
  // Articles are written by staff, so every mention is linked; the cap is for comments.
  const linked = (html: string) => linkChipMentions(html, directory, { maxLinks: Infinity }).html
  const blocks = findCompareBlocks(body)
  if (blocks.length === 0) return linked(renderMarkdown(body, 'article'))

  const slugs = [...new Set(blocks.flatMap((b) => b.slugs).filter((s) => KEBAB_SLUG.test(s) && s.length <= 200))]
  const found = new Map((await getChipsForComparison({ slugs })).map((c) => [c.slug, c]))

  const nonce = crypto.randomBytes(12).toString('hex')
  const lines = body.split(/\r\n?|\n/)
  const replacements = new Map<string, string>()
  // From the last block back, so earlier line numbers stay valid.
  for (const [index, block] of [...blocks.entries()].reverse()) {
    const token = `tlcompare${nonce}n${index}`
    replacements.set(token, renderDirective(block.slugs, found))
    lines.splice(block.startLine, block.endLine - block.startLine, '', token, '')
  }
  let html = linked(renderMarkdown(lines.join('\n'), 'article'))
  for (const [token, table] of replacements) {
    html = html.replace(`<p>${token}</p>`, () => table)
  }
  return html
}
