import { describe, expect, test } from 'vitest'
import { isAllowedOrigin } from './csrf.ts'

// Found by mutation testing: the "null" Origin and the Origin's precedence over the Referer were not pinned.
const site = ['https://threadline.example']
const post = (origin: string | null, referer: string | null) => isAllowedOrigin({ method: 'POST', origin, referer, siteOrigins: site })

describe('where a state-changing request may come from', () => {
  test('an Origin of "null" (a sandboxed or privacy-preserving page) is no origin: the Referer decides', () => {
    expect(post('null', 'https://threadline.example/articles/a')).toBe(true)
    expect(post('null', 'https://evil.example/')).toBe(false)
    expect(post('null', null)).toBe(false)
    expect(isAllowedOrigin({ method: 'POST', origin: 'null', referer: null, siteOrigins: [...site, 'null'] })).toBe(false)
  })

  test('an Origin, when sent, decides alone: the Referer is not consulted', () => {
    expect(post('https://threadline.example', null)).toBe(true)
    expect(post('https://threadline.example', 'not a url')).toBe(true)
    expect(post('https://evil.example', 'https://threadline.example/articles/a')).toBe(false)
    expect(post('', 'https://threadline.example/x')).toBe(true)
  })
})
