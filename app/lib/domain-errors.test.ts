import { describe, expect, it } from 'vitest'
import { DomainError, domainErrorStatus, isDomainError, retryAfterText } from './domain-errors.ts'

describe('DomainError', () => {
  it('carries its code, message and details, and maps the code to its status', () => {
    const error = new DomainError('rate-limited', 'Too many comments.', { retryAfterSeconds: 30 })
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'DomainError', code: 'rate-limited', message: 'Too many comments.', details: { retryAfterSeconds: 30 } })
    expect(domainErrorStatus(error)).toBe(429)
    expect(domainErrorStatus(new DomainError('not-found', 'No such story.'))).toBe(404)
    expect(domainErrorStatus(new DomainError('edit-window-closed', 'Too late.'))).toBe(409)
    expect(new DomainError('forbidden', 'No.').details).toEqual({})
  })

  it('is recognised by code, and nothing else passes for one', () => {
    const error = new DomainError('self-vote', 'Not your own.')
    expect(isDomainError(error)).toBe(true)
    expect(isDomainError(error, 'self-vote')).toBe(true)
    expect(isDomainError(error, 'forbidden')).toBe(false)
    expect(isDomainError(Object.assign(new Error('Not your own.'), { code: 'self-vote' }), 'self-vote')).toBe(false)
    expect(isDomainError(null)).toBe(false)
  })
})

describe('retryAfterText', () => {
  it.each([
    [2, 'in 2 seconds'],
    [12.1, 'in 13 seconds'],
    [59, 'in 59 seconds'],
    [60, 'in 1 minute'],
    [61, 'in 2 minutes'],
    [600, 'in 10 minutes'],
    [89 * 60, 'in 89 minutes'],
    [89 * 60 + 1, 'in 2 hours'],
    [3 * 3600, 'in 3 hours'],
  ])('%s seconds: "%s"', (seconds, text) => {
    expect(retryAfterText(seconds)).toBe(text)
  })
})
