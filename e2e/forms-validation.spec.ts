import type { APIRequestContext, Browser, Locator, Page } from '@playwright/test'
import { expect, logIn, newAccount, signUp, signUpThrough, test } from './fixtures.ts'

// Forms check themselves in the browser with the schema their action parses with: a form in error
// sends nothing and says what is wrong beside the field, where the server would. Without JavaScript
// the server says the same, with a 400, and keeps what was typed.

/** The pathnames of every POST the page sends, in order (`.data`: the app's own transport, with JavaScript). */
function postsOf(page: Page) {
  const posts: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(new URL(request.url()).pathname)
  })
  return posts
}

/** Waits until React has hydrated `form`: before that, a click submits it the way a browser without JavaScript does. */
async function hydrated(form: Locator) {
  await expect
    .poll(() => form.evaluate((element) => Object.keys(element).some((key) => key.startsWith('__reactProps'))), {
      message: 'the form is hydrated',
    })
    .toBe(true)
}

async function pageWithoutScripts(browser: Browser, clientIp: string) {
  const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'X-Forwarded-For': clientIp } })
  return context.newPage()
}

/** The server's answer to the next POST of a document (a browser without JavaScript). */
function nextPost(page: Page, pathname: string) {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === pathname)
}

async function expectFieldError(field: Locator, errorId: string, page: Page, message: string | RegExp) {
  await expect(page.locator(`#${errorId}`)).toContainText(message)
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  await expect(field).toHaveAttribute('aria-describedby', new RegExp(`(^| )${errorId}( |$)`))
}

test.describe('sign-up', () => {
  test('with JavaScript, errors show beside their fields before anything is sent; a valid form is sent', async ({ page }) => {
    const posts = postsOf(page)
    await page.goto('/signup')
    await hydrated(page.locator('form#signup-form'))
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByLabel('Username').fill('9lives')
    await page.getByLabel('Password').fill('short')
    await page.getByRole('button', { name: 'Create account' }).click()

    await expectFieldError(page.getByLabel('Email'), 'field-email-error', page, 'Enter a valid email address')
    await expectFieldError(page.getByLabel('Username'), 'field-username-error', page, 'starting with a letter')
    await expectFieldError(page.getByLabel('Password'), 'field-password-error', page, 'at least 10 characters')
    // The hint stays described too.
    await expect(page.getByLabel('Username')).toHaveAttribute('aria-describedby', /field-username-hint/)
    await expect(page.getByLabel('Email')).toBeFocused()
    await expect(page.getByLabel('Username')).toHaveValue('9lives')

    // A field in error is checked again as it is corrected.
    const account = newAccount()
    await page.getByLabel('Username').fill(account.username)
    await expect(page.locator('#field-username-error')).toHaveCount(0)
    await expect(page.getByLabel('Username')).not.toHaveAttribute('aria-invalid')
    expect(posts).toEqual([])

    await page.getByLabel('Email').fill(account.email)
    await page.getByLabel('Password').fill(account.password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible()
    expect(posts).toEqual(['/signup.data'])
  })

  test('without JavaScript, the server answers 400 with the same errors beside the same fields', async ({ browser, clientIp }) => {
    const page = await pageWithoutScripts(browser, clientIp)
    await page.goto('/signup')
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByLabel('Username').fill('9lives')
    await page.getByLabel('Password').fill('short')
    const answered = nextPost(page, '/signup')
    await page.getByRole('button', { name: 'Create account' }).click()
    expect((await answered).status()).toBe(400)

    await expectFieldError(page.getByLabel('Email'), 'field-email-error', page, 'Enter a valid email address')
    await expectFieldError(page.getByLabel('Username'), 'field-username-error', page, 'starting with a letter')
    await expectFieldError(page.getByLabel('Password'), 'field-password-error', page, 'at least 10 characters')
    await expect(page.getByLabel('Email')).toHaveValue('not-an-email')
    await expect(page.getByLabel('Username')).toHaveValue('9lives')
    // Passwords never come back.
    await expect(page.getByLabel('Password')).toHaveValue('')
    await page.context().close()
  })
})

test.describe('log-in', () => {
  test('with JavaScript, an empty form says what is missing without a request; a wrong password is the server’s to say', async ({ page }) => {
    const posts = postsOf(page)
    await page.goto('/login')
    await hydrated(page.locator('form#login-form'))
    await page.getByRole('button', { name: 'Log in' }).click()
    await expectFieldError(page.getByLabel('Email or username'), 'field-login-error', page, 'Enter your email or username.')
    await expectFieldError(page.getByLabel('Password'), 'field-password-error', page, 'Enter your password.')
    expect(posts).toEqual([])

    await page.getByLabel('Email or username').fill('nobody-here@example.com')
    await page.getByLabel('Password').fill('not my password at all')
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page.getByRole('alert')).toHaveText('That email or username and password do not match.')
    expect(posts).toEqual(['/login.data'])
    await expect(page.getByLabel('Email or username')).toHaveValue('nobody-here@example.com')
  })

  test('without JavaScript, an empty form is answered 400 with the same errors', async ({ browser, clientIp }) => {
    const page = await pageWithoutScripts(browser, clientIp)
    await page.goto('/login')
    const answered = nextPost(page, '/login')
    await page.getByRole('button', { name: 'Log in' }).click()
    expect((await answered).status()).toBe(400)
    await expectFieldError(page.getByLabel('Email or username'), 'field-login-error', page, 'Enter your email or username.')
    await expectFieldError(page.getByLabel('Password'), 'field-password-error', page, 'Enter your password.')
    await page.context().close()
  })
})

test.describe('the comment box', () => {
  const article = '/articles/amd-mi300x-compliance-question'

  test('with JavaScript, an empty comment is refused before it is sent; the limit is the setting’s; a comment is posted', async ({ page }) => {
    await signUp(page)
    const posts = postsOf(page)
    await page.goto(article)
    const form = page.locator('form#comment-form-new')
    await hydrated(form)
    const box = form.getByLabel('Your comment')
    // The setting (maxCommentLength, 10,000 by default) is the textarea's limit, and the hint says it.
    await expect(box).toHaveAttribute('maxlength', '10000')
    await expect(form.locator('#comment-body-new-hint')).toContainText('Up to 10,000 characters.')

    await form.getByRole('button', { name: 'Post comment' }).click()
    await expectFieldError(box, 'comment-body-new-error', page, 'Write something before posting.')
    await expect(box).toHaveAttribute('aria-describedby', /comment-body-new-hint/)
    await expect(box).toBeFocused()
    expect(posts).toEqual([])

    const text = `Checked before it was sent (${Date.now().toString(36)})`
    await box.fill(text)
    await expect(form.locator('#comment-body-new-error')).toHaveCount(0)
    await form.getByRole('button', { name: 'Post comment' }).click()
    await expect(page.locator('article.comment .comment__body', { hasText: text })).toBeVisible()
    expect(posts).toEqual([`${article}.data`])
  })

  test('without JavaScript, an empty comment is answered 400 with the same error beside the box', async ({ browser, clientIp }) => {
    const page = await pageWithoutScripts(browser, clientIp)
    await signUp(page)
    await page.goto(article)
    const form = page.locator('form#comment-form-new')
    const answered = nextPost(page, article)
    await form.getByRole('button', { name: 'Post comment' }).click()
    expect((await answered).status()).toBe(400)
    await expectFieldError(form.getByLabel('Your comment'), 'comment-body-new-error', page, 'Write something before posting.')
    await page.context().close()
  })
})

test.describe('an admin form: banning a member', () => {
  async function memberPage(page: Page, request: APIRequestContext, baseURL: string) {
    const account = await signUpThrough(request, newAccount(), { headers: { Origin: baseURL } })
    await logIn(page, 'admin', 'threadline-demo')
    await page.goto(`/admin/members?q=${account.username}`)
    await page.getByRole('link', { name: account.username }).click()
    await expect(page.getByRole('heading', { name: 'Ban' })).toBeVisible()
    return page.locator('form#ban-form')
  }

  test('with JavaScript, a ban without a reason is refused before it is sent; with one, it is done', async ({ page, request, baseURL }) => {
    const form = await memberPage(page, request, baseURL!)
    const posts = postsOf(page)
    await hydrated(form)
    await form.getByRole('button', { name: 'Ban and end every session' }).click()
    await expectFieldError(form.getByLabel('Reason (the member sees it)'), 'ban-reason-error', page, 'Give the reason the member will see.')
    expect(posts).toEqual([])

    await form.getByLabel('Reason (the member sees it)').fill('Checked in the browser first')
    await form.getByRole('button', { name: 'Ban and end every session' }).click()
    await expect(page.getByRole('status')).toHaveText('Saved: banned.')
    await expect(page.getByText('Banned since')).toContainText('Checked in the browser first')
    expect(posts).toHaveLength(1)
    expect(posts[0]).toMatch(/^\/admin\/members\/[^/]+\.data$/)
  })

  test('without JavaScript, a ban without a reason is answered 400 with the error beside the field', async ({ browser, clientIp, request, baseURL }) => {
    const page = await pageWithoutScripts(browser, clientIp)
    const form = await memberPage(page, request, baseURL!)
    const memberPath = new URL(page.url()).pathname
    const answered = nextPost(page, memberPath)
    await form.getByRole('button', { name: 'Ban and end every session' }).click()
    expect((await answered).status()).toBe(400)
    await expectFieldError(page.getByLabel('Reason (the member sees it)').last(), 'ban-reason-error', page, 'Give the reason the member will see.')
    await expect(page.getByText('In good standing.')).toBeVisible()
    await page.context().close()
  })
})
