import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.ts'

// A reader puts chips side by side: ticks them in the chip database, compares, reads the table.

async function compareThree(page: Page) {
  await page.goto('/chips')
  for (const name of ['H200', 'H100', 'Ascend 910B']) {
    await page.getByRole('checkbox', { name: `Compare ${name}`, exact: true }).check()
  }
  await page.getByRole('button', { name: 'Compare selected' }).click()
  await expect(page).toHaveURL(/\/chips\/compare\?c=[a-z0-9-]+&c=[a-z0-9-]+&c=[a-z0-9-]+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare chips')

  const table = page.locator('table.data-table--compare')
  const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim())
  expect(headers).toHaveLength(4)
  expect(headers.slice(1).sort()).toEqual(['Ascend 910B', 'H100', 'H200'])

  const memory = table.getByRole('row', { name: /^Memory\b(?! bandwidth)/ })
  await expect(memory.locator('td.compare-best')).toHaveCount(1)
  await expect(memory.locator('td.compare-best strong')).toHaveText('141 GB HBM3e')
  await expect(memory.locator('td.compare-best')).toContainText('best')

  const bandwidth = table.getByRole('row', { name: /Memory bandwidth/ })
  await expect(bandwidth).toContainText('n/a')
  await expect(bandwidth).toContainText('4.8 TB/s')
  await expect(table.getByRole('row', { name: /Power \(TDP\)/ }).locator('td.compare-best')).toHaveCount(0)
}

test('a reader ticks three chips and compares them side by side', async ({ page }) => {
  await compareThree(page)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the compare selection is a plain form', async ({ page }) => {
    await compareThree(page)
  })
})

test('a comma-separated address keeps the order given', async ({ page }) => {
  await page.goto('/chips/compare?c=ascend-910b,h200')
  const headers = await page.locator('table.data-table--compare thead th').allInnerTexts()
  expect(headers.slice(1).map((h) => h.trim())).toEqual(['Ascend 910B', 'H200'])
})

test('one chip is a 400 that says why, an unknown chip a 404 that names it', async ({ page }) => {
  const one = await page.goto('/chips/compare?c=h200')
  expect(one?.status()).toBe(400)
  await expect(page.getByText('A comparison needs at least 2 chips')).toBeVisible()

  const unknown = await page.goto('/chips/compare?c=h200,nope')
  expect(unknown?.status()).toBe(404)
  await expect(page.getByText(/no chip called “nope”/)).toBeVisible()
})

test('no chips named is a page that points to the chip database', async ({ page }) => {
  const response = await page.goto('/chips/compare')
  expect(response?.status()).toBe(200)
  await expect(page.getByRole('main').getByRole('link', { name: 'chip database' })).toHaveAttribute('href', '/chips')
})
