import type { APIRequestContext, Browser, Page } from '@playwright/test'
import { expect, logIn, newAccount, signUp, test } from './fixtures.ts'

// Auto-moderation as readers meet it. These tests change site-wide settings, so the Playwright
// config runs this file alone, after every other suite.

test.describe.configure({ mode: 'serial' })

const article = '/articles/open-weight-models-and-export-controls'

async function saveSettings(request: APIRequestContext, baseURL: string, form: Record<string, string>) {
  const headers = { Origin: baseURL, 'X-Forwarded-For': '10.220.0.1' }
  const login = await request.post('/login', { form: { login: 'admin', password: 'threadline-demo' }, headers, maxRedirects: 0 })
  expect(login.status()).toBe(302)
  const saved = await request.post('/admin/settings', { form, headers, maxRedirects: 0 })
  expect(saved.headers().location).toBe('/admin/settings?saved=1')
}

async function contextPage(browser: Browser, ip: string) {
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': ip } })
  return context.newPage()
}

function commentBy(page: Page, text: string) {
  return page.locator('article.comment').filter({ has: page.locator(':scope > details > .comment__body', { hasText: text }) })
}

async function approveInQueue(moderator: Page, text: string) {
  await moderator.goto('/admin/queue')
  const item = moderator.locator('article.queue-item').filter({ hasText: text })
  await item.getByRole('button', { name: 'Approve' }).click()
  await expect(moderator.getByRole('status')).toContainText('approve applied to 1 comment')
}

test.afterAll(async ({ request, baseURL }) => {
  await saveSettings(request, baseURL!, { watchedWords: '' })
})

test('a first comment waits for approval, seen only by its writer until then', async ({ browser, request, baseURL }) => {
  await saveSettings(request, baseURL!, { holdFirstComment: 'on' })
  const stamp = Date.now().toString(36)
  const text = `My first words here (${stamp})`

  const newcomer = await contextPage(browser, '10.221.0.1')
  await signUp(newcomer, newAccount())
  await newcomer.goto(article)
  const form = newcomer.locator('form.comment-form').first()
  await form.getByLabel('Your comment').fill(text)
  await form.getByRole('button', { name: 'Post comment' }).click()
  await expect(newcomer.getByRole('status').filter({ hasText: 'first comment' })).toContainText('awaiting moderation')
  await expect(commentBy(newcomer, text).locator('.comment__notice')).toHaveText('Awaiting moderation: only you can see this.')

  const reader = await contextPage(browser, '10.221.0.2')
  await reader.goto(article)
  await expect(reader.getByText(text)).toHaveCount(0)

  const moderator = await contextPage(browser, '10.221.0.3')
  await logIn(moderator, 'moderator', 'threadline-demo')
  await moderator.goto('/admin/queue')
  await expect(moderator.locator('article.queue-item').filter({ hasText: stamp })).toContainText('Held: First comment of a member')
  await approveInQueue(moderator, stamp)

  await reader.reload()
  await expect(commentBy(reader, text)).toBeVisible()
  for (const page of [newcomer, reader, moderator]) await page.context().close()
})

test('a watched word holds a comment until a moderator approves it; a rejected word is refused with the text kept', async ({
  browser,
  request,
  baseURL,
}) => {
  await saveSettings(request, baseURL!, { watchedWords: 'zyxquark | hold\nblorptoken | reject' })
  const stamp = Date.now().toString(36)
  const text = `The zyxquark accelerator is a game changer (${stamp})`

  const member = await contextPage(browser, '10.222.0.1')
  await signUp(member, newAccount())
  await member.goto(article)
  const form = member.locator('form.comment-form').first()
  await form.getByLabel('Your comment').fill(`Buy blorptoken today (${stamp})`)
  await form.getByRole('button', { name: 'Post comment' }).click()
  await expect(form.getByRole('alert')).toContainText('does not accept (“blorptoken”)')
  await expect(form.getByLabel('Your comment')).toHaveValue(`Buy blorptoken today (${stamp})`)

  await form.getByLabel('Your comment').fill(text)
  await form.getByRole('button', { name: 'Post comment' }).click()
  await expect(commentBy(member, text).locator('.comment__notice')).toHaveText('Awaiting moderation: only you can see this.')

  const moderator = await contextPage(browser, '10.222.0.2')
  await logIn(moderator, 'moderator', 'threadline-demo')
  await moderator.goto('/admin/queue')
  await expect(moderator.locator('article.queue-item').filter({ hasText: stamp })).toContainText('Held: Watched word — “zyxquark”')
  await approveInQueue(moderator, stamp)

  const reader = await contextPage(browser, '10.222.0.3')
  await reader.goto(article)
  await expect(commentBy(reader, text)).toBeVisible()
  for (const page of [member, moderator, reader]) await page.context().close()
})

test('the longest comment is a setting: the comment box, its hint, the browser’s check and the server’s follow it', async ({
  browser,
  request,
  baseURL,
}) => {
  await saveSettings(request, baseURL!, { maxCommentLength: '60' })
  try {
    const member = await contextPage(browser, '10.223.0.1')
    await signUp(member, newAccount())
    await member.goto(article)
    const form = member.locator('form#comment-form-new')
    const box = form.getByLabel('Your comment')
    await expect(box).toHaveAttribute('maxlength', '60')
    await expect(form.locator('#comment-body-new-hint')).toContainText('Up to 60 characters.')
    // Typing stops at the limit; a longer text put there another way is refused before it is sent.
    await box.fill('x'.repeat(61))
    await expect(box).toHaveValue('x'.repeat(60))
    await expect.poll(() => form.evaluate((element) => Object.keys(element).some((key) => key.startsWith('__reactProps')))).toBe(true)
    const posts: string[] = []
    member.on('request', (r) => {
      if (r.method() === 'POST') posts.push(r.url())
    })
    await box.evaluate((element) => {
      ;(element as HTMLTextAreaElement).value = 'y'.repeat(61)
    })
    await form.getByRole('button', { name: 'Post comment' }).click()
    await expect(member.locator('#comment-body-new-error')).toHaveText('Comments can be up to 60 characters; this one has 61.')
    expect(posts).toEqual([])
    // The server holds the same line, for a post that never saw the page.
    const sent = await member.request.post(article, {
      form: { intent: 'comment', body: 'z'.repeat(61) },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    })
    expect(sent.status()).toBe(400)
    expect(await sent.text()).toContain('Comments can be up to 60 characters; this one has 61.')
    await member.context().close()
  } finally {
    await saveSettings(request, baseURL!, { maxCommentLength: '10000' })
  }
})
