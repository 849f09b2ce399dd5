import net from 'node:net'
import type { APIRequestContext, APIResponse } from '@playwright/test'
import { expect, newAccount, signUpThrough, test } from './fixtures.ts'

// What the site does with requests no page of its own would send: bodies too large, forms that are
// not forms, values of the wrong type, enormous addresses, values outside a list, and page numbers
// that cannot exist. Each gets a 4xx that says what was wrong (413 and 431 where the size is the
// problem), and never a 500.

const slug = 'h20-market-specific-variant'
const tag = 'china'

/** The response's text as a reader would read it: HTML entities and JSON escapes undone. */
async function readable(response: APIResponse) {
  return (await response.text())
    .replace(/\\"/g, '"')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

async function expectRefusal(response: APIResponse, status: number, message: string, what = response.url()) {
  expect(response.status(), `${what}: status`).toBe(status)
  const text = await readable(response)
  expect(text, `${what}: says why`).toContain(message)
  expect(text, `${what}: no stack trace`).not.toMatch(/at \S+ \(.*:\d+:\d+\)|node_modules|\.server\.ts/)
}

function headers(baseURL: string | undefined, extra: Record<string, string> = {}) {
  return { Origin: baseURL!, ...extra }
}

/** Signs up a new member through the form; the request context keeps their session. */
async function signUpWith(request: APIRequestContext, baseURL: string | undefined) {
  return signUpThrough(request, newAccount(), { headers: headers(baseURL) })
}

async function logInAsAdmin(request: APIRequestContext, baseURL: string | undefined) {
  const response = await request.post('/login', {
    form: { login: 'admin', password: 'threadline-demo' },
    headers: headers(baseURL),
    maxRedirects: 0,
  })
  expect(response.status()).toBe(302)
}

/** The first top-level comment on the story, posted by an admin (whose comments are not held). */
async function aComment(request: APIRequestContext, baseURL: string | undefined) {
  const posted = await request.post(`/articles/${slug}`, {
    form: { intent: 'comment', body: 'A comment for the limits walk.' },
    headers: headers(baseURL),
    maxRedirects: 0,
  })
  expect(posted.status()).toBe(302)
  return Number(posted.headers().location!.match(/#c(\d+)$/)![1])
}

/** Writes a request by hand and returns the status line's code and the body: for bodies no client would send. */
function rawRequest(port: number, head: string, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (received += chunk))
    socket.on('error', (error) => (received ? undefined : reject(error)))
    socket.on('close', () => resolve({ status: Number(received.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0), text: received }))
    socket.write(head + body)
  })
}

/**
 * Writes a request whose whole body is sent, as a real client's upload is, and reads the answer: any
 * socket error (a reset under the upload, EPIPE) is a failure, not a shrug.
 */
function uploadWhole(port: number, head: string, body: Buffer): Promise<{ status: number; text: string; written: boolean; error: string | null }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    let written = false
    let error: string | null = null
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (received += chunk))
    socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message))
    socket.on('close', () => resolve({ status: Number(received.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0), text: received, written, error }))
    socket.write(head)
    socket.write(body, (e) => (written = !e))
  })
}

test('request bodies over the limit get 413 on every kind of form, and bodies of unknown length 411', async ({ request, baseURL }) => {
  await signUpWith(request, baseURL)
  const big = 'body=' + 'a'.repeat(2100 * 1024)
  for (const path of ['/login', '/signup', `/articles/${slug}`, `/articles/${slug}/comments/1`, '/account', '/logout', '/admin/articles/import']) {
    const response = await request.post(path, {
      data: big,
      headers: headers(baseURL, { 'Content-Type': 'application/x-www-form-urlencoded' }),
      maxRedirects: 0,
    })
    await expectRefusal(response, 413, 'the body is larger than 2048 KB', path)
  }

  // A client that sends the whole body before reading gets the refusal every time: the server reads
  // the refused body (up to a bound) before it closes, so no reset can overtake the 413.
  const port = Number(new URL(baseURL!).port)
  const whole = Buffer.alloc(2100 * 1024, 'a')
  for (let i = 0; i < 5; i++) {
    const upload = await uploadWhole(
      port,
      `POST /articles/${slug} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${baseURL}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${whole.length}\r\n\r\n`,
      whole,
    )
    expect(upload, `upload ${i + 1}: whole body written, then 413, no socket error`).toMatchObject({ status: 413, written: true, error: null })
    expect(upload.text).toContain('the body is larger than 2048 KB')
  }

  // Far past the limit, refused on the declared length alone, before a byte of the body is read.
  const declared = await rawRequest(
    port,
    `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${baseURL}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 50000000\r\n\r\n`,
    'login=a',
  )
  expect(declared.status).toBe(413)
  const chunked = await rawRequest(
    port,
    `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${baseURL}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
    '7\r\nlogin=a\r\n0\r\n\r\n',
  )
  expect(chunked.status).toBe(411)
  expect(chunked.text).toContain('send the body with a Content-Length')

  // Under the limit, a comment far longer than a comment may be is refused by its own rule.
  const long = await request.post(`/articles/${slug}.data`, {
    form: { intent: 'comment', body: 'a'.repeat(1_500_000) },
    headers: headers(baseURL),
  })
  await expectRefusal(long, 400, 'Comments can be up to 10,000 characters; this one has 1,500,000.')
})

test('forms that are not forms get 400 with a reason, never 500', async ({ request, baseURL }) => {
  // Bytes that are not a form, sent as one: every field is missing, and each one says so.
  const garbage = await request.post('/login', {
    data: Buffer.from([0xff, 0xfe, 0x00, 0x25, 0x25, 0x3d, 0x26]),
    headers: headers(baseURL, { 'Content-Type': 'application/x-www-form-urlencoded' }),
    maxRedirects: 0,
  })
  await expectRefusal(garbage, 400, 'Enter your email or username.', 'garbage bytes as a form')
  // A field sent twice: the last one counts, and it is checked like any other.
  const twice = await request.post('/login', {
    data: 'login=someone&login=&password=one&password=two',
    headers: headers(baseURL, { 'Content-Type': 'application/x-www-form-urlencoded' }),
    maxRedirects: 0,
  })
  await expectRefusal(twice, 400, 'Enter your email or username.', 'duplicated fields')

  await signUpWith(request, baseURL)
  const unreadable = 'We could not read that form submission. Please try again from the page itself.'
  const bodies: { name: string; contentType: string; data: string | Buffer; message: string }[] = [
    { name: 'JSON', contentType: 'application/json', data: '{"intent":"comment","body":"hi"}', message: unreadable },
    { name: 'plain text', contentType: 'text/plain', data: 'intent=comment&body=hi', message: unreadable },
    { name: 'multipart without a boundary', contentType: 'multipart/form-data', data: 'intent=comment', message: unreadable },
    {
      name: 'truncated multipart',
      contentType: 'multipart/form-data; boundary=XYZ',
      data: '--XYZ\r\nContent-Disposition: form-data; name="intent"\r\n\r\ncomment',
      message: unreadable,
    },
    {
      name: 'multipart with another boundary',
      contentType: 'multipart/form-data; boundary=XYZ',
      data: '--ABC\r\nContent-Disposition: form-data; name="intent"\r\n\r\ncomment\r\n--ABC--\r\n',
      message: unreadable,
    },
    { name: 'random bytes', contentType: 'application/octet-stream', data: Buffer.from([0, 255, 1, 254, 37, 37]), message: unreadable },
  ]
  for (const path of [`/articles/${slug}`, '/login', '/signup', '/account']) {
    for (const body of bodies) {
      const response = await request.post(path, {
        data: body.data,
        headers: headers(baseURL, { 'Content-Type': body.contentType }),
        maxRedirects: 0,
      })
      await expectRefusal(response, 400, body.message, `${path} with ${body.name}`)
    }
  }

  const badEscapes = await request.post(`/articles/${slug}.data`, {
    data: 'intent=preview&body=%E0%A4%A',
    headers: headers(baseURL, { 'Content-Type': 'application/x-www-form-urlencoded' }),
  })
  expect(badEscapes.status(), 'a broken %-escape is read as text, not a crash').toBe(200)

  const twiceEmpty = await request.post(`/articles/${slug}.data`, {
    data: 'intent=comment&body=hello&body=%20%20',
    headers: headers(baseURL, { 'Content-Type': 'application/x-www-form-urlencoded' }),
  })
  await expectRefusal(twiceEmpty, 400, 'Write something before posting.', 'a duplicated comment body')
})

test('a missing or unknown intent is a 400 on every form that has several', async ({ request, baseURL }) => {
  await logInAsAdmin(request, baseURL)
  const commentId = await aComment(request, baseURL)
  const members = await request.get('/admin/members?q=moderator')
  const memberPath = (await members.text()).match(/href="(\/admin\/members\/[^"]+)"/)![1]!
  const paths = [
    `/articles/${slug}`,
    `/articles/${slug}/comments/${commentId}`,
    '/account',
    '/admin/queue',
    '/admin/discussions',
    '/admin/corrections',
    '/admin/articles/new',
    memberPath,
  ]
  for (const path of paths) {
    for (const intent of [undefined, '', 'explode', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const form: Record<string, string> = { body: 'x', reason: 'x' }
      if (intent !== undefined) form.intent = intent
      // The app's own transport (single fetch) carries the failure's words as data.
      const response = await request.post(`${path}.data`, { form, headers: headers(baseURL) })
      await expectRefusal(response, 400, 'That form asked for something we do not do.', `${path} intent=${intent ?? '(none)'}`)
    }
  }
})

test('values of the wrong type get 400 naming the problem', async ({ request, baseURL }) => {
  await logInAsAdmin(request, baseURL)
  const commentId = await aComment(request, baseURL)
  const cases: { path: string; form: Record<string, string>; message: string }[] = [
    { path: `/articles/${slug}`, form: { intent: 'comment', body: 'x', parentId: '-1' }, message: 'That comment reference is not a number.' },
    { path: `/articles/${slug}`, form: { intent: 'comment', body: 'x', parentId: 'abc' }, message: 'That comment reference is not a number.' },
    { path: `/articles/${slug}`, form: { intent: 'comment', body: 'x', parentId: '1e309' }, message: 'That comment reference is not a number.' },
    { path: `/articles/${slug}`, form: { intent: 'comment', body: 'x', parentId: '99999999999999' }, message: 'That comment reference is too large.' },
    { path: `/articles/${slug}/comments/${commentId}`, form: { intent: 'vote', vote: 'sideways' }, message: 'A vote is “up” or “undo”.' },
    { path: `/articles/${slug}/comments/${commentId}`, form: { intent: 'report', reason: 'boredom' }, message: 'Choose a reason.' },
    { path: '/admin/queue', form: { intent: 'pin', commentId: 'xyz', pinned: 'true' }, message: 'That reference is not a number.' },
    { path: '/admin/queue', form: { intent: 'pin', commentId: '-5', pinned: 'true' }, message: 'That reference must be 1 or more.' },
    { path: '/admin/queue', form: { intent: 'moderate', 'ids[]': 'xyz', action: 'approve' }, message: 'That reference is not a number.' },
    { path: '/admin/discussions', form: { intent: 'lock', articleId: '1e309', locked: 'true' }, message: 'That reference is not a number.' },
    { path: '/admin/discussions', form: { intent: 'slow-mode', articleId: '1', seconds: '-5' }, message: 'Slow mode cannot be negative.' },
    { path: '/admin/settings', form: { intent: 'save', commentsPerMinute: 'abc' }, message: 'Comments a member may post per minute: give a whole number' },
    {
      path: '/admin/settings',
      form: { intent: 'save', commentsPerMinute: '1e309' },
      message: 'Comments a member may post per minute: give a whole number',
    },
    { path: '/admin/settings', form: { intent: 'save', commentsPerMinute: '-3' }, message: 'Comments a member may post per minute: the least is 1' },
  ]
  for (const { path, form, message } of cases) {
    const response = await request.post(`${path}.data`, { form, headers: headers(baseURL) })
    await expectRefusal(response, 400, message, `${path} ${JSON.stringify(form)}`)
    // The same post without JavaScript is refused the same way.
    const document = await request.post(path, { form, headers: headers(baseURL), maxRedirects: 0 })
    await expectRefusal(document, 400, message, `${path} ${JSON.stringify(form)} (document)`)
  }

  // An id in the address that cannot be a comment is simply a page that does not exist.
  for (const id of ['xyz', '-1', '1e309', '99999999999999999999']) {
    const response = await request.post(`/articles/${slug}/comments/${id}`, {
      form: { intent: 'vote', vote: 'up' },
      headers: headers(baseURL),
      maxRedirects: 0,
    })
    await expectRefusal(response, 404, 'There is no comment at this address.', `comment id ${id}`)
  }
})

test('enormous addresses get 400 from the app, or 431 from the HTTP server, never 500', async ({ request }) => {
  const tenKb = 'x'.repeat(10_000)
  for (const path of ['/', `/tags/${tag}`, `/articles/${slug}`, '/search', '/chips', '/moderation', '/login']) {
    const response = await request.get(`${path}?q=${tenKb}`)
    await expectRefusal(response, 400, 'This address is too long: its query string has 10,003 characters', path)
  }
  // Past what Node's HTTP parser takes in headers (16 KB): it answers 431 before the app sees it.
  for (const path of ['/', `/articles/${slug}`, '/search']) {
    const response = await request.get(`${path}?q=${'x'.repeat(100_000)}`)
    expect(response.status(), path).toBe(431)
  }
  // Routes that read no parameters ignore the rest of a long (but not enormous) address.
  expect((await request.get(`/chips/h20?utm=${tenKb}`)).status()).toBe(200)
})

test('an order a reading page does not offer shows its default; a filter that cannot match is a 400', async ({ request, baseURL }) => {
  // Reading pages fall back: a mangled or outdated link still shows the page.
  for (const path of [
    '/chips?sort=nonsense',
    '/chips?sort=name&dir=sideways',
    `/articles/${slug}?sort=nonsense`,
    `/articles/${slug}?sort=`,
    `/articles/${slug}?sort[]=new`,
  ]) {
    expect((await request.get(path)).status(), path).toBe(200)
  }
  const cases = [{ path: '/chips?status=banned', message: 'status is not one of the accepted values' }]
  for (const { path, message } of cases) await expectRefusal(await request.get(path), 400, message, path)
  await logInAsAdmin(request, baseURL)
  for (const { path, message } of [
    { path: '/admin/articles?status=banned', message: 'status is not one of the accepted values' },
    { path: '/admin/log?action=explode', message: 'action is not one of the accepted values' },
  ]) {
    await expectRefusal(await request.get(path), 400, message, path)
  }
})

test('page numbers a list cannot have show its first page, and pages past the end 404, on every paged list', async ({ request, baseURL }) => {
  const paged = ['/', `/tags/${tag}`, `/articles/${slug}`, '/search?q=export', '/moderation']
  const staffOnly = ['/admin/articles', '/admin/log']
  const impossible = ['-1', '0', '1e309', '99999999999999999999', 'abc', '1.5', '10001', '', '%20']
  const walk = async (paths: string[]) => {
    for (const path of paths) {
      const join = path.includes('?') ? '&' : '?'
      // The first page has no link back to a previous one.
      for (const page of [...impossible.map((p) => `page=${p}`), 'page[]=2', 'page=2&page=abc']) {
        const response = await request.get(`${path}${join}${page}`)
        expect(response.status(), `${path} ${page}`).toBe(200)
        expect(await response.text(), `${path} ${page} is the first page`).not.toContain('rel="prev"')
      }
      await expectRefusal(await request.get(`${path}${join}page=9999`), 404, 'There is no page 9999', `${path} page=9999`)
      // A repeated parameter: the last one counts.
      await expectRefusal(await request.get(`${path}${join}page=1&page=9999`), 404, 'There is no page 9999', `${path} page twice`)
    }
  }
  await walk(paged)
  await logInAsAdmin(request, baseURL)
  await walk(staffOnly)
})

test('throttled log-ins carry Retry-After, with and without JavaScript', async ({ request, baseURL }) => {
  const account = await signUpWith(request, baseURL)
  await request.post('/logout', { headers: headers(baseURL), maxRedirects: 0 })
  for (let i = 0; i < 5; i++) {
    const failed = await request.post('/login', {
      form: { login: account.username, password: `wrong password ${i}` },
      headers: headers(baseURL),
      maxRedirects: 0,
    })
    expect(failed.status()).toBe(400)
  }
  const document = await request.post('/login', {
    form: { login: account.username, password: account.password },
    headers: headers(baseURL),
    maxRedirects: 0,
  })
  await expectRefusal(document, 429, 'Too many failed log-ins for this account. Please try again in')
  const wait = Number(document.headers()['retry-after'])
  expect(wait, 'Retry-After in seconds').toBeGreaterThan(0)
  expect(wait).toBeLessThanOrEqual(15 * 60)

  const data = await request.post('/login.data', { form: { login: account.username, password: account.password }, headers: headers(baseURL) })
  await expectRefusal(data, 429, 'Too many failed log-ins for this account.')
  expect(Number(data.headers()['retry-after'])).toBeGreaterThan(0)
})

// Remix checks Origin against Host (or X-Forwarded-Host) itself, port included, and throws when
// they differ: behind a proxy that rewrites either, or for a browser that sends `Origin: null`, a
// form that server.ts rightly let through became an empty 500. server.ts now drops the Origin header
// once its own check has passed.
test('a form post whose origin server.ts accepts is never a 500 from Remix’s own origin check', async ({ request, baseURL }) => {
  const form = { login: 'nobody-at-all', password: 'not a real password' }
  const forwardedElsewhere = await request.post('/login', {
    form,
    headers: headers(baseURL, { 'X-Forwarded-Host': 'threadline.example' }),
    maxRedirects: 0,
  })
  expect(forwardedElsewhere.status(), 'X-Forwarded-Host differs from Origin').toBe(400)
  const opaqueOrigin = await request.post('/login', {
    form,
    headers: { Origin: 'null', Referer: `${baseURL}/login` },
    maxRedirects: 0,
  })
  expect(opaqueOrigin.status(), 'Origin: null with a same-site Referer').toBe(400)
})
