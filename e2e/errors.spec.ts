import { expect, test } from '@playwright/test'

// Mistyped addresses and bad parameters get a real status and a helpful page, never a stack trace.

const cases = [
  { path: '/articles/no-such-story', status: 404, text: 'There is no published story at this address.' },
  { path: '/chips/h9000', status: 404, text: 'There is no chip at this address.' },
  { path: '/tags/nothing-here', status: 404, text: 'There is no topic called' },
  { path: '/this/does/not/exist', status: 404, text: 'Nothing lives at this address.' },
  { path: '/articles/Bad%20Slug!', status: 404, text: 'There is no story at this address.' },
  { path: '/?page=999', status: 404, text: 'There is no page 999' },
  { path: '/chips?status=banned', status: 400, text: 'status is not one of the accepted values' },
]

for (const { path, status, text } of cases) {
  test(`${path} answers ${status} with a helpful page`, async ({ page }) => {
    const response = await page.goto(path)
    expect(response?.status()).toBe(status)
    await expect(page.locator('.error-page')).toContainText(text)
    await expect(page.getByRole('link', { name: 'Back to the latest stories' })).toBeVisible()
    const html = await page.content()
    expect(html).not.toMatch(/at \S+ \(.*:\d+:\d+\)|node_modules|\.server\.ts/)
  })
}

test('/healthz answers 200 while the database answers', async ({ request }) => {
  const response = await request.get('/healthz')
  expect(response.status()).toBe(200)
  expect(await response.text()).toBe('ok\n')
})

test('documents carry the security headers and a strict script policy: a nonce, or the hashes of a page rendered for everyone', async ({ request }) => {
  const response = await request.get('/')
  const csp = response.headers()['content-security-policy'] ?? ''
  expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/)
  const search = (await request.get('/search?q=h100')).headers()['content-security-policy'] ?? ''
  expect(search).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+';/)
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
  expect(response.headers()['x-content-type-options']).toBe('nosniff')
  expect(response.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin')
})
