import { request } from '@playwright/test'
import { sessionCookieHeaders } from '../app/test/cookie-variants.ts'
import { expect, signUp, signUpThrough, test } from './fixtures.ts'
import { createSpecDatabase, embeddedDataDir, startInstance, type Instance } from './instances.ts'

// The shared cache of anonymous pages must never hold what one member sees. A member's own session
// token is sent under every spelling of the cookie's name that some reader of cookies would honour
// (encoded, cased, quoted, repeated); after each, a reader with no cookie at all gets the page, and
// it must be a reader's page. A member may be answered from the shared rendering, but only with
// their own copy of it: private, and signed in.

const story = '/articles/h200-exports-to-china-approved'

test('no spelling of a member’s session cookie puts their page in, or takes it from, the shared cache', async ({ page, baseURL, clientIp }) => {
  test.setTimeout(180_000)
  const account = await signUp(page)
  const token = (await page.context().cookies()).find((c) => c.name === 'threadline_session')?.value
  expect(token).toBeTruthy()
  const get = (cookie?: string) =>
    fetch(new URL(story, baseURL), { headers: { 'X-Forwarded-For': clientIp, ...(cookie === undefined ? {} : { Cookie: cookie }) } })

  // As sent by the browser: the member's page, for them only.
  const own = await get(`threadline_session=${token}`)
  expect(await own.text()).toContain(account.username)
  expect(own.headers.get('cache-control')).toBe('private, no-cache')

  let variants = 0
  for (const cookie of sessionCookieHeaders(token!)) {
    variants++
    const answer = await get(cookie)
    const body = await answer.text()
    // Answered from the shared rendering only as the member's own copy of it (their part spliced in).
    if (answer.headers.get('x-cache') !== null) {
      expect(answer.headers.get('cache-control'), `${cookie} was answered with a shared page`).toBe('private, no-cache')
      expect(body, `${cookie} was answered with a shared page`).toContain(`Signed in as </span>${account.username}`)
    }
    const reader = await get()
    const text = await reader.text()
    expect(text.includes(account.username), `a reader was sent the member’s page after “${cookie}”`).toBe(false)
    expect(reader.headers.get('cache-control')).toMatch(/^public/)
  }
  test.info().annotations.push({ type: 'cookie variants', description: String(variants) })
  expect(variants).toBeGreaterThan(150)
})

test.describe('on an instance of its own, which no other suite writes to', () => {
  test.describe.configure({ mode: 'serial' })
  const port = Number(process.env.E2E_PORT ?? 3100) + 240
  const origin = `http://127.0.0.1:${port}`
  const S1 = '/articles/h200-exports-to-china-approved'
  const S2 = '/articles/how-2022-controls-created-h800-and-a800'
  let instance: Instance | undefined
  const drops: (() => Promise<void>)[] = []

  test.beforeAll(async () => {
    test.setTimeout(180_000)
    const database = await createSpecDatabase()
    drops.push(database.drop)
    const data = database.env.DATABASE_URL ? null : embeddedDataDir()
    if (data) drops.push(data.drop)
    instance = await startInstance({ port, env: { ...database.env, ...(data ? { DATA_DIR: data.dir } : {}) } })
  })

  test.afterAll(async () => {
    await instance?.stop()
    for (const drop of drops) await drop()
  })

  let ip = 0
  /** A client of the instance from an address of its own; it keeps its cookies. */
  async function client() {
    ip++
    return request.newContext({ baseURL: origin, extraHTTPHeaders: { Origin: origin, 'X-Forwarded-For': `10.77.${ip >> 8}.${ip & 255}` } })
  }

  /** Reads `path` as a reader with no cookies, and says whether the shared cache answered. */
  async function read(path: string) {
    const response = await fetch(`${origin}${path}`, { headers: { 'X-Forwarded-For': '10.78.0.1' } })
    await response.arrayBuffer()
    expect(response.status).toBe(200)
    return response.headers.get('x-cache')
  }

  async function warm(path: string) {
    for (let i = 0; i < 5 && (await read(path)) !== 'HIT'; i++);
    expect(await read(path)).toBe('HIT')
  }

  test('requests that change nothing public leave readers’ pages in the cache', async () => {
    const reader = await client()
    await warm(S2)
    const answers: (string | null)[] = []
    // Log-outs without a session, previews, failed log-ins, refused forms: many, from one client.
    for (let round = 0; round < 40; round++) {
      await Promise.all([
        reader.post('/logout', { maxRedirects: 0 }),
        reader.post(S2, { form: { intent: 'preview', body: `*round ${round}*` }, maxRedirects: 0 }),
        reader.post('/login', { form: { login: 'nobody-at-all', password: 'wrong password' }, maxRedirects: 0 }),
        reader.post('/signup', { form: { email: 'not an address', username: '', password: '' }, maxRedirects: 0 }),
      ])
      answers.push(await read(S2))
    }
    expect(answers.filter((a) => a !== 'HIT')).toEqual([])
    await reader.dispose()
  })

  test('a storm of votes on one story re-renders it about once a second, and no other story at all', async () => {
    test.setTimeout(120_000)
    const admin = await client()
    expect((await admin.post('/login', { form: { login: 'admin', password: 'threadline-demo' }, maxRedirects: 0 })).status()).toBe(302)
    // New members' first comments would wait for a moderator; this test is about votes.
    expect((await admin.post('/admin/settings', { form: { intent: 'save' }, maxRedirects: 0 })).status()).toBe(302)
    const posted = await admin.post(S1, { form: { intent: 'comment', body: 'Vote on this.' }, maxRedirects: 0 })
    const commentId = /#c(\d+)$/.exec(posted.headers().location ?? '')?.[1]
    expect(commentId, 'the comment to vote on').toBeTruthy()
    const voters = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const voter = await client()
        const form = { email: `storm-${i}-${Date.now()}@example.com`, username: `storm_${i}_${Date.now() % 100000}`, password: 'a long storm password' }
        await signUpThrough(voter, form, { origin })
        return voter
      }),
    )
    await Promise.all([warm(S1), warm(S2)])

    const seen: Record<string, (string | null)[]> = { [S1]: [], [S2]: [] }
    // The storm lasts at least four seconds and at least 60 votes, however slow the machine is; renders are
    // then bounded by the time it really took.
    const started = Date.now()
    let votes = 0
    const storming = () => Date.now() - started < 4000 || votes < 60
    const storm = voters.map(async (voter, i) => {
      for (let up = true; storming(); up = !up) {
        const answer = await voter.post(`${S1}/comments/${commentId}`, { form: { intent: 'vote', vote: up ? 'up' : 'undo' }, maxRedirects: 0 })
        expect(answer.status(), `voter ${i}`).toBe(302)
        votes++
      }
      // Every voter ends with an upvote.
      await voter.post(`${S1}/comments/${commentId}`, { form: { intent: 'vote', vote: 'up' }, maxRedirects: 0 })
    })
    const reading = (async () => {
      while (storming()) {
        seen[S1]!.push(await read(S1))
        seen[S2]!.push(await read(S2))
      }
    })()
    await Promise.all([...storm, reading])
    const stormMs = Date.now() - started

    const misses = seen[S1]!.filter((a) => a !== 'HIT').length
    test.info().annotations.push({ type: 'storm', description: `${votes} votes in ${stormMs} ms; ${S1}: ${misses} renders in ${seen[S1]!.length} reads` })
    expect(seen[S2]!.filter((a) => a !== 'HIT')).toEqual([])
    expect(misses).toBeLessThanOrEqual(stormMs / 1000 + 3)
    // And the storm's outcome reaches readers within the coalescing window.
    await expect
      .poll(
        async () => {
          const page = await (await fetch(`${origin}${S1}`)).text()
          return new RegExp(`id="c${commentId}"[\\s\\S]*?class="comment__score">(\\d+) points?<`).exec(page)?.[1]
        },
        { timeout: 5000 },
      )
      .toBe('12')
    await Promise.all([admin, ...voters].map((c) => c.dispose()))
  })
})
