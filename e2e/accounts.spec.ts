import AxeBuilder from '@axe-core/playwright'
import { expect, logIn, logOut, newAccount, resetLinkFor, signUp, test } from './fixtures.ts'

// Joining: sign up, log out and in, come back where you were, recover a password, manage the account.

test('sign up, log out, log in again, and a wrong password says so without saying more', async ({ page }) => {
  const account = await signUp(page)
  await logOut(page)

  await logIn(page, account.email, 'not my password at all')
  await expect(page.getByRole('alert')).toHaveText('That email or username and password do not match.')
  await expect(page.getByLabel('Email or username')).toHaveValue(account.email)
  await expect(page.getByLabel('Password')).toHaveValue('')

  await logIn(page, 'nobody-here@example.com', 'not my password at all')
  await expect(page.getByRole('alert')).toHaveText('That email or username and password do not match.')

  await logIn(page, account.username.toUpperCase(), account.password)
  await expect(page.locator('.user-menu summary')).toContainText(account.username)
})

test('sign-up errors sit beside their fields and keep what was typed', async ({ page }) => {
  const taken = await signUp(page)
  await logOut(page)
  await page.goto('/signup')
  await page.getByLabel('Email', { exact: true }).fill(`  ${taken.email.toUpperCase()} `)
  await page.getByLabel('Username').fill('9lives')
  await page.getByLabel('Password').fill('short')
  await page.getByRole('button', { name: 'Create account' }).click()

  const username = page.getByLabel('Username')
  await expect(username).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('#field-username-error')).toContainText('starting with a letter')
  await expect(username).toHaveAttribute('aria-describedby', /field-username-error/)
  await expect(page.locator('#field-password-error')).toContainText('at least 10 characters')
  await expect(username).toHaveValue('9lives')

  // A taken username is said at once (usernames are public)...
  await page.getByLabel('Username').fill(taken.username.toUpperCase())
  await page.getByLabel('Password').fill('a long enough password')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.locator('#field-username-error')).toContainText('taken')

  // ...but a taken email is not: the answer is the one a new address gets, and the mail goes to the
  // address's owner instead of a link.
  await page.getByLabel('Username').fill('fresh_name_' + Date.now().toString(36))
  await page.getByLabel('Password').fill('a long enough password')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible()
  await expect(page.getByRole('status')).toContainText(taken.email)
  await expect(page.locator('#field-email-error')).toHaveCount(0)
})

test('after logging in, a reader returns to the page they came from, never to another site', async ({ page }) => {
  const account = await signUp(page)
  await logOut(page)
  await page.goto('/account')
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/)
  await page.getByLabel('Email or username').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page).toHaveURL(/\/account$/)
  await logOut(page)

  await page.goto('/login?redirectTo=https%3A%2F%2Fevil.example%2F')
  await page.getByLabel('Email or username').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/)
})

test('a forgotten password is reset through the emailed link, once', async ({ page }) => {
  const account = await signUp(page)
  await logOut(page)
  await page.getByRole('link', { name: 'Log in' }).click()
  await page.getByRole('link', { name: 'Forgot your password?' }).click()
  await page.getByLabel('Email', { exact: true }).fill(account.email)
  await page.getByRole('button', { name: 'Send reset link' }).click()
  await expect(page.getByRole('status')).toContainText('If an account uses that address')

  // An unknown address gets exactly the same answer.
  await page.getByLabel('Email', { exact: true }).fill('no-such-account@example.com')
  await page.getByRole('button', { name: 'Send another link' }).click()
  await expect(page.getByRole('status')).toContainText('If an account uses that address')

  const link = await resetLinkFor(account.email)
  await page.goto(link)
  await page.getByLabel('New password', { exact: true }).fill('my new long password')
  await page.getByLabel('Repeat the new password').fill('my new long password')
  await page.getByRole('button', { name: 'Save new password' }).click()
  await expect(page).toHaveURL(/\/account\?saved=password-reset$/)
  await expect(page.getByRole('status')).toContainText('Your new password is saved')

  await logOut(page)
  await logIn(page, account.email, 'my new long password')
  await expect(page.locator('.user-menu summary')).toContainText(account.username)

  const reused = await page.goto(link)
  expect(reused?.status()).toBe(400)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link no longer works')
})

test('repeated failed log-ins are throttled with a clear message', async ({ page }) => {
  const account = await signUp(page)
  await logOut(page)
  for (let i = 0; i < 5; i++) {
    await logIn(page, account.email, `wrong password ${i}`)
    await expect(page.getByRole('alert')).toHaveText('That email or username and password do not match.')
  }
  const response = page.waitForResponse((r) => r.url().includes('/login') && r.request().method() === 'POST')
  await logIn(page, account.email, account.password)
  expect((await response).status()).toBe(429)
  await expect(page.getByRole('alert')).toHaveText(/^Too many failed log-ins for this account\. Please try again in \d+ minutes\.$/)
})

test('a cross-site form post is refused with 403', async ({ page, request, baseURL }) => {
  const refused = await request.post('/login', {
    headers: { Origin: 'https://evil.example' },
    form: { login: 'someone', password: 'whatever password' },
  })
  expect(refused.status()).toBe(403)
  const noOrigin = await request.post('/logout', { headers: { Origin: '', Referer: '' } })
  expect(noOrigin.status()).toBe(403)

  // A real browser on another site, posting to ours.
  await page.route('https://evil.example/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<form method="post" action="${baseURL}/signup"><input name="email" value="x@example.com">
        <button>Win a prize</button></form>`,
    }),
  )
  await page.goto('https://evil.example/prize')
  const response = page.waitForResponse(`${baseURL}/signup`)
  await page.getByRole('button', { name: 'Win a prize' }).click()
  expect((await response).status()).toBe(403)
})

test('the account page changes the display name, ends other sessions and deletes the account', async ({ page, browser, extraHTTPHeaders }) => {
  const account = await signUp(page)
  const other = await browser.newContext({ extraHTTPHeaders })
  const otherPage = await other.newPage()
  await logIn(otherPage, account.email, account.password)
  await expect(otherPage.locator('.user-menu summary')).toContainText(account.username)

  await page.goto('/account')
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze()
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])

  await page.getByRole('textbox', { name: 'Display name' }).fill('Dana Policy-Watcher')
  await page.getByRole('button', { name: 'Save display name' }).click()
  await expect(page.getByRole('status')).toHaveText('Your display name is saved.')
  await expect(page.locator('.user-menu summary')).toContainText('Dana Policy-Watcher')

  // Each session by its browser, network and last activity; the other one can be logged out from here.
  const sessions = page.locator('.session-list li')
  await expect(sessions).toHaveCount(2)
  await expect(sessions.first()).toContainText(/Last active .* from the network \d+\.\d+\.\d+\.0\/24/)
  await sessions.filter({ hasNotText: 'This browser' }).getByRole('button', { name: 'Log out this session' }).click()
  await expect(page.getByRole('status')).toHaveText('That session has been logged out.')
  await expect(sessions).toHaveCount(1)
  await otherPage.reload()
  await expect(otherPage.getByRole('link', { name: 'Log in' })).toBeVisible()
  await logIn(otherPage, account.email, account.password)
  await page.reload()
  await expect(sessions).toHaveCount(2)

  await page.getByLabel('Current password').fill(account.password)
  await page.getByLabel('New password', { exact: true }).fill('changed long password')
  await page.getByLabel('Repeat the new password').fill('changed long password')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('status')).toContainText('Every other session has been logged out')
  await expect(page.locator('.session-list li')).toHaveCount(1)
  await otherPage.reload()
  await expect(otherPage.getByRole('link', { name: 'Log in' })).toBeVisible()
  await other.close()

  await page.getByLabel('Your password').fill('changed long password')
  await page.getByLabel('Type “delete” to confirm').fill('delete')
  await page.getByRole('button', { name: 'Delete my account' }).click()
  await expect(page).toHaveURL(/\/\?account=deleted$/)
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible()
  await logIn(page, account.email, 'changed long password')
  await expect(page.getByRole('alert')).toHaveText('That email or username and password do not match.')
})

test('a reset link mailed before the account was deleted is refused, and the old session is gone', async ({ page, browser }) => {
  const account = await signUp(page)
  const cookies = await page.context().cookies()
  await page.goto('/forgot-password')
  await page.getByLabel('Email', { exact: true }).fill(account.email)
  await page.getByRole('button', { name: 'Send reset link' }).click()
  await expect(page.getByRole('status')).toContainText('If an account uses that address')
  const link = await resetLinkFor(account.email)

  await page.goto('/account')
  await page.getByLabel('Your password').fill(account.password)
  await page.getByLabel('Type “delete” to confirm').fill('delete')
  await page.getByRole('button', { name: 'Delete my account' }).click()
  await expect(page).toHaveURL(/\/\?account=deleted$/)

  const refused = await page.goto(link)
  expect(refused?.status()).toBe(400)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link no longer works')
  await expect(page.getByText('belonged to an account that has been deleted')).toBeVisible()

  // A browser still holding the deleted account's cookie is sent to log in, never shown an error.
  const stale = await browser.newContext()
  await stale.addCookies(cookies)
  const stalePage = await stale.newPage()
  const response = await stalePage.goto('/account')
  expect(response?.status()).toBe(200)
  await expect(stalePage).toHaveURL(/\/login\?redirectTo=%2Faccount$/)
  await stale.close()
})

test('staff see the admin dashboard; members get 403', async ({ page }) => {
  await signUp(page)
  await page.locator('.user-menu summary').click()
  await expect(page.getByRole('link', { name: 'Admin dashboard' })).toHaveCount(0)
  const response = await page.goto('/admin')
  expect(response?.status()).toBe(403)
  await logOut(page)
  await logIn(page, 'moderator', 'threadline-demo')
  await page.locator('.user-menu summary').click()
  await page.getByRole('link', { name: 'Admin dashboard' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Admin dashboard')
  await expect(page.getByText('Published stories')).toBeVisible()
})

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false })

  test('every account form still works', async ({ page }) => {
    const account = await signUp(page, newAccount())
    await page.goto('/account')
    await page.getByRole('textbox', { name: 'Display name' }).fill('No Script Reader')
    await page.getByRole('button', { name: 'Save display name' }).click()
    await expect(page.getByRole('status')).toHaveText('Your display name is saved.')

    await page.getByLabel('Current password').fill('wrong current password')
    await page.getByLabel('New password', { exact: true }).fill('another long password')
    await page.getByLabel('Repeat the new password').fill('another long password')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect(page.locator('#field-currentPassword-error')).toHaveText('That is not your current password.')

    await logOut(page)
    await logIn(page, account.email, 'wrong password here')
    await expect(page.getByRole('alert')).toHaveText('That email or username and password do not match.')
    await logIn(page, account.email, account.password)
    await expect(page.locator('.user-menu summary')).toContainText('No Script Reader')

    await logOut(page)
    await page.goto('/forgot-password')
    await page.getByLabel('Email', { exact: true }).fill(account.email)
    await page.getByRole('button', { name: 'Send reset link' }).click()
    await page.goto(await resetLinkFor(account.email))
    await page.getByLabel('New password', { exact: true }).fill('reset without script')
    await page.getByLabel('Repeat the new password').fill('reset without script')
    await page.getByRole('button', { name: 'Save new password' }).click()
    await expect(page.getByRole('status')).toContainText('Your new password is saved')
  })
})
