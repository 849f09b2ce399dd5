import { describe, expect, it } from 'vitest'
import { canonicalLocation, canonicalSlug, requireSlug } from './http.server.ts'

describe('canonical slugs', () => {
  it.each([
    ['h200', 'h200'],
    ['H200', 'h200'],
    ['Ascend-910B', 'ascend-910b'],
    [' h200 ', 'h200'],
  ])('%j is spelled %j', (value, slug) => {
    expect(canonicalSlug(value)).toBe(slug)
  })

  it.each([undefined, '', 'h200.json', 'a--b', '-a', 'ä', 'x'.repeat(201)])('%j is no slug', (value) => {
    expect(canonicalSlug(value)).toBeNull()
  })

  it('replaces the segment, keeps the rest of the address', () => {
    expect(canonicalLocation('http://x/chips/H200/feed.xml?a=1', 'H200', 'h200')).toBe('/chips/h200/feed.xml?a=1')
    expect(canonicalLocation('http://x/chips/H200.data?_routes=x', 'H200', 'h200')).toBe('/chips/h200')
    expect(canonicalLocation('http://x/chips/%20H200', ' H200', 'h200')).toBe('/chips/h200')
  })

  it('redirects another spelling with 308 and refuses what cannot be a slug with 404', () => {
    const request = new Request('http://x/chips/H200/correct')
    let thrown: unknown
    try {
      requireSlug(request, 'H200', 'chip')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(308)
    expect((thrown as Response).headers.get('Location')).toBe('/chips/h200/correct')
    expect(requireSlug(request, 'h200', 'chip')).toBe('h200')
    expect(() => requireSlug(request, 'no/such', 'chip')).toThrow()
  })
})
