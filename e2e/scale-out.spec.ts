import crypto from 'node:crypto'
import { request, type APIRequestContext } from '@playwright/test'
import { expect, newAccount, signUp, signUpThrough, test, type Account } from './fixtures.ts'
import { createDatabase, startInstance, type Instance, type SharedDatabase } from './instances.ts'

// Two instances of the production build on one PostgreSQL database, as behind the load balancer in
// deploy/nginx.conf: whatever a person does through one, the other must know. Sessions, rate limits
// and settings are rows; live updates and cache invalidation travel by LISTEN/NOTIFY. The suite's own
// server (baseURL) is not used: every request names the instance it goes to.

const serverUrl = process.env.DATABASE_URL
const A = 'http://127.0.0.1:3301'
const B = 'http://127.0.0.1:3302'

test.skip(!serverUrl, 'needs DATABASE_URL: the embedded database serves one process, so it cannot be shared')
test.describe.configure({ mode: 'serial' })
test.use({ baseURL: A })

let database: SharedDatabase | undefined
const instances: Instance[] = []
const contexts: APIRequestContext[] = []
let slug = ''

function clientIp() {
  const b = crypto.randomBytes(3)
  return `10.${b[0]}.${b[1]}.${(b[2]! % 250) + 1}`
}

/** A client of one instance, as if from its own address; it keeps the cookies that instance sets. */
async function clientOf(origin: string) {
  const context = await request.newContext({ baseURL: origin, extraHTTPHeaders: { Origin: origin, 'X-Forwarded-For': clientIp() } })
  contexts.push(context)
  return context
}

/** A new member signed up through instance A's form, and their client of A. */
async function memberOnA(): Promise<{ account: Account; client: APIRequestContext }> {
  const account = newAccount()
  const client = await clientOf(A)
  await signUpThrough(client, account, { origin: A })
  return { account, client }
}

/** Posts a top-level comment the way the comment form does without JavaScript. */
async function postComment(client: APIRequestContext, body: string) {
  const response = await client.post(`/articles/${slug}`, { form: { intent: 'comment', body }, maxRedirects: 0 })
  expect(response.status(), await response.text()).toBe(302)
  expect(response.headers().location).toMatch(new RegExp(`^/articles/${slug}\\?sort=new#`))
}

test.beforeAll(async () => {
  test.setTimeout(120_000)
  database = await createDatabase(serverUrl!)
  // Started together on purpose: they take turns at the migration lock.
  const started = await Promise.allSettled([3301, 3302].map((port) => startInstance({ port, databaseUrl: database!.url })))
  for (const result of started) if (result.status === 'fulfilled') instances.push(result.value)
  for (const result of started) if (result.status === 'rejected') throw result.reason

  // New members' first comments would wait for a moderator and never reach readers.
  const admin = await clientOf(B)
  const login = await admin.post('/login', { form: { login: 'admin', password: 'threadline-demo' }, maxRedirects: 0 })
  expect(login.status()).toBe(302)
  const saved = await admin.post('/admin/settings', { form: { intent: 'save' }, maxRedirects: 0 })
  expect(saved.headers().location).toBe('/admin/settings?saved=1')

  const home = await (await clientOf(A)).get('/')
  slug = (await home.text()).match(/href="\/articles\/([a-z0-9-]+)"/)?.[1] ?? ''
  expect(slug, 'a story on the front page').not.toBe('')

  // A NOTIFY sent before an instance's LISTEN is in place is lost. Whether an instance listens from
  // the start or from its first live reader, give each a reader once and wait until both listen, so
  // the tests below cannot race an instance's start-up.
  for (const instance of instances) {
    const reader = new AbortController()
    const response = await fetch(`${instance.url}/articles/${slug}/events`, { signal: reader.signal })
    expect(response.status).toBe(200)
    reader.abort()
  }
  await expect.poll(() => database!.countListeners(), { message: 'both instances LISTEN for events' }).toBeGreaterThanOrEqual(2)
})

test.afterAll(async () => {
  // Each instance drains before it exits (up to ten seconds).
  test.setTimeout(60_000)
  await Promise.all(contexts.map((context) => context.dispose()))
  await Promise.all(instances.map((instance) => instance.stop()))
  await database?.drop()
})

test('a session begun on one instance is valid on the other, and ending it on one ends it on both', async ({ page }) => {
  const account = await signUp(page)
  const session = (await page.context().cookies(A)).find((c) => c.name === 'threadline_session')
  expect(session?.value, 'instance A set a session cookie').toBeTruthy()
  // Cookies belong to a host, not a port, so the browser would send this one to B as well; B is
  // asked through a client of its own, with the cookie copied across by hand.
  const cookie = `threadline_session=${session!.value}`
  const onB = await clientOf(B)

  const withoutCookie = await onB.get('/account', { maxRedirects: 0 })
  expect(withoutCookie.status()).toBe(302)
  expect(withoutCookie.headers().location).toMatch(/^\/login\?/)

  const withCookie = await onB.get('/account', { headers: { Cookie: cookie }, maxRedirects: 0 })
  expect(withCookie.status()).toBe(200)
  expect(await withCookie.text()).toContain(account.username)

  const loggedOut = await onB.post('/logout', { headers: { Cookie: cookie }, maxRedirects: 0 })
  expect(loggedOut.status()).toBe(302)

  // The browser still holds the cookie; A must refuse it now.
  expect((await page.context().cookies(A)).find((c) => c.name === 'threadline_session')?.value).toBe(session!.value)
  await page.goto(`${A}/account`)
  await expect(page).toHaveURL(`${A}/login?redirectTo=%2Faccount`)
  await expect(page.locator('.user-menu')).toHaveCount(0)
})

test('a comment posted through one instance reaches a live reader on the other', async ({ page }) => {
  const { client } = await memberOnA()
  const subscribed = page.waitForResponse(`${B}/articles/${slug}/events`)
  await page.goto(`${B}/articles/${slug}`)
  expect((await subscribed).status()).toBe(200)

  const text = `Posted through instance A, read on B (${crypto.randomBytes(4).toString('hex')})`
  await postComment(client, text)

  await page.getByRole('button', { name: 'Show 1 new comment' }).click({ timeout: 5_000 })
  await expect(page.getByText(text)).toBeVisible()
})

test('log-in throttling counts failures made through every instance', async () => {
  const { account } = await memberOnA()
  const [onA, onB] = [await clientOf(A), await clientOf(B)]
  // Each attempt from an address of its own: the per-account limit is the one under test.
  const attempt = (client: APIRequestContext, password: string) =>
    client.post('/login', {
      form: { login: account.username, password },
      headers: { 'X-Forwarded-For': clientIp() },
      maxRedirects: 0,
    })

  // Five failures, three through A and two through B: neither instance alone has seen five.
  for (const [i, client] of [onA, onB, onA, onB, onA].entries()) {
    expect((await attempt(client, 'not the password at all')).status(), `failed attempt ${i + 1}`).toBe(400)
  }
  for (const client of [onB, onA]) {
    const refused = await attempt(client, account.password)
    expect(refused.status()).toBe(429)
    expect(await refused.text()).toContain('Too many failed log-ins for this account')
  }
})

test('a setting changed through one instance holds at once on the other', async () => {
  const { client } = await memberOnA()
  // A has read its settings (and keeps them in memory while it hears changes).
  await postComment(client, `Before the limit changes (${crypto.randomBytes(4).toString('hex')})`)
  const admin = await clientOf(B)
  expect((await admin.post('/login', { form: { login: 'admin', password: 'threadline-demo' }, maxRedirects: 0 })).status()).toBe(302)
  const setLimit = async (maxCommentLength: number) => {
    const saved = await admin.post('/admin/settings', { form: { intent: 'save', maxCommentLength: String(maxCommentLength) }, maxRedirects: 0 })
    expect(saved.headers().location).toBe('/admin/settings?saved=1')
  }
  await setLimit(40)
  try {
    // A refused comment costs no allowance, so asking again until the change arrives is free.
    await expect
      .poll(
        async () => {
          const response = await client.post(`/articles/${slug}`, {
            form: { intent: 'comment', body: 'Sixty characters of comment, which is over the new limit.' },
            maxRedirects: 0,
          })
          return response.status() === 400 && (await response.text()).includes('40')
        },
        { message: 'A refuses a comment over the limit set through B', timeout: 2_000, intervals: [10, 50, 100] },
      )
      .toBe(true)
  } finally {
    await setLimit(10_000)
  }
})

// Last, so that a failure here leaves the checks above run: in serial mode a failure skips the rest.
test('a comment posted through one instance clears the other instance’s cached page for readers', async () => {
  // Signed up first: a new account is a write too, and must not be what clears the cache.
  const { client } = await memberOnA()
  const reader = await clientOf(B)
  const read = async () => {
    const response = await reader.get(`/articles/${slug}`)
    expect(response.status()).toBe(200)
    return { cache: response.headers()['x-cache'], html: await response.text() }
  }
  // The first anonymous read fills B's cache; a later one must come from it, or nothing below
  // would show that the cache was cleared.
  await expect.poll(async () => (await read()).cache, { message: 'B serves the story from its cache', timeout: 5_000 }).toBe('HIT')

  const text = `Cache buster from instance A (${crypto.randomBytes(4).toString('hex')})`
  await postComment(client, text)

  let last = { cache: undefined as string | undefined, html: '' }
  await expect
    .poll(
      async () => {
        last = await read()
        return last.html.includes(text)
      },
      { message: 'a reader on B sees the new comment', timeout: 5_000 },
    )
    .toBe(true)
  expect(['HIT', 'MISS']).toContain(last.cache)

  // Warm again, a member still gets a page of their own: their copy of the shared rendering, with
  // their comment marked as theirs.
  await expect.poll(async () => (await read()).cache, { timeout: 5_000 }).toBe('HIT')
  const { cookies } = await client.storageState()
  const session = cookies.find((c) => c.name === 'threadline_session')!
  const cookie = `threadline_session=${session.value}`
  const asMember = await (await clientOf(B)).get(`/articles/${slug}`, { headers: { Cookie: cookie } })
  expect(asMember.status()).toBe(200)
  expect(asMember.headers()['cache-control']).toBe('private, no-cache')
  const own = await asMember.text()
  expect(own).toContain(text)
  expect(own).toMatch(/Signed in as <\/span>/)
  expect(own).toMatch(/<summary>Edit<\/summary>/)
})
