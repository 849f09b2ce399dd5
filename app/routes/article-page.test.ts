import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { startSession } from '#app/auth.server.ts'
import { seedRealisticDiscussion } from '#app/test/discussion.ts'
import { recordQueriesWithParams, sequentialScans, type RecordedQuery } from '#app/test/queries.ts'
import { renderMemberCopy, renderRequest, renderSharedPage } from '#app/test/render.ts'
import { database } from '#app/db.server.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'

// Whole article pages, rendered by the real app on a real database: what they cost in queries and
// what they weigh in bytes, with 200 comments and with 2,000.

const SMALL = 'h20-market-specific-variant'
const LARGE = 'hbm-supply-and-export-rules'
const HUGE = 'cuda-lock-in-rocm-oneapi-chinese-developers'
// Tables that grow with readers and their words: no page may scan them.
const BIG_TABLES = ['comments', 'comment_votes', 'users', 'sessions', 'notifications', 'reports']
const QUERY_BUDGET = 6

let memberCookie = ''

async function articleId(slug: string) {
  const [row] = await database.rows<{ id: number }>(sql`select id from articles where slug = ${slug}`)
  return row!.id
}

beforeAll(async () => {
  await seedDatabase(database.db)
  await seedRealisticDiscussion(await articleId(SMALL), 200)
  await seedRealisticDiscussion(await articleId(LARGE), 2000)
  await seedRealisticDiscussion(await articleId(HUGE), 10_000)
  // A member who has voted and has unread notifications: the most their pages ever read.
  memberCookie = (await startSession(new Request('http://localhost/'), 'reader-7')).split(';')[0]!
  await database.rows(
    sql`insert into comment_votes (comment_id, user_id, value) select id, 'reader-7', 1 from comments where author_id <> 'reader-7' limit 30`,
  )
  await database.rows(sql`
    insert into notifications (user_id, kind, message, article_id)
    select 'reader-7', 'reply', 'A reply', ${await articleId(SMALL)} from generate_series(1, 5)`)
}, 300_000)

async function render(path: string, cookie = '') {
  await renderRequest(path, { headers: { cookie } }) // the first render of a route loads its modules
  let response: Response | undefined
  const queries = await recordQueriesWithParams(async () => {
    response = await renderRequest(path, { headers: { cookie } })
  })
  expect(response!.status).toBe(200)
  return { html: await response!.text(), queries }
}

/** The document without its scripts: what a reader sees, plus the head. */
function markupBytes(html: string) {
  return Buffer.byteLength(html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, ''))
}

async function scannedBigTables(queries: RecordedQuery[]) {
  const scans = await Promise.all(
    queries.map(async (q) => (await sequentialScans(q)).filter((t) => BIG_TABLES.includes(t)).map((t) => `${t} in: ${q.text.slice(0, 80)}`)),
  )
  return scans.flat()
}

describe.each([
  ['an anonymous reader', ''],
  ['a member', 'member'],
])('an article page for %s', (_who, kind) => {
  const cookie = () => (kind ? memberCookie : '')

  it(`costs at most ${QUERY_BUDGET} queries, the same for 2,000 comments as for 200`, async () => {
    const small = await render(`/articles/${SMALL}`, cookie())
    const large = await render(`/articles/${LARGE}`, cookie())
    expect(small.queries.length).toBeLessThanOrEqual(QUERY_BUDGET)
    expect(large.queries.length).toBe(small.queries.length)
    // Later pages and other orders of a discussion cost the same.
    expect((await render(`/articles/${LARGE}?sort=new&page=3`, cookie())).queries.length).toBeLessThanOrEqual(QUERY_BUDGET + (kind ? 1 : 0))
  })

  it('reads every big table through an index', async () => {
    const { queries } = await render(`/articles/${LARGE}`, cookie())
    expect(await scannedBigTables(queries)).toEqual([])
  })

  it('weighs at most 1.25× its visible markup: comment bodies are not shipped twice', async () => {
    const { html } = await render(`/articles/${SMALL}`, cookie())
    const total = Buffer.byteLength(html)
    expect(total / markupBytes(html)).toBeLessThanOrEqual(1.25)
    // Every body is in the markup once, and only once.
    expect(html.split('Comment 137: the').length - 1).toBe(1)
  })
})

// A member reads the page rendered for everyone, their part spliced in (app/member-page.server.tsx):
// what their page load costs is their copy of the stored page, whatever the discussion's size.
const MEMBER_LOAD_BUDGET = 5

/** Each comment's controls in a document, by slot id. */
function controlStrips(html: string) {
  return new Map([...html.matchAll(/<tl-slot id="(c\d+-actions)" class="comment__actions">([\s\S]*?)<\/tl-slot>/g)].map((m) => [m[1]!, m[2]!]))
}

describe('a member’s complete page load', () => {
  it(`costs at most ${MEMBER_LOAD_BUDGET} queries, the same for 10,000 comments as for 200, each through an index`, async () => {
    const counts: number[] = []
    for (const slug of [SMALL, HUGE]) {
      const path = `/articles/${slug}`
      const page = await renderSharedPage(path)
      await renderMemberCopy(path, memberCookie, page)
      let copy: Awaited<ReturnType<typeof renderMemberCopy>> = null
      const queries = await recordQueriesWithParams(async () => {
        copy = await renderMemberCopy(path, memberCookie, page)
      })
      expect(copy).not.toBeNull()
      expect(queries.length).toBeLessThanOrEqual(MEMBER_LOAD_BUDGET)
      expect(await scannedBigTables(queries)).toEqual([])
      counts.push(queries.length)
    }
    expect(counts[1]).toBe(counts[0])
  })

  it('shows the member what their own render shows: each comment’s controls byte for byte, their name, their comment form', async () => {
    for (const path of [`/articles/${SMALL}`, `/articles/${SMALL}?sort=new&page=2`]) {
      const copy = (await renderMemberCopy(path, memberCookie, await renderSharedPage(path)))!.body.toString('utf8')
      const own = await (await renderRequest(path, { headers: { cookie: memberCookie } })).text()
      const spliced = controlStrips(copy)
      expect(spliced.size).toBeGreaterThan(5)
      expect(spliced).toEqual(controlStrips(own))
      // Their votes are marked, and they may vote on the others.
      expect(copy).toContain('aria-pressed="true"')
      expect(copy).toContain('Signed in as </span>Reader 7')
      const form = (html: string) => /<form method="post" action="[^"]*" id="comment-form-new"[\s\S]*?<\/form>/.exec(html)?.[0]
      expect(form(copy)).toBeDefined()
      expect(form(copy)).toBe(form(own))
    }
  })
})

describe('a comment’s own page', () => {
  it('stays within the budget and reads big tables through indexes', async () => {
    const [row] = await database.rows<{ id: number }>(
      sql`select id from comments where article_id = ${await articleId(LARGE)} and depth = 1 order by id limit 1`,
    )
    // A member's page also reads the comment limit (the maxCommentLength setting) for its forms. The
    // server keeps the settings in memory while it hears their changes; these renders do not, so here
    // it costs a query.
    for (const [cookie, budget] of [
      ['', QUERY_BUDGET],
      [memberCookie, QUERY_BUDGET + 1],
    ] as const) {
      const { queries } = await render(`/articles/${LARGE}/comments/${row!.id}`, cookie)
      expect(queries.length).toBeLessThanOrEqual(budget)
      expect(await scannedBigTables(queries)).toEqual([])
    }
  })
})

describe('the front page', () => {
  it('stays within the budget and reads big tables through indexes', async () => {
    for (const cookie of ['', memberCookie]) {
      const { queries } = await render('/', cookie)
      expect(queries.length).toBeLessThanOrEqual(QUERY_BUDGET)
      expect(await scannedBigTables(queries)).toEqual([])
    }
  })
})

describe('the scan check itself', () => {
  it('sees a sequential scan where no index serves the query', async () => {
    expect(await sequentialScans({ text: 'select id from comments where body = $1', params: ['x'] })).toEqual(['comments'])
    expect(await sequentialScans({ text: 'select id from comments where id = $1', params: [1] })).toEqual([])
  })
})
