import { SESSION_COOKIE } from '../lib/session-cookie.ts'

// Cookie headers that carry a session under some spelling of its name: for the tests that hold the
// shared page cache to "never store what a member sees" (session-cookie.test.ts, e2e/page-cache.spec.ts).

const percent = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`

/** Every spelling of the cookie's name a reader of cookies might take for it. */
export function sessionNameVariants(name = SESSION_COOKIE): string[] {
  const variants = new Set<string>([name, name.toUpperCase(), 'Threadline_Session', ` ${name}`, `"${name}"`])
  for (let i = 0; i < name.length; i++) {
    variants.add(name.slice(0, i) + percent(name[i]!) + name.slice(i + 1))
    variants.add(name.slice(0, i) + percent(name[i]!).toLowerCase() + name.slice(i + 1))
  }
  variants.add([...name].map(percent).join(''))
  variants.add(name.replace('_', '%255F'))
  variants.add(name.replace('_', '%5f').toUpperCase())
  return [...variants]
}

/** Cookie headers carrying `token` under each spelling, alone, among other cookies, and twice. */
export function* sessionCookieHeaders(token: string, { values = [token], others = ['theme=dark'], separators = ['; '] } = {}) {
  for (const name of sessionNameVariants()) {
    for (const value of values) {
      for (const sep of separators) {
        yield `${name}=${value}`
        for (const other of others) {
          yield [other, `${name}=${value}`].join(sep)
          yield [`${name}=${value}`, other].join(sep)
        }
        yield [`${name}=${value}`, `${SESSION_COOKIE}=${token}`].join(sep)
        yield [`${SESSION_COOKIE}=${token}`, `${name}=${value}`].join(sep)
      }
    }
  }
}
