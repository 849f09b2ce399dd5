import { z } from 'zod'
import { describe, expect, test } from 'vitest'
import { MAX_QUERY_STRING, originFromEnv, parseSearchParams, requireSlug } from './http.server.ts'

// Refusals of addresses, as pure functions (found by mutation testing: each assertion fails when the
// rule it names is changed).

function refusal(run: () => unknown): { status: number; message: string } | null {
  try {
    run()
    return null
  } catch (thrown) {
    const response = thrown as { init?: { status?: number }; data?: { message: string } }
    return { status: response.init?.status ?? 0, message: response.data?.message ?? '' }
  }
}

describe('slugs in an address', () => {
  test('a slug is lowercase words joined by single hyphens, at most 200 characters; anything else is a 404', () => {
    // (Another spelling of a valid slug, such as upper case, is a redirect: see slug-canonical.test.ts.)
    const request = (slug: string) => new Request(`http://localhost/articles/${encodeURIComponent(slug)}`)
    expect(requireSlug(request('h100-export-rules-2'), 'h100-export-rules-2', 'story')).toBe('h100-export-rules-2')
    expect(requireSlug(request('a'.repeat(200)), 'a'.repeat(200), 'story')).toBe('a'.repeat(200))
    for (const bad of [undefined, '', 'a'.repeat(201), '-lead', 'trail-', 'double--hyphen', 'dot.ted', 'x y', 'x\ny']) {
      expect(refusal(() => requireSlug(request(bad ?? ''), bad, 'story'))).toEqual({ status: 404, message: 'There is no story at this address.' })
    }
  })
})

describe('query strings', () => {
  const schema = z.object({ page: z.coerce.number().int().min(1).default(1), sort: z.enum(['new', 'top']).optional(), q: z.string().optional() })
  const parse = (search: string) => parseSearchParams(new Request(`http://localhost/x${search}`), schema)

  test('takes the last of a repeated parameter', () => {
    expect(parse('?page=2&page=3&sort=top')).toEqual({ page: 3, sort: 'top' })
    expect(parse('')).toEqual({ page: 1 })
  })

  test('a query string of up to the limit is read; one longer is a 400 that says how long', () => {
    const fill = (length: number) => `?q=${'a'.repeat(length - 3)}`
    expect(parse(fill(MAX_QUERY_STRING)).q).toHaveLength(MAX_QUERY_STRING - 3)
    const refused = refusal(() => parse(fill(MAX_QUERY_STRING + 1)))
    expect(refused).toEqual({
      status: 400,
      message: 'This address is too long: its query string has 4,097 characters, and we read at most 4,096.',
    })
  })

  test('a value the schema refuses is a 400 naming the parameter', () => {
    expect(refusal(() => parse('?sort=sideways'))).toEqual({
      status: 400,
      message: 'This address has a parameter we cannot use: sort is not one of the accepted values.',
    })
    expect(refusal(() => parse('?page=0'))?.status).toBe(400)
  })

  test('a null character in a parameter the schema keeps is a 400; in one it ignores, not its business', () => {
    expect(refusal(() => parse('?q=a%00b'))).toEqual({
      status: 400,
      message: 'This address has a parameter we cannot use: q holds a null character (%00).',
    })
    expect(parse('?other=a%00b')).toEqual({ page: 1 })
  })
})

describe('the site’s origin', () => {
  test('PUBLIC_URL when set, else localhost or the named host on the port', () => {
    expect(originFromEnv({ PUBLIC_URL: 'https://threadline.example/some/path', HOST: 'x', PORT: 1 })).toBe('https://threadline.example')
    expect(originFromEnv({ PUBLIC_URL: undefined, HOST: undefined, PORT: 3000 })).toBe('http://localhost:3000')
    expect(originFromEnv({ PUBLIC_URL: undefined, HOST: '0.0.0.0', PORT: 3000 })).toBe('http://localhost:3000')
    expect(originFromEnv({ PUBLIC_URL: undefined, HOST: '::', PORT: 3000 })).toBe('http://localhost:3000')
    expect(originFromEnv({ PUBLIC_URL: undefined, HOST: 'news.local', PORT: 8080 })).toBe('http://news.local:8080')
    expect(originFromEnv({ PUBLIC_URL: undefined, HOST: '::1', PORT: 8080 })).toBe('http://[::1]:8080')
  })
})
