import { expect, test } from './fixtures.ts'

// Subscribing and finding: feeds offered on every page, search from the header.

test('search from the header finds a story by a word in its body', async ({ page }) => {
  await page.goto('/chips')
  await page.getByRole('searchbox', { name: 'Search stories and chips' }).fill('MindSpore')
  await page.getByRole('search').first().getByRole('button', { name: 'Search' }).click()
  await expect(page).toHaveURL(/\/search\?q=MindSpore$/)
  const result = page.getByRole('link', { name: 'Huawei’s Ascend 910B and 910C: What SMIC’s 7 nm Can and Can’t Deliver' })
  await expect(result).toBeVisible()
  await expect(page.locator('mark').first()).toHaveText(/MindSpore/i)
  await result.click()
  await expect(page).toHaveURL(/\/articles\/huawei-ascend-910b-910c-smic-mindspore$/)
})

test('an empty or overlong search gets a helpful page, not an error', async ({ page }) => {
  const empty = await page.goto('/search?q=')
  expect(empty?.status()).toBe(200)
  await expect(page.getByText('Type a few words to search')).toBeVisible()
  const long = await page.goto(`/search?q=${'chip'.repeat(80)}`)
  expect(long?.status()).toBe(200)
  await expect(page.getByRole('status')).toContainText('searches can be up to 200')
})

for (const { name, path, feed } of [
  { name: 'home', path: '/', feed: '/feed' },
  { name: 'tag', path: '/tags/huawei', feed: '/tags/huawei/feed' },
  { name: 'chip', path: '/chips/h200', feed: '/chips/h200/feed' },
  { name: 'article', path: '/articles/h20-market-specific-variant', feed: '/feed' },
]) {
  test(`the ${name} page offers its feeds to readers and to feed readers`, async ({ page, request }) => {
    await page.goto(path)
    const alternates = await page
      .locator('head link[rel="alternate"]')
      .evaluateAll((links) => links.map((l) => `${l.getAttribute('type')} ${l.getAttribute('href')}`))
    for (const [type, ext] of [
      ['application/rss+xml', 'xml'],
      ['application/atom+xml', 'atom'],
      ['application/feed+json', 'json'],
    ]) {
      expect(alternates).toContain(`${type} ${feed}.${ext}`)
      const response = await request.get(`${feed}.${ext}`)
      expect(response.status()).toBe(200)
      expect(response.headers()['content-type']).toContain(type)
    }
    await expect(page.getByRole('link', { name: 'RSS', exact: true }).first()).toHaveAttribute('href', `${feed}.xml`)
    await expect(page.locator('head link[rel="canonical"]')).toHaveAttribute('href', new RegExp(`${path === '/' ? '/$' : path}$`))
  })
}

test('an article carries its comment feed, social cards and NewsArticle data', async ({ page }) => {
  await page.goto('/articles/h20-market-specific-variant')
  await expect(page.locator('head link[rel="alternate"][href="/articles/h20-market-specific-variant/comments.xml"]')).toHaveCount(1)
  await expect(page.locator('head meta[property="og:type"]')).toHaveAttribute('content', 'article')
  await expect(page.locator('head meta[name="twitter:card"]')).toHaveAttribute('content', 'summary')
  const ld: unknown = JSON.parse((await page.locator('head script[type="application/ld+json"]').textContent()) ?? '{}')
  expect(ld).toMatchObject({ '@type': 'NewsArticle', headline: 'The H20: Anatomy of a Market-Specific Chip' })
})

test('robots.txt keeps crawlers out of private pages and points at the sitemap', async ({ request, baseURL }) => {
  const robots = await (await request.get('/robots.txt')).text()
  expect(robots).toContain('Disallow: /admin')
  expect(robots).toContain('Disallow: /account')
  expect(robots).toContain(`Sitemap: ${baseURL}/sitemap.xml`)
  const sitemap = await request.get('/sitemap.xml')
  expect(sitemap.headers()['content-type']).toContain('application/xml')
  expect(await sitemap.text()).toContain(`<loc>${baseURL}/articles/h20-market-specific-variant</loc>`)
})
