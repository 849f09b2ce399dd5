import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'

// Every page type, in light and dark, on a wide screen and a 360 px phone: no serious or critical
// axe violation, and nothing wider than the screen except the tables that scroll on purpose.

const pages = [
  { name: 'home', path: '/' },
  { name: 'article', path: '/articles/ai-accelerator-export-status-field-guide' },
  { name: 'chips', path: '/chips' },
  { name: 'chip', path: '/chips/h200' },
  { name: 'tag', path: '/tags/export-controls' },
  { name: 'not found', path: '/chips/not-a-chip' },
  { name: 'log-in', path: '/login' },
  { name: 'sign-up', path: '/signup' },
  { name: 'password reset', path: '/forgot-password' },
]

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme })
    for (const { name, path } of pages) {
      test(`${name} page has no serious accessibility violations`, async ({ page }) => {
        await page.goto(path)
        await expect(page.locator('main h1')).toBeVisible()
        await expectNoSeriousViolations(page)
      })
    }
  })
}

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 } })
  for (const { name, path } of pages) {
    test(`${name} page fits the screen`, async ({ page }) => {
      await page.goto(path)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await expectNoSeriousViolations(page)
    })
  }
})

test('keyboard users can skip to the content and see where focus is', async ({ page }) => {
  await page.goto('/')
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle)
  expect(outline).not.toBe('none')
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/#main$/)
})

test.describe('the dashboard, for an admin', () => {
  const dashboard = [
    '/admin',
    '/admin/queue',
    '/admin/discussions',
    '/admin/members',
    '/admin/settings',
    '/admin/log',
    '/admin/articles',
    '/admin/chips',
    '/moderation',
  ]
  for (const viewport of [
    { name: 'laptop', width: 1280, height: 800 },
    { name: 'phone', width: 360, height: 740 },
  ]) {
    test(`every dashboard page works on a ${viewport.name}`, async ({ page }) => {
      test.setTimeout(90_000)
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      await page.goto('/login')
      await page.getByLabel('Email or username').fill('admin')
      await page.getByLabel('Password').fill('threadline-demo')
      await page.getByRole('button', { name: 'Log in' }).click()
      await expect(page.locator('.user-menu summary')).toContainText('Ada Admin')
      for (const path of dashboard) {
        await page.goto(path)
        await expect(page.locator('main h1')).toBeVisible()
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0)
        await expectNoSeriousViolations(page)
      }
    })
  }
})
