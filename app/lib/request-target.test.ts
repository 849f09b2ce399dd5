import { describe, expect, it } from 'vitest'
import { MAX_PATH_LENGTH, requestTargetProblem } from './request-target.ts'

describe('requestTargetProblem', () => {
  it.each([
    '/',
    '/articles/h200-exports-to-china-approved?sort=new&page=2',
    '/search?q=caf%C3%A9+%E2%82%AC',
    '/search?q=%F0%9F%98%80',
    '/chips/h200?utm=%2F%3F',
    '/tags/x?q=100%25',
    '/search?q=a+b&q=c',
    '/search?q',
    '/search?',
    '/chips/caf\u00c3\u00a9', // raw UTF-8 bytes for "café", as Node hands them over (Latin-1)
  ])('accepts %j', (target) => {
    expect(requestTargetProblem(target)).toBeNull()
  })

  it.each([
    ['/%E0%A4%A', 'path', 'broken %-escape'],
    ['/chips/%ZZ', 'path', 'broken %-escape'],
    ['/chips/%', 'path', 'broken %-escape'],
    ['/chips/%4', 'path', 'broken %-escape'],
    ['/search?q=%', 'query string', 'broken %-escape'],
    ['/search?q=%G1', 'query string', 'broken %-escape'],
    ['/%C0%AF', 'path', 'not valid UTF-8'], // overlong "/"
    ['/%ED%A0%80', 'path', 'not valid UTF-8'], // a UTF-16 surrogate
    ['/%FF', 'path', 'not valid UTF-8'],
    ['/%E0%A4', 'path', 'not valid UTF-8'], // truncated sequence
    ['/chips/\u00ff', 'path', 'not valid UTF-8'], // a raw 0xFF byte
    ['/search?q=%C0%AF', 'query string', 'not valid UTF-8'],
    ['/search?q=%FF', 'query string', 'not valid UTF-8'],
    ['/search?%ED%A0%80=1', 'query string', 'not valid UTF-8'],
    ['/chips/a%00b', 'path', 'null character'],
  ])('refuses %j with 400 naming the %s', (target, part, what) => {
    const problem = requestTargetProblem(target)
    expect(problem?.status).toBe(400)
    expect(problem?.message).toContain(part)
    expect(problem?.message).toContain(what)
  })

  it('refuses a path longer than the limit with 414, and takes one at it', () => {
    const at = `/${'a'.repeat(MAX_PATH_LENGTH - 1)}`
    expect(requestTargetProblem(at)).toBeNull()
    const problem = requestTargetProblem(`${at}b?x=1`)
    expect(problem?.status).toBe(414)
    expect(problem?.message).toBe('This address is too long: its path has 2,049 characters, and we read at most 2,048.')
  })

  it('leaves a long query string to the routes that read it', () => {
    expect(requestTargetProblem(`/chips/h20?utm=${'x'.repeat(10_000)}`)).toBeNull()
  })
})
