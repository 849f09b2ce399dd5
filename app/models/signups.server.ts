import crypto from 'node:crypto'
import { and, eq, gt, lt, sql } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { pendingSignups, users } from '#db/schema.ts'
import { siteOrigin } from '#app/lib/http.server.ts'
import { afterResponse } from './background.server.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { sendMail } from './mail.server.ts'
import { hashPassword } from './passwords.server.ts'
import { SIGNUP_LINK_HOURS } from '#app/schemas/auth.ts'
import { assertNameAllowed, consumeSignupAllowance, newUserId, publicUserColumns, type PublicUser } from './users.server.ts'

function hashSignupToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex')
}

async function usernameTaken(username: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
  return row !== undefined
}

/**
 * Starts a sign-up. Whatever the address, the caller shows the same answer ("check your inbox") after
 * the same work (the password is hashed either way), and the rest happens after the answer: a new
 * address gets a link that creates the account; an address that already has one gets a note saying
 * someone tried, with links to log in or reset the password. So the form never tells anyone whether
 * an address has an account. Usernames are public, so a taken one is said at once.
 */
export async function requestSignUp({
  email,
  username,
  password,
  redirectTo,
  ip,
}: {
  email: string
  username: string
  password: string
  redirectTo?: string
  ip: string
}): Promise<void> {
  await consumeSignupAllowance(ip)
  if (await usernameTaken(username)) {
    throw new DomainError('username-taken', 'That username is taken. Try another.', { field: 'username' })
  }
  // The display name starts as the username: neither may pass for the newsroom.
  await assertNameAllowed({ names: { username }, role: 'member' })
  const passwordHash = await hashPassword(password)
  afterResponse('sign-up mail', () => mailSignUp({ email, username, passwordHash, redirectTo: redirectTo || null }))
}

async function mailSignUp(pending: { email: string; username: string; passwordHash: string; redirectTo: string | null }) {
  const origin = siteOrigin()
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, pending.email))
  if (existing) {
    await sendMail({
      to: pending.email,
      subject: 'Someone tried to make a Threadline account with your address',
      text:
        `Someone (perhaps you) tried to create a Threadline account with this email address, which already has one.\n\n` +
        `Log in: ${origin}/login\nForgot your password? ${origin}/forgot-password\n\n` +
        `If it was not you, ignore this email: nothing has changed.`,
      link: `${origin}/login`,
    })
    return
  }
  const token = crypto.randomBytes(32).toString('base64url')
  await db.delete(pendingSignups).where(lt(pendingSignups.expiresAt, sql`now()`))
  await db.insert(pendingSignups).values({
    tokenHash: hashSignupToken(token),
    ...pending,
    expiresAt: sql`now() + make_interval(hours => ${SIGNUP_LINK_HOURS})`,
  })
  // The configured origin, never the request's: see siteOrigin.
  const link = `${origin}/signup/confirm/${token}`
  await sendMail({
    to: pending.email,
    subject: 'Confirm your email to finish creating your Threadline account',
    text:
      `Someone (we hope you) asked to create a Threadline account called "${pending.username}" with this address.\n\n` +
      `Follow this link within ${SIGNUP_LINK_HOURS} hours to finish:\n${link}\n\n` +
      `If it was not you, ignore this email: no account is made without it.`,
    link,
  })
}

/** The sign-up a link is for, while it still works. */
export async function getPendingSignUp({ token }: { token: string }) {
  const [row] = await db
    .select({ email: pendingSignups.email, username: pendingSignups.username })
    .from(pendingSignups)
    .where(and(eq(pendingSignups.tokenHash, hashSignupToken(token)), gt(pendingSignups.expiresAt, sql`now()`)))
  return row ?? null
}

/**
 * Follows a confirmation link: makes the account (the address is now proven) and uses up every link
 * for that address. The email and username are checked again here, in one statement with the insert:
 * another link, or another member, may have taken either since the form was sent.
 */
export async function confirmSignUp({ token }: { token: string }): Promise<{ user: PublicUser; redirectTo: string | null }> {
  return db.transaction(async (tx) => {
    const [pending] = await tx
      .delete(pendingSignups)
      .where(and(eq(pendingSignups.tokenHash, hashSignupToken(token)), gt(pendingSignups.expiresAt, sql`now()`)))
      .returning()
    if (!pending) {
      throw new DomainError('invalid-token', 'This link has expired or has been used. Sign up again to get a new one.')
    }
    await tx.delete(pendingSignups).where(eq(pendingSignups.email, pending.email))
    const [user] = await tx
      .insert(users)
      .values({
        id: newUserId(),
        email: pending.email,
        username: pending.username,
        displayName: pending.username,
        passwordHash: pending.passwordHash,
      })
      .onConflictDoNothing()
      .returning(publicUserColumns)
    if (user) return { user, redirectTo: pending.redirectTo }
    const [sameEmail] = await tx.select({ id: users.id }).from(users).where(eq(users.email, pending.email))
    // Whoever follows the link owns the address, so saying it has an account tells them nothing new.
    if (sameEmail) throw new DomainError('email-taken', 'This address already has an account. Log in, or reset its password.')
    throw new DomainError('username-taken', `Someone took the username "${pending.username}" meanwhile. Sign up again with another.`)
  })
}
