import crypto from 'node:crypto'
import { expect, logIn, logOut, signUp, test } from './fixtures.ts'

// Staff are marked by a badge drawn from their role, outside the name; a member cannot take a name
// that claims a role or passes for a staff member's.

test('a moderator’s comment carries the badge, and a member cannot pass for a moderator', async ({ page }) => {
  const stamp = crypto.randomBytes(4).toString('hex')
  await logIn(page, 'moderator', 'threadline-demo')
  await page.goto('/articles/hbm-supply-and-export-rules')
  const form = page.locator('form.comment-form').first()
  await form.getByLabel('Your comment').fill(`From the moderators ${stamp}`)
  await form.getByRole('button', { name: 'Post comment' }).click()
  const staffComment = page.locator('article.comment').filter({ hasText: `From the moderators ${stamp}` })
  await expect(staffComment.locator('.comment__author').first()).toHaveText('Moe Moderator')
  await expect(staffComment.locator('.staff-badge').first()).toHaveText(/Moderator/)
  await logOut(page)

  await signUp(page)
  await page.goto('/account')
  for (const name of ['Moe Moderator', 'Moe M0derator', 'Site Admin', 'Thread\u200bline Staff']) {
    await page.getByRole('textbox', { name: 'Display name' }).fill(name)
    await page.getByRole('button', { name: 'Save display name' }).click()
    await expect(page.locator('#field-displayName-error'), name).toBeVisible()
  }
  await page.goto('/articles/hbm-supply-and-export-rules')
  const memberForm = page.locator('form.comment-form').first()
  await memberForm.getByLabel('Your comment').fill(`A member writes ${stamp}`)
  await memberForm.getByRole('button', { name: 'Post comment' }).click()
  const memberComment = page.locator('article.comment').filter({ hasText: `A member writes ${stamp}` })
  await expect(memberComment).toBeVisible()
  await expect(memberComment.locator('.staff-badge')).toHaveCount(0)
})
