import fs from 'node:fs'
import path from 'node:path'
import type { APIResponse, Browser, Page } from '@playwright/test'
import { countLinks } from '#app/lib/auto-moderation.ts'
import { expect as baseExpect, logIn, newAccount, signUp, signUpThrough, test } from './fixtures.ts'

// Hostile text everywhere a person can type: the corpus in app/test/fixtures/hostile-inputs.json
// goes into search, sign-up, comments and replies, display names, report notes, an article written
// in the editor and a chip written in the chip editor, and every page that shows it is opened in
// Chromium. No script may run (no dialog, window.__pwned stays false), nothing may turn into markup
// that could run one, and representative inputs must show as the characters typed.
//
// The site's Content-Security-Policy would stop an injected inline handler on its own; it is
// bypassed here so that an escaping bug shows up as script that runs, not one the browser stopped.
test.use({ bypassCSP: true })

// Pages here carry every entry at once (an article of 50,000 characters, comments of 10,000): a
// save or a render can take more than the default five seconds on a busy machine.
const expect = baseExpect.configure({ timeout: 20_000 })

type HostileInput = { id: string; category: string; text: string }
const corpus = JSON.parse(fs.readFileSync(path.resolve('app/test/fixtures/hostile-inputs.json'), 'utf8')) as HostileInput[]
const text = (id: string) => corpus.find((e) => e.id === id)!.text

const DEMO_PASSWORD = 'threadline-demo'
const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`

declare global {
  interface Window {
    __pwned?: boolean
  }
}

/** What a browser sends for a string: a lone surrogate cannot be encoded, and goes as U+FFFD. */
function wellFormed(value: string) {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}

/** Joins corpus entries into as few chunks as fit `fits` (first fit), for fields that take many. */
function pack(entries: readonly HostileInput[], separator: string, fits: (chunk: string) => boolean): string[] {
  const chunks: string[] = []
  for (const entry of entries) {
    const value = wellFormed(entry.text)
    if (!fits(value)) continue
    const i = chunks.findIndex((chunk) => fits(`${chunk}${separator}${value}`))
    if (i === -1) chunks.push(value)
    else chunks[i] = `${chunks[i]}${separator}${value}`
  }
  return chunks
}

/**
 * Collects what must not happen on any page: a dialog (the corpus's alert payloads), and a failed
 * hydration (text that the browser parses into something else than React rendered, which makes
 * React throw the page away and render it again, losing what was typed). Also resets the flag every
 * other payload raises, on every navigation.
 */
async function watch(page: Page) {
  const alarms: string[] = []
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
      documentPolicies.set(page, response.headers()['content-security-policy'] ?? '')
    }
  })
  page.on('dialog', (dialog) => {
    alarms.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  page.on('pageerror', (error) => {
    // React's production codes for a hydration mismatch.
    if (/#41[89]|#42[2345]|[Hh]ydrat/.test(error.message)) alarms.push(`hydration failed on ${page.url()}: ${error.message.slice(0, 80)}`)
  })
  await page.addInitScript(() => {
    window.__pwned = false
  })
  return alarms
}

/** The CSP each page's current document came with. */
const documentPolicies = new WeakMap<Page, string>()

/** The script hashes a CSP lets run: a page rendered for everyone runs its own scripts by them. */
const hashesIn = (csp: string | undefined) => [...(csp ?? '').matchAll(/'(sha256-[A-Za-z0-9+/=]+)'/g)].map((m) => m[1]!)

/**
 * What the page (or `html`, parsed as Chromium parses a document) holds that could run script and
 * that the site itself never writes. The site's own scripts carry the response's nonce, or are
 * listed by hash in its CSP (`ownHashes`).
 */
async function injectedMarkup({
  html,
  text = [],
  value = [],
  ownHashes = [],
}: { html?: string; text?: string[]; value?: string[]; ownHashes?: string[] } = {}) {
  const sha256 = async (textContent: string) => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(textContent)))
    return `sha256-${btoa(String.fromCharCode(...digest))}`
  }
  const doc = html === undefined ? document : new DOMParser().parseFromString(html, 'text/html')
  const found: string[] = []
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster']
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    const tag = el.localName
    if (['iframe', 'frame', 'object', 'embed', 'applet', 'base', 'portal'].includes(tag)) found.push(`<${tag}>`)
    if (tag === 'meta' && el.getAttribute('http-equiv')?.toLowerCase() === 'refresh') found.push('<meta refresh>')
    // Every script payload in the corpus names one of these. The site's own scripts carry the
    // request's nonce (its route data may quote the corpus, escaped); an injected one cannot.
    const script = el as HTMLScriptElement
    const executable = ['', 'module', 'text/javascript', 'application/javascript'].includes(script.type?.toLowerCase() ?? '')
    if (tag === 'script' && executable && script.nonce === '' && /__pwned|alert\(|msgbox/.test(`${script.src} ${script.textContent}`)) {
      if (script.src || !ownHashes.includes(await sha256(script.textContent ?? ''))) found.push(`<script> ${el.outerHTML.slice(0, 80)}`)
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase()
      if (name.startsWith('on')) found.push(`${tag}[${name}]`)
      if (name === 'srcdoc' || (name === 'style' && /url\(|expression/i.test(attr.value))) found.push(`${tag}[${name}]`)
      if (urlAttributes.includes(name) && /^[\s\u0000-\u001f]*(javascript|vbscript|data):/i.test(attr.value.replace(/[\t\n\r]/g, ''))) {
        found.push(`${tag}[${name}=${attr.value.slice(0, 40)}]`)
      }
    }
  }
  // And what the page shows, for the caller to compare with what was sent: the text of some
  // elements, and the value attribute of some fields.
  const texts = text.map((selector) => Array.from(doc.querySelectorAll(selector), (el) => el.textContent).join(' '))
  const values = value.map((selector) => doc.querySelector(selector)?.getAttribute('value') ?? null)
  return { found, pwned: window.__pwned, texts, values }
}

async function expectInert(page: Page, alarms: string[], where = page.url()) {
  const { found, pwned } = await page.evaluate(injectedMarkup, { ownHashes: hashesIn(documentPolicies.get(page)) })
  expect(alarms, `dialogs or failed hydration on ${where}`).toEqual([])
  expect(pwned, `window.__pwned on ${where}`).toBe(false)
  expect(found, `markup that could run script on ${where}`).toEqual([])
}

async function contextPage(browser: Browser, ip: string) {
  const context = await browser.newContext({ bypassCSP: true, extraHTTPHeaders: { 'X-Forwarded-For': ip } })
  const page = await context.newPage()
  return { page, alarms: await watch(page) }
}

type Answer = { status: number; html: string; csp?: string }
const answer = async (response: APIResponse): Promise<Answer> => ({
  status: response.status(),
  html: await response.text(),
  csp: response.headers()['content-security-policy'],
})

/** Each item with its answer, a few requests kept in flight ahead, so server and browser work at once. */
async function* prefetched<T>(items: readonly T[], request: (item: T) => Promise<Answer>, ahead = 6): AsyncGenerator<[T, Answer]> {
  const started = items.slice(0, ahead).map(request)
  for (let i = 0; i < items.length; i++) {
    if (i + ahead < items.length) started.push(request(items[i + ahead]!))
    yield [items[i]!, await started[i]!]
  }
}

/** A containment check that names the needle, not the (very long) haystack, when it fails. */
function expectShown(haystack: string, needle: string, where: string) {
  expect(haystack.includes(needle), `${where} shows ${JSON.stringify(needle.slice(0, 80))}`).toBe(true)
}

/** Text a visible element holds, whitespace as the browser keeps it. */
async function textOf(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((els) => els.map((el) => el.textContent ?? '').join('\n'))
}

test.describe('a hostile story: article, discussion, names and reports', () => {
  test.describe.configure({ mode: 'serial' })

  const title = `${stamp} <img src=x onerror="window.__pwned=true"> "'><script>alert('title')</script> {{7*7}} \u202Egnp.exe ${text('unicode-normalisation-06')}`
  const expectedTitle = wellFormed(title).trim().replace(/\s+/g, ' ')
  const standfirst = `${text('xss-polyglot-01')} ${text('attribute-breakers-03')} ${text('entities-01')} ${text('template-injection-05')}`
  const tagNames = [`<svg onload=window.__pwned=true> ${stamp}`, `{{7*7}} ${stamp}`]
  // Every entry but those the form must refuse (a NUL), one Markdown paragraph each.
  const body = corpus
    .filter((e) => e.category !== 'null-bytes')
    .map((e) => wellFormed(e.text))
    .join('\n\n')
  let slug = ''
  const commentIds: number[] = []

  test('an author writes the article in the editor; the story, home page, tag page and feeds show it as text', async ({ page }) => {
    test.setTimeout(90_000)
    const alarms = await watch(page)
    await logIn(page, 'author', DEMO_PASSWORD)
    await page.goto('/admin/articles/new')
    // The live preview starts once the page is hydrated; typing before that would not reach it.
    await expect(page.getByText('Follows the body as you type.')).toBeVisible()
    await page.getByLabel('Headline').fill(title)
    await page.getByLabel('Standfirst').fill(`${standfirst} ${text('null-bytes-02')}`)
    await page.getByLabel('Body', { exact: true }).fill(body)
    await page.getByLabel('Tags').fill(tagNames.join(', '))
    await page.getByLabel('Status').selectOption('published')
    // The live preview is the server's sanitised rendering, put in the page as HTML.
    await expect(page.getByRole('region', { name: 'Preview' })).toContainText('<script>window.__pwned=true</script>')
    await expectInert(page, alarms, 'editor preview')

    // A NUL cannot be stored: refused beside its field, with what was typed kept.
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.locator('#field-standfirst-error')).toContainText('null character')
    await expect(page.getByLabel('Headline')).toHaveValue(title)
    // The form came back without a rendering of the body: the live preview fetches one. Saving while
    // that request is in flight can lose the save's redirect, so wait for it, as a person would see it.
    await expect(page.getByRole('region', { name: 'Preview' })).toContainText('<script>window.__pwned=true</script>')
    await page.getByLabel('Standfirst').fill(standfirst)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page).toHaveURL(/\/admin\/articles\/\d+\?saved=published$/)
    await expect(page.getByLabel('Slug')).toHaveValue(new RegExp(`^${stamp}-img-src-x-onerror`))
    slug = await page.getByLabel('Slug').inputValue()

    // Rendered by the server this time: every field holds the hostile text as its value.
    await page.reload()
    await expectInert(page, alarms, 'editor, server-rendered')
    await expect(page.getByLabel('Headline')).toHaveValue(expectedTitle)
    // Stored with LF line ends and no trailing whitespace (ArticleFormSchema), and shown so.
    await expect(page.getByLabel('Body', { exact: true })).toHaveValue(body.replace(/\r\n?/g, '\n').replace(/\s+$/, ''))

    await page.goto(`/articles/${slug}`)
    await expectInert(page, alarms, 'article page')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(expectedTitle)
    expect(await page.title()).toContain(`${stamp} <img src=x onerror="window.__pwned=true">`)
    const prose = await textOf(page, '.prose')
    // Articles are set with typographer quotes and dashes, so the entries checked here have none.
    for (const id of ['xss-classic-01', 'xss-classic-12', 'xss-classic-09', 'template-injection-01', 'css-injection-01', 'sql-10']) {
      expectShown(prose, text(id), `article body (${id})`)
    }
    expectShown(prose, 'A'.repeat(5000), 'article body')
    // A list nested past the parser's limit keeps its words and everything after it.
    expectShown(prose, 'deep list', 'article body')
    expectShown(prose, text('attribute-breakers-14'), 'article body, last entry')
    await expect(page.getByText(standfirst)).toBeVisible()

    await page.getByRole('link', { name: tagNames[1]! }).first().click()
    await expect(page).toHaveURL(/\/tags\//)
    await expectInert(page, alarms, 'tag page')
    await expect(page.getByRole('link', { name: expectedTitle })).toBeVisible()

    await page.goto('/')
    await expectInert(page, alarms, 'home page')
    await expect(page.getByRole('link', { name: expectedTitle })).toBeVisible()

    // Feeds: well-formed for a strict XML parser; each title is HTML that shows the title as text,
    // without an element, as a reader that renders titles as HTML would see it.
    for (const feed of ['/feed.xml', '/feed.atom']) {
      const xml = await (await page.request.get(feed)).text()
      const titles = await page.evaluate((source) => {
        const doc = new DOMParser().parseFromString(source, 'application/xml')
        if (doc.querySelector('parsererror')) return null
        return Array.from(doc.querySelectorAll('item > title, entry > title')).map((t) => {
          const shown = new DOMParser().parseFromString(t.textContent ?? '', 'text/html').body
          return { elements: shown.querySelectorAll('*').length, text: shown.textContent }
        })
      }, xml)
      expect(titles, `${feed} parses`).not.toBeNull()
      expect(
        titles!.filter((t) => t.elements > 0),
        feed,
      ).toEqual([])
      expect(
        titles!.map((t) => t.text),
        feed,
      ).toContain(expectedTitle.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ''))
    }
    const json = (await (await page.request.get('/feed.json')).json()) as { items: { title: string }[] }
    expect(json.items.map((i) => i.title)).toContain(expectedTitle)
  })

  test('members post every entry as comments and replies; the discussion shows them as text', async ({ browser, baseURL }) => {
    test.setTimeout(90_000)
    expect(slug, 'the article from the step before').not.toBe('')
    const postable = corpus.filter((e) => {
      const sent = wellFormed(e.text)
      return sent.trim() !== '' && sent.length <= 10_000 && !sent.includes('\u0000')
    })
    // Within one comment's length and under the link count that would hold it for a moderator (as
    // the app counts links).
    const fits = (chunk: string) => chunk.length <= 9_800 && countLinks(chunk) <= 3
    const comments = pack(postable, '\n\n', fits)
    const replies = pack([...postable].reverse(), '\n\n', fits)
    // A new account may post two comments a minute: one account for each comment and its reply.
    const accounts = Math.max(comments.length, replies.length)
    expect(accounts, 'accounts needed').toBeLessThanOrEqual(8)

    const posters = await Promise.all(
      Array.from({ length: accounts }, async (_, i) => {
        const { page, alarms } = await contextPage(browser, `10.231.0.${i + 1}`)
        // Signed up by a plain form post (the sign-up form has a test of its own): five at
        // once through the form would wait on five password hashes.
        await signUpThrough(page.request, newAccount(), { headers: { Origin: baseURL! } })
        return { page, alarms }
      }),
    )
    const [first] = posters
    await first!.page.goto(`/articles/${slug}`)
    await expectInert(first!.page, first!.alarms, 'article, logged in')

    // The first comment through the form, after a preview. The box holds no more than a comment may
    // be: an entry one character too long is cut at the limit as it is typed.
    const form = first!.page.locator('form.comment-form').first()
    await form.getByLabel('Your comment').fill(text('long-words-02'))
    await expect(form.getByLabel('Your comment')).toHaveValue(text('long-words-02').slice(0, 10_000))
    await form.getByLabel('Your comment').fill(comments[0]!)
    await form.getByRole('button', { name: 'Preview' }).click()
    await expect(first!.page.getByRole('region', { name: 'Preview' })).toContainText('<script>window.__pwned=true</script>')
    await expectInert(first!.page, first!.alarms, 'comment preview')
    await form.getByRole('button', { name: 'Post comment' }).click()
    const posted = first!.page
      .locator('article.comment[id^="c"]')
      .filter({ hasText: text('xss-classic-01') })
      .first()
    await expect(posted).toBeVisible()
    await expectInert(first!.page, first!.alarms, 'comment just posted')
    commentIds.push(Number((await posted.getAttribute('id'))!.slice(1)))

    const post = async (n: number, body: string, parentId?: number) => {
      const poster = posters[n]!
      const response = await poster.page.request.post(`/articles/${slug}`, {
        form: { intent: 'comment', body, parentId: parentId ? String(parentId) : '' },
        headers: { Origin: baseURL! },
        maxRedirects: 0,
      })
      expect(response.status(), `comment ${n}: ${(await response.text()).slice(0, 200)}`).toBe(302)
      const id = Number(/#c(\d+)/.exec(response.headers().location ?? '')?.[1])
      expect(id).toBeGreaterThan(0)
      commentIds.push(id)
    }
    for (const [i, chunk] of comments.slice(1).entries()) await post(i + 1, chunk)
    for (const [i, chunk] of replies.entries()) await post(i, chunk, commentIds[i % commentIds.length])

    // Every posted entry is on the page as text, server-rendered for a reader who is not logged in.
    const reader = await contextPage(browser, '10.231.0.9')
    await reader.page.goto(`/articles/${slug}`)
    await expectInert(reader.page, reader.alarms, 'discussion, anonymous')
    const shown = await textOf(reader.page, '.comment__body')
    for (const id of [
      'xss-classic-01',
      'xss-classic-06',
      'xss-polyglot-01',
      'attribute-breakers-01',
      'template-injection-01',
      'sql-02',
      'css-injection-03',
    ]) {
      expectShown(shown, text(id), `discussion (${id})`)
    }
    expectShown(shown, 'A'.repeat(5000), 'discussion')
    expectShown(shown, text('unicode-normalisation-09'), 'discussion')

    // The author's own view renders the edit forms, with each body in a textarea.
    await first!.page.reload()
    await expectInert(first!.page, first!.alarms, 'discussion, as its writer')
    await first!.page.goto(`/articles/${slug}/comments/${commentIds[0]}`)
    await expectInert(first!.page, first!.alarms, 'comment permalink')
    await expect(first!.page.locator('.comment__body').first()).toContainText(text('xss-classic-01'))

    const feed = await (await reader.page.request.get(`/articles/${slug}/comments.xml`)).text()
    const parsed = await reader.page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'application/xml')
      return doc.querySelector('parsererror') ? null : doc.querySelectorAll('item').length
    }, feed)
    expect(parsed, 'the comments feed parses').toBeGreaterThan(0)

    for (const p of [...posters, reader]) await p.page.context().close()
  })

  test('a member’s hostile display names show as text beside their comment', async ({ browser }) => {
    test.setTimeout(180_000)
    const { page, alarms } = await contextPage(browser, '10.232.0.1')
    await signUp(page, newAccount())
    await page.goto(`/articles/${slug}`)
    const form = page.locator('form.comment-form').first()
    await form.getByLabel('Your comment').fill(`Names test ${stamp}`)
    await form.getByRole('button', { name: 'Post comment' }).click()
    const mine = page.locator('article.comment[id^="c"]').filter({ hasText: `Names test ${stamp}` })
    await expect(mine).toBeVisible()
    // The comment's own page shows the name beside it, without the whole story around it.
    const permalink = `/articles/${slug}/comments/${(await mine.getAttribute('id'))!.slice(1)}`

    await page.goto('/account')
    const field = page.locator('input[name=displayName]')
    const save = page.getByRole('button', { name: 'Save display name' })
    // (The field holds at most 50 characters, so a longer name cannot even be typed.)
    for (const id of ['bidi-zero-width-01', 'whitespace-control-09', 'whitespace-control-01']) {
      await field.fill(text(id))
      await save.click()
      await expect(page.locator('#field-displayName-error'), id).toBeVisible()
      await expectInert(page, alarms, `account, refused ${id}`)
    }
    for (const id of [
      'xss-classic-06',
      'attribute-breakers-03',
      'attribute-breakers-01',
      'template-injection-06',
      'entities-01',
      'unicode-normalisation-09',
      'template-injection-14',
      'css-injection-03',
    ]) {
      const name = text(id)
      await page.goto('/account')
      await field.fill(name)
      await save.click()
      await expect(page).toHaveURL(/saved=display-name/)
      // Rendered by the server: the name is the value of the field it was typed in.
      await page.reload()
      await expectInert(page, alarms, `account, ${id}`)
      await expect(field, id).toHaveValue(name.trim())
      await page.goto(permalink)
      await expectInert(page, alarms, `comment page, name ${id}`)
      await expect(page.locator('.comment__author').first(), id).toHaveText(name.trim())
    }
    // And among the story's discussion, with the last of them.
    await page.goto(`/articles/${slug}`)
    await expectInert(page, alarms, 'article, hostile name')
    await expect(mine.locator('.comment__author').first()).toHaveText(text('css-injection-03'))
    await page.context().close()
  })

  test('report notes with hostile text reach the moderator queue as text', async ({ browser, baseURL }) => {
    test.setTimeout(60_000)
    expect(commentIds.length).toBeGreaterThan(3)
    const notes = pack(
      corpus.filter((e) => !wellFormed(e.text).includes('\u0000')),
      ' ',
      (chunk) => [...chunk.trim()].length <= 1000 && chunk.length <= 1000,
    )
    expect(notes.length).toBeLessThanOrEqual(commentIds.length)

    const { page, alarms } = await contextPage(browser, '10.233.0.1')
    await signUp(page, newAccount())
    await page.goto(`/articles/${slug}`)
    const target = page.locator(`#c${commentIds[0]}`)
    await target.locator(':scope > details > .comment__actions > details > summary', { hasText: 'Report' }).click()
    await target.getByLabel('What is wrong with it?').selectOption('other')
    await target.getByLabel(/Note for the moderators/).fill(notes[0]!)
    await target.getByRole('button', { name: 'Send report' }).click()
    await expect(target.getByRole('status')).toContainText('your report was received')
    await expectInert(page, alarms, 'report sent')
    for (const [i, note] of notes.slice(1).entries()) {
      const response = await page.request.post(`/articles/${slug}/comments/${commentIds[i + 1]}`, {
        form: { intent: 'report', reason: 'other', note },
        headers: { Origin: baseURL! },
        maxRedirects: 0,
      })
      expect(response.status(), `report ${i + 1}: ${(await response.text()).slice(0, 200)}`).toBe(302)
    }

    const moderator = await contextPage(browser, '10.233.0.2')
    await logIn(moderator.page, 'moderator', DEMO_PASSWORD)
    await moderator.page.goto('/admin/queue')
    await expectInert(moderator.page, moderator.alarms, 'moderator queue')
    const queue = await textOf(moderator.page, 'main')
    for (const id of ['xss-classic-01', 'xss-classic-06', 'attribute-breakers-03', 'template-injection-01']) {
      expectShown(queue, text(id), `moderator queue (${id})`)
    }
    await page.context().close()
    await moderator.page.context().close()
  })
})

test('every corpus entry as a search query shows as text and runs nothing', async ({ page }) => {
  // About 300 searches and 40 page loads: a minute beside another worker, more on a busier machine.
  test.setTimeout(240_000)
  // The query as the search model folds it: U+0000 counts as a space, whitespace runs become one.
  const folded = (q: string) =>
    q
      .replace(/\u0000/g, ' ')
      .trim()
      .replace(/\s+/g, ' ')
  const queries = [
    ...corpus.map((e) => ({ ...e, encoded: encodeURIComponent(wellFormed(e.text)), sent: wellFormed(e.text) })),
    // Bytes that are not UTF-8 at all, as a hand-made link could carry them: the address is refused
    // before the app reads it (app/lib/request-target.ts), with a page that says why.
    { id: 'raw-overlong', category: 'unreadable', encoded: '%C0%AE%C0%AEx', sent: '' },
    { id: 'raw-surrogate', category: 'unreadable', encoded: '%ED%A0%80x', sent: '' },
    { id: 'raw-truncated', category: 'unreadable', encoded: 'x%E2%82', sent: '' },
    { id: 'raw-nul', category: 'raw', encoded: '%00script%00', sent: '\u0000script\u0000' },
  ]
  const alarms = await watch(page)
  await page.goto('/search')

  // Every query: the page the server sends, parsed by Chromium's parser (a page load costs a
  // quarter of a second of browser time here; a parse, a few milliseconds).
  const answers = prefetched(queries, (query) => page.request.get(`/search?q=${query.encoded}`).then(answer))
  for await (const [query, response] of answers) {
    const address = `/search?q=${query.encoded}`
    // Past the site's query-string limit the address is refused with a page that says so; past
    // Node's header limit (16 KiB) it never reaches the app, and gets an empty 431.
    if (address.length > 4096) {
      expect([400, 431], query.id).toContain(response.status)
      continue
    }
    if (query.category === 'unreadable') {
      expect(response.status, query.id).toBe(400)
      expect(response.html, query.id).toContain('not valid UTF-8')
      continue
    }
    expect(response.status, query.id).toBe(200)
    const { found, texts, values } = await page.evaluate(injectedMarkup, {
      html: response.html,
      ownHashes: hashesIn(response.csp),
      text: ['section[aria-labelledby=search-title] [role=status]'],
      value: ['#search-q'],
    })
    expect(found, `markup that could run script in the search page for ${query.id}`).toEqual([])
    const q = folded(query.sent)
    if (q === '') expect(texts[0], query.id).toBe('')
    else if (q.length > 200) expect(texts[0], query.id).toContain('searches can be up to 200')
    else expect(texts[0], query.id).toContain(`“${q}”`)
    // The box keeps what was typed (as an HTML parser reads an attribute: LF line ends, and no U+0000).
    if (!/[\u0000\r]/.test(query.sent) && query.sent.length <= 400) expect(values[0], query.id).toBe(query.sent)
  }

  // Loaded as pages, scripts and all: one query of each kind, every polyglot and attribute breaker,
  // and those too long for the site.
  const loaded = [
    ...new Map(queries.map((q) => [q.category, q])).values(),
    ...queries.filter((q) => ['xss-polyglot', 'attribute-breakers'].includes(q.category)),
    ...queries.filter((q) => q.encoded.length > 4096),
  ]
  for (const query of new Set(loaded)) {
    const address = `/search?q=${query.encoded}`
    // An empty 431 from Node would leave Chromium's own error page, with nothing of ours on it.
    if (address.length > 4096 && (await page.request.get(address)).status() === 431) continue
    const response = await page.goto(address)
    await expectInert(page, alarms, `search ${query.id}`)
    if (response?.status() === 400) await expect(page.getByText(/This address (is too long|cannot be read)/), query.id).toBeVisible()
    else expect(response?.status(), query.id).toBe(200)
  }
  // And typed into the search box, rendered by the app in the browser.
  await page.goto('/search')
  for (const id of ['xss-classic-06', 'attribute-breakers-03', 'xss-polyglot-01']) {
    await page.locator('#search-q').fill(text(id))
    await page.locator('section[aria-labelledby=search-title] form button[type=submit]').click()
    await expect(page.locator('section[aria-labelledby=search-title] [role=status]'), id).toContainText(`“${folded(text(id))}”`)
    await expectInert(page, alarms, `search typed ${id}`)
  }
})

test('sign-up refuses every hostile username beside the field, and the page runs nothing', async ({ page, baseURL }) => {
  // About 300 requests: 17 s on an idle machine, several times that while other suites share the cores.
  test.setTimeout(240_000)
  const candidates = corpus.filter((e) => !/^[A-Za-z][A-Za-z0-9_-]{2,29}$/.test(wellFormed(e.text).trim()))
  expect(candidates.length).toBeGreaterThan(corpus.length * 0.95)

  // Through the form, with JavaScript: a representative of each kind.
  const alarms = await watch(page)
  await page.goto('/signup')
  // (Every attribute breaker goes through the plain posts below, which check the field's value.)
  const representatives = [...new Map(candidates.map((e) => [e.category, e])).values()]
  for (const entry of representatives) {
    await page.getByLabel('Email').fill(`hostile-${stamp}@example.com`)
    await page.getByLabel('Username').fill(entry.text)
    await page.getByLabel('Password').fill('a long enough password')
    await page.getByRole('button', { name: 'Create account' }).click()
    await expect(page.locator('#field-username-error'), entry.id).toContainText(/Usernames|username|null character/)
    await expectInert(page, alarms, `sign-up form ${entry.id}`)
  }

  // Every entry as a plain form post: the server renders the refusal with the value kept in the
  // field, the attribute a breaker would try to leave. Each answer is parsed by Chromium's parser
  // and must hold the message, the value as sent, and nothing that could run.
  const refusals = prefetched(candidates, (entry) =>
    page.request
      .post('/signup', {
        form: { email: `hostile-${stamp}@example.com`, username: wellFormed(entry.text), password: 'a long enough password' },
        headers: { Origin: baseURL! },
        maxRedirects: 0,
      })
      .then(answer),
  )
  for await (const [entry, { status, html, csp }] of refusals) {
    expect(status, entry.id).toBe(400)
    const { found, texts, values } = await page.evaluate(injectedMarkup, {
      html,
      ownHashes: hashesIn(csp),
      text: ['#field-username-error'],
      value: ['input[name=username]'],
    })
    expect(found, `markup that could run script in the sign-up refusal for ${entry.id}`).toEqual([])
    expect(texts[0], entry.id).toMatch(/Usernames|username|null character/)
    // As an HTML parser reads an attribute: line ends become LF, and U+0000 becomes U+FFFD.
    expect(values[0], entry.id).toBe(
      wellFormed(entry.text)
        .replace(/\r\n?/g, '\n')
        .replace(/\u0000/g, '\uFFFD'),
    )
  }
  await expectInert(page, alarms, 'sign-up, after the sweep')
})

test('an admin writes a chip with hostile fields; the chip pages show them as text', async ({ page }) => {
  test.setTimeout(60_000)
  const alarms = await watch(page)
  await logIn(page, 'admin', DEMO_PASSWORD)
  const chipSlug = `hostile-${stamp}`
  const fields = {
    Name: `${stamp} <img src=x onerror="window.__pwned=true">`,
    Vendor: `"><script>alert('vendor')</script>`,
    Architecture: `{{constructor.constructor('window.__pwned=true')()}}`,
    'Process node': `' OR '1'='1 \u202Egnp.exe`,
    'Memory type': `<svg/onload=window.__pwned=true> HBM`,
    Interconnect: `javascript:window.__pwned=true`,
  }
  const exportNote = pack(corpus, ' ', (chunk) => chunk.length <= 2000 && !chunk.includes('\u0000'))[0]!
  const summary = pack([...corpus].reverse(), ' ', (chunk) => chunk.length <= 1000 && !chunk.includes('\u0000'))[0]!
  const sources = corpus
    .filter((e) => !/[|\r\n\u0000]/.test(e.text) && e.text.trim().length > 0 && e.text.length <= 300)
    .slice(0, 20)
    .map((e, i) => `${wellFormed(e.text)} | https://example.com/${stamp}/${i}`)

  await page.goto('/admin/chips/new')
  await page.getByLabel('Slug').fill(chipSlug)
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value)
  await page.getByLabel('Export status', { exact: true }).selectOption('licence_required')
  await page.getByLabel('Export note').fill(exportNote)
  await page.getByLabel('Summary').fill(summary)
  // A source that is not a web address is refused by line, whatever it is dressed as.
  await page.getByLabel('Sources').fill(`Evil | ${text('attribute-breakers-09')}`)
  await page.getByRole('button', { name: 'Save chip' }).click()
  await expect(page.locator('#field-sources-error')).toContainText('Source line 1')
  await expectInert(page, alarms, 'chip editor, refused')
  await page.getByLabel('Sources').fill(sources.join('\n'))
  await page.getByRole('button', { name: 'Save chip' }).click()
  await expect(page).toHaveURL(new RegExp(`/admin/chips/${chipSlug}\\?saved=created$`))
  await page.reload()
  await expectInert(page, alarms, 'chip editor, server-rendered')
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(fields.Name)

  await page.goto(`/chips/${chipSlug}`)
  await expectInert(page, alarms, 'chip page')
  await expect(page.getByRole('heading', { level: 1 })).toContainText(fields.Name)
  const main = await textOf(page, 'main')
  for (const value of [...Object.values(fields), summary.trim().slice(0, 200)]) expectShown(main, value, 'chip page')
  for (const source of sources.slice(0, 5)) {
    expectShown(main, source.slice(0, source.lastIndexOf(' | ')).trim().replace(/\s+/g, ' '), 'chip page sources')
  }

  await page.goto('/chips')
  await expectInert(page, alarms, 'chip table')
  await expect(page.getByRole('link', { name: fields.Name })).toBeVisible()
})
