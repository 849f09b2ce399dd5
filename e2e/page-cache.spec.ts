import { sessionCookieHeaders } from '../app/test/cookie-variants.ts'
import { expect, signUp, test } from './fixtures.ts'

// The shared cache of anonymous pages must never hold what one member sees. A member's own session
// token is sent under every spelling of the cookie's name that some reader of cookies would honour
// (encoded, cased, quoted, repeated); after each, a reader with no cookie at all gets the page, and
// it must be a reader's page.

const story = '/articles/h200-exports-to-china-approved'

test('no spelling of a member’s session cookie puts their page in, or takes it from, the shared cache', async ({ page, baseURL, clientIp }) => {
  test.setTimeout(180_000)
  const account = await signUp(page)
  const token = (await page.context().cookies()).find((c) => c.name === 'threadline_session')?.value
  expect(token).toBeTruthy()
  const get = (cookie?: string) =>
    fetch(new URL(story, baseURL), { headers: { 'X-Forwarded-For': clientIp, ...(cookie === undefined ? {} : { Cookie: cookie }) } })

  // As sent by the browser: the member's page, for them only.
  const own = await get(`threadline_session=${token}`)
  expect(await own.text()).toContain(account.username)
  expect(own.headers.get('cache-control')).toBe('private, no-cache')

  let variants = 0
  for (const cookie of sessionCookieHeaders(token!)) {
    variants++
    const answer = await get(cookie)
    expect(answer.headers.get('x-cache'), `${cookie} was answered from the shared cache`).toBeNull()
    await answer.arrayBuffer()
    const reader = await get()
    const text = await reader.text()
    expect(text.includes(account.username), `a reader was sent the member’s page after “${cookie}”`).toBe(false)
    expect(reader.headers.get('cache-control')).toMatch(/^public/)
  }
  test.info().annotations.push({ type: 'cookie variants', description: String(variants) })
  expect(variants).toBeGreaterThan(150)
})
