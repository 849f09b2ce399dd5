import { eq } from 'drizzle-orm'
import Parser from 'rss-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { loader as articleCommentsFeed } from '#app/routes/articles.$slug_.comments[.]xml.ts'
import { loader as chipJson } from '#app/routes/chips.$slug_.feed[.]json.ts'
import { loader as siteAtom } from '#app/routes/feed[.]atom.ts'
import { loader as siteJson } from '#app/routes/feed[.]json.ts'
import { loader as siteRss } from '#app/routes/feed[.]xml.ts'
import { loader as moderationFeed } from '#app/routes/moderation_.feed[.]xml.ts'
import { loader as sitemap } from '#app/routes/sitemap[.]xml.ts'
import { loader as tagAtom } from '#app/routes/tags.$slug_.feed[.]atom.ts'
import { loader as tagRss } from '#app/routes/tags.$slug_.feed[.]xml.ts'
import { siteOrigin } from '#app/lib/http.server.ts'
import { createTestUser } from '#app/test/users.ts'
import { recordQueries } from '#app/test/queries.ts'
import { db } from '#app/db.server.ts'
import { articles, articleTags, tags } from '#db/schema.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'
import { createComment, deleteComment } from '#app/models/comments.server.ts'
import { moderateComments } from '#app/models/moderation.server.ts'
import { putSetting } from '#app/models/settings.server.ts'
import { search } from '#app/models/search.server.ts'

// Feeds name the configured origin (PUBLIC_URL, else the local address), whatever the request's host.
const origin = siteOrigin()
const parser = new Parser()
const tricky = "Chips & “quotes” <b>not bold</b> — 华为 昇腾 🚀 'apostrophe'"
// The XML feeds' text fields hold HTML that shows the text: rss-parser hands that HTML back as it is.
const trickyAsHtml = "Chips & “quotes” &lt;b&gt;not bold&lt;/b&gt; — 华为 昇腾 🚀 'apostrophe'"

type LoaderArgs = { request: Request; params: Record<string, string>; context: never }
async function call(
  loader: (args: LoaderArgs) => Promise<Response> | Response,
  path: string,
  params: Record<string, string> = {},
  headers: HeadersInit = {},
) {
  return loader({ request: new Request(`${origin}${path}`, { headers }), params, context: undefined as never })
}

let commentIds: { kept: number; removed: number; deleted: number }

beforeAll(async () => {
  await seedDatabase(db)
  await putSetting('holdFirstComment', false)
  await putSetting('newAccountHours', 0)
  // A story whose title, standfirst and body need escaping, in a tag of its own.
  const [article] = await db
    .insert(articles)
    .values({
      slug: 'escaping-test',
      title: tricky,
      standfirst: `Standfirst with ${tricky}`,
      body: 'Body',
      bodyHtml: `<p>Body with a <a href="/chips/h200" rel="noopener noreferrer">site link</a> and ${tricky.replace('<b>', '&lt;b&gt;').replace('</b>', '&lt;/b&gt;').replace('&', '&amp;')}</p>`,
      status: 'published',
      publishedAt: new Date(),
    })
    .returning()
  const [tag] = await db.insert(tags).values({ slug: 'escaping', name: 'Escaping & “Unicode”' }).returning()
  await db.insert(articleTags).values({ articleId: article!.id, tagId: tag!.id })
  await db.insert(articles).values({ slug: 'secret-draft', title: 'Secret draft', standfirst: 's', body: 'b', bodyHtml: '<p>b</p>', status: 'draft' })

  const [writer, moderator] = [await createTestUser(), await createTestUser({ role: 'moderator' })]
  const kept = await createComment({ articleSlug: 'escaping-test', actorId: writer.id, body: `A comment with ${tricky}` })
  const removed = await createComment({ articleSlug: 'escaping-test', actorId: writer.id, body: 'Removed words' })
  const deleted = await createComment({ articleSlug: 'escaping-test', actorId: writer.id, body: 'Deleted words' })
  await moderateComments({ actor: moderator, commentIds: [removed.id], action: 'remove', reason: 'Off-topic & rude' })
  await deleteComment({ commentId: deleted.id, actorId: writer.id })
  commentIds = { kept: kept.id, removed: removed.id, deleted: deleted.id }
})

describe('site feeds', () => {
  it('RSS parses, carries full HTML with absolute links, authors and categories, and no drafts', async () => {
    const response = await call(siteRss, '/feed.xml')
    expect(response.headers.get('Content-Type')).toBe('application/rss+xml; charset=utf-8')
    const feed = await parser.parseString(await response.text())
    expect(feed.title).toBe('Threadline')
    expect(feed.link).toBe(`${origin}/`)
    expect(feed.items.length).toBeGreaterThanOrEqual(9)
    expect(feed.items.length).toBeLessThanOrEqual(50)
    const item = feed.items.find((i) => i.link === `${origin}/articles/escaping-test`)!
    expect(item.title).toBe(trickyAsHtml)
    expect(item['content:encoded']).toContain(`href="${origin}/chips/h200"`)
    expect(item.categories).toEqual(['Escaping & “Unicode”'])
    expect(feed.items.every((i) => i.link?.startsWith(`${origin}/articles/`))).toBe(true)
    expect(feed.items.some((i) => i.link?.includes('secret-draft'))).toBe(false)
    const seeded = feed.items.find((i) => i.link?.endsWith('/articles/h200-exports-to-china-approved'))!
    expect(seeded.creator ?? seeded.author).toBeTruthy()
    expect(seeded.isoDate).toBeTruthy()
  })

  it('Atom parses with the same items', async () => {
    const response = await call(siteAtom, '/feed.atom')
    expect(response.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8')
    const feed = await parser.parseString(await response.text())
    const rss = await parser.parseString(await (await call(siteRss, '/feed.xml')).text())
    expect(feed.items.map((i) => i.link)).toEqual(rss.items.map((i) => i.link))
    expect(feed.items.find((i) => i.link?.endsWith('/escaping-test'))?.title).toBe(trickyAsHtml)
  })

  it('JSON Feed follows version 1.1', async () => {
    const response = await call(siteJson, '/feed.json')
    expect(response.headers.get('Content-Type')).toBe('application/feed+json; charset=utf-8')
    const feed = (await response.json()) as Record<string, unknown> & { items: Record<string, unknown>[] }
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.title).toBe('Threadline')
    expect(feed.home_page_url).toBe(`${origin}/`)
    expect(feed.feed_url).toBe(`${origin}/feed.json`)
    expect(feed.author).toBeUndefined()
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string')
      expect(typeof item.url).toBe('string')
      expect(typeof item.content_html).toBe('string')
      expect(Number.isNaN(Date.parse(item.date_published as string))).toBe(false)
    }
    const tricky_ = feed.items.find((i) => i.url === `${origin}/articles/escaping-test`)!
    expect(tricky_.title).toBe(tricky)
    expect(tricky_.tags).toEqual(['Escaping & “Unicode”'])
    expect(feed.items.find((i) => (i.url as string).endsWith('/h200-exports-to-china-approved'))?.authors).toEqual([{ name: 'Threadline Editors' }])
  })

  it('costs the same queries however many articles there are', async () => {
    const before = await recordQueries(() => call(siteRss, '/feed.xml'))
    await db.insert(articles).values(
      Array.from({ length: 60 }, (_, i) => ({
        slug: `bulk-${i}`,
        title: `Bulk ${i}`,
        standfirst: 's',
        body: 'b',
        bodyHtml: '<p>b</p>',
        status: 'published' as const,
        publishedAt: new Date(Date.now() - 86_400_000 * 400 - i * 1000),
      })),
    )
    const after = await recordQueries(() => call(siteRss, '/feed.xml'))
    expect(after.length).toBe(before.length)
    expect(after.length).toBe(1)
    const feed = await parser.parseString(await (await call(siteRss, '/feed.xml')).text())
    expect(feed.items).toHaveLength(50)
  })
})

describe('conditional requests', () => {
  it('answer 304 to a matching ETag or Last-Modified, with cache headers for shared caches', async () => {
    const first = await call(siteRss, '/feed.xml')
    const etag = first.headers.get('ETag')!
    const lastModified = first.headers.get('Last-Modified')!
    expect(etag).toMatch(/^W\/".+"$/)
    expect(first.headers.get('Cache-Control')).toContain('s-maxage')
    const byTag = await call(siteRss, '/feed.xml', {}, { 'If-None-Match': etag })
    expect(byTag.status).toBe(304)
    expect(await byTag.text()).toBe('')
    const byDate = await call(siteRss, '/feed.xml', {}, { 'If-Modified-Since': lastModified })
    expect(byDate.status).toBe(304)
    const stale = await call(siteRss, '/feed.xml', {}, { 'If-None-Match': 'W/"something-else"' })
    expect(stale.status).toBe(200)
    // Formats differ, so their tags do too.
    expect((await call(siteAtom, '/feed.atom')).headers.get('ETag')).not.toBe(etag)
  })

  it('changes the ETag when a story changes', async () => {
    const before = (await call(siteRss, '/feed.xml')).headers.get('ETag')
    await db
      .update(articles)
      .set({ updatedAt: new Date(Date.now() + 1000) })
      .where(eq(articles.slug, 'escaping-test'))
    expect((await call(siteRss, '/feed.xml')).headers.get('ETag')).not.toBe(before)
  })
})

describe('scoped feeds', () => {
  it('a tag feed holds only that tag’s stories, and an unknown tag is a 404', async () => {
    const feed = await parser.parseString(await (await call(tagRss, '/tags/escaping/feed.xml', { slug: 'escaping' })).text())
    expect(feed.items.map((i) => i.link)).toEqual([`${origin}/articles/escaping-test`])
    const atom = await parser.parseString(await (await call(tagAtom, '/tags/huawei/feed.atom', { slug: 'huawei' })).text())
    expect(atom.items.length).toBeGreaterThan(0)
    expect((await call(tagRss, '/tags/nope/feed.xml', { slug: 'nope' })).status).toBe(404)
  })

  it('a chip feed holds the stories that mention it', async () => {
    const feed = (await (await call(chipJson, '/chips/h200/feed.json', { slug: 'h200' })).json()) as { title: string; items: unknown[] }
    expect(feed.title).toBe('Threadline: the Nvidia H200')
    expect(feed.items.length).toBeGreaterThan(3)
  })

  it('a comments feed carries published comments only, escaped', async () => {
    const response = await call(articleCommentsFeed, '/articles/escaping-test/comments.xml', { slug: 'escaping-test' })
    const xml = await response.text()
    const feed = await parser.parseString(xml)
    expect(feed.items.map((i) => i.link)).toEqual([`${origin}/articles/escaping-test/comments/${commentIds.kept}#c${commentIds.kept}`])
    expect(feed.items[0]!['content:encoded']).toContain('华为 昇腾 🚀')
    expect(xml).not.toContain('Removed words')
    expect(xml).not.toContain('Deleted words')
    expect((await call(articleCommentsFeed, '/articles/secret-draft/comments.xml', { slug: 'secret-draft' })).status).toBe(404)
  })

  it('the moderation feed shows actions and reasons, never private details', async () => {
    const xml = await (await call(moderationFeed, '/moderation/feed.xml')).text()
    const feed = await parser.parseString(xml)
    const removal = feed.items.find((i) => i.title === `Comment removed on “${trickyAsHtml}”`)
    expect(removal?.contentSnippet ?? removal?.content).toContain('Reason: Off-topic & rude')
    expect(xml).not.toContain('Removed words')
    expect(xml).not.toContain('@example.com')
  })
})

describe('sitemap', () => {
  it('lists public articles, tags and chips with lastmod, and no drafts', async () => {
    const xml = await (await call(sitemap, '/sitemap.xml')).text()
    expect(xml).toContain(`<loc>${origin}/articles/escaping-test</loc><lastmod>`)
    expect(xml).toContain(`<loc>${origin}/tags/escaping</loc>`)
    expect(xml).toContain(`<loc>${origin}/chips/h200</loc><lastmod>`)
    expect(xml).not.toContain('secret-draft')
  })
})

describe('search', () => {
  it('finds published stories by a word in the body, ranked, with marked snippets', async () => {
    const result = await search({ query: 'MindSpore', page: 1 })
    if (result.kind !== 'results') throw new Error(result.kind)
    expect(result.total).toBeGreaterThan(0)
    expect(result.articles[0]!.snippet).toMatch(/\uE000MindSpore\uE001/i)
    expect(result.articles.some((a) => a.slug === 'secret-draft')).toBe(false)
  })

  it('searches chips, understands phrases and exclusions, and never errors on odd input', async () => {
    const chips = await search({ query: 'Ascend', page: 1 })
    if (chips.kind !== 'results') throw new Error(chips.kind)
    expect(chips.chips.map((c) => c.slug)).toContain('ascend-910b')
    for (const query of ['"export controls"', 'H20 -Huawei', 'HBM or NVLink', 'the', ':*&|!(', "'; drop table articles; --", '<script>']) {
      expect((await search({ query, page: 1 })).kind).toBe('results')
    }
    expect(await search({ query: '   ', page: 1 })).toEqual({ kind: 'empty' })
    expect((await search({ query: 'x'.repeat(201), page: 1 })).kind).toBe('too-long')
  })

  it('pages without overlap', async () => {
    const first = await search({ query: 'export', page: 1 })
    const second = await search({ query: 'export', page: 2 })
    if (first.kind !== 'results' || second.kind !== 'results') throw new Error('no results')
    const slugs = [...first.articles, ...second.articles].map((a) => a.slug)
    expect(new Set(slugs).size).toBe(slugs.length)
    expect(second.chips).toEqual([])
  })
})

describe('chip data', () => {
  it('a chip feed includes its export-status changes as items', async () => {
    const feed = (await (await call(chipJson, '/chips/h200/feed.json', { slug: 'h200' })).json()) as {
      items: { title: string; url: string; tags?: string[] }[]
    }
    const status = feed.items.filter((i) => i.tags?.includes('export status'))
    expect(status.map((i) => i.title)).toEqual([
      'H200: approved for export (US, Administration decision announced 8 December 2025)',
      'H200: restricted (US, BIS update of 17 October 2023, in force 17 November 2023)',
    ])
    expect(status[0]!.url).toBe(`${origin}/chips/h200#timeline`)
  })

  it('/chips.json and /chips/:slug.json carry the records with timelines under a stated licence', async () => {
    const { loader: allChips } = await import('#app/routes/chips[.]json.ts')
    const { loader: oneChip } = await import('#app/routes/chips.$slug_.record[.]json.ts')
    const all = (await (await call(allChips, '/chips.json')).json()) as { licence: { name: string }; chips: { slug: string; timeline: unknown[] }[] }
    expect(all.licence.name).toContain('CC BY 4.0')
    expect(all.chips.length).toBeGreaterThanOrEqual(12)
    expect(all.chips.find((c) => c.slug === 'h800')?.timeline).toHaveLength(2)
    const one = (await (await call(oneChip, '/chips/h200/record.json', { slug: 'h200' })).json()) as {
      chip: { slug: string; exportStatus: string; memoryBandwidthGbs: number; searchVector?: unknown; timeline: { status: string }[] }
    }
    expect(one.chip).toMatchObject({ slug: 'h200', exportStatus: 'approved_for_export', memoryBandwidthGbs: 4800 })
    expect(one.chip.searchVector).toBeUndefined()
    expect(one.chip.timeline.map((e) => e.status)).toEqual(['restricted', 'approved_for_export'])
    expect((await call(oneChip, '/chips/nope/record.json', { slug: 'nope' })).status).toBe(404)
  })
})
