import crypto from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { siteOrigin } from '#app/lib/http.server.ts'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#db/client.server.ts'
import { passwordResetTokens, sessions, users } from '#db/schema.ts'
import { isDomainError } from './errors.server.ts'
import { backgroundSettled } from './background.server.ts'
import { hashResetToken, isResetTokenValid, requestPasswordReset as askForReset, resetPassword } from './password-resets.server.ts'
import { putSetting } from './settings.server.ts'
import { verifyLogin } from './users.server.ts'

// Without SMTP_URL a mail is one line in the server log; the test reads the link from there.
let logged: string[] = []
beforeEach(async () => {
  await truncateAll()
  logged = []
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)))
})
afterEach(() => vi.restoreAllMocks())

/** Asks for a link and waits for its mail, which goes out after the answer, as the inbox would. */
async function requestPasswordReset(request: { email: string; ip: string }) {
  await askForReset(request)
  await backgroundSettled()
}

function tokenFromLog(email: string) {
  const line = logged.find((l) => l.includes(`mail to ${email}`))
  return line?.match(/\/reset-password\/([A-Za-z0-9_-]+)/)?.[1]
}

describe('hashResetToken', () => {
  it('is SHA-256 in hex, so the table never holds a usable token', () => {
    expect(hashResetToken('abc')).toBe(crypto.createHash('sha256').update('abc').digest('hex'))
    expect(hashResetToken('abc')).toHaveLength(64)
  })
})

describe('password reset', () => {
  it('mails a single-use link, stored hashed, that sets the password and ends every session', async () => {
    const user = await createTestUser()
    await db.insert(sessions).values({ id: 'old', userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) })
    await requestPasswordReset({ email: user.email, ip: '192.0.2.1' })

    const line = logged.find((l) => l.includes(user.email))!
    expect(line).toContain(`"Reset your Threadline password" ${siteOrigin()}/reset-password/`)
    const token = tokenFromLog(user.email)!
    const [stored] = await db.select().from(passwordResetTokens)
    expect(stored?.tokenHash).toBe(hashResetToken(token))
    expect(stored?.tokenHash).not.toContain(token)
    expect(await isResetTokenValid({ token })).toBe(true)

    const { userId } = await resetPassword({ token, password: 'a brand new password' })
    expect(userId).toBe(user.id)
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0)
    await verifyLogin({ login: user.email, password: 'a brand new password', ip: '192.0.2.1' })

    const again = await resetPassword({ token, password: 'yet another password' }).catch((e: unknown) => e)
    expect(isDomainError(again, 'invalid-token')).toBe(true)
    expect(await isResetTokenValid({ token })).toBe(false)
  })

  it('refuses an expired link', async () => {
    const user = await createTestUser()
    await requestPasswordReset({ email: user.email, ip: '192.0.2.1' })
    const token = tokenFromLog(user.email)!
    await db.execute(sql`update password_reset_tokens set expires_at = now() - interval '1 second'`)
    expect(await isResetTokenValid({ token })).toBe(false)
    const error = await resetPassword({ token, password: 'a brand new password' }).catch((e: unknown) => e)
    expect(isDomainError(error, 'invalid-token')).toBe(true)
  })

  it('does not let a banned member back in: the password stays, the link stays unused', async () => {
    const user = await createTestUser()
    await requestPasswordReset({ email: user.email, ip: '192.0.2.1' })
    const token = tokenFromLog(user.email)!
    await db.update(users).set({ bannedAt: new Date(), banReason: 'Spam' }).where(eq(users.id, user.id))
    const error = await resetPassword({ token, password: 'a brand new password' }).catch((e: unknown) => e)
    expect(isDomainError(error, 'account-unavailable')).toBe(true)
    expect((error as Error).message).toBe('This account is banned: Spam')
    await db.update(users).set({ bannedAt: null, banReason: null }).where(eq(users.id, user.id))
    await verifyLogin({ login: user.email, password: user.password, ip: '192.0.2.1' })
  })

  it('keeps only the newest link working', async () => {
    const user = await createTestUser()
    await requestPasswordReset({ email: user.email, ip: '192.0.2.1' })
    const first = tokenFromLog(user.email)!
    logged = []
    await requestPasswordReset({ email: user.email, ip: '192.0.2.1' })
    const second = tokenFromLog(user.email)!
    expect(await isResetTokenValid({ token: first })).toBe(false)
    expect(await isResetTokenValid({ token: second })).toBe(true)
  })

  it('answers an unknown address exactly as a known one, and sends nothing', async () => {
    await expect(
      requestPasswordReset({ email: 'nobody@example.com', ip: '192.0.2.1' }),
    ).resolves.toBeUndefined()
    expect(logged.filter((l) => l.includes('mail to'))).toEqual([])
    expect(await db.select().from(passwordResetTokens)).toHaveLength(0)
  })

  it('throttles requests per IP', async () => {
    await putSetting('resetRequestsPerIpPerHour', 1)
    await requestPasswordReset({ email: 'a@example.com', ip: '192.0.2.50' })
    const error = await requestPasswordReset({ email: 'a@example.com', ip: '192.0.2.50' }).catch(
      (e: unknown) => e,
    )
    expect(isDomainError(error, 'rate-limited')).toBe(true)
  })
})
