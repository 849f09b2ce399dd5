import crypto from 'node:crypto'
import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { recordQueries } from '#app/test/queries.ts'
import { db } from '#app/db.server.ts'
import { sessions, users } from '#db/schema.ts'
import { getAuth, login, logout, requireRole, requireUser, sessionIdFor } from './auth.server.ts'

beforeEach(truncateAll)

const DAY = 86_400_000

/** The cookie a response sets: its token, and the id its session is stored under (the token's hash). */
function cookieFrom(response: Response) {
  const header = response.headers.get('Set-Cookie') ?? ''
  const token = header.split(';')[0]!.split('=')[1]!
  return { header, pair: header.split(';')[0]!, token, id: sessionIdFor(token) }
}

function requestWith(cookie: string | null, url = 'http://localhost/') {
  return new Request(url, { headers: cookie ? { Cookie: cookie, 'User-Agent': 'Mozilla/5.0 (X11; Linux) Firefox/140.0' } : {} })
}

describe('sessions', () => {
  it('ends a banned member’s session at its next request, however it survived the ban', async () => {
    const user = await createTestUser()
    const cookie = cookieFrom(await login(requestWith(null), user.id))
    await db.update(users).set({ bannedAt: new Date(), banReason: 'spam' }).where(eq(users.id, user.id))
    const auth = await getAuth(requestWith(cookie.pair))
    expect(auth.user).toBeNull()
    expect(auth.setCookie).toMatch(/Max-Age=0/)
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([])
  })

  it('ends the session of a deleted account at its next request, and a page asking for a member sends it to log in', async () => {
    const user = await createTestUser()
    const cookie = cookieFrom(await login(requestWith(null), user.id))
    // A session that outlived the deletion (a reset or a log-in finishing as the account was deleted).
    await db.update(users).set({ deletedAt: new Date(), email: null, passwordHash: null }).where(eq(users.id, user.id))
    const auth = await getAuth(requestWith(cookie.pair))
    expect(auth.user).toBeNull()
    expect(auth.setCookie).toMatch(/Max-Age=0/)
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([])
    const thrown = await requireUser(requestWith(cookie.pair, 'http://localhost/account')).catch((e: unknown) => e)
    expect((thrown as Response).status).toBe(302)
    expect((thrown as Response).headers.get('Location')).toBe('/login?redirectTo=%2Faccount')
  })

  it('logs in with an HttpOnly, SameSite=Lax cookie that validates on the next request', async () => {
    const user = await createTestUser()
    const response = await login(requestWith(null), user.id, '/articles/x?sort=new')
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/articles/x?sort=new')
    const cookie = cookieFrom(response)
    expect(cookie.header).toMatch(/HttpOnly/)
    expect(cookie.header).toMatch(/SameSite=Lax/)
    expect(cookie.header).not.toMatch(/Secure/)

    const auth = await getAuth(requestWith(cookie.pair))
    expect(auth.user?.id).toBe(user.id)
    expect(auth.setCookie).toBeNull()
  })

  it('marks the cookie Secure over HTTPS', async () => {
    const user = await createTestUser()
    const response = await login(requestWith(null, 'https://threadline.example/login'), user.id)
    expect(cookieFrom(response).header).toMatch(/Secure/)
  })

  it('never redirects to another site after logging in', async () => {
    const user = await createTestUser()
    for (const target of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
      expect((await login(requestWith(null), user.id, target)).headers.get('Location')).toBe('/')
    }
  })

  it('keeps only the SHA-256 of the browser’s token: the table holds nothing a browser could present', async () => {
    const user = await createTestUser()
    const { token, pair } = cookieFrom(await login(requestWith(null), user.id, '/', '203.0.113.9'))
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const rows = await db.select().from(sessions).where(eq(sessions.userId, user.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]!.id).toBe(crypto.createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(token)
    expect(rows[0]!.ipArea).toBe('203.0.113.0/24')
    // The stored id is no key: presented as a cookie it opens nothing.
    expect((await getAuth(requestWith(`threadline_session=${rows[0]!.id}`))).user).toBeNull()
    expect((await getAuth(requestWith(pair))).user?.id).toBe(user.id)
  })

  it('moves "last seen" forward at most every few minutes', async () => {
    const user = await createTestUser()
    const { pair, id } = cookieFrom(await login(requestWith(null), user.id))
    const [before] = await db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).where(eq(sessions.id, id))
    expect(await recordQueries(() => getAuth(requestWith(pair)))).toHaveLength(1)
    const hourAgo = new Date(Date.now() - 3_600_000)
    await db.update(sessions).set({ lastSeenAt: hourAgo }).where(eq(sessions.id, id))
    expect(await recordQueries(() => getAuth(requestWith(pair)))).toHaveLength(2)
    const [after] = await db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).where(eq(sessions.id, id))
    expect(after!.lastSeenAt.getTime()).toBeGreaterThanOrEqual(before!.lastSeenAt.getTime())
  })

  it('issues a new session id at every log-in and ends the one the browser had (no fixation)', async () => {
    const user = await createTestUser()
    const first = cookieFrom(await login(requestWith(null), user.id))
    const second = cookieFrom(await login(requestWith(first.pair), user.id))
    expect(second.id).not.toBe(first.id)
    expect((await getAuth(requestWith(first.pair))).user).toBeNull()
    expect((await getAuth(requestWith(second.pair))).user?.id).toBe(user.id)
  })

  it('validates a request with one query, shared by every loader of that request', async () => {
    const user = await createTestUser()
    const { pair } = cookieFrom(await login(requestWith(null), user.id))
    const request = requestWith(pair)
    const queries = await recordQueries(async () => {
      await getAuth(request)
      await getAuth(request)
      await requireUser(request)
    })
    expect(queries).toHaveLength(1)
    expect(queries[0]).toMatch(/from "sessions" inner join "users"/)
    expect(await recordQueries(() => getAuth(requestWith(null)))).toHaveLength(0)
  })

  it('slides the expiry forward once a session is past half its life', async () => {
    const user = await createTestUser()
    const { pair, id } = cookieFrom(await login(requestWith(null), user.id))
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() + 10 * DAY) })
      .where(eq(sessions.id, id))
    const auth = await getAuth(requestWith(pair))
    expect(auth.user?.id).toBe(user.id)
    expect(auth.setCookie).toMatch(/Max-Age=2592000/)
    const [row] = await db.select().from(sessions).where(eq(sessions.id, id))
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY)
  })

  it('rejects an expired session and clears the cookie', async () => {
    const user = await createTestUser()
    const { pair, id } = cookieFrom(await login(requestWith(null), user.id))
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, id))
    const auth = await getAuth(requestWith(pair))
    expect(auth.user).toBeNull()
    expect(auth.setCookie).toMatch(/Max-Age=0/)
    expect(await db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0)
  })

  it('deletes the session on the server at log-out', async () => {
    const user = await createTestUser()
    const { pair, id } = cookieFrom(await login(requestWith(null), user.id))
    const response = await logout(requestWith(pair))
    expect(cookieFrom(response).header).toMatch(/Max-Age=0/)
    expect(await db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0)
    expect((await getAuth(requestWith(pair))).user).toBeNull()
  })
})

describe('guards', () => {
  it('sends readers to the log-in page with the way back', async () => {
    const thrown = await requireUser(requestWith(null, 'http://localhost/account?tab=1')).catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).headers.get('Location')).toBe('/login?redirectTo=%2Faccount%3Ftab%3D1')
  })

  it('refuses members a staff page with 403', async () => {
    const member = await createTestUser()
    const { pair } = cookieFrom(await login(requestWith(null), member.id))
    const thrown = await requireRole(requestWith(pair), ['moderator', 'admin']).catch((e: unknown) => e)
    expect((thrown as { init?: ResponseInit }).init?.status).toBe(403)
    const moderator = await createTestUser({ role: 'moderator' })
    const mod = cookieFrom(await login(requestWith(null), moderator.id))
    expect((await requireRole(requestWith(mod.pair), ['moderator', 'admin'])).user.id).toBe(moderator.id)
  })
})
