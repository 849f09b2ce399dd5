import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '#app/db.server.ts'
import { articleChips, articles, articleTags, tags } from '#db/schema.ts'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { ArticleFormSchema, ChipFormSchema } from '#app/schemas/authoring.ts'
import { getPublishedArticle, listPublishedArticles } from './articles.server.ts'
import { getArticleEditorChoices, getArticleForEditing, importArticle, listArticlesForAuthoring, previewArticle, saveArticle } from './authoring.server.ts'
import { saveChip } from './chips.server.ts'
import { refusalOf } from '#app/test/domain.ts'

beforeEach(truncateAll)

/** An article form as the browser would send it, parsed by the form's own schema. */
function articleForm(fields: Record<string, string> = {}) {
  return ArticleFormSchema.parse({
    title: 'Chip rules tighten again',
    standfirst: 'What changed, and for whom.',
    body: 'The **new** rules.',
    status: 'draft',
    ...fields,
  })
}

function chipForm(fields: Record<string, string> = {}) {
  return ChipFormSchema.parse({ slug: 'x1', name: 'X1', vendor: 'Acme', exportStatus: 'unrestricted', ...fields })
}

/** A datetime-local value, in UTC, `minutes` from now. */
function inMinutes(minutes: number) {
  return new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16)
}

function author() {
  return createTestUser({ role: 'author' })
}

describe('who may author', () => {
  it('refuses a member on every function, and writes nothing', async () => {
    const member = await createTestUser({ role: 'member' })
    const calls: Promise<unknown>[] = [
      listArticlesForAuthoring({ actor: member }),
      getArticleEditorChoices({ actor: member }),
      getArticleForEditing({ actor: member, id: 1 }),
      previewArticle({ actor: member, body: '*hi*' }),
      saveArticle({ actor: member, input: articleForm() }),
      saveArticle({ actor: member, id: 1, input: articleForm() }),
      importArticle({ actor: member, text: 'Headline\nStandfirst\nBody' }),
    ]
    for (const call of calls) {
      const error = await refusalOf(call)
      expect(error.name).toBe('DomainError')
      expect(error.code).toBe('forbidden')
    }
    expect(await db.$count(articles)).toBe(0)
  })

  it('lets authors, moderators and admins in', async () => {
    for (const role of ['author', 'moderator', 'admin'] as const) {
      const actor = await createTestUser({ role })
      const list = await listArticlesForAuthoring({ actor })
      expect(list.articles).toEqual([])
    }
  })
})

describe('saveArticle', () => {
  it('creates a draft that readers cannot see, with its slug made from the headline', async () => {
    const actor = await author()
    const saved = await saveArticle({ actor, input: articleForm({ title: 'Nvidia’s H200: Approved — for Now' }) })
    expect(saved.slug).toBe('nvidias-h200-approved-for-now')
    expect(await getPublishedArticle({ slug: saved.slug })).toBeNull()

    const editing = await getArticleForEditing({ actor, id: saved.id })
    expect(editing?.article).toMatchObject({
      status: 'draft',
      publishedAt: null,
      isPublic: false,
      title: 'Nvidia’s H200: Approved — for Now',
    })
    const [row] = await db.select({ authorId: articles.authorId }).from(articles).where(eq(articles.id, saved.id))
    expect(row?.authorId).toBe(actor.id)
  })

  it('schedules for the future: invisible until due, then visible with no further step', async () => {
    const actor = await author()
    const { id, slug } = await saveArticle({
      actor,
      input: articleForm({ status: 'scheduled', publishAt: inMinutes(60) }),
    })
    expect(await getPublishedArticle({ slug })).toBeNull()
    expect((await listPublishedArticles({ page: 1 })).articles).toEqual([])

    // Time passes (the clock cannot be moved inside Postgres, so the schedule is moved instead).
    await db
      .update(articles)
      .set({ publishedAt: sql`now() - interval '1 minute'` })
      .where(eq(articles.id, id))
    expect((await getPublishedArticle({ slug }))?.title).toBe('Chip rules tighten again')
    expect((await getArticleForEditing({ actor, id }))?.article.isPublic).toBe(true)

    // Editing a scheduled article that has gone out keeps its time, though it is now past.
    const [before] = await db.select({ publishedAt: articles.publishedAt }).from(articles).where(eq(articles.id, id))
    const due = before!.publishedAt!.toISOString().slice(0, 16)
    await saveArticle({ actor, id, input: articleForm({ status: 'scheduled', publishAt: due, title: 'Fixed typo' }) })
    const [after] = await db.select({ publishedAt: articles.publishedAt }).from(articles).where(eq(articles.id, id))
    expect(after?.publishedAt?.getTime()).toBe(before?.publishedAt?.getTime())
    expect((await getPublishedArticle({ slug }))?.title).toBe('Fixed typo')
  })

  it('refuses a new schedule in the past, and a scheduled article without a time', async () => {
    const actor = await author()
    const past = await refusalOf(saveArticle({ actor, input: articleForm({ status: 'scheduled', publishAt: inMinutes(-5) }) }))
    expect(past).toMatchObject({ code: 'invalid-input', details: { field: 'publishAt' } })
    expect(past.message).toMatch(/must be in the future/)

    const noTime = ArticleFormSchema.safeParse({ title: 'T', standfirst: 'S', body: 'B', status: 'scheduled' })
    expect(noTime.success).toBe(false)
    expect(noTime.error?.issues[0]?.path).toEqual(['publishAt'])
    expect(await db.$count(articles)).toBe(0)
  })

  it('publishes now without a date, backdates with a past one, and refuses a future one', async () => {
    const actor = await author()
    const now = await saveArticle({ actor, input: articleForm({ title: 'Out now', status: 'published' }) })
    const live = await getPublishedArticle({ slug: now.slug })
    expect(Math.abs(live!.publishedAt.getTime() - Date.now())).toBeLessThan(60_000)

    const back = await saveArticle({
      actor,
      input: articleForm({ title: 'Backdated', status: 'published', publishAt: '2026-01-02T03:04' }),
    })
    expect((await getPublishedArticle({ slug: back.slug }))?.publishedAt.toISOString()).toBe('2026-01-02T03:04:00.000Z')

    const future = await refusalOf(saveArticle({ actor, input: articleForm({ title: 'Too soon', status: 'published', publishAt: inMinutes(90) }) }))
    expect(future).toMatchObject({ code: 'invalid-input', details: { field: 'publishAt' } })
  })

  it('publishes a scheduled article early when its unchanged time is still to come', async () => {
    const actor = await author()
    const when = inMinutes(120)
    const { id, slug } = await saveArticle({ actor, input: articleForm({ status: 'scheduled', publishAt: when }) })
    await saveArticle({ actor, id, input: articleForm({ status: 'published', publishAt: when }) })
    const live = await getPublishedArticle({ slug })
    expect(live).not.toBeNull()
    expect(live!.publishedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000)
  })

  it('archives: readers no longer see the article', async () => {
    const actor = await author()
    const { id, slug } = await saveArticle({ actor, input: articleForm({ status: 'published' }) })
    expect(await getPublishedArticle({ slug })).not.toBeNull()
    await saveArticle({ actor, id, input: articleForm({ status: 'archived' }) })
    expect(await getPublishedArticle({ slug })).toBeNull()
  })

  it('refuses a slug another article uses, whether typed or made from the headline', async () => {
    const actor = await author()
    const first = await saveArticle({ actor, input: articleForm({ title: 'Same headline' }) })

    const derived = await refusalOf(saveArticle({ actor, input: articleForm({ title: 'Same headline' }) }))
    expect(derived).toMatchObject({ code: 'invalid-input', details: { field: 'slug' } })
    expect(derived.message).toContain('/articles/same-headline')
    expect(derived.message).toContain('“Same headline”')

    const other = await saveArticle({ actor, input: articleForm({ title: 'Other', slug: 'other-story' }) })
    const typed = await refusalOf(saveArticle({ actor, id: other.id, input: articleForm({ title: 'Other', slug: 'same-headline' }) }))
    expect(typed).toMatchObject({ code: 'invalid-input', details: { field: 'slug' } })

    // Saving an article under its own slug, or with the slug left empty, keeps it.
    expect(
      (
        await saveArticle({
          actor,
          id: first.id,
          input: articleForm({ title: 'Same headline', slug: 'same-headline' }),
        })
      ).slug,
    ).toBe('same-headline')
    expect((await saveArticle({ actor, id: first.id, input: articleForm({ title: 'Renamed entirely' }) })).slug).toBe('same-headline')
    expect(await db.$count(articles)).toBe(2)
  })

  it('gives the slug error to the loser of two saves racing for one address', async () => {
    const actor = await author()
    const results = await Promise.allSettled([
      saveArticle({ actor, input: articleForm({ title: 'Race' }) }),
      saveArticle({ actor, input: articleForm({ title: 'Race' }) }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'invalid-input', details: { field: 'slug' } })
    }
  })

  it('validates the slug’s shape in the form', () => {
    for (const slug of ['Has Caps', 'double--hyphen', '-leading', 'ünïcode', 'a'.repeat(121)]) {
      const result = ArticleFormSchema.safeParse({ title: 'T', slug, status: 'draft' })
      expect(result.success, slug).toBe(false)
      expect(result.error?.issues[0]?.path).toEqual(['slug'])
    }
  })

  it('creates unknown tags, reuses known ones by name or slug, and replaces the links on save', async () => {
    const actor = await author()
    await db.insert(tags).values({ slug: 'nvidia', name: 'Nvidia' })
    const { id } = await saveArticle({
      actor,
      input: articleForm({ tags: 'Export controls, NVIDIA, export-controls, , Open models' }),
    })
    const all = await db.select({ slug: tags.slug, name: tags.name }).from(tags).orderBy(tags.slug)
    expect(all).toEqual([
      { slug: 'export-controls', name: 'Export controls' },
      { slug: 'nvidia', name: 'Nvidia' },
      { slug: 'open-models', name: 'Open models' },
    ])
    expect((await getArticleForEditing({ actor, id }))?.article.tags).toEqual(['Export controls', 'Nvidia', 'Open models'])

    await saveArticle({ actor, id, input: articleForm({ tags: 'nvidia' }) })
    expect((await getArticleForEditing({ actor, id }))?.article.tags).toEqual(['Nvidia'])
    expect(await db.$count(articleTags)).toBe(1)
  })

  it('links chips, replaces the links on save, and rolls everything back for an unknown chip', async () => {
    const actor = await author()
    for (const slug of ['a1', 'b1', 'c1']) await saveChip({ actor, input: chipForm({ slug, name: slug.toUpperCase() }) })
    const { id } = await saveArticle({ actor, input: articleForm({ chips: 'a1,b1' }) })
    expect((await getArticleForEditing({ actor, id }))?.article.chips.sort()).toEqual(['a1', 'b1'])

    await saveArticle({ actor, id, input: articleForm({ chips: 'b1,c1' }) })
    const editing = await getArticleForEditing({ actor, id })
    expect(editing?.article.chips.sort()).toEqual(['b1', 'c1'])
    expect(editing?.chips.map((c) => c.slug)).toEqual(['a1', 'b1', 'c1'])

    const unknown = await refusalOf(saveArticle({ actor, id, input: articleForm({ chips: 'b1,h9000', tags: 'Never made', title: 'Not saved' }) }))
    expect(unknown).toMatchObject({ code: 'invalid-input', details: { field: 'chips' } })
    expect(unknown.message).toContain('h9000')
    expect(await db.$count(tags)).toBe(0)
    expect((await getArticleForEditing({ actor, id }))?.article.title).toBe('Chip rules tighten again')
    expect(await db.$count(articleChips)).toBe(2)
  })

  it('renders and sanitises the body at write time, and sets updated_at', async () => {
    const actor = await author()
    const body = '# Heading\n\n**bold** and <script>alert(1)</script> and [bad](javascript:alert(1))\n\n' + 'word '.repeat(700)
    const { id } = await saveArticle({ actor, input: articleForm({ body }) })
    const [row] = await db
      .select({ bodyHtml: articles.bodyHtml, readingMinutes: articles.readingMinutes, updatedAt: articles.updatedAt })
      .from(articles)
      .where(eq(articles.id, id))
    expect(row?.bodyHtml).toContain('<strong>bold</strong>')
    expect(row?.bodyHtml).toContain('<h2>Heading</h2>')
    expect(row?.bodyHtml).not.toMatch(/<script|href="javascript/i)
    expect(row?.bodyHtml).toContain('&lt;script&gt;')
    expect(row?.readingMinutes).toBe(3)
    expect(await previewArticle({ actor, body })).toBe(row?.bodyHtml)

    await new Promise((resolve) => setTimeout(resolve, 20))
    await saveArticle({ actor, id, input: articleForm({ body: 'Short.' }) })
    const [later] = await db
      .select({ bodyHtml: articles.bodyHtml, readingMinutes: articles.readingMinutes, updatedAt: articles.updatedAt })
      .from(articles)
      .where(eq(articles.id, id))
    expect(later).toMatchObject({ bodyHtml: '<p>Short.</p>', readingMinutes: 1 })
    expect(later!.updatedAt.getTime()).toBeGreaterThan(row!.updatedAt.getTime())
  })

  it('asks for a standfirst and a body before publishing, not before a draft, and says how long is too long', () => {
    expect(ArticleFormSchema.safeParse({ title: 'Just an idea', status: 'draft' }).success).toBe(true)
    const long = ArticleFormSchema.safeParse({ title: 'T', status: 'draft', standfirst: 'x'.repeat(401) })
    expect(long.error?.issues[0]).toMatchObject({
      path: ['standfirst'],
      message: 'The standfirst can be up to 400 characters; this one has 401.',
    })
    const result = ArticleFormSchema.safeParse({ title: 'Just an idea', status: 'published' })
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual(['body', 'standfirst'])
  })

  it('says when an article to update does not exist', async () => {
    const actor = await author()
    expect(await refusalOf(saveArticle({ actor, id: 999, input: articleForm() }))).toMatchObject({ code: 'not-found' })
    expect(await getArticleForEditing({ actor, id: 999 })).toBeNull()
  })
})

describe('listArticlesForAuthoring', () => {
  it('lists every status, newest change first, and filters by status', async () => {
    const actor = await author()
    await saveArticle({ actor, input: articleForm({ title: 'Draft one' }) })
    await saveArticle({ actor, input: articleForm({ title: 'Live one', status: 'published' }) })
    await saveArticle({
      actor,
      input: articleForm({ title: 'Later one', status: 'scheduled', publishAt: inMinutes(30) }),
    })

    const all = await listArticlesForAuthoring({ actor })
    expect(all.total).toBe(3)
    expect(all.articles.map((a) => a.title)).toEqual(['Later one', 'Live one', 'Draft one'])
    expect(all.articles.map((a) => a.isPublic)).toEqual([false, true, false])
    expect(all.articles[0]?.authorName).toBe(actor.username)

    const drafts = await listArticlesForAuthoring({ actor, status: 'draft' })
    expect(drafts.articles.map((a) => a.title)).toEqual(['Draft one'])

    const past = await listArticlesForAuthoring({ actor, page: 5, perPage: 2 })
    expect(past).toMatchObject({ articles: [], pageCount: 2, total: 3 })
  })
})

describe('whose articles', () => {
  it('lets authors (and moderators who write) edit and publish only their own; admins any', async () => {
    const [ann, ben, moe, ada] = [await author(), await author(), await createTestUser({ role: 'moderator' }), await createTestUser({ role: 'admin' })]
    const draft = await saveArticle({ actor: ann, input: articleForm({ title: 'Ann’s draft' }) })
    const before = await db.select().from(articles).where(eq(articles.id, draft.id))
    for (const other of [ben, moe]) {
      for (const status of ['draft', 'published'] as const) {
        const refused = await refusalOf(saveArticle({ actor: other, id: draft.id, input: articleForm({ title: 'Taken over', status }) }))
        expect(refused).toMatchObject({ name: 'DomainError', code: 'forbidden' })
        expect(refused.message).toBe('Only its author or an admin can edit or publish this article.')
      }
      expect(await refusalOf(getArticleForEditing({ actor: other, id: draft.id }))).toMatchObject({ code: 'forbidden' })
      expect((await listArticlesForAuthoring({ actor: other })).articles).toEqual([])
    }
    expect(await db.select().from(articles).where(eq(articles.id, draft.id))).toEqual(before)
    expect(await getPublishedArticle({ slug: draft.slug })).toBeNull()

    // Its author and an admin may; the article stays its author's.
    expect((await getArticleForEditing({ actor: ann, id: draft.id }))?.article.title).toBe('Ann’s draft')
    expect((await listArticlesForAuthoring({ actor: ada })).articles.map((a) => a.id)).toEqual([draft.id])
    await saveArticle({ actor: ada, id: draft.id, input: articleForm({ title: 'Ann’s story, edited', status: 'published' }) })
    expect((await getPublishedArticle({ slug: draft.slug }))?.title).toBe('Ann’s story, edited')
    const [row] = await db.select({ authorId: articles.authorId }).from(articles).where(eq(articles.id, draft.id))
    expect(row?.authorId).toBe(ann.id)
    await saveArticle({ actor: ann, id: draft.id, input: articleForm({ title: 'Ann’s story', status: 'published' }) })
    // An article whose author's account is gone is an admin's to edit.
    await db.update(articles).set({ authorId: null }).where(eq(articles.id, draft.id))
    expect(await refusalOf(saveArticle({ actor: ann, id: draft.id, input: articleForm() }))).toMatchObject({ code: 'forbidden' })
    expect((await getArticleForEditing({ actor: ada, id: draft.id }))?.article.id).toBe(draft.id)
  })
})

describe('importArticle', () => {
  it('creates a draft of the actor’s with the headline as title, and a free slug each time', async () => {
    const actor = await author()
    const text = '\uFEFFCuda lock-in, explained\r\n\r\nWhy switching is slow.\r\nFirst paragraph.\r\nSecond *paragraph*.\r\n'
    const first = await importArticle({ actor, text })
    const second = await importArticle({ actor, text })
    expect(first.slug).toBe('cuda-lock-in-explained')
    expect(second.slug).toBe('cuda-lock-in-explained-2')

    const editing = await getArticleForEditing({ actor, id: first.id })
    expect(editing?.article).toMatchObject({
      title: 'Cuda lock-in, explained',
      standfirst: 'Why switching is slow.',
      body: 'First paragraph.\n\nSecond \\*paragraph\\*.',
      status: 'draft',
      isPublic: false,
    })
    expect(editing?.article.bodyHtml).toBe('<p>First paragraph.</p>\n<p>Second *paragraph*.</p>')
    expect(await getPublishedArticle({ slug: first.slug })).toBeNull()
  })

  it('refuses empty and binary text with a clear message', async () => {
    const actor = await author()
    expect(await refusalOf(importArticle({ actor, text: ' \n\r\n ' }))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('empty') as string,
    })
    expect(await refusalOf(importArticle({ actor, text: 'PK\u0003\u0004\u0000\u0000' }))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('plain text') as string,
    })
    expect(await db.$count(articles)).toBe(0)
  })
})
