// The one reading of the session cookie. The session check (auth.server.ts) and the shared page
// cache (server.ts) both ask this function whether a request carries a session, so they cannot
// disagree: a request the check would treat as a member's is never stored or served as a reader's.

export const SESSION_COOKIE = 'threadline_session'

/** What a session token looks like: 32 random bytes in base64url (older sessions: 40 base32 characters). */
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/

export type SessionCookie = {
  /** The token of the one well-formed `threadline_session` cookie, or null. */
  token: string | null
  /**
   * Something in the header could be taken for a session by some reader of cookies: the name
   * percent-encoded, in another case, quoted, repeated, or a value that is not a token. Such a
   * request is never answered from, or stored in, the cache of pages shared by every reader.
   */
  ambiguous: boolean
}

/** Percent-decodes until nothing changes; a malformed escape stops it (and counts as suspicious). */
function decodeName(raw: string): { name: string; malformed: boolean } {
  let name = raw
  for (let i = 0; i < 5 && name.includes('%'); i++) {
    try {
      const decoded = decodeURIComponent(name)
      if (decoded === name) break
      name = decoded
    } catch {
      return { name, malformed: true }
    }
  }
  return { name, malformed: false }
}

export function readSessionCookie(header: string | null | undefined): SessionCookie {
  if (!header) return { token: null, ambiguous: false }
  const exact: string[] = []
  let ambiguous = false
  for (const part of header.split(';')) {
    const at = part.indexOf('=')
    const rawName = (at === -1 ? part : part.slice(0, at)).trim()
    if (!rawName) continue
    const value = at === -1 ? '' : part.slice(at + 1).trim()
    if (rawName === SESSION_COOKIE) {
      exact.push(value)
      continue
    }
    const { name, malformed } = decodeName(rawName)
    const folded = name.replace(/^["'\s]+|["'\s]+$/g, '').toLowerCase()
    if (malformed || folded.includes(SESSION_COOKIE)) ambiguous = true
  }
  if (exact.length > 1) ambiguous = true
  const token = exact[0] ?? null
  if (token === null) return { token: null, ambiguous }
  if (!TOKEN.test(token)) return { token: null, ambiguous: true }
  return { token, ambiguous }
}

/** Whether a request is a reader's for certain: no session, and nothing that could pass for one. */
export function isAnonymousRequest(cookieHeader: string | null | undefined): boolean {
  const { token, ambiguous } = readSessionCookie(cookieHeader)
  return token === null && !ambiguous
}

/**
 * Set for a few seconds after a member's write: their next pages are rendered for them alone, so
 * they see what they just did before the shared pages hear of it (server.ts).
 */
export const FRESH_COOKIE = 'threadline_fresh'
export const FRESH_SECONDS = 10

/**
 * Whether a member's request may be answered with the rendering every reader shares, their part
 * added (app/member-page.server.tsx): one unambiguous session, and no other cookie of this site (a
 * notice to show once, a write just made) that their own render would act on.
 */
export function mayShareRendering(cookieHeader: string | null | undefined): boolean {
  const { token, ambiguous } = readSessionCookie(cookieHeader)
  if (token === null || ambiguous) return false
  return !cookieHeader!.split(';').some((part) => {
    const name = part.split('=', 1)[0]!.trim().toLowerCase()
    return name !== SESSION_COOKIE && name.startsWith('threadline')
  })
}

/** The cookie that marks a member's write (see FRESH_COOKIE). */
export function freshCookie({ https }: { https: boolean }) {
  return `${FRESH_COOKIE}=1; Max-Age=${FRESH_SECONDS}; Path=/; HttpOnly; SameSite=Lax${https ? '; Secure' : ''}`
}
