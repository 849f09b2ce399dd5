import crypto from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { siteOrigin } from '#app/lib/http.server.ts'
import { truncateAll } from '#app/test/db.ts'
import { loggedMail } from '#app/test/logged-mail.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { passwordResetTokens, sessions, users } from '#db/schema.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import { backgroundSettled } from './background.server.ts'
import { checkResetToken, hashResetToken, isResetTokenValid, requestPasswordReset, resetPassword } from './password-resets.server.ts'
import { putSetting } from './settings.server.ts'
import { changePassword, deleteAccount, verifyLogin } from './users.server.ts'

beforeEach(truncateAll)
const mail = loggedMail()

/** A reset request, and the work it leaves off the request's path (its mail), as the inbox sees it. */
async function requestReset(input: { email: string; ip: string }) {
  await requestPasswordReset(input)
  await backgroundSettled()
}

function tokenFromLog(email: string) {
  return mail.tokenFor(email, '/reset-password/')
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
    await requestReset({ email: user.email, ip: '192.0.2.1' })

    const [line] = mail.to(user.email)
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
    await requestReset({ email: user.email, ip: '192.0.2.1' })
    const token = tokenFromLog(user.email)!
    await db.execute(sql`update password_reset_tokens set expires_at = now() - interval '1 second'`)
    expect(await isResetTokenValid({ token })).toBe(false)
    const error = await resetPassword({ token, password: 'a brand new password' }).catch((e: unknown) => e)
    expect(isDomainError(error, 'invalid-token')).toBe(true)
  })

  it('does not let a banned member back in: the password stays, the link stays unused', async () => {
    const user = await createTestUser()
    await requestReset({ email: user.email, ip: '192.0.2.1' })
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
    await requestReset({ email: user.email, ip: '192.0.2.1' })
    const first = tokenFromLog(user.email)!
    await requestReset({ email: user.email, ip: '192.0.2.1' })
    const second = tokenFromLog(user.email)!
    expect(await isResetTokenValid({ token: first })).toBe(false)
    expect(await isResetTokenValid({ token: second })).toBe(true)
  })

  it('answers an unknown address exactly as a known one, and sends nothing', async () => {
    await requestReset({ email: 'nobody@example.com', ip: '192.0.2.1' })
    expect(mail.all()).toEqual([])
    expect(await db.select().from(passwordResetTokens)).toHaveLength(0)
  })

  it('throttles requests per IP', async () => {
    await putSetting('resetRequestsPerIpPerHour', 1)
    await requestReset({ email: 'a@example.com', ip: '192.0.2.50' })
    const error = await requestReset({ email: 'a@example.com', ip: '192.0.2.50' }).catch((e: unknown) => e)
    expect(isDomainError(error, 'rate-limited')).toBe(true)
  })
})

describe('outstanding reset links end', () => {
  // Each event that must end every link mailed before it; the link is then refused by the page and
  // by the form, and the password stays what the event made it.
  const events = {
    'a password change from the account page': async (user: Awaited<ReturnType<typeof createTestUser>>) => {
      await changePassword({ actorId: user.id, currentPassword: user.password, newPassword: 'changed on the account page', keepSessionId: 'none' })
      return { password: 'changed on the account page', reason: /expired or has already been used/ }
    },
    'a password change through another reset link': async (user: Awaited<ReturnType<typeof createTestUser>>) => {
      // Two links live at once (one inserted by hand: a newer request would already end the first).
      const other = crypto.randomBytes(32).toString('base64url')
      await db.insert(passwordResetTokens).values({ tokenHash: hashResetToken(other), userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) })
      await resetPassword({ token: other, password: 'changed through the other link' })
      return { password: 'changed through the other link', reason: /expired or has already been used/ }
    },
    'a newer reset request': async (user: Awaited<ReturnType<typeof createTestUser>>) => {
      await requestReset({ email: user.email, ip: '192.0.2.9' })
      return { password: user.password, reason: /expired or has already been used/ }
    },
    'the deletion of the account': async (user: Awaited<ReturnType<typeof createTestUser>>) => {
      await deleteAccount({ actorId: user.id, password: user.password })
      return { password: null, reason: /account that has been deleted/ }
    },
  }

  for (const [event, happen] of Object.entries(events)) {
    it(`on ${event}`, async () => {
      const user = await createTestUser()
      await requestReset({ email: user.email, ip: '192.0.2.1' })
      const token = tokenFromLog(user.email)!
      expect(await isResetTokenValid({ token })).toBe(true)
      const { password, reason } = await happen(user)

      const check = await checkResetToken({ token })
      expect(check.valid).toBe(false)
      expect(check.valid ? '' : check.reason).toMatch(reason)
      const error = await resetPassword({ token, password: 'the attacker’s password' }).catch((e: unknown) => e)
      expect(isDomainError(error, 'invalid-token')).toBe(true)
      expect((error as Error).message).toMatch(reason)
      expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0)
      if (password) {
        await verifyLogin({ login: user.email, password, ip: '192.0.2.1' })
        const refused = await verifyLogin({ login: user.email, password: 'the attacker’s password', ip: '192.0.2.1' }).catch((e: unknown) => e)
        expect(isDomainError(refused, 'invalid-credentials')).toBe(true)
      }
    })
  }

  it('a link to an account deleted after it was checked cannot set a password', async () => {
    const user = await createTestUser()
    await requestReset({ email: user.email, ip: '192.0.2.1' })
    const token = tokenFromLog(user.email)!
    // Deleted without ending the links (as a deletion racing the reset would look to the reset).
    await db.update(users).set({ deletedAt: new Date(), email: null, passwordHash: null }).where(eq(users.id, user.id))
    const error = await resetPassword({ token, password: 'the attacker’s password' }).catch((e: unknown) => e)
    expect(isDomainError(error, 'invalid-token')).toBe(true)
    expect((error as Error).message).toMatch(/deleted/)
    const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id))
    expect(row?.passwordHash).toBeNull()
  })
})
