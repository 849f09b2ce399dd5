import type { Browser } from '@playwright/test'
import { expect, logIn, newAccount, signUp, test } from './fixtures.ts'

// Reader corrections: a member suggests a fix to a chip figure with a source, an editor decides it,
// and the chip page and the member's notifications show the outcome.

async function contextPage(browser: Browser, ip: string) {
  const context = await browser.newContext({
    extraHTTPHeaders: { 'X-Forwarded-For': ip },
  })
  return context.newPage()
}

const source = 'https://example.com/l40s-datasheet.pdf'

test('a member suggests a correction, an editor accepts it, and the chip and the member see it', async ({ browser }) => {
  test.setTimeout(90_000)
  const stamp = Date.now().toString(36)
  // Nobody else's spec asserts on the L40S summary, so changing it does not disturb them.
  const summary = `Ada Lovelace data-centre GPU for inference and graphics (checked ${stamp}).`

  const member = await contextPage(browser, '10.211.0.1')
  await signUp(member, newAccount())
  await member.goto('/chips/l40s/correct')
  await expect(member.getByRole('heading', { level: 1 })).toHaveText('Suggest a correction to the L40S')
  await expect(member.getByRole('row', { name: /Launched/ })).toBeVisible()

  await member.getByLabel('Figure to correct').selectOption('summary')
  await member.getByLabel('What it should be').fill(summary)
  await member.getByLabel('Source link').fill('not a link')
  await member.getByRole('button', { name: 'Send the correction' }).click()
  await expect(member.getByText('The source must be a web address starting with http:// or https://.')).toBeVisible()
  await expect(member.getByLabel('What it should be')).toHaveValue(summary)

  await member.getByLabel('Source link').fill(source)
  await member.getByLabel(/Note for the editors/).fill(`Vendor datasheet, page 1 (${stamp})`)
  await member.getByRole('button', { name: 'Send the correction' }).click()
  await expect(member).toHaveURL(/\/chips\/l40s\?corrected=1$/)

  const editor = await contextPage(browser, '10.211.0.2')
  await logIn(editor, 'editor', 'threadline-demo')
  await editor.goto('/admin/corrections')
  const item = editor.locator('article.queue-item').filter({ hasText: stamp })
  await expect(item).toContainText('L40S: Summary')
  await expect(item).toContainText(summary)
  await expect(item.getByRole('link', { name: source })).toHaveAttribute('href', source)
  await item.getByRole('button', { name: 'Accept' }).click()
  await expect(editor.getByRole('status')).toContainText('Correction accepted')
  await expect(editor.locator('article.queue-item').filter({ hasText: stamp })).toHaveCount(0)

  await member.goto('/chips/l40s')
  await expect(member.getByText(summary).first()).toBeVisible()
  await member.goto('/notifications')
  await expect(member.getByText('Your correction to the L40S’s summary was accepted.').first()).toBeVisible()
})

test('declining needs a reason, and the member is told the reason', async ({ browser }) => {
  test.setTimeout(90_000)
  const stamp = Date.now().toString(36)
  const proposed = String(400 + (parseInt(stamp.slice(-3), 36) % 500))

  const member = await contextPage(browser, '10.211.0.3')
  await signUp(member, newAccount())
  await member.goto('/chips/gaudi-3/correct')
  await member.getByLabel('Figure to correct').selectOption('tdpWatts')
  await member.getByLabel('What it should be').fill(proposed)
  await member.getByLabel('Source link').fill(source)
  await member.getByLabel(/Note for the editors/).fill(`Seen in a review (${stamp})`)
  await member.getByRole('button', { name: 'Send the correction' }).click()
  await expect(member).toHaveURL(/\/chips\/gaudi-3\?corrected=1$/)

  const editor = await contextPage(browser, '10.211.0.4')
  await logIn(editor, 'editor', 'threadline-demo')
  await editor.goto('/admin/corrections')
  const item = editor.locator('article.queue-item').filter({ hasText: stamp })
  await item.getByRole('button', { name: 'Decline' }).click()
  await expect(item.getByText('Give a reason for declining: the reader who suggested it will see it.')).toBeVisible()
  await expect(item.getByLabel('Reason for declining')).toHaveAttribute('aria-invalid', 'true')

  await item.getByLabel('Reason for declining').fill('The review measured board power, not TDP.')
  await item.getByRole('button', { name: 'Decline' }).click()
  await expect(editor.getByRole('status')).toContainText('Correction declined')
  await expect(editor.locator('article.queue-item').filter({ hasText: stamp })).toHaveCount(0)

  await member.goto('/notifications')
  await expect(
    member.getByText('Your correction to the Gaudi 3’s power (TDP) was declined. The editor’s reason: The review measured board power, not TDP.').first(),
  ).toBeVisible()
})

test('an anonymous visitor who opens the correction form is sent to log in', async ({ page }) => {
  await page.goto('/chips/l40s/correct')
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fchips%2Fl40s%2Fcorrect$/)
})
