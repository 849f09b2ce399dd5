import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server.ts'
import { articles, articleTags, tags } from '#db/schema.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'
import { getPublishedArticle, listPublishedArticles } from './articles.server.ts'
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
