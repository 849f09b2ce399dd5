import crypto from 'node:crypto'
import type { APIResponse } from '@playwright/test'
import { expect, test } from './fixtures.ts'

// Security headers on every kind of response the server sends: documents (rendered, cached, for a
// member), data requests, feeds, JSON, files, health checks, refusals and errors.

const article = '/articles/h200-exports-to-china-approved'

function expectCommonHeaders(response: APIResponse, what: string) {
  const headers = response.headers()
  expect(headers['x-content-type-options'], what).toBe('nosniff')
  expect(headers['referrer-policy'], what).toBe('strict-origin-when-cross-origin')
  expect(headers['permissions-policy'], what).toContain('camera=()')
  expect(headers['content-security-policy'], what).toContain("frame-ancestors 'none'")
  // One value each: nothing appended twice by two layers.
  expect(headers['x-content-type-options'], what).not.toContain(',')
  expect(headers['content-security-policy'], what).not.toContain('\n')
}

function expectDocumentPolicy(response: APIResponse, what: string) {
  const csp = response.headers()['content-security-policy'] ?? ''
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
  expect(csp, what).not.toMatch(/script-src[^;]*unsafe-inline/)
  return csp.match(/'nonce-([^']+)'/)?.[1]
}

test('every kind of response carries the security headers', async ({ request }) => {
  const checks: [string, () => Promise<APIResponse>][] = [
    ['home page', () => request.get('/')],
    ['article page', () => request.get(article)],
    ['data request', () => request.get(`${article}.data`)],
    ['RSS feed', () => request.get('/feed.xml')],
    ['JSON Feed', () => request.get('/feed.json')],
    ['chip record', () => request.get('/chips/h200.json')],
    ['health check', () => request.get('/healthz')],
    ['robots.txt', () => request.get('/robots.txt')],
    ['not found page', () => request.get('/no-such-page')],
    ['bad parameter', () => request.get('/?page=-1')],
    ['cross-site form post', () => request.post('/login', { form: { login: 'x', password: 'y' }, headers: { Origin: 'https://evil.example' } })],
  ]
  for (const [what, send] of checks) expectCommonHeaders(await send(), what)

  const html = await (await request.get('/')).text()
  const asset = html.match(/\/assets\/[\w.-]+\.css/)?.[0]
  expect(asset).toBeTruthy()
  const file = await request.get(asset!)
  expectCommonHeaders(file, 'static file')
  expect(file.headers()['cache-control']).toContain('immutable')
})

/** The inline scripts a document runs: each listed in its CSP by hash, none carrying a nonce. */
function inlineScripts(html: string) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attributes]) => !/\ssrc=/.test(attributes!) && !/type="application\/(?:ld\+)?json"/.test(attributes!))
    .map(([, attributes, text]) => ({ attributes: attributes!, text: text! }))
}

test('a page rendered for everyone runs only the scripts its CSP lists by hash, and is the same bytes for every reader', async ({ request }) => {
  // Other suites write while this runs and empty the cache: ask until a response comes from it.
  let first = await request.get(article)
  let second = await request.get(article)
  for (let i = 0; i < 10 && (second.headers()['x-cache'] !== 'HIT' || second.headers().etag !== first.headers().etag); i++) {
    first = second
    second = await request.get(article)
  }
  expect(second.headers()['x-cache']).toBe('HIT')
  const csp = second.headers()['content-security-policy'] ?? ''
  expect(csp).not.toMatch(/'nonce-/)
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
  const body = await second.text()
  expect(body).toBe(await first.text())
  expect(csp).toBe(first.headers()['content-security-policy'])
  const scripts = inlineScripts(body)
  expect(scripts.length).toBeGreaterThan(2)
  for (const { attributes, text } of scripts) {
    expect(attributes).not.toContain('nonce')
    expect(csp).toContain(`'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`)
  }
  // Anything a shared cache acts on comes with it: the same validator, the shared lifetime, Vary.
  expect(second.headers().etag).toBeTruthy()
  expect(second.headers()['cache-control']).toContain('s-maxage=')
  expect(second.headers().vary).toContain('Cookie')
  const revalidated = await request.get(article, { headers: { 'If-None-Match': second.headers().etag! } })
  expect([200, 304]).toContain(revalidated.status())
  if (revalidated.headers().etag === second.headers().etag) expect(revalidated.status()).toBe(304)
})

test('a page made for one response allows only scripts with its nonce, new for every response', async ({ request }) => {
  // The search page is rendered for each request.
  const [first, second] = [await request.get('/search?q=h200'), await request.get('/search?q=h200')]
  const nonces = [expectDocumentPolicy(first, 'first'), expectDocumentPolicy(second, 'second')]
  expect(nonces[0]).not.toBe(nonces[1])
  const body = await second.text()
  const scriptNonces = inlineScripts(body).map(({ attributes }) => / nonce="([^"]+)"/.exec(attributes)?.[1])
  expect(scriptNonces.length).toBeGreaterThan(0)
  expect(new Set(scriptNonces)).toEqual(new Set([nonces[1]]))
})

test('the password-reset page, whose address holds a secret, sends no referrer to other sites', async ({ request }) => {
  for (const response of [await request.get('/reset-password/not-a-real-token'), await request.get('/reset-password/not-a-real-token.data')]) {
    expect(response.headers()['referrer-policy']).toBe('same-origin')
    expect(response.headers()['x-content-type-options']).toBe('nosniff')
  }
})

test('HSTS is sent over HTTPS only', async ({ request }) => {
  const plain = await request.get('/')
  expect(plain.headers()['strict-transport-security']).toBeUndefined()
  // The e2e server trusts one proxy hop, as it would behind a TLS-terminating load balancer.
  for (const path of ['/', '/feed.xml', '/healthz']) {
    const secure = await request.get(path, { headers: { 'X-Forwarded-Proto': 'https' } })
    expect(secure.headers()['strict-transport-security'], path).toBe('max-age=31536000; includeSubDomains')
  }
})

test('pages, feeds and files are compressed for clients that ask', async ({ request }) => {
  const html = await (await request.get('/')).text()
  const script = html.match(/\/assets\/[\w.-]+\.js/)?.[0]
  for (const path of ['/', '/articles/h200-exports-to-china-approved', '/feed.xml', script!]) {
    const response = await request.get(path, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(response.headers()['content-encoding'], path).toBe('gzip')
  }
})
