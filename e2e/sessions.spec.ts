import crypto from 'node:crypto'
import postgres from 'postgres'
import { expect, logIn, newAccount, signUpLinkFor, test, type Account } from './fixtures.ts'
import { logPathFor } from './paths.ts'
import { createDatabase, startInstance, type Instance, type SharedDatabase } from './instances.ts'

// Sessions against the running app: a planted cookie never becomes a session, a logged-out cookie
// stays dead, a session expires (and slides forward while it is used), the cookie carries the flags
// that keep it from scripts, other sites and plain HTTP, and a ban ends every session at once.
// accounts.spec.ts covers logging out through the menu and ending other sessions on a password change.

const COOKIE = 'threadline_session'
const slug = 'h20-market-specific-variant'
const THIRTY_DAYS = 30 * 24 * 60 * 60

/** The session cookie a response sets, with its attributes (names lower-cased), or null. */
function sessionCookie(response: Response) {
  const line = response.headers.getSetCookie().find((v) => v.startsWith(`${COOKIE}=`))
  if (!line) return null
  const [pair, ...attributes] = line.split(';').map((p) => p.trim())
  const flags = new Map(attributes.map((a) => a.split('=') as [string, string?]).map(([k, v]) => [k.toLowerCase(), v ?? true]))
  return { value: pair!.slice(COOKIE.length + 1), flags }
}

/**
 * A client without a cookie jar (plain fetch): each request presents exactly the session it is
 * given, as a browser holding that cookie would, and nothing else.
 */
function bareClient(baseURL: string, ip: string, extra: Record<string, string> = {}) {
  const send = (method: string, path: string, session?: string, form?: Record<string, string>) =>
    fetch(new URL(path, baseURL), {
      method,
      redirect: 'manual',
      headers: {
        Origin: baseURL,
        'X-Forwarded-For': ip,
        ...(session !== undefined ? { Cookie: `${COOKIE}=${session}` } : {}),
        ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        ...extra,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    })
  return {
    origin: baseURL,
    get: (path: string, session?: string) => send('GET', path, session),
    post: (path: string, form: Record<string, string>, session?: string) => send('POST', path, session, form),
  }
}
type Client = ReturnType<typeof bareClient>

async function signUpWith(client: Client, account: Account = newAccount()) {
  const asked = await client.post('/signup', { email: account.email, username: account.username, password: account.password })
  expect(asked.status, await asked.text()).toBe(200)
  const response = await client.post(await signUpLinkFor(account.email, logPathFor(client.origin)), { confirm: '1' })
  expect(response.status, await response.text()).toBe(302)
  const cookie = sessionCookie(response)
  expect(cookie?.value, 'sign-up starts a session').toBeTruthy()
  return { account, session: cookie!.value }
}

async function logInWith(client: Client, account: Pick<Account, 'username' | 'password'>, session?: string) {
  const response = await client.post('/login', { login: account.username, password: account.password }, session)
  expect(response.status, await response.text()).toBe(302)
  return response
}

/** What /account does for a request presenting `session`: the member's page, or the way to log in. */
async function accountWith(client: Client, session: string) {
  const response = await client.get('/account', session)
  return { status: response.status, location: response.headers.get('location'), html: await response.text(), cookie: sessionCookie(response) }
}

test('a session id planted before log-in is not the one the member gets, and is dead afterwards', async ({ page, baseURL, clientIp }) => {
  const client = bareClient(baseURL!, clientIp)
  // An id the attacker made up is refused outright, and the browser is told to forget it.
  const refused = await accountWith(client, crypto.randomBytes(20).toString('hex'))
  expect(refused.status).toBe(302)
  expect(refused.location).toMatch(/^\/login\?/)
  expect(refused.cookie?.value, 'the planted cookie is cleared').toBe('')

  // A real session of the attacker's own, planted in the victim's browser (from a sibling subdomain,
  // say) while the log-in form is open, so it goes along with the victim's credentials.
  const attacker = await signUpWith(client)
  const victim = await signUpWith(client)
  await page.goto('/login')
  await page.context().addCookies([{ name: COOKIE, value: attacker.session, url: baseURL! }])
  await page.getByLabel('Email or username').fill(victim.account.username)
  await page.getByLabel('Password').fill(victim.account.password)
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/login'))
  await page.getByRole('button', { name: 'Log in' }).click()
  expect((await (await answered).request().allHeaders()).cookie ?? '', 'the planted id went along').toContain(attacker.session)
  await expect(page.locator('.user-menu summary')).toContainText(victim.account.username)

  const after = (await page.context().cookies(baseURL)).find((c) => c.name === COOKIE)!.value
  expect(after, 'a fresh id on log-in').not.toBe(attacker.session)
  expect(after).not.toBe(victim.session)
  expect((await accountWith(client, attacker.session)).status, 'the planted id no longer opens any account').toBe(302)
  const mine = await accountWith(client, after)
  expect(mine.status).toBe(200)
  expect(mine.html).toContain(victim.account.username)
})

test('after logging out, the old cookie is refused wherever it is presented', async ({ baseURL, clientIp }) => {
  const client = bareClient(baseURL!, clientIp)
  const { account, session } = await signUpWith(client)
  expect((await accountWith(client, session)).status).toBe(200)

  const out = await client.post('/logout', {}, session)
  expect(out.status).toBe(302)
  const cleared = sessionCookie(out)!
  expect(cleared.value).toBe('')
  expect(cleared.flags.get('max-age')).toBe('0')

  // A copy of the cookie kept from before (a stolen one, say) opens nothing.
  const page = await accountWith(client, session)
  expect(page.status).toBe(302)
  expect(page.location).toBe('/login?redirectTo=%2Faccount')
  expect(page.html).not.toContain(account.username)
  const comment = await client.post(`/articles/${slug}`, { intent: 'comment', body: 'Posted with a dead session?' }, session)
  expect(comment.status).toBe(302)
  expect(comment.headers.get('location')).toMatch(/^\/login\?redirectTo=/)
  const home = await client.get('/', session)
  expect(home.status).toBe(200)
  expect(await home.text()).not.toContain(account.username)
  // Logging out again with it is harmless.
  expect((await client.post('/logout', {}, session)).status).toBe(302)
})

test('the session cookie is HttpOnly, SameSite=Lax, for the whole site, lasts 30 days, and is Secure over HTTPS', async ({ baseURL, clientIp }) => {
  const http = bareClient(baseURL!, clientIp)
  const { account, session } = await signUpWith(http)
  const plain = sessionCookie(await logInWith(http, account))!
  expect(plain.value).not.toBe(session)
  expect(plain.value).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(plain.flags.get('httponly')).toBe(true)
  expect(plain.flags.get('samesite')).toBe('Lax')
  expect(plain.flags.get('path')).toBe('/')
  expect(Number(plain.flags.get('max-age'))).toBe(THIRTY_DAYS)
  // Over plain HTTP (development, these tests) it must not be Secure, or no browser would send it back.
  expect(plain.flags.has('secure')).toBe(false)

  // Behind a TLS-terminating proxy (the app trusts one hop here), the request was HTTPS: Secure.
  const port = new URL(baseURL!).port
  const https = bareClient(baseURL!, clientIp, { Origin: `https://127.0.0.1:${port}`, 'X-Forwarded-Proto': 'https' })
  const secure = sessionCookie(await logInWith(https, account))!
  expect(secure.flags.get('secure')).toBe(true)
  expect(secure.flags.get('httponly')).toBe(true)
  expect(secure.flags.get('samesite')).toBe('Lax')
  const out = sessionCookie(await https.post('/logout', {}, secure.value))!
  expect(out.value).toBe('')
  expect(out.flags.get('secure'), 'the clearing cookie matches the one it clears').toBe(true)
})

test('a ban ends every session of the member at once', async ({ page, baseURL, clientIp, browser }) => {
  const client = bareClient(baseURL!, clientIp)
  const member = await signUpWith(client)
  // Two sessions: this browser, and another device.
  await page.context().addCookies([{ name: COOKIE, value: member.session, url: baseURL! }])
  await page.goto(`/articles/${slug}`)
  await expect(page.locator('.user-menu summary')).toContainText(member.account.username)
  const other = sessionCookie(await logInWith(client, member.account))!.value

  const admin = sessionCookie(await logInWith(client, { username: 'admin', password: 'threadline-demo' }))!.value
  const found = await client.get(`/admin/members?q=${member.account.username}`, admin)
  const memberPath = (await found.text()).match(/href="(\/admin\/members\/[^"?]+)"/)?.[1]
  expect(memberPath, 'the admin finds the member').toBeTruthy()
  const banned = await client.post(memberPath!, { intent: 'ban', reason: 'Spam, repeatedly' }, admin)
  expect(banned.status, await banned.text()).toBe(302)
  expect(banned.headers.get('location')).toContain('saved=banned')

  // The next request of each session is anonymous.
  await page.reload()
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible()
  await expect(page.locator('.user-menu')).toHaveCount(0)
  for (const session of [member.session, other]) {
    const account = await accountWith(client, session)
    expect(account.status).toBe(302)
    expect(account.location).toMatch(/^\/login\?/)
  }
  const posted = await client.post(`/articles/${slug}`, { intent: 'comment', body: 'Still here after my ban?' }, member.session)
  expect(posted.headers.get('location')).toMatch(/^\/login\?/)

  // Logging in again says why, and starts nothing.
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': clientIp } })
  const again = await context.newPage()
  await logIn(again, member.account.username, member.account.password)
  await expect(again.getByRole('alert')).toHaveText('This account is banned: Spam, repeatedly')
  expect((await context.cookies(baseURL)).find((c) => c.name === COOKIE)?.value ?? '').toBe('')
  await context.close()
})

// Thirty days cannot pass in a test: the expiry is moved in the database. That needs a database
// this spec owns, so it runs on an instance of its own, on the server DATABASE_URL names.
test.describe('expiry', () => {
  const serverUrl = process.env.DATABASE_URL
  const PORT = 3314
  const ORIGIN = `http://127.0.0.1:${PORT}`
  test.skip(!serverUrl, 'needs DATABASE_URL: an embedded database cannot be reached from outside the app')
  test.describe.configure({ mode: 'serial' })

  let database: SharedDatabase | undefined
  let instance: Instance | undefined
  let sql: postgres.Sql | undefined

  test.beforeAll(async () => {
    test.setTimeout(120_000)
    database = await createDatabase(serverUrl!)
    sql = postgres(database.url, { max: 1, onnotice: () => {} })
    instance = await startInstance({ port: PORT, databaseUrl: database.url })
  })

  test.afterAll(async () => {
    test.setTimeout(60_000)
    await instance?.stop()
    await sql?.end()
    await database?.drop()
  })

  // The table keys a session by the SHA-256 of its cookie's token, never the token itself.
  const rowId = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex')
  const expiresAt = async (token: string) => (await sql!<{ at: Date }[]>`select expires_at as at from sessions where id = ${rowId(token)}`)[0]?.at

  test('an expired session is refused and deleted; one used past half its life slides forward 30 days', async ({ clientIp }) => {
    const client = bareClient(ORIGIN, clientIp)
    const expiring = await signUpWith(client)
    const stored = await expiresAt(expiring.session)
    expect(Math.abs(stored!.getTime() - (Date.now() + THIRTY_DAYS * 1000))).toBeLessThan(5 * 60_000)

    await sql!`update sessions set expires_at = now() - interval '1 minute' where id = ${rowId(expiring.session)}`
    const refused = await accountWith(client, expiring.session)
    expect(refused.status).toBe(302)
    expect(refused.location).toBe('/login?redirectTo=%2Faccount')
    expect(refused.cookie?.value, 'the browser is told to forget it').toBe('')
    expect(await expiresAt(expiring.session), 'the expired row is gone').toBeUndefined()

    // Ten days left, less than half of thirty: the next page renews it for thirty days from now.
    const sliding = await signUpWith(client)
    await sql!`update sessions set expires_at = now() + interval '10 days' where id = ${rowId(sliding.session)}`
    const renewed = await accountWith(client, sliding.session)
    expect(renewed.status).toBe(200)
    expect(renewed.cookie?.value, 'the same id, sent again with a new expiry').toBe(sliding.session)
    expect(Number(renewed.cookie?.flags.get('max-age'))).toBe(THIRTY_DAYS)
    expect(renewed.cookie?.flags.get('httponly')).toBe(true)
    const extended = await expiresAt(sliding.session)
    expect(Math.abs(extended!.getTime() - (Date.now() + THIRTY_DAYS * 1000))).toBeLessThan(5 * 60_000)

    // With most of its life ahead, a session is not sent again on every page.
    const quiet = await accountWith(client, sliding.session)
    expect(quiet.status).toBe(200)
    expect(quiet.cookie).toBeNull()
  })
})
