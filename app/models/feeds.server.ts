import { and, desc, eq, exists, sql } from 'drizzle-orm'
import sanitizeHtml from 'sanitize-html'
import { db } from '#app/db.server.ts'
import type { FeedData, FeedItem } from '#app/lib/feed-response.server.ts'
import { exportStatusLabels } from '#app/lib/format.ts'
import { articleChips, articles, articleTags, chipExportEvents, chips, comments, tags, users } from '#db/schema.ts'
import { isPublicArticle } from './fragments.server.ts'
import { listPublicModerationLog } from './moderation.server.ts'

// What the feeds carry. A feed's cost does not grow with the site: the newest 50 items, one query.

export const FEED_ITEMS = 50

const SUMMARY_LENGTH = 280

// The ends of blocks and line breaks, where the words on either side must not run together.
const blockEnds = /<\/(?:p|li|blockquote|pre|h[1-6]|tr|th|td|ul|ol|table)>|<br\s*\/?>|<hr\s*\/?>/gi
const textReferences: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&amp;': '&' }

/**
 * The words of stored, sanitised HTML as plain text, on one line. sanitize-html, given no tags to
 * keep, parses the markup properly and writes the text back with exactly these four references, so
 * undoing them gives the text a reader sees on the page.
 */
export function plainTextFromHtml(html: string): string {
  const escaped = sanitizeHtml(html.replace(blockEnds, '$& '), { allowedTags: [], allowedAttributes: {} })
  return escaped
    .replace(/&(?:lt|gt|quot|amp);/g, (ref) => textReferences[ref]!)
    .replace(/[\t\n\f\r ]+/g, ' ')
    .trim()
}

/** At most SUMMARY_LENGTH characters, cut between code points, with an ellipsis when cut. */
export function summarise(text: string): string {
  const points = Array.from(text)
  return points.length > SUMMARY_LENGTH ? `${points.slice(0, SUMMARY_LENGTH - 1).join('')}…` : text
}

/**
 * The site's date, for a feed with nothing in it: its newest public story, or, before the first,
 * when its first account was made (a database with neither is a site not yet set up: now).
 */
async function siteUpdated(): Promise<Date> {
  const [row] = await db
    .select({
      at: sql<Date | string | null>`coalesce(
        (select max(greatest(${articles.publishedAt}, ${articles.updatedAt})) from ${articles} where ${isPublicArticle()}),
        (select min(${users.createdAt}) from ${users})
      )`,
    })
    .from(sql`(select 1) as one`)
  return row?.at ? new Date(row.at) : new Date()
}

export type ArticleFeedScope = { kind: 'site' } | { kind: 'tag'; slug: string } | { kind: 'chip'; slug: string }

async function articleItems(filter: ReturnType<typeof exists> | undefined): Promise<FeedItem[]> {
  const rows = await db
    .select({
      slug: articles.slug,
      title: articles.title,
      standfirst: articles.standfirst,
      bodyHtml: articles.bodyHtml,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
      authorName: users.displayName,
      tagNames: sql<
        string[] | null
      >`(select array_agg(t.name order by t.name) from ${articleTags} at join ${tags} t on t.id = at.tag_id where at.article_id = ${articles.id})`,
    })
    .from(articles)
    .leftJoin(users, eq(users.id, articles.authorId))
    .where(and(isPublicArticle(), filter))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(FEED_ITEMS)
  return rows.map((r) => {
    const published = r.publishedAt ?? r.updatedAt
    return {
      id: `/articles/${r.slug}`,
      title: r.title,
      path: `/articles/${r.slug}`,
      html: r.bodyHtml,
      summary: r.standfirst,
      published,
      // An article published in the future of its last edit (scheduled) was "updated" when it went out.
      updated: r.updatedAt > published ? r.updatedAt : published,
      authors: r.authorName ? [r.authorName] : [],
      categories: r.tagNames ?? [],
    }
  })
}

/** The newest public articles of the site, of a tag, or mentioning a chip; null for an unknown scope. */
export async function getArticleFeed(scope: ArticleFeedScope): Promise<FeedData | null> {
  if (scope.kind === 'site') {
    const items = await articleItems(undefined)
    return {
      title: 'Threadline',
      description: 'Independent reporting on AI accelerators, export controls and open-source AI.',
      path: '/',
      feedPath: '/feed',
      items,
      updatedWhenEmpty: items.length ? items[0]!.updated : await siteUpdated(),
    }
  }
  if (scope.kind === 'tag') {
    const [tag] = await db.select({ id: tags.id, name: tags.name, description: tags.description }).from(tags).where(eq(tags.slug, scope.slug))
    if (!tag) return null
    const filter = exists(
      db
        .select({ one: sql`1` })
        .from(articleTags)
        .where(and(eq(articleTags.articleId, articles.id), eq(articleTags.tagId, tag.id))),
    )
    const items = await articleItems(filter)
    return {
      title: `Threadline: ${tag.name}`,
      description: tag.description || `Stories on ${tag.name}.`,
      path: `/tags/${scope.slug}`,
      feedPath: `/tags/${scope.slug}/feed`,
      items,
      updatedWhenEmpty: items.length ? items[0]!.updated : await siteUpdated(),
    }
  }
  const [chip] = await db
    .select({ id: chips.id, name: chips.name, vendor: chips.vendor, updatedAt: chips.updatedAt })
    .from(chips)
    .where(eq(chips.slug, scope.slug))
  if (!chip) return null
  const filter = exists(
    db
      .select({ one: sql`1` })
      .from(articleChips)
      .where(and(eq(articleChips.articleId, articles.id), eq(articleChips.chipId, chip.id))),
  )
  // Stories about the chip, and the changes to its export-control status, newest first.
  const [stories, events] = await Promise.all([
    articleItems(filter),
    db
      .select({
        id: chipExportEvents.id,
        rule: chipExportEvents.rule,
        effectiveDate: chipExportEvents.effectiveDate,
        status: chipExportEvents.status,
        note: chipExportEvents.note,
        jurisdiction: chipExportEvents.jurisdiction,
      })
      .from(chipExportEvents)
      .where(eq(chipExportEvents.chipId, chip.id))
      .orderBy(desc(chipExportEvents.effectiveDate), desc(chipExportEvents.id))
      .limit(FEED_ITEMS),
  ])
  const statusItems: FeedItem[] = events.map((e) => {
    const when = new Date(`${e.effectiveDate}T00:00:00Z`)
    return {
      id: `/chips/${scope.slug}#status-${e.id}`,
      title: `${chip.name}: ${exportStatusLabels[e.status].toLowerCase()} (${e.jurisdiction}, ${e.rule})`,
      path: `/chips/${scope.slug}#timeline`,
      html: '',
      summary: e.note || e.rule,
      published: when,
      updated: when,
      authors: [],
      categories: ['export status'],
    }
  })
  return {
    title: `Threadline: the ${chip.vendor} ${chip.name}`,
    description: `Stories that mention the ${chip.vendor} ${chip.name}, and changes to its export-control status.`,
    path: `/chips/${scope.slug}`,
    feedPath: `/chips/${scope.slug}/feed`,
    items: [...stories, ...statusItems].sort((a, b) => b.published.getTime() - a.published.getTime()).slice(0, FEED_ITEMS),
    updatedWhenEmpty: chip.updatedAt,
  }
}

/** The newest published comments of one article's discussion; held, hidden, removed and deleted ones never. */
export async function getCommentsFeed({ slug }: { slug: string }): Promise<FeedData | null> {
  const [article] = await db
    .select({ id: articles.id, title: articles.title, publishedAt: articles.publishedAt, updatedAt: articles.updatedAt })
    .from(articles)
    .where(and(eq(articles.slug, slug), isPublicArticle()))
  if (!article) return null
  const rows = await db
    .select({
      id: comments.id,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      authorName: users.displayName,
      authorDeleted: users.deletedAt,
    })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.articleId, article.id), eq(comments.status, 'published')))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(FEED_ITEMS)
  return {
    title: `Comments on “${article.title}”`,
    description: `The discussion under “${article.title}” on Threadline.`,
    path: `/articles/${slug}`,
    feedPath: `/articles/${slug}/comments`,
    items: rows.map((c) => {
      const author = c.authorDeleted || !c.authorName ? 'Deleted user' : c.authorName
      return {
        id: `/articles/${slug}/comments/${c.id}`,
        title: `${author} on “${article.title}”`,
        path: `/articles/${slug}/comments/${c.id}#c${c.id}`,
        html: c.bodyHtml,
        // From what the page shows, not the Markdown source.
        summary: summarise(plainTextFromHtml(c.bodyHtml)),
        published: c.createdAt,
        updated: c.editedAt ?? c.createdAt,
        authors: [author],
        categories: [],
      }
    }),
    updatedWhenEmpty: article.publishedAt ?? article.updatedAt,
  }
}

const actionTitles: Record<string, string> = {
  approve: 'Comment approved',
  hide: 'Comment hidden',
  unhide: 'Comment unhidden',
  remove: 'Comment removed',
  restore: 'Comment restored',
  lock: 'Discussion locked',
  unlock: 'Discussion unlocked',
  pin: 'Comment pinned',
  unpin: 'Comment unpinned',
  suspend: 'Member restricted',
  ban: 'Member banned',
  lift: 'Restriction lifted',
  purge: 'Member’s comments removed',
  slow_mode: 'Slow mode changed',
}

/** The public moderation log as a feed: the same entries as /moderation, no private details. */
export async function getModerationFeed(): Promise<FeedData> {
  const { entries } = await listPublicModerationLog({ page: 1 })
  return {
    title: 'Threadline moderation log',
    description: 'What the moderators of Threadline did, and why.',
    path: '/moderation',
    feedPath: '/moderation/feed',
    items: entries.map((e) => {
      const what = actionTitles[e.action] ?? e.action
      const on = e.articleTitle ? ` on “${e.articleTitle}”` : e.targetName ? `: ${e.targetName}` : ''
      const path = e.articleSlug
        ? e.commentId
          ? `/articles/${e.articleSlug}/comments/${e.commentId}#c${e.commentId}`
          : `/articles/${e.articleSlug}`
        : '/moderation'
      return {
        id: `/moderation#${e.id}`,
        title: `${what}${on}`,
        path,
        html: '',
        summary: e.reason ? `Reason: ${e.reason}` : e.automatic ? 'Applied automatically.' : 'No reason given.',
        published: e.createdAt,
        updated: e.createdAt,
        authors: [],
        categories: [e.action],
      }
    }),
    updatedWhenEmpty: entries[0]?.createdAt ?? (await siteUpdated()),
  }
}
