import type { APIRequestContext } from '@playwright/test'
import { expect, newAccount, test } from './fixtures.ts'

// Every dashboard route and action against every kind of visitor: the status each gets comes from
// the domain's role checks, not from what the navigation happens to show.

type Who = 'anonymous' | 'member' | 'banned' | 'author' | 'moderator' | 'admin'
type Outcome = 'login' | 'forbidden' | 'ok' | 'authors-home'

const staff: Who[] = ['moderator', 'admin']
const writers: Who[] = ['author', 'moderator', 'admin']

/** What each visitor gets: only the listed roles are let in; the rest are sent away or refused. */
function expected(who: Who, allowed: Who[]): Outcome {
  if (who === 'anonymous' || who === 'banned') return 'login'
  return allowed.includes(who) ? 'ok' : 'forbidden'
}

type Check = { method: 'GET' | 'POST'; path: string; allowed: Who[]; outcome?: Partial<Record<Who, Outcome>> }

function checks(memberId: string): Check[] {
  return [
    { method: 'GET', path: '/admin', allowed: staff, outcome: { author: 'authors-home' } },
    { method: 'GET', path: '/admin/queue', allowed: staff },
    { method: 'POST', path: '/admin/queue', allowed: staff },
    { method: 'GET', path: '/admin/discussions', allowed: staff },
    { method: 'POST', path: '/admin/discussions', allowed: staff },
    { method: 'GET', path: '/admin/members', allowed: staff },
    { method: 'GET', path: `/admin/members/${memberId}`, allowed: staff },
    { method: 'POST', path: `/admin/members/${memberId}`, allowed: staff },
    { method: 'GET', path: '/admin/settings', allowed: ['admin'] },
    { method: 'POST', path: '/admin/settings', allowed: ['admin'] },
    { method: 'GET', path: '/admin/log', allowed: staff },
    { method: 'GET', path: '/admin/articles', allowed: writers },
    { method: 'GET', path: '/admin/articles/new', allowed: writers },
    { method: 'POST', path: '/admin/articles/new', allowed: writers },
    { method: 'GET', path: '/admin/articles/1', allowed: writers },
    { method: 'POST', path: '/admin/articles/1', allowed: writers },
    { method: 'GET', path: '/admin/articles/import', allowed: writers },
    { method: 'POST', path: '/admin/articles/import', allowed: writers },
    { method: 'GET', path: '/admin/chips', allowed: writers },
    { method: 'GET', path: '/admin/chips/new', allowed: writers },
    { method: 'POST', path: '/admin/chips/new', allowed: writers },
    { method: 'GET', path: '/admin/chips/h200', allowed: writers },
    { method: 'POST', path: '/admin/chips/h200', allowed: writers },
  ]
}

async function logInAs(request: APIRequestContext, baseURL: string, login: string, password: string) {
  const response = await request.post('/login', { form: { login, password }, headers: { Origin: baseURL }, maxRedirects: 0 })
  expect(response.status(), `log in as ${login}`).toBe(302)
}

test('every admin route and action gives each kind of visitor the status it should', async ({ playwright, baseURL }) => {
  test.setTimeout(120_000)
  const contexts = new Map<Who, APIRequestContext>()
  const make = async (who: Who, ip: string) => {
    const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': ip } })
    contexts.set(who, context)
    return context
  }
  await make('anonymous', '10.230.0.1')
  for (const [who, login, ip] of [
    ['author', 'editor', '10.230.0.2'],
    ['moderator', 'moderator', '10.230.0.3'],
    ['admin', 'admin', '10.230.0.4'],
  ] as const) {
    await logInAs(await make(who, ip), baseURL!, login, 'threadline-demo')
  }
  // A member and a member who is then banned, both signed up through the form.
  const memberAccount = newAccount()
  const bannedAccount = newAccount()
  for (const [who, account, ip] of [
    ['member', memberAccount, '10.230.0.5'],
    ['banned', bannedAccount, '10.230.0.6'],
  ] as const) {
    const context = await make(who, ip)
    const signed = await context.post('/signup', {
      form: { email: account.email, username: account.username, password: account.password },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    })
    expect(signed.status()).toBe(302)
  }
  const admin = contexts.get('admin')!
  const search = await (await admin.get(`/admin/members?q=${bannedAccount.username}`)).text()
  const bannedId = decodeURIComponent(/href="\/admin\/members\/([^"?#]+)"/.exec(search)![1]!)
  const ban = await admin.post(`/admin/members/${encodeURIComponent(bannedId)}`, {
    form: { intent: 'ban', reason: 'Access matrix' },
    headers: { Origin: baseURL! },
    maxRedirects: 0,
  })
  expect(ban.status()).toBe(302)

  const failures: string[] = []
  for (const check of checks(encodeURIComponent(bannedId))) {
    for (const [who, context] of contexts) {
      const want = check.outcome?.[who] ?? expected(who, check.allowed)
      const response =
        check.method === 'GET'
          ? await context.get(check.path, { maxRedirects: 0 })
          : // An empty submission: allowed roles get past the role check to a 400 (nothing to do).
            await context.post(check.path, { form: { intent: 'nothing' }, headers: { Origin: baseURL! }, maxRedirects: 0 })
      const status = response.status()
      const location = response.headers().location ?? ''
      const got: Outcome | string =
        status === 302 && location.startsWith('/login')
          ? 'login'
          : status === 302 && location === '/admin/articles'
            ? 'authors-home'
            : status === 403
              ? 'forbidden'
              : (check.method === 'GET' && status === 200) || (check.method === 'POST' && [200, 302, 400, 413].includes(status))
                ? 'ok'
                : `${status} ${location}`
      if (got !== want) failures.push(`${check.method} ${check.path} as ${who}: expected ${want}, got ${got}`)
    }
  }
  expect(failures).toEqual([])
  for (const context of contexts.values()) await context.dispose()
})
