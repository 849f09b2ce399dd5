import crypto from 'node:crypto'
import { and, eq, ne, or, sql } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { passwordResetTokens, sessions, users, type Role } from '#db/schema.ts'
import { imitatesName, roleWordIn } from '#app/lib/name-rules.ts'
import { newsroomRoles } from '#app/lib/roles.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { hashPassword, verifyPassword } from './passwords.server.ts'
import { clearRateLimit, consumeRateLimit } from './rate-limits.server.ts'
import { getSettings } from './settings.server.ts'

export const publicUserColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
}
export type PublicUser = { id: string; username: string; displayName: string; role: Role }

/** Whether an account is still new: its tighter comment allowances apply, and its posts do not skip the post queue. */
export function isNewAccount(account: { role: Role; createdAt: Date }, newAccountHours: number, now = Date.now()) {
  return !newsroomRoles.includes(account.role) && now - account.createdAt.getTime() < newAccountHours * 3_600_000
}

/**
 * The account a session token belongs to, and whether its posts may skip the queue that form posts
 * wait in under load (server.ts): an established account (past the new-account hours, or staff),
 * neither banned, suspended nor deleted. A flood can make new accounts only as fast as sign-ups
 * are admitted, and new accounts queue; a member coming back with a fresh session does not. One
 * indexed read, no writes; an expired or unknown session is null.
 */
export async function postingStanding(sessionId: string): Promise<{ userId: string; established: boolean } | null> {
  const [row] = await db
    .select({
      userId: users.id,
      role: users.role,
      createdAt: users.createdAt,
      bannedAt: users.bannedAt,
      suspendedUntil: users.suspendedUntil,
      deletedAt: users.deletedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), sql`${sessions.expiresAt} > now()`))
  if (!row) return null
  const { newAccountHours } = await getSettings(['newAccountHours'])
  const barred = row.bannedAt !== null || row.deletedAt !== null || (row.suspendedUntil !== null && row.suspendedUntil.getTime() > Date.now())
  return { userId: row.userId, established: !barred && !isNewAccount(row, newAccountHours) }
}

export function newUserId() {
  return crypto.randomBytes(12).toString('base64url')
}

async function findTaken(email: string, username: string) {
  const rows = await db
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(or(eq(users.email, email), sql`lower(${users.username}) = lower(${username})`))
  if (rows.some((r) => r.email === email)) {
    throw new DomainError('email-taken', 'An account with this email already exists. Log in, or reset its password.', {
      field: 'email',
    })
  }
  if (rows.length > 0) {
    throw new DomainError('username-taken', 'That username is taken. Try another.', { field: 'username' })
  }
}

/**
 * Refuses a name that claims a role or passes for a staff member's name (display name or username).
 * Staff keep theirs: their role is shown by a badge no name can carry.
 */
export async function assertNameAllowed({ names, role, actorId }: { names: { displayName?: string; username?: string }; role: Role; actorId?: string }) {
  if (newsroomRoles.includes(role)) return
  const staff = await db
    .select({ username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(sql`${users.role} in ('author', 'moderator', 'admin')`, sql`${users.deletedAt} is null`, actorId ? ne(users.id, actorId) : undefined))
  for (const [field, name] of Object.entries(names) as ['displayName' | 'username', string | undefined][]) {
    if (name === undefined) continue
    const label = field === 'username' ? 'Usernames' : 'Display names'
    const word = roleWordIn(name)
    if (word) {
      throw new DomainError('invalid-input', `${label} cannot claim a role or speak for Threadline. Choose another.`, { field })
    }
    if (staff.some((s) => imitatesName(name, s.displayName) || imitatesName(name, s.username))) {
      throw new DomainError('invalid-input', `That name is too close to a staff member’s. Choose another.`, { field })
    }
  }
}

/** Counts one sign-up against the allowance of the address it comes from (refused past it). */
export async function consumeSignupAllowance(ip: string) {
  const { signupsPerIpPerHour } = await getSettings(['signupsPerIpPerHour'])
  await consumeRateLimit({
    key: `signup:ip:${ip}`,
    limit: signupsPerIpPerHour,
    windowSeconds: 3600,
    action: 'new accounts from your network',
  })
}

/**
 * Creates an account. `email` and `username` arrive normalised by their schemas; `ip`, when given,
 * counts against the sign-up allowance of that address.
 */
export async function signUp({
  email,
  username,
  password,
  displayName,
  role = 'member',
  ip,
}: {
  email: string
  username: string
  password: string
  displayName?: string
  role?: Role
  ip?: string
}): Promise<PublicUser> {
  if (ip !== undefined) await consumeSignupAllowance(ip)
  await findTaken(email, username)
  await assertNameAllowed({ names: { username, displayName: displayName ?? username }, role })
  const passwordHash = await hashPassword(password)
  try {
    const [user] = await db
      .insert(users)
      .values({ id: newUserId(), email, username, displayName: displayName ?? username, passwordHash, role })
      .returning(publicUserColumns)
    return user!
  } catch (error) {
    // Someone took the name between the check and the insert: say which, as the check would have.
    await findTaken(email, username)
    throw error
  }
}

let dummyHash: Promise<string> | undefined

/**
 * Checks a log-in. Throttled per IP (every attempt) and per account (every attempt, counted before
 * the password is checked, released by a success); an unknown account costs the same time and gives
 * the same answer as a wrong password.
 */
export async function verifyLogin({ login, password, ip }: { login: string; password: string; ip: string }): Promise<PublicUser> {
  const settings = await getSettings(['loginAttemptsPerIp', 'loginAttemptsPerAccount', 'loginWindowMinutes'])
  const windowSeconds = settings.loginWindowMinutes * 60
  await consumeRateLimit({
    key: `login:ip:${ip}`,
    limit: settings.loginAttemptsPerIp,
    windowSeconds,
    action: 'log-in attempts from your network',
  })
  const normalised = login.trim().toLowerCase()
  const [user] = await db
    .select({ ...publicUserColumns, passwordHash: users.passwordHash, bannedAt: users.bannedAt, banReason: users.banReason })
    .from(users)
    .where(normalised.includes('@') ? eq(users.email, normalised) : sql`lower(${users.username}) = ${normalised} and ${users.deletedAt} is null`)
    .limit(1)
  // Keyed by the account, not by what was typed, so its email and username (in any case) share one
  // allowance; an unknown name is keyed by its normalised spelling and limited the same way.
  // Counted and reserved in one statement before the hash is checked: parallel attempts cannot all
  // read "under the limit" and then each check a password.
  const accountLimit = {
    key: user ? `login:account:${user.id}` : `login:unknown:${normalised}`,
    limit: settings.loginAttemptsPerAccount,
    windowSeconds,
    action: 'failed log-ins for this account',
  }
  await consumeRateLimit(accountLimit)
  const ok = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : await verifyPassword(await (dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'))), password)
  if (!user || !ok) {
    throw new DomainError('invalid-credentials', 'That email or username and password do not match.')
  }
  await clearRateLimit(accountLimit.key)
  // Only someone who knows the password learns that the account is banned, and why.
  if (user.bannedAt) {
    throw new DomainError('account-unavailable', `This account is banned${user.banReason ? `: ${user.banReason}` : '.'}`)
  }
  const { passwordHash: _hash, bannedAt: _banned, banReason: _reason, ...publicUser } = user
  return publicUser
}

export async function getUser({ userId }: { userId: string }) {
  const [user] = await db
    .select({ ...publicUserColumns, email: users.email, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.id, userId), sql`${users.deletedAt} is null`))
  if (!user) throw new DomainError('not-found', 'That account does not exist.')
  return user
}

export async function changeDisplayName({ actorId, displayName }: { actorId: string; displayName: string }) {
  const [actor] = await db
    .select({ role: users.role })
    .from(users)
    .where(and(eq(users.id, actorId), sql`${users.deletedAt} is null`))
  if (!actor) throw new DomainError('not-found', 'That account does not exist.')
  await assertNameAllowed({ names: { displayName }, role: actor.role, actorId })
  const [user] = await db
    .update(users)
    .set({ displayName })
    .where(and(eq(users.id, actorId), sql`${users.deletedAt} is null`))
    .returning(publicUserColumns)
  if (!user) throw new DomainError('not-found', 'That account does not exist.')
  return user
}

async function requirePassword(actorId: string, password: string) {
  const [row] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, actorId), sql`${users.deletedAt} is null`))
  if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, password))) {
    throw new DomainError('wrong-password', 'That is not your current password.', { field: 'currentPassword' })
  }
}

/**
 * Sets a new password, ends every session of the account except the one making the change, and
 * ends every outstanding reset link (one mailed before the change must not undo it).
 */
export async function changePassword({
  actorId,
  currentPassword,
  newPassword,
  keepSessionId,
}: {
  actorId: string
  currentPassword: string
  newPassword: string
  keepSessionId: string
}) {
  await requirePassword(actorId, currentPassword)
  const passwordHash = await hashPassword(newPassword)
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actorId))
    await tx.delete(sessions).where(and(eq(sessions.userId, actorId), ne(sessions.id, keepSessionId)))
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, actorId))
  })
}

/**
 * The actor's live sessions, named by their public ids: the stored id (the hash of a browser's token)
 * never leaves the server.
 */
export async function listSessions({ actorId, currentSessionId }: { actorId: string; currentSessionId: string }) {
  const rows = await db
    .select({
      publicId: sessions.publicId,
      current: sql<boolean>`${sessions.id} = ${currentSessionId}`,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
      ipArea: sessions.ipArea,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, actorId), sql`${sessions.expiresAt} > now()`))
    .orderBy(sql`${sessions.lastSeenAt} desc`, sql`${sessions.createdAt} desc`)
  return rows
}

/**
 * Ends one of the actor's own sessions, named by its public id; another member's session is simply
 * not found. Says whether it was the session making the request.
 */
export async function endSession({ actorId, publicId, currentSessionId }: { actorId: string; publicId: string; currentSessionId: string }) {
  const [ended] = await db
    .delete(sessions)
    .where(and(eq(sessions.publicId, publicId), eq(sessions.userId, actorId)))
    .returning({ id: sessions.id })
  if (!ended) throw new DomainError('not-found', 'That session has already ended.')
  return { wasCurrent: ended.id === currentSessionId }
}

/**
 * Deletes an account: sessions and reset links end, personal data (email, names, password) is erased, and the row
 * stays as a tombstone so the person's comments keep their place, shown as from a deleted user.
 */
export async function deleteAccount({ actorId, password }: { actorId: string; password: string }) {
  await requirePassword(actorId, password).catch((error: unknown) => {
    if (error instanceof DomainError) {
      throw new DomainError('wrong-password', 'That is not your password.', { field: 'password' })
    }
    throw error
  })
  await db.transaction(async (tx) => {
    // The row is locked first: a reset or a log-in finishing at the same time either lands before
    // (and its session is ended here) or finds the account deleted.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, actorId)).for('update')
    await tx.delete(sessions).where(eq(sessions.userId, actorId))
    // Ended but kept, so a link followed later is refused as a deleted account's, not a mystery.
    await tx
      .update(passwordResetTokens)
      .set({ expiresAt: sql`now()` })
      .where(eq(passwordResetTokens.userId, actorId))
    await tx
      .update(users)
      .set({
        email: null,
        passwordHash: null,
        username: `deleted-${actorId}`,
        displayName: 'Deleted user',
        deletedAt: new Date(),
      })
      .where(eq(users.id, actorId))
  })
}

/** For the command line: create an account, or change the role of an existing one. */
export async function createOrPromoteUser({ email, username, password, role }: { email: string; username: string; password: string; role: Role }) {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email))
  if (existing) {
    const [user] = await db
      .update(users)
      .set({ role, passwordHash: await hashPassword(password) })
      .where(eq(users.id, existing.id))
      .returning(publicUserColumns)
    return { user: user!, created: false }
  }
  return { user: await signUp({ email, username, password, role }), created: true }
}

const memberStateColumns = {
  id: users.id,
  role: users.role,
  deletedAt: users.deletedAt,
  bannedAt: users.bannedAt,
  banReason: users.banReason,
  suspendedUntil: users.suspendedUntil,
}

type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0]

/**
 * The actor, when their account may take part: not deleted, not banned, not suspended. Votes and
 * reports call it; comments go through the auto-moderation pipeline, which says the same.
 */
export async function requireActiveMember(actorId: string) {
  const [actor] = await db.select(memberStateColumns).from(users).where(eq(users.id, actorId))
  return activeMember(actor)
}

/**
 * requireActiveMember inside the transaction of the write it guards, with the member's row locked
 * until that write commits: a ban or a suspension (which lock the row to change it) either lands
 * first and the write is refused, or waits for the write. Checked outside the transaction, a ban
 * answered "done" could still be followed by the banned member's comment. `exclusive` also queues
 * the member's own concurrent writes behind each other, for limits counted from rows (a cap on
 * pending suggestions, say).
 */
export async function lockActiveMember(tx: Transaction, actorId: string, { exclusive = false } = {}) {
  const [actor] = await tx
    .select(memberStateColumns)
    .from(users)
    .where(eq(users.id, actorId))
    .for(exclusive ? 'no key update' : 'key share')
  return activeMember(actor)
}

function activeMember(
  actor: { id: string; role: Role; deletedAt: Date | null; bannedAt: Date | null; banReason: string | null; suspendedUntil: Date | null } | undefined,
) {
  if (!actor || actor.deletedAt) throw new DomainError('unauthenticated', 'Log in to take part in the discussion.')
  if (actor.bannedAt) {
    throw new DomainError('account-unavailable', `This account is banned${actor.banReason ? `: ${actor.banReason}` : '.'}`)
  }
  if (actor.suspendedUntil && actor.suspendedUntil > new Date()) {
    throw new DomainError(
      'account-unavailable',
      `Your account is suspended until ${actor.suspendedUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    )
  }
  return actor
}
