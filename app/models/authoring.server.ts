import { and, asc, desc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { articleChips, articles, articleTags, chips, tags, users, type ArticleStatus } from '#db/schema.ts'
import { readingMinutes, renderMarkdown } from '#app/lib/markdown.ts'
import { parsePlainTextArticle } from '#app/lib/plain-text-import.ts'
import { ARTICLE_LIMITS } from '#app/lib/article-limits.ts'
import { slugify, type ArticleInput } from '#app/schemas/authoring.ts'
import { articleEditorRoles, assertRole, authoringRoles, type Actor } from './admin.server.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { renderArticleBody } from './articles.server.ts'
import { isPublicArticle, isUniqueViolation } from './fragments.server.ts'

// Writing and editing articles, for authors, moderators and admins. Every function checks the
// actor's role first; routes check too, but these checks are the ones that hold. Chips are edited in
// chips.server.ts, and an article's body is rendered by articles.server.ts.

type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0]
type Queryable = typeof db | Transaction

export const ARTICLES_PER_ADMIN_PAGE = 50

const isPublic = () => sql<boolean>`coalesce(${isPublicArticle()}, false)`.mapWith(Boolean)

/** Editors (admins) work on every article; authors, and moderators who write, on their own only. */
const editsEveryArticle = (actor: Actor) => articleEditorRoles.includes(actor.role)

/** The articles `actor` may open and change, as a condition on the articles table. */
const editableBy = (actor: Actor) => (editsEveryArticle(actor) ? undefined : eq(articles.authorId, actor.id))

function assertMayEdit(actor: Actor, article: { authorId: string | null }) {
  if (!editsEveryArticle(actor) && article.authorId !== actor.id) {
    throw new DomainError('forbidden', 'Only its author or an admin can edit or publish this article.')
  }
}

// ---------------------------------------------------------------------------------------------
// Articles
// ---------------------------------------------------------------------------------------------

/**
 * The articles the actor may edit, whatever their status (an admin's list is every article), most
 * recently changed first, one page at a time.
 */
export async function listArticlesForAuthoring({
  actor,
  status,
  page = 1,
  perPage = ARTICLES_PER_ADMIN_PAGE,
}: {
  actor: Actor
  status?: ArticleStatus
  page?: number
  perPage?: number
}) {
  assertRole(actor, authoringRoles, 'manage articles')
  const where = and(status ? eq(articles.status, status) : undefined, editableBy(actor))
  const rows = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      status: articles.status,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
      commentCount: articles.commentCount,
      authorName: users.displayName,
      isPublic: isPublic(),
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(articles)
    .leftJoin(users, eq(users.id, articles.authorId))
    .where(where)
    .orderBy(desc(articles.updatedAt), desc(articles.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
  // Only a page past the end needs a count of its own, to say how many pages there are.
  const total =
    rows[0]?.total ??
    (page > 1
      ? ((
          await db
            .select({ n: sql<number>`count(*)`.mapWith(Number) })
            .from(articles)
            .where(where)
        )[0]?.n ?? 0)
      : 0)
  return {
    articles: rows.map(({ total: _total, ...row }) => row),
    page,
    pageCount: Math.max(1, Math.ceil(total / perPage)),
    total,
  }
}

export type AuthoringArticleRow = Awaited<ReturnType<typeof listArticlesForAuthoring>>['articles'][number]

function listChipChoices() {
  return db.select({ slug: chips.slug, name: chips.name, vendor: chips.vendor }).from(chips).orderBy(asc(chips.vendor), asc(chips.name))
}

export type ChipChoice = Awaited<ReturnType<typeof listChipChoices>>[number]

/** What the editor offers for a new article: the chips it may link to. */
export async function getArticleEditorChoices({ actor }: { actor: Actor }) {
  assertRole(actor, authoringRoles, 'write articles')
  return { chips: await listChipChoices() }
}

/**
 * An article as its editor shows it, with its tags, its chips and the chips it may link to. Another
 * author's article is refused (forbidden), not shown read-only: drafts stay with their writers.
 */
export async function getArticleForEditing({ actor, id }: { actor: Actor; id: number }) {
  assertRole(actor, authoringRoles, 'edit articles')
  const [found] = await db
    .select({
      authorId: articles.authorId,
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      standfirst: articles.standfirst,
      body: articles.body,
      bodyHtml: articles.bodyHtml,
      status: articles.status,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
      authorName: users.displayName,
      isPublic: isPublic(),
    })
    .from(articles)
    .leftJoin(users, eq(users.id, articles.authorId))
    .where(eq(articles.id, id))
    .limit(1)
  if (!found) return null
  assertMayEdit(actor, found)
  const { authorId: _authorId, ...article } = found
  const [tagRows, chipRows, choices] = await Promise.all([
    db
      .select({ name: tags.name })
      .from(articleTags)
      .innerJoin(tags, eq(tags.id, articleTags.tagId))
      .where(eq(articleTags.articleId, id))
      .orderBy(asc(tags.name)),
    db.select({ slug: chips.slug }).from(articleChips).innerJoin(chips, eq(chips.id, articleChips.chipId)).where(eq(articleChips.articleId, id)),
    listChipChoices(),
  ])
  return {
    article: { ...article, tags: tagRows.map((t) => t.name), chips: chipRows.map((c) => c.slug) },
    chips: choices,
  }
}

/** The body as readers would see it, rendered and sanitised exactly as saving would. */
export async function previewArticle({ actor, body }: { actor: Actor; body: string }) {
  assertRole(actor, authoringRoles, 'preview articles')
  return renderArticleBody(body)
}

const sameMinute = (a: Date | null | undefined, b: Date | null | undefined) =>
  Boolean(a && b && Math.floor(a.getTime() / 60_000) === Math.floor(b.getTime() / 60_000))

/**
 * When the article goes public. Scheduled needs a time to come (or the one it already has, which
 * may since have arrived); published takes the time given, or now. A time unchanged to the minute
 * keeps its stored value, so saving an edit never nudges an article's place in the lists.
 */
function decidePublishedAt(
  input: Pick<ArticleInput, 'status' | 'publishAt'>,
  existing: { status: ArticleStatus; publishedAt: Date | null } | undefined,
): Date | SQL | null {
  const at = input.publishAt
  const unchanged = sameMinute(existing?.publishedAt, at)
  const kept = unchanged ? existing!.publishedAt : (at ?? null)
  const wasScheduledFor = existing?.status === 'scheduled' && unchanged
  if (input.status === 'scheduled') {
    if (!at) {
      throw new DomainError('invalid-input', 'A scheduled article needs the date and time to publish it.', {
        field: 'publishAt',
      })
    }
    if (at.getTime() <= Date.now() && !wasScheduledFor) {
      throw new DomainError('invalid-input', 'A scheduled time must be in the future. To publish the article now, choose Published.', {
        field: 'publishAt',
      })
    }
    return kept
  }
  if (input.status === 'published') {
    if (!at) return sql`now()`
    if (at.getTime() > Date.now()) {
      // Publishing a scheduled article before its time: it goes out now.
      if (wasScheduledFor) return sql`now()`
      throw new DomainError(
        'invalid-input',
        'A published article’s date cannot be in the future: choose Scheduled to publish it then, or clear the date to publish it now.',
        { field: 'publishAt' },
      )
    }
    return kept
  }
  return kept
}

async function assertArticleSlugFree(tx: Queryable, slug: string, exceptId: number | undefined, derived: boolean) {
  const [taken] = await tx
    .select({ title: articles.title })
    .from(articles)
    .where(and(eq(articles.slug, slug), exceptId === undefined ? undefined : ne(articles.id, exceptId)))
    .limit(1)
  if (!taken) return
  const message = derived
    ? `The address made from the headline, /articles/${slug}, is already used by “${taken.title}”. Type a different slug.`
    : `The address /articles/${slug} is already used by “${taken.title}”. Choose a different slug.`
  throw new DomainError('invalid-input', message, { field: 'slug' })
}

async function resolveChipIds(tx: Transaction, slugs: string[]) {
  if (slugs.length === 0) return []
  const rows = await tx.select({ id: chips.id, slug: chips.slug }).from(chips).where(inArray(chips.slug, slugs))
  const missing = slugs.filter((s) => !rows.some((r) => r.slug === s))
  if (missing.length > 0) {
    throw new DomainError('invalid-input', `These chips are not in the database: ${missing.join(', ')}.`, {
      field: 'chips',
    })
  }
  return rows.map((r) => r.id)
}

/** The ids of the tags named (by name or by slug, any case); tags not yet known are created. */
async function resolveTagIds(tx: Transaction, names: string[]) {
  if (names.length === 0) return []
  const wanted = names.map((name) => ({ name, slug: slugify(name, ARTICLE_LIMITS.tagName) }))
  const known = await tx
    .select({ id: tags.id, slug: tags.slug, name: tags.name })
    .from(tags)
    .where(
      or(
        inArray(
          tags.slug,
          wanted.map((w) => w.slug),
        ),
        inArray(
          sql`lower(${tags.name})`,
          wanted.map((w) => w.name.toLowerCase()),
        ),
      ),
    )
  const ids = new Set<number>()
  const toCreate: { name: string; slug: string }[] = []
  for (const w of wanted) {
    const match = known.find((t) => t.slug === w.slug) ?? known.find((t) => t.name.toLowerCase() === w.name.toLowerCase())
    if (match) ids.add(match.id)
    else if (!toCreate.some((c) => c.slug === w.slug)) toCreate.push(w)
  }
  if (toCreate.length > 0) {
    await tx.insert(tags).values(toCreate).onConflictDoNothing()
    // Read back rather than trust RETURNING: a tag made by someone else a moment ago is not returned.
    const created = await tx
      .select({ id: tags.id })
      .from(tags)
      .where(
        inArray(
          tags.slug,
          toCreate.map((c) => c.slug),
        ),
      )
    for (const row of created) ids.add(row.id)
  }
  return [...ids]
}

/**
 * Creates (no `id`) or updates an article (the actor's own, or any for an admin): the rendered body
 * and reading time are computed here, and the row, its tags (created as needed) and its chip links
 * are written in one transaction.
 */
export async function saveArticle({ actor, id, input }: { actor: Actor; id?: number; input: ArticleInput }) {
  assertRole(actor, authoringRoles, 'write articles')
  const bodyHtml = await renderArticleBody(input.body)
  const minutes = readingMinutes(input.body)
  try {
    return await db.transaction(async (tx) => {
      let existing: { slug: string; status: ArticleStatus; publishedAt: Date | null; authorId: string | null } | undefined
      if (id !== undefined) {
        ;[existing] = await tx
          .select({ slug: articles.slug, status: articles.status, publishedAt: articles.publishedAt, authorId: articles.authorId })
          .from(articles)
          .where(eq(articles.id, id))
          .for('update')
        if (!existing) throw new DomainError('not-found', 'There is no article with that number. It may have been deleted.')
        assertMayEdit(actor, existing)
      }
      // An edit that leaves the slug empty keeps the article's address.
      const slug = input.slug ?? existing?.slug ?? slugify(input.title)
      if (!slug) {
        throw new DomainError('invalid-input', 'We could not make an address from this headline: type a slug.', {
          field: 'slug',
        })
      }
      if (slug !== existing?.slug) await assertArticleSlugFree(tx, slug, id, input.slug === undefined)
      const publishedAt = decidePublishedAt(input, existing)
      const chipIds = await resolveChipIds(tx, input.chips)
      const tagIds = await resolveTagIds(tx, input.tags)

      const values = {
        slug,
        title: input.title,
        standfirst: input.standfirst,
        body: input.body,
        bodyHtml,
        readingMinutes: minutes,
        status: input.status,
        publishedAt,
        updatedAt: sql`now()`,
      }
      let articleId: number
      if (id !== undefined) {
        await tx.update(articles).set(values).where(eq(articles.id, id))
        articleId = id
      } else {
        const [created] = await tx
          .insert(articles)
          .values({ ...values, authorId: actor.id })
          .returning({ id: articles.id })
        articleId = created!.id
      }
      await tx.delete(articleTags).where(eq(articleTags.articleId, articleId))
      if (tagIds.length > 0) await tx.insert(articleTags).values(tagIds.map((tagId) => ({ articleId, tagId })))
      await tx.delete(articleChips).where(eq(articleChips.articleId, articleId))
      if (chipIds.length > 0) await tx.insert(articleChips).values(chipIds.map((chipId) => ({ articleId, chipId })))
      return { id: articleId, slug, status: input.status }
    })
  } catch (error) {
    if (isUniqueViolation(error, 'articles_slug_key')) {
      throw new DomainError('invalid-input', 'Another article took this address a moment ago. Choose a different slug.', {
        field: 'slug',
      })
    }
    throw error
  }
}

/** `base`, or `base-2`, `base-3`…: the first article address nobody uses. */
async function freeArticleSlug(tx: Transaction, base: string) {
  const rows = await tx
    .select({ slug: articles.slug })
    .from(articles)
    .where(or(eq(articles.slug, base), sql`${articles.slug} like ${`${base}-%`}`))
  const taken = new Set(rows.map((r) => r.slug))
  if (!taken.has(base)) return base
  let n = 2
  while (taken.has(`${base}-${n}`)) n++
  return `${base}-${n}`
}

/** A plain-text article (see plain-text-import.ts) as a new draft of the actor's. */
export async function importArticle({ actor, text }: { actor: Actor; text: string }) {
  assertRole(actor, authoringRoles, 'import articles')
  const parsed = parsePlainTextArticle(text)
  if (!parsed.ok) throw new DomainError('invalid-input', parsed.error)
  const { title, standfirst, body } = parsed.article
  // Room for a "-2" when the headline's address is taken.
  const base = slugify(title, ARTICLE_LIMITS.slug - 6) || 'imported-article'
  try {
    return await db.transaction(async (tx) => {
      const slug = await freeArticleSlug(tx, base)
      const [created] = await tx
        .insert(articles)
        .values({
          slug,
          title,
          standfirst,
          body,
          bodyHtml: renderMarkdown(body, 'article'),
          readingMinutes: readingMinutes(body),
          authorId: actor.id,
          status: 'draft',
        })
        .returning({ id: articles.id })
      return { id: created!.id, slug }
    })
  } catch (error) {
    if (isUniqueViolation(error, 'articles_slug_key')) {
      throw new DomainError('invalid-input', 'Another article took this headline’s address at the same moment. Import it again.')
    }
    throw error
  }
}
