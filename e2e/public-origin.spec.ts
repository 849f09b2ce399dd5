import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { expect, test } from './fixtures.ts'
import { openMailbox, type Mailbox } from './mailbox.ts'
import { createSpecDatabase, embeddedDataDir, startInstance, type Instance } from './instances.ts'

// Every absolute address the app writes (in mail, feeds, the sitemap, canonical and social links)
// comes from configuration, never from the Host or X-Forwarded-* headers a client sends: a reset link
// built from a forged Host hands the token to whoever runs that host. Four instances, with and
// without PUBLIC_URL, trusting a proxy and not, each asked with forged headers; their mail goes to a
// real SMTP server.

const PUBLIC_URL = 'https://threadline.example'
const EVIL = 'evil.example'
const base = Number(process.env.E2E_PORT ?? 3100) + 230

type Setup = { name: string; port: number; publicUrl?: string; trustProxy: '0' | '1' }
const setups: Setup[] = [
  { name: 'no PUBLIC_URL, no proxy trusted', port: base, trustProxy: '0' },
  { name: 'no PUBLIC_URL, behind a trusted proxy', port: base + 1, trustProxy: '1' },
  { name: 'PUBLIC_URL, no proxy trusted', port: base + 2, publicUrl: PUBLIC_URL, trustProxy: '0' },
  { name: 'PUBLIC_URL, behind a trusted proxy', port: base + 3, publicUrl: PUBLIC_URL, trustProxy: '1' },
]

/** What each setup must write: PUBLIC_URL, else the address the server announces. */
const originOf = (setup: Setup) => setup.publicUrl ?? `http://127.0.0.1:${setup.port}`

test.describe.configure({ mode: 'serial' })

let mailbox: Mailbox
const instances = new Map<string, Instance>()
const drops: (() => Promise<void>)[] = []

test.beforeAll(async () => {
  test.setTimeout(240_000)
  mailbox = await openMailbox()
  const database = await createSpecDatabase()
  drops.push(database.drop)
  const started = await Promise.all(
    setups.map(async (setup) => {
      // The embedded database serves one process: each instance gets its own.
      const data = database.env.DATABASE_URL ? null : embeddedDataDir()
      if (data) drops.push(data.drop)
      const instance = await startInstance({
        port: setup.port,
        env: {
          ...database.env,
          ...(data ? { DATA_DIR: data.dir } : {}),
          PUBLIC_URL: setup.publicUrl ?? '',
          TRUST_PROXY: setup.trustProxy,
          SMTP_URL: mailbox.url,
        },
      })
      return [setup.name, instance] as const
    }),
  )
  for (const [name, instance] of started) instances.set(name, instance)
})

test.afterAll(async () => {
  await Promise.all([...instances.values()].map((i) => i.stop()))
  for (const drop of drops) await drop()
  await mailbox?.close()
})

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: string }

/** A request with exactly the headers given, Host included (fetch may not set Host). */
function raw(
  port: number,
  requestPath: string,
  { method = 'GET', headers = {}, form }: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {},
) {
  const body = form ? new URLSearchParams(form).toString() : undefined
  return new Promise<Raw>((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: requestPath,
        headers: {
          ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }))
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

/**
 * Headers naming another site every way a client can: Host, the forwarded headers, and an Origin
 * that matches them (as an attacker would send, so the cross-site check is no obstacle).
 */
function forged(host: string, scheme: 'http' | 'https') {
  return {
    Host: host,
    Origin: `${scheme}://${host}`,
    'X-Forwarded-Host': `${EVIL}:666`,
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-Port': '666',
    Forwarded: `host=${EVIL};proto=https`,
    'X-Forwarded-For': '10.66.0.1',
  }
}

/** Every absolute http(s) address in a text. */
function addressesIn(text: string) {
  return [...text.matchAll(/https?:\/\/[^\s"'<>\\)]+/g)].map((m) => m[0])
}

/** Addresses that name this site must name it by its configured origin. */
function expectOnlyOrigin(text: string, origin: string, what: string) {
  expect(text, `${what} names the forged host`).not.toContain(EVIL)
  expect(text, `${what} names the forged port`).not.toMatch(/:666\b/)
  const own = addressesIn(text).filter((a) => /^https?:\/\/(127\.0\.0\.1|localhost|threadline\.example)/.test(a))
  for (const address of own) expect(address.startsWith(`${origin}/`) || address === origin, `${what}: ${address}`).toBe(true)
}

const pages = [
  '/',
  '/articles/h200-exports-to-china-approved',
  '/feed.xml',
  '/feed.atom',
  '/feed.json',
  '/sitemap.xml',
  '/robots.txt',
  '/chips.json',
  '/chips/h200',
  '/tags/export-controls/feed.xml',
]

for (const setup of setups) {
  test.describe(setup.name, () => {
    const origin = originOf(setup)
    // The host a legitimate client asks for: the configured one, or the address itself.
    const ownHost = setup.publicUrl ? new URL(setup.publicUrl).host : `127.0.0.1:${setup.port}`
    // A trusted proxy's X-Forwarded-Proto decides the scheme the cross-site check expects.
    const scheme = setup.trustProxy === '1' ? 'https' : 'http'

    test('a password-reset mail asked for with forged headers links to the configured origin only', async () => {
      const instance = instances.get(setup.name)!
      expect(instance).toBeTruthy()
      const sent = mailbox.messages.length
      // Host forged outright: with PUBLIC_URL set, another host is refused (421) before anything runs.
      const refused = await raw(setup.port, '/forgot-password', {
        method: 'POST',
        headers: forged(EVIL, scheme),
        form: { email: 'member@threadline.local' },
      })
      if (setup.publicUrl) expect(refused.status).toBe(421)
      else expect(refused.status).toBe(302)
      // The site's own Host, with the forwarded headers forged (a trusted proxy's X-Forwarded-Host
      // names the host the client asked for: when it is another, the request is refused too).
      const headers = forged(ownHost, scheme)
      const sneaky = await raw(setup.port, '/forgot-password', { method: 'POST', headers, form: { email: 'member@threadline.local' } })
      if (setup.publicUrl && setup.trustProxy === '1') expect(sneaky.status).toBe(421)
      else expect(sneaky.status).toBe(302)

      const expected = (setup.publicUrl ? 0 : 1) + (setup.publicUrl && setup.trustProxy === '1' ? 0 : 1)
      await expect.poll(() => mailbox.messages.length - sent, { message: 'reset mails received' }).toBe(expected)
      for (const mail of mailbox.messages.slice(sent)) {
        expect(mail.to).toEqual(['member@threadline.local'])
        expectOnlyOrigin(mail.text + mail.html, origin, `the mail “${mail.subject}”`)
        expect(mail.text).toContain(`${origin}/reset-password/`)
      }
    })

    test('sign-up mails asked for with forged headers (a link for a new address, a note for a taken one) name the configured origin only', async () => {
      const sent = mailbox.messages.length
      const headers = forged(ownHost, scheme)
      const newcomer = `origin-${setup.port}@example.com`
      const answers = await Promise.all(
        [
          { email: newcomer, username: `origin_new_${setup.port}` },
          { email: 'member@threadline.local', username: `origin_taken_${setup.port}` },
        ].map((form) => raw(setup.port, '/signup', { method: 'POST', headers, form: { ...form, password: 'a long enough password' } })),
      )
      if (setup.publicUrl && setup.trustProxy === '1') {
        // The trusted proxy said the client asked for another host: refused before anything runs.
        for (const answer of answers) expect(answer.status).toBe(421)
        return
      }
      // The same answer for both addresses.
      for (const answer of answers) {
        expect(answer.status, answer.body.slice(0, 200)).toBe(200)
        expect(answer.body).toContain('Check your inbox')
      }
      await expect.poll(() => mailbox.messages.length - sent, { message: 'sign-up mails received' }).toBe(2)
      for (const mail of mailbox.messages.slice(sent)) expectOnlyOrigin(mail.text + mail.html, origin, `the mail “${mail.subject}”`)
      expect((await mailbox.waitFor(newcomer, /Confirm your email/)).text).toContain(`${origin}/signup/confirm/`)
      expect((await mailbox.waitFor('member@threadline.local', /Someone tried/)).text).toContain(`${origin}/login`)
    })

    test('pages, feeds, the sitemap and data name the configured origin, whatever the request says', async () => {
      for (const page of pages) {
        const answer = await raw(setup.port, page, { headers: { ...forged(ownHost, scheme), Host: setup.publicUrl ? ownHost : EVIL } })
        if (setup.publicUrl && setup.trustProxy === '1') {
          // The trusted proxy said the client asked for another host.
          expect(answer.status, page).toBe(421)
          continue
        }
        expect(answer.status, page).toBe(200)
        expectOnlyOrigin(answer.body, origin, page)
        // And the copy a later, honest reader is served from the cache is the same.
        const honest = await raw(setup.port, page, { headers: { Host: ownHost } })
        expectOnlyOrigin(honest.body, origin, `${page} after a forged request`)
      }
      const story = await raw(setup.port, pages[1]!, { headers: { Host: ownHost } })
      expect(story.body).toContain(`<link rel="canonical" href="${origin}/articles/h200-exports-to-china-approved"/>`)
      expect(story.body).toContain(`<meta property="og:url" content="${origin}/articles/h200-exports-to-china-approved"/>`)
    })

    test('the health check answers by address, and the log says once when PUBLIC_URL is unset', async () => {
      expect((await raw(setup.port, '/healthz', { headers: { Host: `10.0.0.9:${setup.port}` } })).status).toBe(200)
      const log = fs.readFileSync(path.resolve(`e2e/.data/instance-${setup.port}.log`), 'utf8')
      expect(log.split('PUBLIC_URL is not set').length - 1).toBe(setup.publicUrl ? 0 : 1)
    })
  })
}
