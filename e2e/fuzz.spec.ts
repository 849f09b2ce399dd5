import crypto from 'node:crypto'
import { accessMatrix, type Check, type Fixture } from './access-matrix.ts'
import { expect, newAccount, signUpLinkFor, test } from './fixtures.ts'

// Malformed requests never answer 500. Generated from the access matrix's route list (every route
// module has an entry there, so a new route is fuzzed as soon as it is listed): each route's
// addresses and forms, mangled every way a client can mangle them (broken %-escapes, bytes that are
// not UTF-8, overlong paths and query strings, repeated and array parameters, unknown and
// wrong-typed values of every parameter), sent with GET and POST, as an anonymous reader and as a
// signed-in member. Every answer must be one a client can act on, never a 5xx; a 400 says what was
// wrong, and a 404 page has its own title.

const run = crypto.randomBytes(4).toString('hex')
const DEMO_PASSWORD = 'threadline-demo'
const HOME_TITLE = 'Threadline — AI chips, export controls and open-source AI'

/**
 * What a malformed request may get: a page, a redirect, or a refusal a client understands. Besides
 * the malformed-request answers (400, 404, 405, 413, 414, 429): 403 where the visitor may not act at
 * all (a member on a staff page), 409 where a form clashes with the thing's state (a comment edited
 * after its edit window, by a mangled form as by a valid one).
 */
const ALLOWED = new Set([200, 301, 302, 303, 304, 307, 308, 400, 403, 404, 405, 409, 413, 414, 429])

/** Every query parameter some route reads (schemas and loaders), plus ones no route reads. */
const QUERY_NAMES = [
  'page',
  'sort',
  'dir',
  'status',
  'vendor',
  'q',
  'c',
  'redirectTo',
  'action',
  'moderator',
  'sent',
  'saved',
  'field',
  'remember',
  'index',
  'reported',
  'intent',
  'id',
  'unknown',
]

/** Values of the wrong type or out of every list, already %-encoded. */
const WRONG_VALUES = [
  '',
  'x',
  '-1',
  '0',
  '1.5',
  '9999',
  '1e309',
  '99999999999999999999',
  'NaN',
  '%00',
  '%20%20',
  '__proto__',
  '%3Cscript%3E',
  '..%2F..%2Fetc',
  'y'.repeat(300),
]

const MALFORMED_ESCAPES = ['%ZZ', '%E0%A4%A', '%4']
const INVALID_UTF8 = ['%C0%AF', '%ED%A0%80', '%FF']

type Visitor = 'anonymous' | 'member'
type Probe = { route: string; variant: string; method: 'GET' | 'POST'; path: string; body?: string; stream: boolean }

let baseURL = ''
const cookies: Record<Visitor, string> = { anonymous: '', member: '' }

/** A client address of its own for every request: per-address limits never pile up across probes. */
function clientIp() {
  const b = crypto.randomBytes(3)
  return `10.${b[0]}.${b[1]}.${(b[2]! % 250) + 1}`
}

async function send(probe: Pick<Probe, 'method' | 'path' | 'body'>, visitor: Visitor) {
  const headers: Record<string, string> = { 'X-Forwarded-For': clientIp() }
  if (cookies[visitor]) headers.Cookie = cookies[visitor]
  if (probe.method === 'POST') {
    headers.Origin = baseURL
    headers['Content-Type'] = 'application/x-www-form-urlencoded'
  }
  const abort = new AbortController()
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(baseURL + probe.path, {
        method: probe.method,
        headers,
        body: probe.method === 'POST' ? (probe.body ?? '') : undefined,
        redirect: 'manual',
        signal: abort.signal,
      })
      const type = response.headers.get('content-type') ?? ''
      // A live-update stream never ends: its head is the answer.
      if (type.startsWith('text/event-stream')) {
        abort.abort()
        return { status: response.status, type, text: '' }
      }
      return { status: response.status, type, text: await response.text() }
    } catch (error) {
      // A kept-alive connection the server closed just as it was reused: the request never arrived.
      if (attempt < 3 && /ECONNRESET|socket hang up|other side closed/i.test(String((error as Error).cause ?? error))) continue
      throw error
    }
  }
}

function setCookieOf(response: Response) {
  const session = response.headers.getSetCookie().find((c) => c.startsWith('threadline_session='))
  expect(session, 'a session cookie').toBeTruthy()
  return session!.split(';')[0]!
}

function encodeForm(form: Record<string, string>) {
  return new URLSearchParams(form).toString()
}

/** The last path segment of `path` with `suffix` added (or replaced by `replace`). */
function withSegment(path: string, change: (segment: string) => string) {
  const [pathname, query] = path.split('?') as [string, string | undefined]
  const segments = pathname.split('/')
  const last = segments.length - 1
  segments[last] = change(segments[last] ?? '')
  return segments.join('/') + (query === undefined ? '' : `?${query}`)
}

function withQuery(path: string, query: string) {
  return `${path}${path.includes('?') ? '&' : '?'}${query}`
}

/** Variants of the address: path and query mangled; every route, GET and POST. */
function addressVariants(path: string): { variant: string; path: string }[] {
  const variants: { variant: string; path: string }[] = []
  for (const escape of MALFORMED_ESCAPES) {
    variants.push({ variant: `path escape ${escape}`, path: withSegment(path, (s) => `${s}${escape}`) })
    variants.push({ variant: `query escape ${escape}`, path: withQuery(path, `q=${escape}`) })
  }
  for (const bytes of INVALID_UTF8) {
    variants.push({ variant: `path bytes ${bytes}`, path: withSegment(path, (s) => `${s}${bytes}`) })
    variants.push({ variant: `query bytes ${bytes}`, path: withQuery(path, `page=${bytes}`) })
  }
  variants.push({ variant: 'query name bytes', path: withQuery(path, `${INVALID_UTF8[0]}=1`) })
  variants.push(
    { variant: 'null in path', path: withSegment(path, (s) => `${s}%00`) },
    { variant: 'upper-case segment', path: withSegment(path, (s) => s.toUpperCase()) },
    { variant: 'long segment', path: withSegment(path, (s) => `${s}${'a'.repeat(300)}`) },
    { variant: 'overlong path', path: `${path.split('?')[0]}/${'a'.repeat(3000)}` },
    { variant: 'overlong query', path: withQuery(path, `q=${'x'.repeat(5000)}`) },
    { variant: 'repeated page', path: withQuery(path, 'page=1&page=2') },
    { variant: 'repeated sort', path: withQuery(path, 'sort=new&sort=nonsense') },
    { variant: 'array sort', path: withQuery(path, 'sort[]=x') },
    { variant: 'array page', path: withQuery(path, 'page[]=1&page[]=2') },
    { variant: 'indexed page', path: withQuery(path, 'page[0]=1&sort[a]=b') },
  )
  return variants
}

/** Unknown and wrong-typed values of every query parameter: one at a time, then all at once. */
function parameterVariants(path: string): { variant: string; path: string }[] {
  const variants = QUERY_NAMES.map((name, i) => ({
    variant: `${name}=${WRONG_VALUES[i % WRONG_VALUES.length]!.slice(0, 20)}`,
    path: withQuery(path, `${name}=${WRONG_VALUES[i % WRONG_VALUES.length]}`),
  }))
  for (const value of WRONG_VALUES) {
    variants.push({ variant: `every parameter ${value.slice(0, 20)}`, path: withQuery(path, QUERY_NAMES.map((n) => `${n}=${value}`).join('&')) })
  }
  return variants
}

/** Variants of a form: each field repeated, as an array, wrong-typed, mangled, missing. */
function formVariants(form: Record<string, string>): { variant: string; body: string }[] {
  const body = encodeForm(form)
  const variants = [
    { variant: 'form as sent', body },
    { variant: 'empty form', body: '' },
    { variant: 'prototype fields', body: `${body}&__proto__[x]=1&constructor[prototype][y]=2` },
    { variant: 'form escape', body: `${body}&intent=%E0%A4%A` },
    { variant: 'form bytes', body: `intent=%FF&body=%C0%AF` },
  ]
  for (const [i, name] of Object.keys(form).entries()) {
    const others = encodeForm(Object.fromEntries(Object.entries(form).filter(([n]) => n !== name)))
    const join = (rest: string) => [others, rest].filter(Boolean).join('&')
    const wrong = WRONG_VALUES[(i * 3) % WRONG_VALUES.length]!
    variants.push(
      { variant: `${name} twice`, body: `${body}&${encodeURIComponent(name)}=other` },
      { variant: `${name}[]`, body: join(`${encodeURIComponent(name)}[]=${encodeURIComponent(form[name]!)}`) },
      { variant: `${name}=${wrong.slice(0, 20)}`, body: join(`${encodeURIComponent(name)}=${wrong}`) },
      { variant: `${name} missing`, body: others },
      { variant: `${name} bytes`, body: join(`${encodeURIComponent(name)}=%ED%A0%80`) },
    )
  }
  return variants
}

/** Every probe for one route's checks. */
function probesFor(route: string, checks: Check[]): Probe[] {
  const probes: Probe[] = []
  const stream = checks.some((c) => c.stream)
  const firstOf = (method: 'GET' | 'POST') => checks.find((c) => c.method === method)
  for (const method of ['GET', 'POST'] as const) {
    // The route's own address for this method (or the other method's: a GET to a form, a POST to a page).
    const check = firstOf(method) ?? firstOf(method === 'GET' ? 'POST' : 'GET')!
    const body = method === 'POST' ? encodeForm(check.form ?? check.multipart ?? { intent: 'anything' }) : undefined
    for (const { variant, path } of addressVariants(check.path)) probes.push({ route, variant: `${method} ${variant}`, method, path, body, stream })
    if (method === 'GET' && !stream) {
      for (const { variant, path } of parameterVariants(check.path)) probes.push({ route, variant: `GET ${variant}`, method, path, stream })
    }
  }
  // Every form the matrix sends, mangled field by field.
  const forms = new Map<string, Check>()
  for (const check of checks.filter((c) => c.method === 'POST')) forms.set(`${check.path} ${encodeForm(check.form ?? check.multipart ?? {})}`, check)
  for (const check of forms.values()) {
    for (const { variant, body } of formVariants(check.form ?? check.multipart ?? { intent: 'anything' })) {
      probes.push({ route, variant: `POST ${variant}`, method: 'POST', path: check.path, body, stream })
    }
  }
  return probes
}

/** Why an answer is not acceptable, or null. */
function judge(answer: { status: number; type: string; text: string }): string | null {
  if (!ALLOWED.has(answer.status)) return `status ${answer.status}: ${answer.text.slice(0, 200)}`
  // What a person reads: the page without its scripts (hydration data names errors it does not show).
  const visible = answer.text.replace(/<script[\s\S]*?<\/script>/g, '')
  if (/\n\s+at \S+ \(|node_modules|Unexpected Server Error/.test(visible)) return `a stack or internal error in the answer: ${visible.slice(0, 200)}`
  if (answer.status === 400) {
    const words = answer.type.startsWith('text/html')
      ? (/<main[\s\S]*?<\/main>/.exec(answer.text)?.[0] ?? '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      : answer.text.trim()
    if (words.length < 20) return `a 400 that does not say what was wrong: “${words}”`
  }
  // An error page (not a form's failure shown on its own page) has its own title.
  if (answer.status === 404 && answer.type.startsWith('text/html') && answer.text.includes('class="error-page"')) {
    const title = /<title>([^<]*)<\/title>/.exec(answer.text)?.[1]
    // Its own title, saying what happened: not the home page's, nor that of the page it is not.
    if (!title || title === HOME_TITLE || !/not found/i.test(title)) return `a 404 page titled “${title}”`
  }
  return null
}

// Thousands of requests: a trace of them would cost more than the checks.
test.use({ trace: 'off' })

test('no malformed request to any route gets a 5xx, as a reader or a member', async () => {
  test.setTimeout(300_000)
  baseURL = test.info().project.use.baseURL!

  // A story and a comment of this run's own, so the routes that read them run their real code.
  const author = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': clientIp() },
    body: encodeForm({ login: 'author', password: DEMO_PASSWORD }),
  })
  expect(author.status, 'log in as the demo author').toBe(302)
  const authorCookie = setCookieOf(author)
  const slug = `fuzz-${run}`
  const published = await fetch(`${baseURL}/admin/articles/new`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: authorCookie, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': clientIp() },
    body: encodeForm({
      intent: 'save',
      title: `Fuzzed ${run}`,
      slug,
      standfirst: 'Every route, every mangled request.',
      body: `Written by the fuzz test (${run}).`,
      tags: '',
      status: 'published',
    }),
  })
  expect(published.status, 'publish the story').toBe(302)
  const articleId = Number(/\/admin\/articles\/(\d+)/.exec(published.headers.get('location') ?? '')?.[1])

  const account = newAccount()
  const asked = await fetch(`${baseURL}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': clientIp() },
    body: encodeForm({ email: account.email, username: account.username, password: account.password }),
  })
  expect(asked.status, 'sign up').toBe(200)
  const signup = await fetch(`${baseURL}${await signUpLinkFor(account.email)}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': clientIp() },
    body: encodeForm({ confirm: '1' }),
  })
  expect(signup.status, 'confirm the sign-up').toBe(302)
  cookies.member = setCookieOf(signup)
  const comment = await fetch(`${baseURL}/articles/${slug}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: cookies.member, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': clientIp() },
    body: encodeForm({ intent: 'comment', body: `Fuzz ${run}` }),
  })
  const commentId = Number(/#c(\d+)$/.exec(comment.headers.get('location') ?? '')?.[1])
  expect(commentId, 'the comment’s id').toBeGreaterThan(0)

  const fixture: Fixture = {
    article: { id: articleId, slug, title: `Fuzzed ${run}` },
    draftId: articleId,
    articleSave: { intent: 'save', title: `Fuzzed ${run}`, slug, standfirst: 'x', body: 'x', tags: '', status: 'published' },
    othersArticleId: 1,
    ownerComment: commentId,
    reportedComment: commentId,
    ownerId: 'no-such-member',
    ownerSessionId: '00000000-0000-4000-8000-000000000000',
    otherArticleSlug: 'h200-exports-to-china-approved',
  }

  const routes = Object.entries(accessMatrix)
  const probes = routes.flatMap(([route, checksFor]) => probesFor(route, checksFor(fixture)))
  // Logging out ends the member's session: those probes go last.
  const [now, last] = [probes.filter((p) => p.route !== 'logout.tsx'), probes.filter((p) => p.route === 'logout.tsx')]
  const failures: string[] = []
  let count = 0
  const runAll = async (list: Probe[]) => {
    const queue = list.flatMap((probe) => (['anonymous', 'member'] as const).map((visitor) => ({ probe, visitor })))
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { probe, visitor } = next
        count++
        const problem = judge(await send(probe, visitor))
        if (problem) failures.push(`${probe.route}: ${probe.variant} (${probe.method} ${probe.path.slice(0, 120)}) as ${visitor}: ${problem}`)
      }
    }
    await Promise.all(Array.from({ length: 6 }, worker))
  }
  await runAll(now)
  await runAll(last)

  const summary = `${routes.length} routes × ${(probes.length / routes.length).toFixed(1)} requests on average (${probes.length} in all) × 2 visitors = ${count} requests`
  test.info().annotations.push({ type: 'fuzz', description: summary })
  console.log(`fuzz: ${summary}`)
  expect(count).toBe(probes.length * 2)
  expect(failures.sort()).toEqual([])
})
