import crypto from 'node:crypto'
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle'
import { redirect } from '@remix-run/node'
import { and, eq, lt, sql } from 'drizzle-orm'
import { Cookie, Lucia, TimeSpan, type DatabaseSession, type DatabaseUser, type Session, type User } from 'lucia'
import { httpError, isHttps } from '#app/lib/http.server.ts'
import { ipArea } from '#app/lib/ip-area.server.ts'
import { hasRole } from '#app/lib/roles.ts'
import { safeRedirect } from '#app/lib/safe-redirect.ts'
import { readSessionCookie, SESSION_COOKIE } from '#app/lib/session-cookie.ts'
import { db } from '#app/db.server.ts'
import { notifications, sessions, users, type Role } from '#db/schema.ts'
import { oncePerRequest } from '#app/lib/logger.server.ts'

// The only module that imports lucia (deprecated upstream but sound): sessions live in Postgres, one
// query validates a request, and the expiry slides forward while a member keeps coming back.
//
// The browser holds a random token; the database holds only its SHA-256, as the session's id. Lucia
// is handed the hash wherever it says "session id", and the cookie always carries the token.

/** 256 random bits: the secret a browser holds. */
function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

/** The id a token's session is stored under. */
export function sessionIdFor(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex')
}

// How often a session's "last seen" moves forward: a write per session per interval, not per request.
const LAST_SEEN_INTERVAL_MS = 5 * 60_000

/**
 * Lucia's Drizzle adapter, with the member's count of unread notifications read in the same query
 * as the session and the user: the header shows it on every page, and it costs no query of its own.
 */
class ThreadlineAdapter extends DrizzlePostgreSQLAdapter {
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await db
      .select({
        session: sessions,
        user: users,
        unreadNotifications:
          sql<number>`(select count(*) from ${notifications} where ${notifications.userId} = ${users.id} and ${notifications.readAt} is null)`.mapWith(
            Number,
          ),
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sessionId))
    if (!row) return [null, null]
    const { id, userId, expiresAt, ...sessionAttributes } = row.session
    if (Date.now() - sessionAttributes.lastSeenAt.getTime() > LAST_SEEN_INTERVAL_MS) {
      await db
        .update(sessions)
        .set({ lastSeenAt: sql`now()` })
        .where(and(eq(sessions.id, id), lt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${LAST_SEEN_INTERVAL_MS / 1000})`)))
    }
    const { id: uid, ...userAttributes } = row.user
    return [
      { id, userId, expiresAt, attributes: sessionAttributes },
      { id: uid, attributes: { ...userAttributes, unreadNotifications: row.unreadNotifications } },
    ]
  }
}

const adapter = new ThreadlineAdapter(db as never, sessions, users)

export const lucia = new Lucia(adapter, {
  sessionExpiresIn: new TimeSpan(30, 'd'),
  sessionCookie: {
    name: SESSION_COOKIE,
    // Secure is decided per request: set whenever the site is reached over HTTPS.
    attributes: { sameSite: 'lax', secure: false, path: '/' },
  },
  getUserAttributes: (row) => ({
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    suspendedUntil: row.suspendedUntil,
    bannedAt: row.bannedAt,
    deletedAt: row.deletedAt,
    suspensionReason: row.suspensionReason,
    commentSort: row.commentSort,
    unreadNotifications: row.unreadNotifications,
  }),
  getSessionAttributes: (row) => ({ createdAt: row.createdAt, userAgent: row.userAgent }),
})

declare module 'lucia' {
  interface Register {
    Lucia: typeof lucia
    DatabaseUserAttributes: {
      username: string
      displayName: string
      role: Role
      suspendedUntil: Date | null
      bannedAt: Date | null
      deletedAt: Date | null
      suspensionReason: string | null
      commentSort: string | null
      unreadNotifications: number
    }
    DatabaseSessionAttributes: { createdAt: Date; userAgent: string; ipArea: string; lastSeenAt?: Date; publicId?: string }
  }
}

export type Auth = { user: User; session: Session } | { user: null; session: null }
type AuthResult = Auth & { setCookie: string | null }

function serializeCookie(cookie: Cookie, request: Request) {
  return new Cookie(cookie.name, cookie.value, { ...cookie.attributes, secure: isHttps(request) }).serialize()
}

// Loaders of one request share one validation: one query, however many routes ask. Remix gives each
// loader its own copy of the Request, so the sharing is per served request (see logger.server.ts).
const perRequest = new WeakMap<Request, Promise<AuthResult>>()

/** The token of the request's session cookie (see session-cookie.ts: the page cache asks the same). */
function tokenOf(request: Request): string | null {
  return readSessionCookie(request.headers.get('Cookie')).token
}

async function validate(request: Request): Promise<AuthResult> {
  const token = tokenOf(request)
  if (!token) return { user: null, session: null, setCookie: null }
  const { session, user } = await lucia.validateSession(sessionIdFor(token))
  // A ban or a deletion ends the member's sessions when it is made; a session that slipped past (a
  // log-in or a reset racing it) ends here, so no page ever runs for an account that is gone.
  const ended = session !== null && (user.bannedAt !== null || user.deletedAt !== null)
  if (ended) await lucia.invalidateSession(session.id)
  if (!session || ended) {
    return { user: null, session: null, setCookie: serializeCookie(lucia.createBlankSessionCookie(), request) }
  }
  // A session past half its life was just extended: send the cookie again with the new expiry.
  const setCookie = session.fresh ? serializeCookie(lucia.createSessionCookie(token), request) : null
  return { user, session, setCookie }
}

export function getAuth(request: Request): Promise<AuthResult> {
  let result = perRequest.get(request)
  if (!result) {
    // An action may change what validation returns (a new name, a log-out): after one, loaders check again.
    const token = tokenOf(request) ?? ''
    result = request.method === 'GET' ? oncePerRequest(`auth:${token}`, () => validate(request)) : validate(request)
    perRequest.set(request, result)
  }
  return result
}

/** The signed-in member, or a redirect to the log-in page that comes back here afterwards. */
export async function requireUser(request: Request) {
  const auth = await getAuth(request)
  if (auth.user) return auth
  const url = new URL(request.url)
  // A cookie that named no live session (expired, logged out, made up) is cleared on the way.
  throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`, {
    headers: auth.setCookie ? { 'Set-Cookie': auth.setCookie } : undefined,
  })
}

/** For pages only readers need (log in, sign up): a member is sent on to where they were going. */
export async function requireAnonymous(request: Request, redirectTo: string | undefined) {
  const auth = await getAuth(request)
  if (auth.user) throw redirect(safeRedirect(redirectTo))
}

/** The signed-in member when their role is one of `roles`; a 403 otherwise. */
export async function requireRole(request: Request, roles: Role[]) {
  const auth = await requireUser(request)
  if (!hasRole(auth.user.role, roles)) httpError(403, 'This page is for staff only.')
  return auth
}

/**
 * Starts a session for `userId` and returns the cookie that carries its token. `clientIp` is kept
 * only as its network (ip-area.server.ts), for the member's list of sessions.
 */
export async function startSession(request: Request, userId: string, clientIp?: string) {
  const token = newSessionToken()
  const userAgent = (request.headers.get('User-Agent') ?? '').slice(0, 200)
  await lucia.createSession(userId, { createdAt: new Date(), userAgent, ipArea: ipArea(clientIp) }, { sessionId: sessionIdFor(token) })
  return serializeCookie(lucia.createSessionCookie(token), request)
}

/**
 * Starts a new session (a fresh token every time, so a planted cookie is useless) and redirects to
 * `redirectTo` when it is a path on this site.
 */
export async function login(request: Request, userId: string, redirectTo?: string | null, clientIp?: string) {
  const previous = tokenOf(request)
  if (previous) await lucia.invalidateSession(sessionIdFor(previous))
  return redirect(safeRedirect(redirectTo), {
    headers: { 'Set-Cookie': await startSession(request, userId, clientIp) },
  })
}

/** Ends the session on the server, not just in the browser. */
export async function logout(request: Request, redirectTo = '/') {
  const token = tokenOf(request)
  if (token) await lucia.invalidateSession(sessionIdFor(token))
  return redirect(safeRedirect(redirectTo), {
    headers: { 'Set-Cookie': serializeCookie(lucia.createBlankSessionCookie(), request) },
  })
}
