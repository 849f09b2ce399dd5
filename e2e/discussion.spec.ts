import { expect, newAccount, signUp, test, type Account } from './fixtures.ts'
import type { Browser, Page } from '@playwright/test'

// Discussing: two members converse under a story, with everything a thread needs.

const conversationArticle = '/articles/huawei-ascend-910b-910c-smic-mindspore'

async function memberPage(browser: Browser, ip: string): Promise<{ page: Page; account: Account }> {
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': ip } })
  const page = await context.newPage()
  const account = await signUp(page, newAccount())
  return { page, account }
}

function commentBy(page: Page, text: string | RegExp) {
  // The comment whose own body says it, not an ancestor that merely contains it.
  return page.locator('article.comment').filter({ has: page.locator(':scope > details > .comment__body', { hasText: text }) })
}

async function postComment(page: Page, text: string) {
  const form = page.locator('form.comment-form').first()
  await form.getByLabel('Your comment').fill(text)
  await form.getByRole('button', { name: 'Post comment' }).click()
}

async function reply(page: Page, to: ReturnType<typeof commentBy>, text: string) {
  await to.locator(':scope > details > .comment__actions > details > summary', { hasText: 'Reply' }).click()
  // With JavaScript the form opens in place; without, a link leads to the comment's own page, where
  // the form is open.
  const inline = to.locator(':scope > details > .comment__actions form.comment-form')
  const onItsPage = to.locator(':scope > details > .comment__actions').getByRole('link', { name: 'Write your reply on this comment’s page' })
  await expect(inline.or(onItsPage)).toBeVisible()
  const form = (await onItsPage.isVisible()) ? page.locator('details[open] > .comment__panel form.comment-form') : inline
  if (await onItsPage.isVisible()) {
    await onItsPage.click()
    await expect(page).toHaveURL(/\/comments\/\d+\?act=reply/)
  }
  await form.locator('textarea').fill(text)
  await form.getByRole('button', { name: 'Post reply' }).click()
}

test('two members converse: replies three deep, live arrival, notification, vote, edit, delete, collapse, permalink', async ({ browser }) => {
  test.setTimeout(90_000)
  const ada = await memberPage(browser, '10.201.0.1')
  const bo = await memberPage(browser, '10.201.0.2')
  const stamp = Date.now().toString(36)
  const adasQuestion = new RegExp(`catch CUDA\\?.*\\(${stamp}\\)`)

  await ada.page.goto(conversationArticle)
  await expect(ada.page.getByText('What are your thoughts? Tell us below.')).toBeVisible()
  await postComment(ada.page, `Will MindSpore ever catch CUDA? (${stamp})`)
  const adaComment = commentBy(ada.page, `Will MindSpore ever catch CUDA? (${stamp})`)
  await expect(adaComment).toBeVisible()
  await expect(adaComment).toBeFocused()
  await expect(ada.page.locator('form.comment-form textarea').first()).toHaveValue('')

  // Bo replies from another browser; Ada, still reading, is told and reveals it in place.
  await bo.page.goto(conversationArticle)
  await reply(bo.page, commentBy(bo.page, adasQuestion), `Not before the **compiler** matures (${stamp}).`)
  const boReply = commentBy(bo.page, `Not before the compiler matures (${stamp}).`)
  await expect(boReply.locator('strong')).toHaveText('compiler')

  await ada.page.getByRole('button', { name: /Show 1 new comment/ }).click()
  const boReplyForAda = commentBy(ada.page, `Not before the compiler matures (${stamp}).`)
  await expect(boReplyForAda).toBeVisible()
  await expect(ada.page.locator('.user-menu .badge')).toHaveText('1')

  // Ada answers the reply: a chain three deep.
  await reply(ada.page, boReplyForAda, `Fair, but the gap is closing (${stamp}).`)
  const third = commentBy(ada.page, `Fair, but the gap is closing (${stamp}).`)
  await expect(third).toBeVisible()
  await expect(
    ada.page.locator(`.comment-list--replies .comment-list--replies article.comment`).filter({ hasText: `gap is closing (${stamp})` }),
  ).toHaveCount(1)

  // Bo upvotes Ada's comment; nobody can vote on their own.
  await bo.page.reload()
  const adaForBo = commentBy(bo.page, adasQuestion)
  const upvote = adaForBo.locator(':scope > details > .comment__actions button.vote__button')
  await expect(upvote).toHaveAttribute('aria-pressed', 'false')
  await upvote.click()
  await expect(upvote).toHaveAttribute('aria-pressed', 'true')
  await expect(adaForBo.locator(':scope > details > summary .comment__score')).toHaveText('1 point')
  await expect(commentBy(bo.page, `compiler matures (${stamp})`).locator(':scope > details > .comment__actions button.vote__button')).toHaveCount(0)

  // Bo cannot edit or delete Ada's comment, even by addressing it directly.
  const adaId = (await adaForBo.getAttribute('id'))!.slice(1)
  const forged = await bo.page.request.post(`${conversationArticle}/comments/${adaId}`, {
    form: { intent: 'edit', body: 'Bo was here' },
    headers: { Origin: new URL(bo.page.url()).origin },
  })
  expect(forged.status()).toBe(403)
  const forgedDelete = await bo.page.request.post(`${conversationArticle}/comments/${adaId}`, {
    form: { intent: 'delete' },
    headers: { Origin: new URL(bo.page.url()).origin },
  })
  expect(forgedDelete.status()).toBe(403)

  // Ada edits her comment within the window.
  await ada.page.reload()
  const adaAgain = commentBy(ada.page, adasQuestion)
  await adaAgain.locator(':scope > details > .comment__actions > details > summary', { hasText: 'Edit' }).click()
  await adaAgain
    .locator(':scope > details > .comment__actions > details[id$="-edit"] textarea')
    .fill(`Will MindSpore ever catch CUDA? Honest question (${stamp})`)
  await adaAgain.locator(':scope > details > .comment__actions > details[id$="-edit"]').getByRole('button', { name: 'Save changes' }).click()
  await expect(commentBy(ada.page, `Honest question (${stamp})`).locator(':scope > details > summary .comment__edited')).toHaveText('edited')

  // Bo deletes his reply: a placeholder keeps Ada's answer in place.
  await bo.page.reload()
  const boOwn = commentBy(bo.page, `compiler matures (${stamp})`)
  await boOwn.locator(':scope > details > .comment__actions > details > summary', { hasText: 'Delete' }).click()
  await boOwn.getByRole('button', { name: 'Yes, delete it' }).click()
  await expect(bo.page.getByText('[deleted by its author]')).toBeVisible()
  await expect(commentBy(bo.page, `gap is closing (${stamp})`)).toBeVisible()

  // Collapse a subtree without losing it.
  const top = commentBy(bo.page, `Honest question (${stamp})`)
  await top.locator(':scope > details > summary').click()
  await expect(top.locator(':scope > details > summary .comment__hidden-count')).toHaveText('2 replies hidden')
  await expect(commentBy(bo.page, `gap is closing (${stamp})`)).toBeHidden()
  await top.locator(':scope > details > summary').click()
  await expect(commentBy(bo.page, `gap is closing (${stamp})`)).toBeVisible()

  // The notification leads to the reply; opening the list marks it read.
  await ada.page.goto('/notifications')
  await expect(ada.page.locator('.user-menu .badge')).toHaveCount(0)
  await ada.page
    .getByRole('link', { name: /replied to your comment/ })
    .first()
    .click()
  await expect(ada.page).toHaveURL(/\/comments\/\d+#c\d+$/)
  await expect(ada.page.getByRole('heading', { level: 1 })).toContainText('Comment thread on')

  // A permalink shows the comment with its parents for context.
  await ada.page.goto(conversationArticle)
  const thirdAgain = commentBy(ada.page, `gap is closing (${stamp})`)
  await thirdAgain.locator(':scope > details > .comment__actions .comment__permalink').click()
  await expect(ada.page.getByRole('list', { name: 'Earlier in this thread' })).toContainText(`Honest question (${stamp})`)
  await expect(commentBy(ada.page, `gap is closing (${stamp})`)).toBeVisible()

  await ada.page.context().close()
  await bo.page.context().close()
})

test('a comment keeps what was typed when it is refused, and a script in it is only text', async ({ page }) => {
  await signUp(page)
  await page.goto('/articles/amd-mi300x-compliance-question')
  const form = page.locator('form.comment-form').first()
  await form.getByRole('button', { name: 'Post comment' }).click()
  await expect(form.getByRole('alert')).toHaveText('Write something before posting.')
  await expect(form.getByLabel('Your comment')).toHaveAttribute('aria-invalid', 'true')

  // The box takes a comment up to the limit (the maxCommentLength setting) and no further...
  const long = 'word '.repeat(2_001)
  await form.getByLabel('Your comment').fill(long)
  await expect(form.getByLabel('Your comment')).toHaveValue(long.slice(0, 10_000))
  // ...and a longer text put there another way (a script, an extension) is refused, and kept.
  await form.getByLabel('Your comment').evaluate((box, text) => {
    ;(box as HTMLTextAreaElement).value = text
  }, long)
  await form.getByRole('button', { name: 'Post comment' }).click()
  await expect(form.getByRole('alert')).toHaveText('Comments can be up to 10,000 characters; this one has 10,005.')
  await expect(form.getByLabel('Your comment')).toHaveValue(long)

  let dialogs = 0
  page.on('dialog', (d) => {
    dialogs++
    void d.dismiss()
  })
  const hostile = `<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) ${Date.now()}`
  await form.getByLabel('Your comment').fill(hostile)
  await form.getByRole('button', { name: 'Preview' }).click()
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText('<script>alert(1)</script>')
  await form.getByRole('button', { name: 'Post comment' }).click()
  const posted = commentBy(page, '<script>alert(1)</script>')
  await expect(posted).toBeVisible()
  await expect(posted.locator('.comment__body script, .comment__body img, .comment__body a')).toHaveCount(0)
  await page.reload()
  await expect(commentBy(page, '<script>alert(1)</script>')).toBeVisible()
  expect(dialogs).toBe(0)
})

test('the chosen order is remembered for the member', async ({ page }) => {
  await signUp(page)
  await page.goto('/articles/hbm-supply-and-export-rules')
  await postComment(page, `Sorting check ${Date.now()}`)
  await page.getByRole('link', { name: 'New', exact: true }).click()
  await expect(page).toHaveURL(/sort=new/)
  await expect(page.getByRole('link', { name: 'New', exact: true })).toHaveAttribute('aria-current', 'true')
  await page.goto('/articles/hbm-supply-and-export-rules')
  await expect(page.getByRole('link', { name: 'New', exact: true })).toHaveAttribute('aria-current', 'true')
  await page.getByRole('link', { name: 'Top', exact: true }).click()
  await expect(page.getByRole('link', { name: 'Top', exact: true })).toHaveAttribute('aria-current', 'true')
  await page.goto('/articles/hbm-supply-and-export-rules')
  await expect(page.getByRole('link', { name: 'Top', exact: true })).toHaveAttribute('aria-current', 'true')
})

test('comment bodies reach the browser once, not again as hydration data', async ({ page, request }) => {
  await signUp(page)
  await page.goto('/articles/h20-market-specific-variant')
  const marker = `once-only-${Date.now().toString(36)}`
  await postComment(page, `A body that should appear ${marker} exactly once`)
  await expect(commentBy(page, marker)).toBeVisible()
  // Readers' shared page hears of the comment within about a second (docs/decisions/003).
  let html = ''
  await expect
    .poll(async () => {
      html = await (await request.get('/articles/h20-market-specific-variant')).text()
      return html.includes(marker)
    })
    .toBe(true)
  expect(html.split(marker).length - 1).toBe(1)
  // The article body too: its first words appear once.
  const opening = 'The H20 is what export-control compliance looks like'
  expect(html.split(opening).length - 1).toBeLessThanOrEqual(1)
})

test.describe('with JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false })

  test('posting, previewing, replying and voting are plain form posts', async ({ page, browser }) => {
    const account = await signUp(page)
    const slug = '/articles/cuda-lock-in-rocm-oneapi-chinese-developers'
    await page.goto(slug)
    const stamp = Date.now().toString(36)
    const form = page.locator('form.comment-form').first()
    await form.getByLabel('Your comment').fill(`No-script *thoughts* ${stamp}`)
    await form.getByRole('button', { name: 'Preview' }).click()
    await expect(page.getByRole('region', { name: 'Preview' }).locator('em')).toHaveText('thoughts')
    await expect(page.locator('form.comment-form').first().getByLabel('Your comment')).toHaveValue(`No-script *thoughts* ${stamp}`)
    await page.locator('form.comment-form').first().getByRole('button', { name: 'Post comment' }).click()
    await expect(page).toHaveURL(/sort=new#c\d+$/)
    const mine = commentBy(page, `No-script thoughts ${stamp}`)
    await expect(mine).toBeVisible()

    await page.locator('form.comment-form').first().getByRole('button', { name: 'Post comment' }).click()
    await expect(page.locator('form.comment-form').first().getByRole('alert')).toHaveText('Write something before posting.')

    // A second member, also without JavaScript, replies and votes.
    const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'X-Forwarded-For': '10.202.0.9' } })
    const other = await context.newPage()
    await signUp(other, newAccount())
    await other.goto(`${slug}?sort=new`)
    const target = commentBy(other, `No-script thoughts ${stamp}`)
    await reply(other, target, `Replying without scripts ${stamp}`)
    await expect(other).toHaveURL(/#c\d+$/)
    await expect(commentBy(other, `Replying without scripts ${stamp}`)).toBeVisible()
    await commentBy(other, `No-script thoughts ${stamp}`).locator(':scope > details > .comment__actions button.vote__button').click()
    await expect(commentBy(other, `No-script thoughts ${stamp}`).locator(':scope > details > summary .comment__score')).toHaveText('1 point')
    await context.close()
    expect(account.username).toBeTruthy()
  })

  test('a refused reply or vote says why, and the reply’s text is kept, even with no form of its own left', async ({ page, browser, baseURL }) => {
    await signUp(page)
    const slug = '/articles/cuda-lock-in-rocm-oneapi-chinese-developers'
    const stamp = Date.now().toString(36)
    await page.goto(`${slug}?sort=new`)
    await postComment(page, `Soon gone ${stamp}`)
    const doomed = commentBy(page, `Soon gone ${stamp}`)
    await expect(doomed).toBeVisible()
    const doomedId = (await doomed.getAttribute('id'))!.slice(1)
    await postComment(page, `Still here ${stamp}`)
    const kept = commentBy(page, `Still here ${stamp}`)
    await expect(kept).toBeVisible()
    const keptId = (await kept.getAttribute('id'))!.slice(1)

    // Another member opens the reply form on the comment's own page and types...
    const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'X-Forwarded-For': '10.202.0.10' } })
    const other = await context.newPage()
    await signUp(other, newAccount())
    await other.goto(`${slug}/comments/${doomedId}?act=reply`)
    const replyText = `A reply worth keeping ${stamp}`
    await other.getByLabel(/Reply to/).fill(replyText)
    // ...while its author deletes it.
    const deleted = await page.request.post(`${slug}/comments/${doomedId}`, { form: { intent: 'delete' }, headers: { Origin: baseURL! }, maxRedirects: 0 })
    expect(deleted.status()).toBe(302)
    await other.getByRole('button', { name: 'Post reply' }).click()
    // The deleted comment takes no reply and has no form: the story's own form holds the text and says why.
    const storyForm = other.locator('form.comment-form').first()
    await expect(storyForm.getByRole('alert')).toContainText('has been deleted or removed')
    await expect(storyForm.getByLabel('Your comment')).toHaveValue(replyText)

    // A vote the server cannot read (a tampered button) is answered beside the button on the comment's page.
    const target = `${slug}/comments/${doomedId}`
    const refused = await other.request.post(target, { form: { intent: 'vote', vote: 'sideways' }, headers: { Origin: baseURL! } })
    expect(refused.status()).toBe(400)
    await other.goto(`${slug}/comments/${keptId}`)
    const vote = other.locator(`#c${keptId} > details > .comment__actions button.vote__button`)
    await vote.evaluate((button) => button.setAttribute('value', 'sideways'))
    await vote.click()
    await expect(other.locator(`#c${keptId} > details > .comment__actions [role=alert]`)).toHaveText('A vote is “up” or “undo”.')
    await expect(other.locator(`#c${keptId} > details > summary .comment__score`)).toHaveText('0 points')
    await context.close()
  })
})
