import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#app/db.server.ts'
import { articles, articleTags, tags } from '#db/schema.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'
import { ArticleFormSchema } from '#app/schemas/authoring.ts'
import { createTestUser } from '#app/test/users.ts'
import { getPublishedArticle, listPublishedArticles, renderArticleBody } from './articles.server.ts'
import { previewArticle, saveArticle } from './authoring.server.ts'
import { getTagWithArticles } from './tags.server.ts'

beforeAll(async () => {
  await seedDatabase(db)
  // One story nobody should see yet, and one scheduled for the past that should be visible.
  await db.insert(articles).values([
    {
      slug: 'secret-draft',
      title: 'A draft',
      standfirst: 'Not yet.',
      body: 'Draft body',
      bodyHtml: '<p>Draft body</p>',
      status: 'draft',
    },
    {
      slug: 'future-story',
      title: 'Scheduled later',
      standfirst: 'Tomorrow.',
      body: 'x',
      bodyHtml: '<p>x</p>',
      status: 'scheduled',
      publishedAt: new Date(Date.now() + 86_400_000),
    },
    {
      slug: 'due-story',
      title: 'Scheduled and due',
      standfirst: 'Now.',
      body: 'x',
      bodyHtml: '<p>x</p>',
      status: 'scheduled',
      publishedAt: new Date(Date.now() - 60_000),
    },
  ])
})

describe('listPublishedArticles', () => {
  it('lists public stories newest first, with tags, chips and counts', async () => {
    const first = await listPublishedArticles({ page: 1, perPage: 5 })
    expect(first.articles).toHaveLength(5)
    expect(first.articles[0]?.slug).toBe('due-story')
    const dates = first.articles.map((a) => a.publishedAt.getTime())
    expect(dates).toEqual([...dates].sort((a, b) => b - a))
    const seeded = first.articles.find((a) => a.tags.length > 0)
    expect(seeded?.chips.length).toBeGreaterThan(0)
    expect(seeded?.authorName).toBeTruthy()
  })

  it('pages without overlap and never shows drafts or future stories', async () => {
    const all = []
    const first = await listPublishedArticles({ page: 1, perPage: 4 })
    for (let page = 1; page <= first.pageCount; page++) {
      all.push(...(await listPublishedArticles({ page, perPage: 4 })).articles.map((a) => a.slug))
    }
    expect(new Set(all).size).toBe(all.length)
    expect(all.length).toBe(first.total)
    expect(all).not.toContain('secret-draft')
    expect(all).not.toContain('future-story')
  })

  it('reports the page count for a page past the end', async () => {
    const past = await listPublishedArticles({ page: 999, perPage: 4 })
    expect(past.articles).toHaveLength(0)
    expect(past.pageCount).toBeGreaterThan(1)
  })
})

describe('getPublishedArticle', () => {
  it('returns the article with its chips and related stories', async () => {
    const article = await getPublishedArticle({ slug: 'ai-accelerator-export-status-field-guide' })
    expect(article?.chips.length).toBeGreaterThanOrEqual(10)
    expect(article?.chips.find((c) => c.slug === 'h200')?.memoryGb).toBe(141)
    expect(article?.related.length).toBeGreaterThan(0)
    expect(article?.related.map((r) => r.slug)).not.toContain(article?.slug)
  })

  it('does not return drafts, future stories or unknown slugs', async () => {
    expect(await getPublishedArticle({ slug: 'secret-draft' })).toBeNull()
    expect(await getPublishedArticle({ slug: 'future-story' })).toBeNull()
    expect(await getPublishedArticle({ slug: 'no-such-story' })).toBeNull()
  })
})

describe('getTagWithArticles', () => {
  it('lists only stories carrying the tag', async () => {
    const result = await getTagWithArticles({ slug: 'huawei', page: 1 })
    const [huawei] = await db.select().from(tags).where(eq(tags.slug, 'huawei'))
    const expected = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(articleTags)
      .where(eq(articleTags.tagId, huawei!.id))
    expect(result?.listing.total).toBe(expected[0]?.n)
    expect(result?.listing.articles.every((a) => a.tags.some((t) => t.slug === 'huawei'))).toBe(true)
  })

  it('returns null for an unknown tag', async () => {
    expect(await getTagWithArticles({ slug: 'nope', page: 1 })).toBeNull()
  })
})

describe('renderArticleBody', () => {
  it('turns a compare block into the comparison table, and renders the rest as markdown', async () => {
    const html = await renderArticleBody('Before **bold**.\n\n```compare\nh200, h100\nascend-910b\n```\n\nAfter.\n')
    expect(html).toMatch(/^<p>Before <strong>bold<\/strong>.<\/p>/)
    expect(html).toContain('<table class="data-table data-table--compare">')
    expect(html).toContain('<a href="/chips/h200">H200</a>')
    expect(html).toContain('<a href="/chips/ascend-910b">Ascend 910B</a>')
    expect(html).toContain('<td class="num compare-best"><strong>141 GB HBM3e</strong>')
    expect(html).toMatch(/<p>After.<\/p>$/)
    expect(html).not.toContain('tlcompare')
    expect(html).not.toContain('<pre>')
  })

  it('notes an unknown chip instead of failing', async () => {
    const html = await renderArticleBody('```compare\nh200 h9000\n```')
    expect(html).toContain('(unknown chip: h9000)')
    expect(html).toContain('<a href="/chips/h200">H200</a>')
  })

  it('never lets a script through the directive or around it', async () => {
    const html = await renderArticleBody(
      '<script>alert(1)</script>\n\n```compare\nh200, <script>alert(2)</script>, h100\n```\n\n<img src=x onerror=alert(3)>',
    )
    expect(html).not.toMatch(/<script|<img|style=/i)
    expect(html).not.toMatch(/<[^>]*\son\w+=/i)
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;')
    expect(html).toContain('<a href="/chips/h100">H100</a>')
  })

  it('leaves other code blocks, and a placeholder typed by the author, alone', async () => {
    const html = await renderArticleBody('```js\nconst a = 1\n```\n\ntlcompare0n0\n\n```compare\nh200,h100\n```')
    expect(html).toContain('<pre><code>const a = 1')
    expect(html).toContain('<p>tlcompare0n0</p>')
    expect(html).toContain('data-table--compare')
  })
})

describe('articles with a compare block', () => {
  it('store the table in body_html on save, and show it in preview', async () => {
    const author = await createTestUser({ role: 'author' })
    const body = 'Side by side:\n\n```compare\nh200, h100, ascend-910b\n```\n'
    const input = ArticleFormSchema.parse({
      title: `Compare test ${Date.now()}`,
      standfirst: 'Three chips.',
      body,
      status: 'draft',
    })
    const { id } = await saveArticle({ actor: author, input })
    const [row] = await db.select({ bodyHtml: articles.bodyHtml, body: articles.body }).from(articles).where(eq(articles.id, id))
    expect(row?.body).toContain('```compare')
    expect(row?.bodyHtml).toContain('<table class="data-table data-table--compare">')
    expect(row?.bodyHtml).toContain('<a href="/chips/ascend-910b">Ascend 910B</a>')

    const preview = await previewArticle({ actor: author, body })
    expect(preview).toContain('<table class="data-table data-table--compare">')
  })
})

describe('chip mentions in articles', () => {
  it('links the chips an article names when it is rendered for saving', async () => {
    const html = await renderArticleBody('The H200 and the Ascend 910B, but not `H200` in code.')
    expect(html.match(/class="chip-mention"/g)?.length ?? 0).toBeGreaterThanOrEqual(1)
    expect(html).toContain('<code>H200</code>')
  })
})
