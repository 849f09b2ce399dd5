import { expect, test, type Page } from '@playwright/test'

// A reader's journey: the front page, a story, its chip table, a chip, the chip database.

async function columnValues(page: Page, header: string) {
  const headers = await page.locator('table.data-table--chips thead th').allInnerTexts()
  const index = headers.findIndex((h) => h.replace(/[▲▼]/g, '').trim() === header)
  expect(index, `column ${header}`).toBeGreaterThanOrEqual(0)
  return page.locator(`table.data-table--chips tbody tr > :nth-child(${index + 1})`).allInnerTexts()
}

function toGbs(text: string): number | null {
  const m = /([\d.,]+)\s*(TB|GB)\/s/.exec(text)
  if (!m) return null
  const n = Number(m[1]!.replace(/,/g, ''))
  return m[2] === 'TB' ? n * 1000 : n
}

test('a reader goes from the front page to a story, its chips, and the chip database', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: 'Latest stories' })).toBeVisible()
  const stories = page.locator('.article-list > li')
  expect(await stories.count()).toBeGreaterThanOrEqual(8)

  await page.getByRole('link', { name: 'A Field Guide to AI Accelerators and Their Export Status' }).click()
  await expect(page).toHaveURL(/\/articles\/ai-accelerator-export-status-field-guide$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A Field Guide to AI Accelerators and Their Export Status')
  await expect(page.getByText(/min read/).first()).toBeVisible()

  const chipsSection = page.getByRole('region', { name: 'Key figures for the chips this story mentions' })
  await expect(chipsSection).toBeVisible()
  const h200Row = chipsSection.getByRole('row', { name: /H200/ })
  await expect(h200Row).toContainText('141 GB HBM3e')
  await expect(h200Row).toContainText('4.8 TB/s')
  await expect(chipsSection.getByRole('row', { name: /Ascend 910C/ })).toContainText('n/a')

  await chipsSection.getByRole('link', { name: 'H200', exact: true }).click()
  await expect(page).toHaveURL(/\/chips\/h200$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('H200')
  await expect(page.getByRole('heading', { name: 'Export-control status' })).toBeVisible()
  await expect(page.getByText('Approved for export').first()).toBeVisible()
  await expect(page.getByRole('link', { name: 'A Field Guide to AI Accelerators and Their Export Status' })).toBeVisible()

  await page.getByRole('link', { name: 'Chip database' }).first().click()
  await expect(page).toHaveURL(/\/chips$/)
  await page.getByRole('link', { name: 'Memory bandwidth' }).click()
  await expect(page).toHaveURL(/sort=bandwidth&dir=desc/)
  await expect(page.getByRole('columnheader', { name: /Memory bandwidth/ })).toHaveAttribute('aria-sort', 'descending')
  const desc = (await columnValues(page, 'Memory bandwidth')).map(toGbs)
  const known = desc.filter((v): v is number => v !== null)
  expect(known.length).toBeGreaterThan(5)
  expect(known).toEqual([...known].sort((a, b) => b - a))
  expect(desc.slice(known.length).every((v) => v === null)).toBe(true)

  await page.getByRole('link', { name: /Memory bandwidth/ }).click()
  await expect(page).toHaveURL(/sort=bandwidth&dir=asc/)
  const asc = (await columnValues(page, 'Memory bandwidth')).map(toGbs).filter((v) => v !== null)
  expect(asc).toEqual([...known].reverse())
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the chip table filters and sorts through plain links and forms', async ({ page }) => {
    await page.goto('/chips')
    await page.getByLabel('Vendor').selectOption('Huawei')
    await page.getByRole('button', { name: 'Filter' }).click()
    await expect(page).toHaveURL(/vendor=Huawei/)
    const names = await page.locator('table.data-table--chips tbody th').allInnerTexts()
    expect(names).toEqual(['Ascend 910B', 'Ascend 910C'])

    await page.getByRole('link', { name: 'Clear filters' }).click()
    await page.getByRole('link', { name: 'Launched' }).click()
    await expect(page).toHaveURL(/sort=year&dir=desc/)
    const years = (await columnValues(page, 'Launched')).filter((y) => y !== 'n/a').map(Number)
    expect(years).toEqual([...years].sort((a, b) => b - a))
  })

  test('a tag page lists its stories and pages through them', async ({ page }) => {
    await page.goto('/tags/export-controls')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Export controls')
    expect(await page.locator('.article-list > li').count()).toBeGreaterThan(0)
  })
})

test('the front page pages through older stories', async ({ page }) => {
  await page.goto('/')
  await page.getByRole('link', { name: 'Older →' }).click()
  await expect(page).toHaveURL(/\?page=2$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Latest stories, page 2')
  await expect(page.locator('.article-list > li').first()).toBeVisible()
})
