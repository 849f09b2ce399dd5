import crypto from 'node:crypto'
import net from 'node:net'
import { request, type APIRequestContext, type Page } from '@playwright/test'
import postgres from 'postgres'
import { expect, signUp, signUpThrough, test } from './fixtures.ts'
import { createDatabase, startInstance, type Instance, type SharedDatabase } from './instances.ts'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts'

// The database server going away under a running instance, by way of a TCP proxy the test can cut:
// pages say so with a 503, /healthz says so, a comment sent at that moment is reported as not posted
// and its text is kept, and when the database returns the instance recovers by itself. Last, a
// SIGTERM while requests are in flight: they finish, and the process exits 0.

const serverUrl = process.env.DATABASE_URL
const PORT = 3313
const ORIGIN = `http://127.0.0.1:${PORT}`

test.skip(!serverUrl, 'needs DATABASE_URL: an embedded database cannot be taken away from the process that holds it')
test.describe.configure({ mode: 'serial' })
test.use({ baseURL: ORIGIN })

let database: SharedDatabase | undefined
let proxy: TcpProxy | undefined
let instance: Instance | undefined
let sql: postgres.Sql | undefined
let slug = ''
const contexts: APIRequestContext[] = []

function clientIp() {
  const b = crypto.randomBytes(3)
  return `10.${b[0]}.${b[1]}.${(b[2]! % 250) + 1}`
}

async function client(headers: Record<string, string> = {}) {
  const context = await request.newContext({
    baseURL: ORIGIN,
    extraHTTPHeaders: { Origin: ORIGIN, 'X-Forwarded-For': clientIp(), ...headers },
  })
  contexts.push(context)
  return context
}

/** A new member, signed up through the form; their client keeps the session cookie. */
async function member() {
  const member = await client()
  const id = crypto.randomBytes(5).toString('hex')
  await signUpThrough(member, { email: `fault-${id}@example.com`, username: `fault_${id}`, password: 'a long e2e password' }, { origin: ORIGIN })
  return { client: member, username: `fault_${id}` }
}

async function rowsWithMarker(marker: string) {
  const [row] = await sql!<{ n: number }[]>`select count(*)::int as n from comments where body like ${`%${marker}%`}`
  return row!.n
}

/** Milliseconds until `check` holds, polling every 100 ms; fails after `timeout`. */
async function timeUntil(check: () => Promise<boolean>, timeout = 20_000) {
  const started = Date.now()
  while (!(await check().catch(() => false))) {
    if (Date.now() - started > timeout) throw new Error(`still not so after ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return Date.now() - started
}

const healthz = () => fetch(`${ORIGIN}/healthz`).then((r) => r.status)

test.beforeAll(async () => {
  test.setTimeout(120_000)
  database = await createDatabase(serverUrl!)
  sql = postgres(database.url, { max: 2, onnotice: () => {} })
  const server = new URL(serverUrl!)
  proxy = await startTcpProxy({ target: { host: server.hostname, port: Number(server.port || 5432) } })
  const throughProxy = new URL(database.url)
  throughProxy.host = `127.0.0.1:${proxy.port}`
  instance = await startInstance({ port: PORT, databaseUrl: throughProxy.toString() })

  // New members' first comments would otherwise wait for a moderator.
  const admin = await client()
  expect((await admin.post('/login', { form: { login: 'admin', password: 'threadline-demo' }, maxRedirects: 0 })).status()).toBe(302)
  expect((await admin.post('/admin/settings', { form: { intent: 'save' }, maxRedirects: 0 })).headers().location).toBe('/admin/settings?saved=1')
  const [article] = await sql<{ slug: string }[]>`select slug from articles where status = 'published' order by published_at desc limit 1`
  slug = article!.slug
})

test.afterAll(async () => {
  test.setTimeout(60_000)
  await Promise.all(contexts.map((context) => context.dispose()))
  await proxy?.restore()
  await instance?.stop()
  await proxy?.close()
  await sql?.end()
  await database?.drop()
})

test('with the database gone, pages answer 503 and /healthz says so; when it returns, the instance recovers without a restart', async () => {
  const { client: reader, username } = await member()
  const page = (path: string) => reader.get(path, { maxRedirects: 0 })
  expect((await page(`/articles/${slug}`)).status()).toBe(200)

  await proxy!.cut()
  const toUnhealthy = await timeUntil(async () => (await healthz()) === 503)

  for (const path of [`/articles/${slug}`, '/account', '/chips', `/search?q=export+controls`]) {
    const started = Date.now()
    const response = await page(path)
    const took = Date.now() - started
    expect(response.status(), path).toBe(503)
    expect(took, `${path} answered within a few seconds`).toBeLessThan(6_000)
    expect(response.headers()['retry-after']).toBe('5')
    const html = await response.text()
    expect(html).toContain('We can’t reach our database right now')
    expect(html).toContain('Nothing is lost; please try again in a moment.')
    expect(html).not.toMatch(/ECONNREFUSED|CONNECTION_CLOSED|postgres|at \S+ \(.*:\d+:\d+\)/)
    // A session that cannot be checked is not ended: no cookie is cleared.
    expect(response.headers()['set-cookie'] ?? '').not.toContain('threadline_session=;')
  }
  // Client-side navigations (single fetch) get the same status and message.
  const data = await page(`/chips.data`)
  expect(data.status()).toBe(503)
  expect(await data.text()).toContain('This page cannot be shown until it is back.')

  await proxy!.restore()
  const toHealthy = await timeUntil(async () => (await healthz()) === 200)
  const toPages = await timeUntil(async () => (await page(`/articles/${slug}`)).status() === 200)
  const account = await page('/account')
  expect(account.status(), 'the member is still logged in').toBe(200)
  expect(await account.text()).toContain(username)
  const timings = `healthz 503 ${toUnhealthy} ms after the cut; after the restore, healthz 200 in ${toHealthy} ms, pages 200 in ${toHealthy + toPages} ms`
  test.info().annotations.push({ type: 'timings', description: timings })
  console.log(`database faults: ${timings}`)
})

/** Types a comment, takes the database away at the moment it is sent, and checks what the writer sees. */
async function postDuringOutage(page: Page, { midFlight }: { midFlight: boolean }) {
  await signUp(page)
  await page.goto(`/articles/${slug}`)
  const marker = `outage-${crypto.randomBytes(5).toString('hex')}`
  const text = `Written while the database went away (${marker}).`
  await page.getByLabel('Your comment').fill(text)

  if (midFlight) {
    // Every answer from the database now takes a while: the post is under way when the cut comes.
    proxy!.setDelay(400)
    const sent = page.waitForRequest((r) => r.method() === 'POST')
    await page.getByRole('button', { name: 'Post comment' }).click()
    await sent
    await new Promise((resolve) => setTimeout(resolve, 150))
    await proxy!.cut()
    proxy!.setDelay(0)
  } else {
    await proxy!.cut()
    await page.getByRole('button', { name: 'Post comment' }).click()
  }

  await expect(page.getByText('Your comment was not posted: we can’t reach our database right now.')).toBeVisible()
  const kept = await page.locator('textarea').evaluateAll((areas) => areas.map((a) => (a as HTMLTextAreaElement).value))
  expect(kept, 'the text is still in a form').toContain(text)
  await proxy!.restore()
  expect(await rowsWithMarker(marker), 'what the writer was told holds: nothing was stored').toBe(0)

  // Sent again once the database is back, it is posted, once.
  await timeUntil(async () => (await healthz()) === 200)
  const again = page.getByRole('button', { name: /^(Try again|Post comment)$/ }).first()
  await again.click()
  await expect(page.locator('.comment__body', { hasText: marker })).toBeVisible()
  expect(await rowsWithMarker(marker)).toBe(1)
}

test('a comment sent as the database goes away is reported as not posted, and its text is kept (JavaScript on)', async ({ page }) => {
  await postDuringOutage(page, { midFlight: true })
})

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false })

  test('a comment sent while the database is away is reported as not posted, and its text is kept', async ({ page }) => {
    await postDuringOutage(page, { midFlight: false })
  })
})

/** Raw HTTP/1.1 on one connection: requests written as asked, every response read until it closes. */
function rawConnection() {
  const socket = net.connect(PORT, '127.0.0.1')
  let received = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)))
  socket.on('error', () => {})
  return {
    send: (path: string, headers: Record<string, string> = {}) =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\n${Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n`,
      ),
    closed,
  }
}

// Last: it stops the instance.
test('on SIGTERM the instance finishes requests in flight, answers /healthz with 503 while it drains, and exits 0', async () => {
  test.setTimeout(60_000)
  const { client: writer } = await member()
  const { cookies } = await writer.storageState()
  const cookie = `threadline_session=${cookies.find((c) => c.name === 'threadline_session')!.value}`
  const marker = `drain-${crypto.randomBytes(5).toString('hex')}`

  // Slow answers from the database keep both requests in flight while the signal arrives.
  proxy!.setDelay(300)
  const connection = rawConnection()
  connection.send(`/articles/${slug}`, { Cookie: cookie })
  const posted = writer.post(`/articles/${slug}`, { form: { intent: 'comment', body: `Posted as the instance stops (${marker}).` }, maxRedirects: 0 })
  await new Promise((resolve) => setTimeout(resolve, 400))
  instance!.kill('SIGTERM')
  await new Promise((resolve) => setTimeout(resolve, 200))
  // On the same connection, behind the slow page: the load balancer's view while it drains.
  connection.send('/healthz', { Connection: 'close' })

  const post = await posted
  expect(post.status(), 'the comment in flight was posted').toBe(302)
  expect(post.headers().location).toMatch(new RegExp(`^/articles/${slug}\\?sort=new#c\\d+$`))
  const raw = await connection.closed
  const statuses = [...raw.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]))
  expect(statuses, 'the page in flight, then /healthz').toEqual([200, 503])
  expect(raw).toContain('shutting down')
  expect(await instance!.exited, 'the process exit code').toBe(0)
  proxy!.setDelay(0)
  expect(await rowsWithMarker(marker)).toBe(1)
})
