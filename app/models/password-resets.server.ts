import crypto from 'node:crypto'
import { and, eq, gt, sql } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { passwordResetTokens, sessions, users } from '#db/schema.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { siteOrigin } from '#app/lib/http.server.ts'
import { afterResponse } from './background.server.ts'
import { sendMail } from './mail.server.ts'
import { hashPassword } from './passwords.server.ts'
import { consumeRateLimit } from './rate-limits.server.ts'
import { getSettings } from './settings.server.ts'

/** Tokens are 256 random bits; only their SHA-256 is stored. */
export function hashResetToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex')
}

/**
 * Emails a single-use reset link when the address belongs to an account. The caller always shows the
 * same answer, and everything after the throttle happens after that answer is sent, so neither the
 * answer nor its timing reveals whether an account exists.
 */
export async function requestPasswordReset({ email, ip }: { email: string; ip: string }): Promise<void> {
  const { resetRequestsPerIpPerHour, resetTokenMinutes } = await getSettings(['resetRequestsPerIpPerHour', 'resetTokenMinutes'])
  await consumeRateLimit({
    key: `reset:ip:${ip}`,
    limit: resetRequestsPerIpPerHour,
    windowSeconds: 3600,
    action: 'password-reset requests from your network',
  })
  afterResponse('password-reset mail', () => mailResetLink(email, resetTokenMinutes))
}

async function mailResetLink(email: string, resetTokenMinutes: number) {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), sql`${users.deletedAt} is null`))
  if (!user) return

  const token = crypto.randomBytes(32).toString('base64url')
  await db.transaction(async (tx) => {
    // Only the newest link works.
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id))
    await tx.insert(passwordResetTokens).values({
      tokenHash: hashResetToken(token),
      userId: user.id,
      expiresAt: sql`now() + make_interval(mins => ${resetTokenMinutes})`,
    })
  })
  // The configured origin, never the request's: see siteOrigin.
  const link = `${siteOrigin()}/reset-password/${token}`
  await sendMail({
    to: email,
    subject: 'Reset your Threadline password',
    text:
      `Someone (we hope you) asked to reset the password of your Threadline account.\n\n` +
      `Choose a new password here within ${resetTokenMinutes} minutes:\n${link}\n\n` +
      `If it was not you, ignore this email: your password stays as it is.`,
    link,
  })
}

const DELETED_ACCOUNT = 'This reset link belonged to an account that has been deleted. Create a new account instead.'
const INVALID_TOKEN = 'This reset link has expired or has already been used. Ask for a new one.'

/** Whether a reset link still works, and if not, why (in words for the person who followed it). */
export async function checkResetToken({ token }: { token: string }): Promise<{ valid: true } | { valid: false; reason: string }> {
  // A deleted account's links are ended (expired) by the deletion but kept, so they can be named.
  const [row] = await db
    .select({ deletedAt: users.deletedAt, live: sql<boolean>`${passwordResetTokens.expiresAt} > now()` })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(eq(passwordResetTokens.tokenHash, hashResetToken(token)))
  if (row?.deletedAt) return { valid: false, reason: DELETED_ACCOUNT }
  if (!row?.live) return { valid: false, reason: INVALID_TOKEN }
  return { valid: true }
}

export async function isResetTokenValid({ token }: { token: string }) {
  return (await checkResetToken({ token })).valid
}

/** Sets the new password, uses up the token and ends every session of the account. */
export async function resetPassword({ token, password }: { token: string; password: string }) {
  // Why a link is refused is read before the transaction (PGlite has one connection: a query outside
  // an open transaction would wait for it forever), and before the password is hashed: a dead link
  // costs no hash.
  const check = await checkResetToken({ token })
  if (!check.valid) throw new DomainError('invalid-token', check.reason)
  const passwordHash = await hashPassword(password)
  return db.transaction(async (tx) => {
    const [used] = await tx
      .delete(passwordResetTokens)
      .where(and(eq(passwordResetTokens.tokenHash, hashResetToken(token)), gt(passwordResetTokens.expiresAt, sql`now()`)))
      .returning({ userId: passwordResetTokens.userId })
    if (!used) throw new DomainError('invalid-token', INVALID_TOKEN)
    // The reset logs the person in: a banned or deleted account must not get a session this way (the
    // whole transaction rolls back, so the password stays as it was). The row is locked so a deletion
    // cannot land between this check and the new session.
    const [account] = await tx
      .select({ bannedAt: users.bannedAt, banReason: users.banReason, deletedAt: users.deletedAt })
      .from(users)
      .where(eq(users.id, used.userId))
      .for('update')
    if (!account || account.deletedAt) throw new DomainError('invalid-token', DELETED_ACCOUNT)
    if (account.bannedAt) {
      throw new DomainError('account-unavailable', `This account is banned${account.banReason ? `: ${account.banReason}` : '.'}`)
    }
    await tx.update(users).set({ passwordHash }).where(eq(users.id, used.userId))
    await tx.delete(sessions).where(eq(sessions.userId, used.userId))
    // Every other link mailed before this change ends with it.
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, used.userId))
    return { userId: used.userId }
  })
}
