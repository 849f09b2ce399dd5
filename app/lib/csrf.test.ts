import { describe, expect, it } from 'vitest'
import { isAllowedOrigin } from './csrf.ts'

const site = { siteOrigins: ['https://threadline.example'] }

describe('isAllowedOrigin', () => {
  it('lets safe methods through whatever their origin', () => {
    expect(isAllowedOrigin({ ...site, method: 'GET', origin: 'https://evil.example', referer: null })).toBe(true)
  })

  it('accepts a post from this site, by Origin or else by Referer', () => {
    expect(isAllowedOrigin({ ...site, method: 'POST', origin: 'https://threadline.example', referer: null })).toBe(true)
    expect(isAllowedOrigin({ ...site, method: 'POST', origin: null, referer: 'https://threadline.example/login?x=1' })).toBe(true)
  })

  it.each([
    ['another site', 'https://evil.example', null],
    ['a look-alike', 'https://threadline.example.evil.example', null],
    ['another scheme', 'http://threadline.example', null],
    ['an opaque origin', 'null', null],
    ['a foreign referer', null, 'https://evil.example/threadline.example'],
    ['a broken referer', null, 'not a url'],
    ['no origin at all', null, null],
  ])('refuses %s', (_name, origin, referer) => {
    expect(isAllowedOrigin({ ...site, method: 'POST', origin, referer })).toBe(false)
    expect(isAllowedOrigin({ ...site, method: 'DELETE', origin, referer })).toBe(false)
  })
})
