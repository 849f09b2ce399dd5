import { describe, expect, it } from 'vitest'
import { DisplayNameSchema, EmailSchema, PasswordSchema, ResetPasswordSchema, SignupSchema, UsernameSchema } from './auth.ts'

describe('EmailSchema', () => {
  it('trims and lower-cases', () => {
    expect(EmailSchema.parse('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com')
  })
  it.each(['', 'not-an-email', 'a@', '@b.co', `${'x'.repeat(250)}@b.co`])('refuses %j', (value) => {
    expect(EmailSchema.safeParse(value).success).toBe(false)
  })
})

describe('UsernameSchema', () => {
  it.each(['ada', 'Ada_Lovelace', 'h200-fan', 'a'.repeat(30)])('accepts %j', (value) => {
    expect(UsernameSchema.parse(value)).toBe(value)
  })
  it.each([
    ['ab', 'at least 3'],
    ['a'.repeat(31), 'at most 30'],
    ['1ada', 'starting with a letter'],
    ['ada lovelace', 'letters, digits'],
    ['ada<script>', 'letters, digits'],
    ['Admin', 'reserved'],
  ])('refuses %j with a message saying why', (value, message) => {
    const result = UsernameSchema.safeParse(value)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toContain(message)
  })
})

describe('PasswordSchema', () => {
  it('needs 10 to 256 characters, not all spaces', () => {
    expect(PasswordSchema.safeParse('correct horse').success).toBe(true)
    expect(PasswordSchema.safeParse('short').success).toBe(false)
    expect(PasswordSchema.safeParse(' '.repeat(12)).success).toBe(false)
    expect(PasswordSchema.safeParse('x'.repeat(257)).success).toBe(false)
  })
})

describe('DisplayNameSchema', () => {
  it('trims, and refuses control and direction-override characters', () => {
    expect(DisplayNameSchema.parse('  Sam Reader ')).toBe('Sam Reader')
    expect(DisplayNameSchema.parse('李小龍 ✓')).toBe('李小龍 ✓')
    expect(DisplayNameSchema.safeParse('evil\u202Eeman').success).toBe(false)
    expect(DisplayNameSchema.safeParse('a\u0000b').success).toBe(false)
    expect(DisplayNameSchema.safeParse('   ').success).toBe(false)
  })
})

describe('form schemas', () => {
  it('reports every field of a sign-up at once', () => {
    const result = SignupSchema.safeParse({ email: 'x', username: '1', password: 'short' })
    expect(result.success).toBe(false)
    expect(new Set(result.error?.issues.map((i) => i.path[0]))).toEqual(new Set(['email', 'username', 'password']))
  })
  it('checks that a new password was typed the same twice', () => {
    const result = ResetPasswordSchema.safeParse({ password: 'long enough pw', confirm: 'long enough pv' })
    expect(result.error?.issues[0]?.path).toEqual(['confirm'])
  })
})
