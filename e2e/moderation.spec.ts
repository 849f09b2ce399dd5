import type { Browser, Page } from '@playwright/test'
import { expect, logIn, newAccount, signUp, test } from './fixtures.ts'

// Moderating: a report reaches the queue, a moderator acts, readers and the logs see it; a ban ends
// a spammer's session and their posting.

async function contextPage(browser: Browser, ip: string) {
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': ip } })
  return context.newPage()
}

function commentBy(page: Page, text: string) {
  return page.locator('article.comment').filter({ has: page.locator(':scope > details > .comment__body', { hasText: text }) })
}

async function postComment(page: Page, text: string) {
  const form = page.locator('form.comment-form').first()
  await form.getByLabel('Your comment').fill(text)
  await form.getByRole('button', { name: 'Post comment' }).click()
  await expect(commentBy(page, text)).toBeVisible()
}

test('a member reports, a moderator removes with a reason, and readers and both logs see it', async ({ browser }) => {
  test.setTimeout(90_000)
  const article = '/articles/400-gbs-interconnect-cap-explained'
  const stamp = Date.now().toString(36)
  const text = `You are all clueless about interconnects (${stamp})`

  const writer = await contextPage(browser, '10.210.0.1')
  await signUp(writer, newAccount())
  await writer.goto(article)
  await postComment(writer, text)

  const reporter = await contextPage(browser, '10.210.0.2')
  await signUp(reporter, newAccount())
  await reporter.goto(article)
  const target = commentBy(reporter, text)
  await target.locator(':scope > details > .comment__actions > details > summary', { hasText: 'Report' }).click()
  await target.getByLabel('What is wrong with it?').selectOption('harassment')
  await target.getByLabel(/Note for the moderators/).fill('Insults the other readers')
  await target.getByRole('button', { name: 'Send report' }).click()
  await expect(target.getByRole('status')).toHaveText('Thanks: your report was received. The moderators will review this comment.')

  const moderator = await contextPage(browser, '10.210.0.3')
  await logIn(moderator, 'moderator', 'threadline-demo')
  await moderator.goto('/admin/queue')
  const item = moderator.locator('article.queue-item').filter({ hasText: stamp })
  await expect(item).toContainText('Harassment or abuse')
  await expect(item).toContainText('Insults the other readers')
  await item.getByPlaceholder('Reason for removal').fill('Personal attacks on other readers')
  await item.getByRole('button', { name: 'Remove' }).click()
  await expect(moderator.getByRole('status')).toContainText('remove applied to 1 comment')

  await writer.goto(article)
  await expect(writer.getByText('[removed by moderators: Personal attacks on other readers]')).toBeVisible()
  await expect(writer.getByText(text)).toHaveCount(0)

  await moderator.goto('/admin/log')
  const staffRow = moderator.getByRole('row').filter({ hasText: 'Personal attacks on other readers' })
  await expect(staffRow).toContainText('Removed a comment')
  await expect(staffRow).toContainText('Moe Moderator')

  const reader = await contextPage(browser, '10.210.0.4')
  await reader.goto('/moderation')
  const publicRow = reader.getByRole('row').filter({ hasText: 'Personal attacks on other readers' })
  await expect(publicRow).toContainText('Removed a comment')
  await expect(publicRow).not.toContainText('Moe Moderator')
  await expect(reader.locator('main')).not.toContainText('Insults the other readers')

  for (const page of [writer, reporter, moderator, reader]) await page.context().close()
})

test('a ban ends the member’s session at once and blocks posting, with the reason shown', async ({ browser }) => {
  test.setTimeout(90_000)
  const article = '/articles/how-2022-controls-created-h800-and-a800'
  const spammer = await contextPage(browser, '10.211.0.1')
  const account = await signUp(spammer, newAccount())
  await spammer.goto(article)
  await postComment(spammer, `Cheap accelerators, click here ${Date.now().toString(36)}`)

  const moderator = await contextPage(browser, '10.211.0.2')
  await logIn(moderator, 'moderator', 'threadline-demo')
  await moderator.goto(`/admin/members?q=${account.username}`)
  await moderator.getByRole('link', { name: account.username }).click()
  await moderator.getByLabel('Reason (the member sees it)', { exact: true }).last().fill('Advertising spam')
  await moderator.getByRole('button', { name: 'Ban and end every session' }).click()
  await expect(moderator.getByRole('status')).toHaveText('Saved: banned.')
  await expect(moderator.getByText('Banned since')).toContainText('Advertising spam')

  // The spammer's open page: the next request finds no session.
  await spammer.reload()
  await expect(spammer.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible()
  await expect(spammer.locator('form.comment-form')).toHaveCount(0)
  await logIn(spammer, account.email, account.password)
  await expect(spammer.getByRole('alert')).toHaveText('This account is banned: Advertising spam')

  await spammer.context().close()
  await moderator.context().close()
})

test('a moderator locks a discussion and readers are told why no form is offered', async ({ browser }) => {
  const moderator = await contextPage(browser, '10.212.0.1')
  await logIn(moderator, 'moderator', 'threadline-demo')
  await moderator.goto('/admin/discussions')
  // Exact names: "Lock …" is also a part of "Unlock …", and would find the other button.
  const lock = moderator.getByRole('button', { name: 'Lock Blackwell B200 and What Comes After It', exact: true })
  const unlock = moderator.getByRole('button', { name: 'Unlock Blackwell B200 and What Comes After It', exact: true })
  // A retry may find the discussion still locked by the attempt before it.
  if (await unlock.isVisible()) {
    await unlock.click()
    await expect(lock).toBeVisible()
  }
  await lock.click()
  await expect(unlock).toBeVisible()

  const member = await contextPage(browser, '10.212.0.2')
  await signUp(member, newAccount())
  await member.goto('/articles/blackwell-b200-and-whats-next')
  await expect(member.getByText('This discussion is locked.')).toBeVisible()
  await expect(member.locator('form.comment-form')).toHaveCount(0)

  await unlock.click()
  await expect(lock).toBeVisible()
  await member.reload()
  await expect(member.locator('form.comment-form').first()).toBeVisible()
  await moderator.context().close()
  await member.context().close()
})
