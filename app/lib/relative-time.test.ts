import { describe, expect, it } from 'vitest'
import { exactTime, relativeTime } from './relative-time.ts'

const now = new Date('2026-11-29T12:00:00Z')

describe('relativeTime', () => {
  it.each([
    ['2026-11-29T11:59:30Z', 'just now'],
    ['2026-11-29T11:58:00Z', '2 minutes ago'],
    ['2026-11-29T09:00:00Z', '3 hours ago'],
    ['2026-11-28T12:00:00Z', 'yesterday'],
    ['2026-11-15T12:00:00Z', '2 weeks ago'],
    ['2025-11-01T12:00:00Z', 'last year'],
  ])('%s is %s', (value, expected) => {
    expect(relativeTime(value, now)).toBe(expected)
  })
})

describe('exactTime', () => {
  it('names the date, time and zone', () => {
    expect(exactTime('2026-11-29T07:05:00Z')).toBe('29 November 2026 at 07:05 UTC')
  })

  it('words every month as the en-GB long date style does', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })
    for (let month = 0; month < 12; month++) {
      const date = new Date(Date.UTC(2026, month, month + 1, month * 2, month * 5 + 1, 59))
      expect(exactTime(date)).toBe(`${intl.format(date)} UTC`)
    }
  })
})
