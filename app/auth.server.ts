import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle'
import { redirect } from '@remix-run/node'
import { eq, sql } from 'drizzle-orm'
import { Cookie, Lucia, TimeSpan, type DatabaseSession, type DatabaseUser, type Session, type User } from 'lucia'
import { httpError, isHttps } from '#app/lib/http.server.ts'
import { safeRedirect } from '#app/lib/safe-redirect.ts'
import { db } from '#db/client.server.ts'
import { notifications, sessions, users, type Role } from '#db/schema.ts'
import { oncePerRequest } from '#app/lib/logger.server.ts'

// The only module that imports lucia (deprecated upstream but sound): sessions live in Postgres, one
// query validates a request, and the expiry slides forward while a member keeps coming back.

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
        unreadNotifications: sql<number>`(select count(*) from ${notifications} where ${notifications.userId} = ${users.id} and ${notifications.readAt} is null)`.mapWith(Number),
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sessionId))
    if (!row) return [null, null]
    const { id, userId, expiresAt, ...sessionAttributes } = row.session
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
    name: 'threadline_session',
    // Secure is decided per request: set whenever the site is reached over HTTPS.
    attributes: { sameSite: 'lax', secure: false, path: '/' },
  },
  getUserAttributes: (row) => ({
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    suspendedUntil: row.suspendedUntil,
    bannedAt: row.bannedAt,
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
      suspensionReason: string | null
      commentSort: string | null
      unreadNotifications: number
    }
    DatabaseSessionAttributes: { createdAt: Date; userAgent: string }
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

async function validate(request: Request): Promise<AuthResult> {
  const sessionId = lucia.readSessionCookie(request.headers.get('Cookie') ?? '')
  if (!sessionId) return { user: null, session: null, setCookie: null }
  const { session, user } = await lucia.validateSession(sessionId)
  // A ban ends the member's sessions when it is made; a session that slipped past (a log-in racing the
  // ban) ends here.
  if (session && user.bannedAt) await lucia.invalidateSession(session.id)
  if (!session || user.bannedAt) {
    return { user: null, session: null, setCookie: serializeCookie(lucia.createBlankSessionCookie(), request) }
  }
  // A session past half its life was just extended: send the cookie again with the new expiry.
  const setCookie = session.fresh ? serializeCookie(lucia.createSessionCookie(session.id), request) : null
  return { user, session, setCookie }
}

export function getAuth(request: Request): Promise<AuthResult> {
  let result = perRequest.get(request)
  if (!result) {
    // An action may change what validation returns (a new name, a log-out): after one, loaders check again.
    const sessionId = lucia.readSessionCookie(request.headers.get('Cookie') ?? '') ?? ''
    result = request.method === 'GET' ? oncePerRequest(`auth:${sessionId}`, () => validate(request)) : validate(request)
    perRequest.set(request, result)
  }
  return result
}

/** The signed-in member, or a redirect to the log-in page that comes back here afterwards. */
export async function requireUser(request: Request) {
  const auth = await getAuth(request)
  if (auth.user) return auth as { user: User; session: Session; setCookie: string | null }
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
  if (!roles.includes(auth.user.role)) httpError(403, 'This page is for staff only.')
  return auth
}

/**
 * Starts a new session (a fresh id every time, so a planted cookie is useless) and redirects to
 * `redirectTo` when it is a path on this site.
 */
export async function login(request: Request, userId: string, redirectTo?: string | null) {
  const previous = lucia.readSessionCookie(request.headers.get('Cookie') ?? '')
  if (previous) await lucia.invalidateSession(previous)
  const userAgent = (request.headers.get('User-Agent') ?? '').slice(0, 200)
  const session = await lucia.createSession(userId, { createdAt: new Date(), userAgent })
  return redirect(safeRedirect(redirectTo), {
    headers: { 'Set-Cookie': serializeCookie(lucia.createSessionCookie(session.id), request) },
  })
}

/** Ends the session on the server, not just in the browser. */
export async function logout(request: Request, redirectTo = '/') {
  const sessionId = lucia.readSessionCookie(request.headers.get('Cookie') ?? '')
  if (sessionId) await lucia.invalidateSession(sessionId)
  return redirect(safeRedirect(redirectTo), {
    headers: { 'Set-Cookie': serializeCookie(lucia.createBlankSessionCookie(), request) },
  })
}
