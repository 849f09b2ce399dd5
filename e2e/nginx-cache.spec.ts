import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sessionCookieHeaders } from '../app/test/cookie-variants.ts'
import { expect, newAccount, signUpThrough, test, type Account } from './fixtures.ts'
import { DEPLOY_CONFIG, freePort, localSiteConfig, nginxInstalled, NGINX_BINARY, startNginx, type LocalNginx } from './nginx.ts'

// deploy/nginx.conf's micro-cache, for real: Debian's nginx, run with that file's own directives
// (e2e/nginx.ts swaps only the upstream, the cache directory and the listener) in front of the
// suite's server. A reader's page is stored once and every later reader gets the same bytes, whose
// Content-Security-Policy must then hold for everyone; a member is never answered from the cache
// and nothing they are sent is ever stored.

const story = '/articles/h200-exports-to-china-approved'

// CI installs nginx (.ci/run): there, a missing binary fails the suite instead of skipping it.
test.skip(!process.env.CI && !nginxInstalled(), `needs Debian's nginx at ${NGINX_BINARY} (apt-get install nginx-light)`)

let nginx: LocalNginx | undefined
let origin = ''

// One nginx per worker, in front of the suite's server; the tests share nothing else.
test.beforeAll(async ({}, testInfo) => {
  if (!nginxInstalled()) throw new Error(`${NGINX_BINARY} is missing: .ci/run installs nginx-light`)
  const app = new URL(testInfo.project.use.baseURL!)
  const port = await freePort()
  origin = `http://127.0.0.1:${port}`
  const deployed = fs.readFileSync(DEPLOY_CONFIG, 'utf8')
  nginx = await startNginx({
    http: (dir) => localSiteConfig(deployed, { upstream: app.host, listen: `127.0.0.1:${port}`, cacheDir: path.join(dir, 'cache') }),
    readyUrl: `${origin}/healthz`,
  })
})

test.afterAll(async () => {
  await nginx?.stop()
  if (nginx) fs.rmSync(nginx.dir, { recursive: true, force: true })
})

type Answer = { status: number; cache: string | null; headers: Headers; body: Buffer; text: string }

/** GET through nginx, with the given Cookie header or none. */
async function throughNginx(pathname: string, cookie?: string): Promise<Answer> {
  const response = await fetch(`${origin}${pathname}`, { headers: cookie === undefined ? {} : { Cookie: cookie } })
  const body = Buffer.from(await response.arrayBuffer())
  return { status: response.status, cache: response.headers.get('x-cache-status'), headers: response.headers, body, text: body.toString('utf8') }
}

/**
 * Two reads in a row, the second answered from nginx's cache. The first is the page as it was
 * stored (MISS or EXPIRED: just fetched) or the stored copy itself (HIT). Tried a few times, since a
 * stored page lives only the app's few seconds of s-maxage and this machine may stall for one.
 */
async function storedTwice() {
  const seen: string[] = []
  for (let attempt = 0; attempt < 5; attempt++) {
    const first = await throughNginx(story)
    const second = await throughNginx(story)
    seen.push(`${first.cache} → ${second.cache}`)
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    if (second.cache === 'HIT' && ['MISS', 'EXPIRED', 'HIT'].includes(first.cache ?? '')) return { first, second }
  }
  throw new Error(`no read was answered from the cache right after the page was stored: ${seen.join(', ')}`)
}

let member: { account: Account; token: string } | undefined

/** A member signed up through the app's own forms (not through nginx), and their session token. */
async function theMember(request: Parameters<typeof signUpThrough>[0], baseURL: string) {
  if (!member) {
    const account = await signUpThrough(request, newAccount(), { headers: { Origin: baseURL } })
    const token = (await request.storageState()).cookies.find((c) => c.name === 'threadline_session')?.value
    expect(token, 'the session cookie the app set').toBeTruthy()
    member = { account, token: token! }
  }
  return member
}

test('a reader’s page is stored once, and the next reader gets the very same bytes from nginx', async () => {
  const { first, second } = await storedTwice()
  expect(second.body.equals(first.body), 'the stored copy is byte for byte what was fetched').toBe(true)
  // The app's own word on sharing, passed on as it was sent.
  expect(second.headers.get('cache-control')).toMatch(/^public, .*s-maxage=\d+/)
  expect(second.headers.get('vary') ?? '').toMatch(/\bCookie\b/i)
})

test('the stored page’s Content-Security-Policy allows its inline scripts by their hashes, with no nonce', async () => {
  const { second: stored } = await storedTwice()
  const csp = stored.headers.get('content-security-policy') ?? ''
  const scriptSrc = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find((d) => d[0] === 'script-src')
  expect(scriptSrc, `script-src in ${csp}`).toBeTruthy()
  // Scripts the browser runs: no src, and no type, a JavaScript type or module. A data block (the
  // page's JSON-LD) is never run, and a CSP does not govern it.
  const inline = [...stored.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)].filter(([, attributes]) => {
    if (/\ssrc\s*=/i.test(attributes!)) return false
    const type = /\stype\s*=\s*["']?([^"'\s>]*)/i.exec(attributes!)?.[1]?.toLowerCase() ?? ''
    return type === '' || type === 'module' || /^(?:text|application)\/(?:x-)?(?:java|ecma)script$/.test(type)
  })
  expect(inline.length, 'inline scripts in the page').toBeGreaterThan(0)
  for (const [, , content] of inline) {
    const hash = `'sha256-${crypto.createHash('sha256').update(content!, 'utf8').digest('base64')}'`
    expect(scriptSrc, `the hash of <script>${content!.slice(0, 60)}…`).toContain(hash)
  }
  // A nonce in a stored copy is handed to every reader: it would admit a script anyone could label.
  expect(csp).not.toContain("'nonce-")
})

test('a member’s page goes past nginx’s cache every time, and the readers after them get a reader’s page', async ({ request, baseURL }) => {
  const { account, token } = await theMember(request, baseURL!)
  const cookie = `threadline_session=${token}`
  for (let i = 0; i < 3; i++) {
    const own = await throughNginx(story, cookie)
    expect(own.status).toBe(200)
    expect(own.text, 'the member’s own page').toContain(account.username)
    // BYPASS: nginx saw the cookie itself (proxy_cache_bypass). Vary: Cookie alone would already keep
    // the readers' copy from a member, but would call it a MISS.
    expect(own.cache, 'a member is never answered from the cache').toBe('BYPASS')
    expect(own.headers.get('cache-control')).toMatch(/^private/)
  }
  const reader = await throughNginx(story)
  expect(reader.status).toBe(200)
  expect(reader.text.includes(account.username), 'a reader was sent the member’s page').toBe(false)
})

test('under any spelling of the session cookie, nothing a member is sent reaches a reader through nginx', async ({ request, baseURL }) => {
  test.setTimeout(180_000)
  const { account, token } = await theMember(request, baseURL!)
  let variants = 0
  for (const cookie of sessionCookieHeaders(token)) {
    variants++
    const answer = await throughNginx(story, cookie)
    if (answer.text.includes(account.username)) {
      expect(answer.cache, `the member’s page came from the cache after “${cookie}”`).not.toBe('HIT')
      expect(answer.headers.get('cache-control'), `the member’s page was offered for sharing after “${cookie}”`).toMatch(/^private/)
    }
    const reader = await throughNginx(story)
    expect(reader.text.includes(account.username), `a reader was sent the member’s page after “${cookie}”`).toBe(false)
  }
  test.info().annotations.push({ type: 'cookie variants', description: String(variants) })
  expect(variants).toBeGreaterThan(150)
})
