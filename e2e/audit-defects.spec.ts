import crypto from 'node:crypto'
import type { APIRequestContext } from '@playwright/test'
import { expect, newAccount, signUpThrough, test } from './fixtures.ts'

// The smaller defects an outside audit found (issue 14, item 7), each with the test that keeps it
// fixed: a sort preference changed by an address, a report's thanks shown by an address, slugs in
// another case, the 404 page's title, the chip data's validators, and the vote score's markup.

const slug = 'h200-exports-to-china-approved'
const HOME_TITLE = 'Threadline — AI chips, export controls and open-source AI'

function origin(baseURL: string | undefined) {
  return { Origin: baseURL! }
}

function signUp(request: APIRequestContext, baseURL: string | undefined) {
  return signUpThrough(request, newAccount(), { headers: origin(baseURL) })
}

/** A context of its own (its own cookies and client address) for a second person. */
async function another(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, baseURL: string | undefined) {
  const b = crypto.randomBytes(3)
  return playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': `10.${b[0]}.${b[1]}.${(b[2]! % 250) + 1}` } })
}

/** The order the sort links say is current. */
async function currentSort(request: APIRequestContext, path: string) {
  const html = await (await request.get(path)).text()
  return /<a [^>]*aria-current="true"[^>]*>(Top|New|Old)<\/a>/.exec(html)?.[1] ?? null
}

function titleOf(html: string) {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1]
}

test('posting without JavaScript does not change the member’s order; choosing one does', async ({ request, playwright, baseURL }) => {
  await signUp(request, baseURL)
  const posted = await request.post(`/articles/${slug}`, {
    form: { intent: 'comment', body: `Posted without JavaScript ${Date.now()}` },
    headers: origin(baseURL),
    maxRedirects: 0,
  })
  expect(posted.status()).toBe(302)
  const landing = posted.headers().location!
  expect(landing).toMatch(/\?sort=new#c\d+$/)
  // The page the post lands on shows the newest first, once.
  expect(await currentSort(request, landing.replace(/#.*/, ''))).toBe('New')
  expect(await currentSort(request, `/articles/${slug}`), 'the landing address did not become the member’s order').toBe('Top')
  // Nor does a shared address with an order in it.
  expect(await currentSort(request, `/articles/${slug}?sort=old`)).toBe('Old')
  expect(await currentSort(request, `/articles/${slug}`)).toBe('Top')

  // The sort links are a choice: the member keeps it, and the address loses the marker.
  const html = await (await request.get(`/articles/${slug}`)).text()
  const link = /href="([^"]*sort=old[^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&')
  expect(link, 'the Old link').toContain('remember=1')
  const chosen = await request.get(link!.replace(/#.*/, ''), { maxRedirects: 0 })
  expect(chosen.status()).toBe(302)
  expect(chosen.headers().location).toBe(`/articles/${slug}?sort=old`)
  expect(await currentSort(request, `/articles/${slug}`)).toBe('Old')

  // A reader without an account can use the links too: nothing to keep, the order is shown.
  const reader = await another(playwright, baseURL)
  const anonymous = await reader.get(`/articles/${slug}?sort=new&remember=1`, { maxRedirects: 0 })
  expect(anonymous.status()).toBe(302)
  expect(anonymous.headers().location).toBe(`/articles/${slug}?sort=new`)
  await reader.dispose()
})

test('a report’s thanks comes only from the report, and a duplicate says it is one', async ({ request, playwright, baseURL }) => {
  // A comment by a staff member (never held), for a member to report.
  const admin = await another(playwright, baseURL)
  const login = await admin.post('/login', { form: { login: 'admin', password: 'threadline-demo' }, headers: origin(baseURL), maxRedirects: 0 })
  expect(login.status()).toBe(302)
  const comment = await admin.post(`/articles/${slug}`, {
    form: { intent: 'comment', body: `Report me ${Date.now()}` },
    headers: origin(baseURL),
    maxRedirects: 0,
  })
  const commentId = Number(/#c(\d+)$/.exec(comment.headers().location ?? '')?.[1])
  expect(commentId).toBeGreaterThan(0)
  await admin.dispose()

  await signUp(request, baseURL)
  const thanks = 'Thanks: your report was received'
  const already = 'You have already reported this comment'
  // An address alone shows nothing, to a member or to anyone.
  expect(await (await request.get(`/articles/${slug}?reported=${commentId}`)).text()).not.toContain(thanks)
  const reader = await another(playwright, baseURL)
  expect(await (await reader.get(`/articles/${slug}?reported=${commentId}`)).text()).not.toContain(thanks)
  await reader.dispose()

  const report = () =>
    request.post(`/articles/${slug}/comments/${commentId}`, {
      form: { intent: 'report', reason: 'spam', note: '', returnTo: `/articles/${slug}` },
      headers: origin(baseURL),
      maxRedirects: 0,
    })
  const first = await report()
  expect(first.status()).toBe(302)
  expect(first.headers().location).not.toContain('reported=')
  const landed = await (await request.get(first.headers().location!.replace(/#.*/, ''))).text()
  expect(landed).toContain(thanks)
  expect(landed).not.toContain(already)
  // Shown once.
  expect(await (await request.get(`/articles/${slug}`)).text()).not.toContain(thanks)

  const second = await report()
  expect(second.status()).toBe(302)
  const again = await (await request.get(second.headers().location!.replace(/#.*/, ''))).text()
  expect(again).toContain(already)
  expect(again).not.toContain(thanks)
})

test('another spelling of a slug is a permanent redirect to the canonical address', async ({ request, baseURL }) => {
  const redirects = [
    ['/chips/H200', '/chips/h200'],
    ['/chips/Ascend-910B', '/chips/ascend-910b'],
    ['/chips/H200/feed.xml', '/chips/h200/feed.xml'],
    ['/chips/H200/feed.atom', '/chips/h200/feed.atom'],
    ['/chips/H200/record.json', '/chips/h200/record.json'],
    ['/tags/China', '/tags/china'],
    ['/tags/CHINA/feed.json', '/tags/china/feed.json'],
    [`/articles/${slug.toUpperCase()}?sort=new`, `/articles/${slug}?sort=new`],
    [`/articles/${slug.toUpperCase()}/comments.xml`, `/articles/${slug}/comments.xml`],
  ]
  for (const [from, to] of redirects) {
    const response = await request.get(from!, { maxRedirects: 0 })
    expect(response.status(), from).toBe(308)
    expect(new URL(response.headers().location!, baseURL).pathname + new URL(response.headers().location!, baseURL).search, from).toBe(to)
    expect((await request.get(to!)).status(), to).toBe(200)
  }
  // What no spelling makes a slug is still not found.
  expect((await request.get('/chips/H200!', { maxRedirects: 0 })).status()).toBe(404)
  expect((await request.get('/chips/no-such-chip', { maxRedirects: 0 })).status()).toBe(404)
})

test('error pages have their own title, not the home page’s', async ({ request }) => {
  const notFound = await request.get('/no-such-page')
  expect(notFound.status()).toBe(404)
  expect(titleOf(await notFound.text())).toBe('Page not found — Threadline')
  for (const path of [
    '/articles/no-such-story',
    '/tags/no-such-topic',
    '/chips/no-such-chip',
    '/notifications/1',
    '/?page=9999',
    '/moderation?page=9999',
    '/search?q=export&page=9999',
  ]) {
    const response = await request.get(path)
    expect(response.status(), path).toBe(404)
    const title = titleOf(await response.text())
    expect(title, path).toBeTruthy()
    expect(title, path).not.toBe(HOME_TITLE)
  }
  expect(titleOf(await (await request.get('/')).text())).toBe(HOME_TITLE)
})

test('/chips.json and a chip’s record carry ETag and Last-Modified and answer 304', async ({ request }) => {
  for (const path of ['/chips.json', '/chips/h200.json']) {
    // Twice: once rendered, once (for an anonymous reader) from the shared page cache.
    for (let round = 0; round < 2; round++) {
      const response = await request.get(path)
      expect(response.status(), path).toBe(200)
      const etag = response.headers().etag
      const lastModified = response.headers()['last-modified']
      expect(etag, `${path} ETag`).toMatch(/^W\/"[\w-]+"$/)
      expect(Date.parse(lastModified ?? ''), `${path} Last-Modified`).toBeGreaterThan(Date.parse('2000-01-01'))
      expect(Date.parse(lastModified!)).toBeLessThanOrEqual(Date.now() + 1000)
      const byTag = await request.get(path, { headers: { 'If-None-Match': etag! } })
      expect(byTag.status(), `${path} If-None-Match`).toBe(304)
      const byDate = await request.get(path, { headers: { 'If-Modified-Since': lastModified! } })
      expect(byDate.status(), `${path} If-Modified-Since`).toBe(304)
      const stale = await request.get(path, { headers: { 'If-None-Match': 'W/"something-else"' } })
      expect(stale.status(), `${path} another ETag`).toBe(200)
    }
  }
})

test('the vote score is text with its unit, not an aria-label on an element without a role', async ({ request }) => {
  // Readers without an account see scores they cannot vote on.
  const html = await (await request.get(`/articles/${slug}`)).text()
  const scores = [...html.matchAll(/<span class="vote vote--static"[^>]*>([\s\S]*?)<\/span><\/span>/g)]
  expect(scores.length, 'comments with a score').toBeGreaterThan(0)
  for (const [whole, inner] of scores) {
    expect(whole, 'no aria-label').not.toMatch(/^<span[^>]*aria-label/)
    expect(
      inner!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ).toMatch(/^▲ [\d,]+ points?$/)
  }
  expect(html).not.toMatch(/<span(?![^>]*\brole=)[^>]*aria-label="\d+ points?"/)
})
