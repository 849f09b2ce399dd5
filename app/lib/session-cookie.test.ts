// Lucia's own cookie reader, which the session check used before: it decodes names, so an encoded
// name it would honour must never pass for an anonymous request.
import { parseCookies as luciaParseCookies } from 'lucia/dist/cookie.js'
import { describe, expect, it } from 'vitest'
import { sessionCookieHeaders } from '#app/test/cookie-variants.ts'
import { isAnonymousRequest, readSessionCookie, SESSION_COOKIE } from './session-cookie.ts'

const TOKEN = 'Qx3v9_7e-kWmA0bcDefGhIJklmNOpqrstUVwxYZ0123'

/** A reader as lenient as any framework's: names decoded, trimmed, unquoted and compared in any case. */
function lenientFind(header: string): string | null {
  for (const part of header.split(/;/)) {
    const at = part.indexOf('=')
    if (at === -1) continue
    let name = part.slice(0, at).trim().replace(/^"|"$/g, '')
    try {
      for (let i = 0; i < 3; i++) name = decodeURIComponent(name)
    } catch {
      // as far as it decodes
    }
    if (name.trim().toLowerCase() === SESSION_COOKIE) return part.slice(at + 1).trim() || null
  }
  return null
}

function luciaFind(header: string): string | null {
  try {
    return luciaParseCookies(header).get(SESSION_COOKIE) || null
  } catch {
    return null
  }
}

const values = [TOKEN, encodeURIComponent(TOKEN), `"${TOKEN}"`, 'short', '']
const others = ['theme=dark', 'a=%E0%A4%A', 'session=1']
const separators = ['; ', ';', ' ; ']

describe('readSessionCookie', () => {
  it('reads the one cookie the app sets, and nothing else', () => {
    expect(readSessionCookie(`${SESSION_COOKIE}=${TOKEN}`)).toEqual({ token: TOKEN, ambiguous: false })
    expect(readSessionCookie(`theme=dark; ${SESSION_COOKIE}=${TOKEN}`)).toEqual({ token: TOKEN, ambiguous: false })
    expect(readSessionCookie(`theme=dark;${SESSION_COOKIE}=${TOKEN}`)).toEqual({ token: TOKEN, ambiguous: false })
    expect(readSessionCookie('theme=dark')).toEqual({ token: null, ambiguous: false })
    expect(readSessionCookie(undefined)).toEqual({ token: null, ambiguous: false })
    expect(isAnonymousRequest('theme=dark; session=1')).toBe(true)
  })

  it('never calls a request anonymous when any reader of cookies would find a session in it', () => {
    let checked = 0
    let found = 0
    for (const header of sessionCookieHeaders(TOKEN, { values, others, separators })) {
      checked++
      const seen = luciaFind(header) ?? lenientFind(header)
      const ours = readSessionCookie(header)
      if (seen) {
        found++
        expect(isAnonymousRequest(header), header).toBe(false)
      }
      // The session check only ever uses a well-formed token under the exact name.
      if (ours.token !== null) expect(ours.token).toBe(TOKEN)
    }
    expect(checked).toBeGreaterThan(4000)
    expect(found).toBeGreaterThan(checked / 2)
  })

  it('treats a malformed escape in a name as a possible session (it cannot be read, so it cannot be cleared)', () => {
    expect(isAnonymousRequest('threadline%5session=x')).toBe(false)
    expect(isAnonymousRequest('%E0%A4%A=x')).toBe(false)
    // Values are not names: a malformed value under another name is nobody's session.
    expect(isAnonymousRequest('a=%E0%A4%A')).toBe(true)
  })
})
