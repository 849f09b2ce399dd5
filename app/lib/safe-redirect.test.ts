import { describe, expect, it } from 'vitest'
import { safeRedirect } from './safe-redirect.ts'

describe('safeRedirect', () => {
  it('keeps paths on this site', () => {
    expect(safeRedirect('/articles/h200?sort=new#c12')).toBe('/articles/h200?sort=new#c12')
  })

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '', null, '/\tx'])('refuses %j', (to) => {
    expect(safeRedirect(to, '/home')).toBe('/home')
  })
})
