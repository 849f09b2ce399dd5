import crypto from 'node:crypto'
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test'
import { expect, signUp, signUpThrough, test } from './fixtures.ts'

// Everyone reads one rendering of a story (docs/decisions/007-one-rendering-for-everyone.md); a
// member's copy has their own part spliced in. Two members, a moderator and a reader read the same
// pages at once, over and over, and no answer may carry anything of another: their name, their
// votes, their held comment, their controls.

const story = '/articles/huawei-ascend-910b-910c-smic-mindspore'

type Reader = {
  who: string
  /** Their session cookie; null for the anonymous reader. */
  cookie: string | null
  /** The name the header shows when signed in; null for the anonymous reader. */
  name: string | null
  ip: number
}

/** The overlay a member's copy carries, if any. */
type Overlay = { user: { username: string }; votes: number[]; staff: boolean; held: { rows: string } }
function overlayOf(html: string): Overlay | null {
  const json = /<script type="application\/json" id="tl-viewer-data">([\s\S]*?)<\/script>/.exec(html)?.[1]
  return json ? (JSON.parse(json) as Overlay) : null
}

/** A comment's controls in a document. */
const controls = (html: string, id: number) =>
  new RegExp(`<tl-slot id="c${id}-actions" class="comment__actions">([\\s\\S]*?)</tl-slot>`).exec(html)?.[1] ?? ''

test('two members, a moderator and a reader read the same story at once: nobody is sent anything of another', async ({ browser, baseURL, clientIp }) => {
  test.setTimeout(180_000)
  const stamp = crypto.randomBytes(4).toString('hex')
  const origin = new URL(baseURL!).origin
  const headers = (n: number) => ({ 'X-Forwarded-For': `${clientIp.split('.').slice(0, 3).join('.')}.${n}`, Origin: origin })
  const newClient = (n: number) => playwrightRequest.newContext({ baseURL, extraHTTPHeaders: headers(n) })

  const [ada, bo, moderatorClient, anonymous] = await Promise.all([newClient(11), newClient(12), newClient(13), newClient(14)])
  const [adaAccount, boAccount] = await Promise.all([signUpThrough(ada), signUpThrough(bo)])
  const logIn = await moderatorClient.post('/login', { form: { login: 'moderator', password: 'threadline-demo' }, maxRedirects: 0 })
  expect(logIn.status()).toBe(302)

  // Each member writes: a published comment each, one held comment of Ada's (more links than allowed).
  const post = async (client: APIRequestContext, body: string) => {
    const answer = await client.post(story, { form: { intent: 'comment', body, parentId: '', returnTo: story }, maxRedirects: 0 })
    expect(answer.status(), await answer.text()).toBe(302)
    return Number(/#c(\d+)/.exec(answer.headers().location ?? '')?.[1] ?? NaN)
  }
  const adaPublished = await post(ada, `Ada's published thought ${stamp}`)
  const boPublished = await post(bo, `Bo's published thought ${stamp}`)
  const links = [1, 2, 3, 4, 5].map((n) => `[source ${n}](https://example.com/${n})`).join(' ')
  await post(ada, `Ada's held thought ${stamp} ${links}`)
  // Each votes for the other's comment.
  for (const [client, id] of [
    [ada, boPublished],
    [bo, adaPublished],
  ] as const) {
    const vote = await client.post(`${story}/comments/${id}`, { form: { intent: 'vote', vote: 'up' }, maxRedirects: 0 })
    expect(vote.status()).toBeLessThan(400)
  }

  // Readers' shared page has heard of both comments (within about a second).
  await expect.poll(async () => (await (await anonymous.get(story)).text()).includes(`Bo's published thought ${stamp}`), { timeout: 10_000 }).toBe(true)

  // From here each reads with their session cookie alone: the note of a write just made (which gets
  // a member their own render for a few seconds) is left behind, so every answer is a copy of the
  // shared rendering.
  const sessionOf = async (client: APIRequestContext) =>
    `threadline_session=${(await client.storageState()).cookies.find((c) => c.name === 'threadline_session')!.value}`
  const readers: Reader[] = [
    { who: 'Ada', cookie: await sessionOf(ada), name: adaAccount.username, ip: 21 },
    { who: 'Bo', cookie: await sessionOf(bo), name: boAccount.username, ip: 22 },
    { who: 'the moderator', cookie: await sessionOf(moderatorClient), name: 'Moe Moderator', ip: 23 },
    { who: 'a reader', cookie: null, name: null, ip: 24 },
  ]
  const read = async ({ cookie, ip }: Reader, path: string) => {
    const response = await fetch(new URL(path, baseURL), { headers: { ...headers(ip), ...(cookie ? { Cookie: cookie } : {}) } })
    expect(response.status).toBe(200)
    return { html: await response.text(), cache: response.headers.get('x-cache'), cacheControl: response.headers.get('cache-control') }
  }

  const paths = [story, `${story}?sort=new`, `${story}?sort=old`]
  let shared = 0
  for (let round = 0; round < 6; round++) {
    // Everyone at once, in a different order each round.
    const order = [...readers, ...readers, ...readers].sort(() => Math.random() - 0.5)
    const answers = await Promise.all(order.map(async (reader, i) => ({ reader, ...(await read(reader, paths[i % paths.length]!)) })))
    for (const { reader, html, cache, cacheControl } of answers) {
      const where = `${reader.who}, round ${round}`
      if (cache) shared++
      const overlay = overlayOf(html)
      // Their own name in the header, and nobody else's.
      for (const other of readers) {
        if (other.name === null) continue
        const shown = html.includes(`Signed in as </span>${other.name}`)
        expect(shown, `${where}: signed in as ${other.who}?`).toBe(other === reader)
      }
      if (reader.name === null) {
        expect(overlay, where).toBeNull()
        expect(cacheControl, where).toMatch(/^public/)
        expect(html, where).not.toContain('aria-pressed="true"')
        expect(html, where).not.toMatch(/<summary>(?:Edit|Delete|Reply|Report)<\/summary>|>Pin<|>Unpin</)
      } else {
        expect(cacheControl, where).toBe('private, no-cache')
        expect(overlay?.user.username ?? reader.name, where).toBe(reader.who === 'the moderator' ? 'moderator' : reader.name)
      }
      // Ada's held comment reaches Ada alone.
      expect(html.includes(`Ada's held thought ${stamp}`) || JSON.stringify(overlay ?? {}).includes(`Ada's held thought ${stamp}`), where).toBe(
        reader.who === 'Ada',
      )
      // Each member's vote, and edit and delete on their own comment, in their copy only.
      const adaControls = controls(html, adaPublished)
      const boControls = controls(html, boPublished)
      expect(boControls.includes('aria-pressed="true"'), `${where}: Ada's vote`).toBe(reader.who === 'Ada')
      expect(adaControls.includes('aria-pressed="true"'), `${where}: Bo's vote`).toBe(reader.who === 'Bo')
      expect(adaControls.includes('<summary>Edit</summary>'), `${where}: Ada's edit`).toBe(reader.who === 'Ada')
      expect(boControls.includes('<summary>Delete</summary>'), `${where}: Bo's delete`).toBe(reader.who === 'Bo')
      // Staff controls for the moderator alone.
      expect(/>(?:Pin|Unpin)<\/button>/.test(html), `${where}: staff controls`).toBe(reader.who === 'the moderator')
    }
  }
  // The members were answered from the shared rendering, not by renders of their own.
  expect(shared).toBeGreaterThan(40)

  // With JavaScript, Ada's browser shows what her copy says: her held comment in place, her vote, her controls.
  const context = await browser.newContext({ extraHTTPHeaders: headers(31) })
  await context.addCookies([{ name: 'threadline_session', value: readers[0]!.cookie!.split('=')[1]!, url: baseURL! }])
  const page = await context.newPage()
  await page.goto(story)
  const held = page.locator('article.comment', { hasText: `Ada's held thought ${stamp}` })
  await expect(held.getByText('Awaiting moderation: only you can see this.')).toBeVisible()
  await expect(page.locator(`#c${boPublished} .vote__button`)).toHaveAttribute('aria-pressed', 'true')
  await expect(page.locator(`#c${adaPublished} > details > .comment__actions > details > summary`, { hasText: 'Edit' })).toBeVisible()
  await expect(page.locator('.user-menu summary')).toContainText(adaAccount.username)
  await context.close()
  await Promise.all([ada, bo, moderatorClient, anonymous].map((c) => c.dispose()))
})

test('a member without JavaScript is signed in on the shared page and can comment, reply and vote from it', async ({ browser, page }) => {
  const account = await signUp(page)
  const cookie = (await page.context().cookies()).find((c) => c.name === 'threadline_session')!
  const context = await browser.newContext({ javaScriptEnabled: false })
  await context.addCookies([cookie])
  const noScript = await context.newPage()
  await noScript.goto(story)
  await expect(noScript.locator('.user-menu summary')).toContainText(account.username)
  await expect(noScript.locator('.user-menu button', { hasText: 'Log out' })).toBeAttached()
  await expect(noScript.locator('form.comment-form').first().getByLabel('Your comment')).toBeVisible()
  await expect(noScript.locator('.comment__actions button.vote__button').first()).toBeVisible()
  await expect(noScript.locator('.comment__actions summary', { hasText: 'Reply' }).first()).toBeVisible()
  await context.close()
})
