import crypto from 'node:crypto'
import type { APIRequestContext, APIResponse } from '@playwright/test'
import { accessMatrix, listRouteFiles, visitors, type Check, type Fixture, type Visitor } from './access-matrix.ts'
import { expect, newAccount, resetLinkFor, signUpLinkFor, test, type Account } from './fixtures.ts'

// Who may do what, checked over HTTP as each kind of visitor: the generated matrix of every route
// (access-matrix.ts), then attacks on another member's things, each followed by a look as the owner
// that nothing changed. Everything is set up through the app's own forms.

const DEMO_PASSWORD = 'threadline-demo'
const run = crypto.randomBytes(4).toString('hex')
// Each person their own client address, so per-IP limits (sign-ups, log-ins) apply to them alone.
const subnet = `10.${crypto.randomInt(100, 250)}.${crypto.randomInt(1, 250)}`

type Person = Visitor | 'owner' | 'editor'
const people: Record<Person, { ip: string; login?: string }> = {
  anonymous: { ip: `${subnet}.1` },
  member: { ip: `${subnet}.2` },
  suspended: { ip: `${subnet}.3` },
  banned: { ip: `${subnet}.4` },
  author: { ip: `${subnet}.5`, login: 'author' },
  moderator: { ip: `${subnet}.6`, login: 'moderator' },
  admin: { ip: `${subnet}.7`, login: 'admin' },
  owner: { ip: `${subnet}.8` },
  // A second author, for editing an article the first one wrote.
  editor: { ip: `${subnet}.9`, login: 'editor' },
}

let baseURL = ''
const contexts = new Map<Person, APIRequestContext>()
const accounts = new Map<Person, Account & { id: string }>()
let fixture: Fixture
/** Every visitor's live session token: no response, to anyone, may contain one. */
let liveTokens: string[] = []
let suspendedOwnComment = 0
const ownerText = `The owner’s comment, ${run}.`

function as(person: Person) {
  return contexts.get(person)!
}

type FetchOptions = NonNullable<Parameters<APIRequestContext['fetch']>[1]>

/** A request as `person`, redirects not followed, so every status is seen as sent. */
async function call(person: Person, path: string, options: FetchOptions): Promise<APIResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await as(person).fetch(path, { maxRedirects: 0, ...options })
    } catch (error) {
      // A kept-alive connection the server closed, idle, just as it was reused: the request never
      // reached it, so sending it again is safe. It happens on a busy machine.
      if (attempt < 3 && /ECONNRESET|socket hang up/.test(String(error))) continue
      throw error
    }
  }
}

function get(person: Person, path: string) {
  return call(person, path, { method: 'GET' })
}

function post(person: Person, path: string, form: Record<string, string>) {
  return call(person, path, { method: 'POST', form, headers: { Origin: baseURL } })
}

/** Where a redirect goes, as a path on this site. */
function locationOf(response: APIResponse) {
  const location = response.headers().location
  if (!location) return ''
  const url = new URL(location, baseURL)
  return url.pathname + url.search + url.hash
}

async function expectRedirect(response: APIResponse, what: string) {
  expect(response.status(), `${what}: ${(await response.text()).slice(0, 300)}`).toBe(302)
  return locationOf(response)
}

/** Asserts what a page says without dumping the whole page into the report. */
function expectSays(text: string, phrase: string, what: string, says = true) {
  expect(text.includes(phrase), `${what} ${says ? 'says' : 'does not say'} “${phrase}”`).toBe(says)
}

function commentIdFrom(location: string) {
  const id = /#c(\d+)$/.exec(location)?.[1]
  expect(id, `a comment anchor in ${location}`).toBeTruthy()
  return Number(id)
}

async function memberId(username: string) {
  const page = await (await get('admin', `/admin/members?q=${encodeURIComponent(username)}`)).text()
  const id = /href="\/admin\/members\/([^"?#]+)"/.exec(page)?.[1]
  expect(id, `${username} in the member search`).toBeTruthy()
  return decodeURIComponent(id!)
}

/** The article form as the editor sends it, with every field a save needs. */
function articleForm(fields: { title: string; slug?: string; status: 'draft' | 'published' }) {
  return {
    intent: 'save',
    title: fields.title,
    slug: fields.slug ?? '',
    standfirst: 'Who may do what, checked route by route.',
    body: `Written by the access matrix (${run}).`,
    tags: '',
    status: fields.status,
  }
}

type Answer = { status: number; location: string; contentType: string; text: string }

async function ask(visitor: Visitor, check: Check): Promise<Answer> {
  if (check.stream) {
    // Server-Sent Events never end: read the head, then hang up.
    const cookie = (await as(visitor).storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    const abort = new AbortController()
    const response = await fetch(new URL(check.path, baseURL), {
      headers: { Cookie: cookie, 'X-Forwarded-For': people[visitor].ip },
      redirect: 'manual',
      signal: abort.signal,
    })
    abort.abort()
    return { status: response.status, location: '', contentType: response.headers.get('content-type') ?? '', text: '' }
  }
  const response = await call(visitor, check.path, {
    method: check.method,
    form: check.form,
    multipart: check.multipart,
    headers: check.method === 'POST' ? { Origin: baseURL } : {},
  })
  return {
    status: response.status(),
    location: locationOf(response),
    contentType: response.headers()['content-type'] ?? '',
    text: await response.text(),
  }
}

/** Why the answer is not the expected one, or null when it is. */
function judge(visitor: Visitor, check: Check, answer: Answer): string | null {
  const want = check.expect[visitor]
  const got = `${answer.status}${answer.location ? ` → ${answer.location}` : ''}`
  let ok: boolean
  if (want === 'login') {
    const to = new URL(answer.location || '/', baseURL)
    const back = to.searchParams.get('redirectTo')
    ok = answer.status === 302 && to.pathname === '/login' && back !== null && new URL(back, baseURL).pathname === new URL(check.path, baseURL).pathname
  } else if (typeof want === 'string') {
    const target = want.slice(1)
    ok = answer.status === 302 && (target.endsWith('*') ? answer.location.startsWith(target.slice(0, -1)) : answer.location === target)
  } else ok = answer.status === want
  if (!ok) return `expected ${want}, got ${got}`
  if (liveTokens.some((token) => answer.text.includes(token))) return 'the answer carries a live session token'
  if (answer.status === 403 && answer.text.includes('Cross-site request refused')) return 'refused by the cross-site guard, not the app'
  if (answer.status === 200 && check.contentType && !answer.contentType.startsWith(check.contentType)) {
    return `expected ${check.contentType}, got ${answer.contentType}`
  }
  const says = check.says?.[visitor]
  if (says && !answer.text.includes(says)) return `expected the answer to say “${says}”`
  return null
}

async function runChecks(checks: { route: string; check: Check }[]) {
  const failures: string[] = []
  let count = 0
  const queue = checks.flatMap(({ route, check }) => visitors.map((visitor) => ({ route, check, visitor })))
  // A few requests in flight at a time: the checks are independent of each other.
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { route, check, visitor } = next
      count++
      const problem = judge(visitor, check, await ask(visitor, check))
      if (problem) failures.push(`${route}: ${check.method} ${check.path} as ${visitor}: ${problem}`)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  return { failures: failures.sort(), count }
}

function matrixChecks(f: Fixture, which: 'now' | 'last') {
  return Object.entries(accessMatrix).flatMap(([route, checksFor]) =>
    checksFor(f)
      .filter((check) => Boolean(check.last) === (which === 'last'))
      .map((check) => ({ route, check })),
  )
}

/** The single-fetch address of a page's data, as Remix's client asks for it. */
function dataPathOf(path: string) {
  const url = new URL(path, 'http://x')
  return `${url.pathname === '/' ? '/_root' : url.pathname.replace(/\/$/, '')}.data${url.search}`
}

/**
 * A comment’s score, read as its owner: signed-in pages are never cached, so this is the count just written
 * (readers’ cached copy catches up within the page cache’s coalescing window).
 */
async function scoreOf(commentId: number) {
  const page = await (await get('owner', `/articles/${fixture.article.slug}/comments/${commentId}`)).text()
  const score = new RegExp(`id="c${commentId}"[\\s\\S]*?class="comment__score">(\\d+) points?<`).exec(page)?.[1]
  expect(score, `the score of comment ${commentId}`).toBeDefined()
  return Number(score)
}

/** The count on a member's notifications badge (none shown is 0). */
async function unreadOf(person: Person) {
  const page = await (await get(person, '/')).text()
  return Number(/aria-label=", (\d+) unread notifications"/.exec(page)?.[1] ?? 0)
}

// About a thousand requests: recording a trace of them costs more than the checks, and a failure
// lists every mismatch on its own.
test.use({ trace: 'off' })

test('every route module has an entry in the access matrix, and every entry a module', () => {
  const placeholder: Fixture = {
    article: { id: 1, slug: 'a-story', title: 'A story' },
    draftId: 2,
    articleSave: { intent: 'save' },
    othersArticleId: 5,
    ownerComment: 3,
    reportedComment: 4,
    ownerId: 'someone',
    ownerSessionId: '00000000-0000-4000-8000-000000000000',
    otherArticleSlug: 'another-story',
  }
  const files = listRouteFiles()
  expect(files.length).toBeGreaterThan(40)
  expect(
    files.filter((file) => !(file in accessMatrix)),
    'route modules without an entry in e2e/access-matrix.ts',
  ).toEqual([])
  expect(
    Object.keys(accessMatrix).filter((route) => !files.includes(route)),
    'entries for route modules that are gone',
  ).toEqual([])
  for (const [route, checksFor] of Object.entries(accessMatrix)) {
    const methods = new Set(checksFor(placeholder).map((c) => c.method))
    expect([...methods].sort(), `${route} is asked with GET and POST`).toEqual(['GET', 'POST'])
  }
})

test.describe('as each kind of visitor', () => {
  test.describe.configure({ mode: 'serial' })

  test.beforeAll(async ({ playwright }, testInfo) => {
    test.setTimeout(60_000)
    baseURL = testInfo.project.use.baseURL!
    for (const [person, { ip }] of Object.entries(people) as [Person, { ip: string }][]) {
      contexts.set(person, await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': ip } }))
    }
    await Promise.all(
      (['author', 'moderator', 'admin', 'editor'] as const).map(async (person) => {
        const response = await post(person, '/login', { login: people[person].login!, password: DEMO_PASSWORD })
        await expectRedirect(response, `log in as ${person}`)
        const login = people[person].login!
        accounts.set(person, {
          username: login,
          email: `${login}@threadline.local`,
          password: DEMO_PASSWORD,
          id: `demo-${login}`,
        })
      }),
    )
    await Promise.all(
      (['member', 'suspended', 'banned', 'owner'] as const).map(async (person) => {
        const account = newAccount()
        const asked = await post(person, '/signup', {
          email: account.email,
          username: account.username,
          password: account.password,
        })
        expect(asked.status(), `sign up as ${person}`).toBe(200)
        await expectRedirect(await post(person, await signUpLinkFor(account.email), { confirm: '1' }), `confirm as ${person}`)
        accounts.set(person, { ...account, id: '' })
      }),
    )

    const slug = `access-matrix-${run}`
    const title = `Access matrix ${run}`
    const [published, draft] = await Promise.all([
      post('author', '/admin/articles/new', articleForm({ title, slug, status: 'published' })),
      post('author', '/admin/articles/new', articleForm({ title: `Access matrix draft ${run}`, status: 'draft' })),
    ])
    const articleId = Number(/^\/admin\/articles\/(\d+)\?/.exec(await expectRedirect(published, 'publish the article'))?.[1])
    const draftId = Number(/^\/admin\/articles\/(\d+)\?/.exec(await expectRedirect(draft, 'save the draft'))?.[1])

    const [ownerComment, reportedComment, suspendedComment] = await Promise.all([
      post('owner', `/articles/${slug}`, { intent: 'comment', body: ownerText }),
      post('owner', `/articles/${slug}`, { intent: 'comment', body: `Another comment of the owner’s, ${run}.` }),
      post('suspended', `/articles/${slug}`, { intent: 'comment', body: `Written before the suspension, ${run}.` }),
    ])
    suspendedOwnComment = commentIdFrom(await expectRedirect(suspendedComment, 'comment before the suspension'))

    for (const person of ['member', 'suspended', 'banned', 'owner'] as const) {
      accounts.get(person)!.id = await memberId(accounts.get(person)!.username)
    }
    const restrict = (person: Person, form: Record<string, string>) =>
      post('admin', `/admin/members/${encodeURIComponent(accounts.get(person)!.id)}`, form)
    await expectRedirect(await restrict('suspended', { intent: 'suspend', until: '2099-01-01T00:00', reason: 'Access matrix' }), 'suspend')
    await expectRedirect(await restrict('banned', { intent: 'ban', reason: 'Access matrix' }), 'ban')

    const ownerSessionId = /name="sessionId" value="([^"]+)"/.exec(await (await get('owner', '/account')).text())?.[1]
    expect(ownerSessionId, 'the public id of the owner’s session').toBeTruthy()
    // The first seeded story is by the demo "editor", a second author.
    const othersArticleId = 1
    expectSays(await (await get('admin', `/admin/articles/${othersArticleId}`)).text(), 'by Threadline Editors', 'the seeded story')
    fixture = {
      article: { id: articleId, slug, title },
      draftId,
      articleSave: articleForm({ title, slug, status: 'published' }),
      othersArticleId,
      ownerComment: commentIdFrom(await expectRedirect(ownerComment, 'the owner’s comment')),
      reportedComment: commentIdFrom(await expectRedirect(reportedComment, 'the owner’s second comment')),
      ownerId: accounts.get('owner')!.id,
      ownerSessionId: ownerSessionId!,
      otherArticleSlug: 'h200-exports-to-china-approved',
    }
    const cookies = await Promise.all([...contexts.values()].map((c) => c.storageState()))
    liveTokens = cookies.flatMap((state) => state.cookies.filter((c) => c.name === 'threadline_session').map((c) => c.value))
  })

  test.afterAll(async () => {
    await Promise.all([...contexts.values()].map((c) => c.dispose()))
  })

  test('each visitor gets the status they should from every route and action', async () => {
    // About a thousand requests: some 20 s on a quiet machine, far longer on a crowded one.
    test.setTimeout(180_000)
    const { failures, count } = await runChecks(matrixChecks(fixture, 'now'))
    test.info().annotations.push({ type: 'checks', description: String(count) })
    expect(failures).toEqual([])
  })

  test('no page or data response, to anyone, carries a live session token', async () => {
    test.setTimeout(180_000)
    // Every signed-in visitor, the owner and the second author (and the banned member's ended one).
    expect(liveTokens.length).toBeGreaterThanOrEqual(visitors.length)
    const paths = matrixChecks(fixture, 'now')
      .filter(({ check }) => check.method === 'GET' && !check.stream)
      .flatMap(({ check }) => [check.path, dataPathOf(check.path)])
    const queue = visitors.flatMap((visitor) => paths.map((path) => ({ visitor, path })))
    const total = queue.length
    const leaks: string[] = []
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const text = await (await get(next.visitor, next.path)).text()
        if (liveTokens.some((token) => text.includes(token))) leaks.push(`GET ${next.path} as ${next.visitor}`)
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    test.info().annotations.push({ type: 'requests', description: String(total) })
    expect(leaks).toEqual([])
  })

  test('nobody edits, deletes or votes as the owner of a comment', async () => {
    const { slug } = fixture.article
    const here = `/articles/${slug}/comments/${fixture.ownerComment}`
    // The matrix had every signed-in visitor try to edit and delete it: the owner finds it untouched.
    const page = await (await get('owner', here)).text()
    expectSays(page, ownerText, 'the owner’s comment')
    expectSays(page, 'Edited by someone else.', 'the owner’s comment', false)
    // Four votes, each counted as its voter's although each named the owner (who may not vote on their own).
    expect(await scoreOf(fixture.ownerComment)).toBe(4)
    expect((await post('owner', here, { intent: 'vote', vote: 'up' })).status()).toBe(403)

    // An undo naming the admin takes back the member's own vote, not the admin's...
    const admin = accounts.get('admin')!.id
    await expectRedirect(await post('member', here, { intent: 'vote', vote: 'undo', userId: admin, actorId: admin }), 'undo')
    expect(await scoreOf(fixture.ownerComment)).toBe(3)
    // ...so the admin's vote is still there (voting again changes nothing) and the member's is not.
    await expectRedirect(await post('admin', here, { intent: 'vote', vote: 'up' }), 'the admin votes again')
    expect(await scoreOf(fixture.ownerComment)).toBe(3)
    await expectRedirect(await post('member', here, { intent: 'vote', vote: 'up' }), 'the member votes again')
    expect(await scoreOf(fixture.ownerComment)).toBe(4)

    // The refusals were about whose comment it is: its owner may edit it.
    await expectRedirect(await post('owner', here, { intent: 'edit', body: `${ownerText} Edited by its owner.` }), 'owner edits')
    // A reader's copy is a shared cached page, dropped when the database announces the change: within
    // the cache's coalescing window (a second), not before the owner's redirect.
    await expect
      .poll(async () => (await (await get('anonymous', here)).text()).includes('Edited by its owner.'), {
        timeout: 5_000,
        message: 'a reader sees the edit',
      })
      .toBe(true)
  })

  test('notifications are only ever one’s own', async () => {
    const { title } = fixture.article
    const line = `replied to your comment on “${title}”`
    // Four replies (member, author, moderator, admin) notified the owner, and everyone else opening
    // their own lists in the matrix marked none of them read.
    expect(await unreadOf('owner')).toBe(4)
    for (const person of ['member', 'suspended', 'author', 'moderator', 'admin'] as const) {
      const list = await (await get(person, '/notifications')).text()
      expectSays(list, title, `${person}'s notifications`, false)
    }
    expectSays(await (await get('member', '/notifications')).text(), 'Nothing yet.', 'the member’s notifications')
    expect(await unreadOf('owner')).toBe(4)
    const own = await (await get('owner', '/notifications')).text()
    expect(own.split(line).length - 1).toBe(4)
    expect(await unreadOf('owner')).toBe(0)
  })

  test('nobody ends another member’s session', async () => {
    // The matrix asked every signed-in visitor to end the owner's session: each got a 404.
    expect((await get('owner', '/account')).status()).toBe(200)
    expectSays(await (await get('member', '/account')).text(), fixture.ownerSessionId, 'the member’s session list', false)
    const ended = await post('member', '/account', { intent: 'end-session', sessionId: fixture.ownerSessionId })
    expect(ended.status()).toBe(404)
    expectSays(await ended.text(), 'That session has already ended.', 'the refusal')
    expect((await get('owner', '/account')).status()).toBe(200)
  })

  test('members cannot moderate, authors cannot moderate, moderators cannot change settings or restrict staff', async () => {
    const { id: articleId, slug } = fixture.article
    const owner = encodeURIComponent(fixture.ownerId)
    const attempts: [Person, string, Record<string, string>][] = [
      ['member', '/admin/queue', { intent: 'moderate', action: 'remove', 'ids[]': String(fixture.ownerComment), reason: 'x' }],
      ['member', '/admin/queue', { intent: 'pin', commentId: String(fixture.ownerComment), pinned: 'true' }],
      ['member', '/admin/discussions', { intent: 'lock', articleId: String(articleId), locked: 'true' }],
      ['member', `/admin/members/${owner}`, { intent: 'ban', reason: 'x' }],
      ['suspended', `/admin/members/${owner}`, { intent: 'suspend', until: '2099-01-01T00:00', reason: 'x' }],
      ['author', '/admin/queue', { intent: 'moderate', action: 'remove', 'ids[]': String(fixture.ownerComment), reason: 'x' }],
      ['author', '/admin/discussions', { intent: 'lock', articleId: String(articleId), locked: 'true' }],
      ['author', `/admin/members/${owner}`, { intent: 'ban', reason: 'x' }],
      ['moderator', '/admin/settings', { reportThreshold: '1', holdFirstComment: 'on' }],
      ['moderator', '/admin/members/demo-admin', { intent: 'ban', reason: 'x' }],
      ['moderator', `/admin/members/${owner}`, { intent: 'role', role: 'admin' }],
    ]
    for (const [person, path, form] of attempts) {
      const response = await post(person, path, form)
      const text = await response.text()
      expect(response.status(), `${person} POST ${path} ${form.intent ?? ''}`).toBe(403)
      expectSays(text, 'Cross-site request refused', 'the refusal', false)
    }
    // Nothing changed: the comment is published, the discussion open, the owner a signed-in member,
    // the admin still an admin, and the settings as they were.
    const article = await (await get('member', `/articles/${slug}`)).text()
    expectSays(article, 'Edited by its owner.', 'the story')
    expectSays(article, 'Moderators have locked this discussion', 'the story', false)
    expect((await get('owner', '/account')).status()).toBe(200)
    expect((await get('owner', '/admin')).status()).toBe(403)
    expect((await get('admin', '/admin/settings')).status()).toBe(200)
    const settings = await (await get('admin', '/admin/settings')).text()
    expect(/<input[^>]*name="reportThreshold"[^>]*>/.exec(settings)?.[0]).toContain('value="3"')
  })

  test('authors edit and publish only their own articles, admins any; members none', async () => {
    const path = `/admin/articles/${fixture.draftId}`
    const hijack = await post('member', path, articleForm({ title: `Hijacked ${run}`, status: 'draft' }))
    expect(hijack.status()).toBe(403)
    expectSays(await hijack.text(), 'This page is for staff only.', 'the refusal')
    // A second author neither opens, edits nor publishes the first one's draft.
    expect((await get('editor', path)).status()).toBe(403)
    for (const status of ['draft', 'published'] as const) {
      const attempt = await post('editor', path, articleForm({ title: `Taken over ${run}`, status }))
      expect(attempt.status(), `the editor saves it as ${status}`).toBe(403)
      expectSays(await attempt.text(), 'Only its author or an admin can edit or publish this article.', 'the refusal')
    }
    const untouched = await (await get('author', path)).text()
    expectSays(untouched, `Access matrix draft ${run}`, 'the author’s editor')
    expectSays(untouched, `Taken over ${run}`, 'the author’s editor', false)
    expect((await get('anonymous', `/articles/access-matrix-draft-${run}`)).status()).toBe(404)
    // An admin may: the desk subs the author's copy, and the author sees it.
    await expectRedirect(await post('admin', path, articleForm({ title: `Access matrix draft, subbed ${run}`, status: 'draft' })), 'the admin edits')
    expectSays(await (await get('author', path)).text(), `Access matrix draft, subbed ${run}`, 'the author’s editor')
    // The second author's own list does not offer it.
    expectSays(await (await get('editor', '/admin/articles?status=draft')).text(), `Access matrix draft`, 'the editor’s list', false)
  })

  test('a suspended member reads but cannot post, edit, vote, report or correct, and is told why', async () => {
    const why = 'Your account is suspended until 2099-01-01'
    const own = `/articles/${fixture.article.slug}/comments/${suspendedOwnComment}`
    const attempts: [string, Record<string, string>][] = [
      [`/articles/${fixture.article.slug}`, { intent: 'comment', body: 'Posting while suspended.' }],
      [own, { intent: 'edit', body: 'Editing while suspended.' }],
      [`/articles/${fixture.article.slug}/comments/${fixture.ownerComment}`, { intent: 'vote', vote: 'up' }],
      [`/articles/${fixture.article.slug}/comments/${fixture.ownerComment}`, { intent: 'report', reason: 'spam' }],
      ['/chips/h200/correct', { field: 'memoryGb', proposedValue: '142', sourceUrl: 'https://example.com/datasheet', note: '' }],
    ]
    for (const [path, form] of attempts) {
      const response = await post('suspended', path, form)
      expect(response.status(), `${form.intent ?? 'correction'} while suspended`).toBe(403)
      expectSays(await response.text(), why, `the refusal of ${path}`)
    }
    const page = await (await get('anonymous', own)).text()
    expectSays(page, `Written before the suspension, ${run}.`, 'the suspended member’s comment')
    expectSays(page, 'Editing while suspended.', 'the suspended member’s comment', false)
    expect((await get('suspended', '/account')).status()).toBe(200)
  })

  test('a banned member’s sessions are over, and neither logging in nor a password reset lets them back', async () => {
    const banned = accounts.get('banned')!
    expect((await get('banned', '/account')).status()).toBe(302)
    const login = await post('banned', '/login', { login: banned.username, password: banned.password })
    expect(login.status()).toBe(403)
    expectSays(await login.text(), 'This account is banned: Access matrix', 'the log-in refusal')

    await expectRedirect(await post('banned', '/forgot-password', { email: banned.email }), 'ask for a reset')
    const link = new URL(await resetLinkFor(banned.email))
    const reset = await post('banned', link.pathname, { password: 'a new long password', confirm: 'a new long password' })
    expect(reset.status()).toBe(403)
    expectSays(await reset.text(), 'This account is banned: Access matrix', 'the reset refusal')
    expect((await get('banned', '/account')).status()).toBe(302)
    // Nor does the new password work: it was never set.
    const again = await post('banned', '/login', { login: banned.username, password: 'a new long password' })
    expect(again.status()).toBe(400)
  })

  test('logging out ends each visitor’s session', async () => {
    const { failures } = await runChecks(matrixChecks(fixture, 'last'))
    expect(failures).toEqual([])
    for (const visitor of visitors) {
      const response = await get(visitor, '/account')
      expect(response.status(), `${visitor} after logging out`).toBe(302)
    }
  })
})
