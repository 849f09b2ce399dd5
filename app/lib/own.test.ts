import { describe, expect, it } from 'vitest'
import { own } from './own.ts'

describe('own', () => {
  const messages: Record<string, string> = { saved: 'Saved.' }
  it('finds own keys only', () => {
    expect(own(messages, 'saved')).toBe('Saved.')
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', null, undefined]) expect(own(messages, key)).toBeUndefined()
  })
})
