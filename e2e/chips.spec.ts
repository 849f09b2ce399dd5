import { expect, signUp, test } from './fixtures.ts'

// Chips as facts: a dated timeline, mentions that link and explain themselves.

test('a comment naming two chips shows two links, each with a card of key figures', async ({ page }) => {
  await signUp(page)
  await page.goto('/articles/hbm-supply-and-export-rules')
  const text = `Compare the H-200 with the Ascend 910B before you judge (${Date.now().toString(36)})`
  const form = page.locator('form.comment-form').first()
  await form.getByLabel('Your comment').fill(text)
  await form.getByRole('button', { name: 'Post comment' }).click()
  const comment = page.locator('article.comment').filter({ hasText: text })
  const mentions = comment.locator('a.chip-mention')
  await expect(mentions).toHaveCount(2)
  await expect(mentions.nth(0)).toHaveAttribute('href', '/chips/h200')
  await expect(mentions.nth(1)).toHaveAttribute('href', '/chips/ascend-910b')

  await mentions.nth(0).hover()
  const card = page.getByRole('tooltip')
  await expect(card).toContainText('Nvidia H200')
  await expect(card).toContainText('141 GB HBM3e')
  await expect(card).toContainText('Approved for export')
  await expect(mentions.nth(0)).toHaveAttribute('aria-describedby', 'chip-card-h200')

  await mentions.nth(1).focus()
  await expect(card).toContainText('Huawei Ascend 910B')
  await page.keyboard.press('Escape')
  await expect(card).toHaveCount(0)

  await mentions.nth(1).click()
  await expect(page).toHaveURL(/\/chips\/ascend-910b$/)
  await expect(page.getByRole('region', { name: /Latest discussion of the Ascend 910B/ })).toContainText('Compare the H-200')
})

test('the chip page shows its dated export-control timeline and its machine-readable record', async ({ page, request }) => {
  await page.goto('/chips/h200')
  const timeline = page.getByRole('region', { name: 'Export-control timeline' })
  await expect(timeline.locator('li')).toHaveCount(2)
  await expect(timeline.locator('li').first()).toContainText('8 December 2025')
  await expect(timeline.locator('li').first()).toContainText('Approved for export')
  await expect(timeline.locator('li').nth(1)).toContainText('Restricted')
  const ld: unknown = JSON.parse((await page.locator('head script[type="application/ld+json"]').textContent()) ?? '{}')
  expect(ld).toMatchObject({ '@type': 'Product', name: 'Nvidia H200' })
  const record = await request.get('/chips/h200.json')
  expect(record.status()).toBe(200)
  expect(((await record.json()) as { chip: { timeline: unknown[] } }).chip.timeline).toHaveLength(2)
})
