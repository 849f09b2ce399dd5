import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { expectCode } from '#app/test/domain.ts'
import { createTestUser, TEST_PASSWORD } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { articles, comments, sessions, users } from '#db/schema.ts'
import { putSetting } from './settings.server.ts'
import { changeDisplayName, changePassword, deleteAccount, endSession, listSessions, postingStanding, signUp, verifyLogin } from './users.server.ts'

beforeEach(truncateAll)

async function addSession(userId: string, id: string) {
  await db.insert(sessions).values({ id, userId, expiresAt: new Date(Date.now() + 86_400_000) })
}

describe('signUp', () => {
  it('stores an argon2id hash, never the password', async () => {
    const user = await createTestUser()
    const [row] = await db.select().from(users).where(eq(users.id, user.id))
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/)
    expect(row?.passwordHash).not.toContain(TEST_PASSWORD)
    expect(row?.role).toBe('member')
  })

  it('refuses a taken email, and a taken username whatever its case', async () => {
    await signUp({ email: 'ada@example.com', username: 'Ada', password: TEST_PASSWORD })
    const email = await expectCode(signUp({ email: 'ada@example.com', username: 'other', password: TEST_PASSWORD }), 'email-taken')
    expect(email.message).toContain('already exists')
    await expectCode(signUp({ email: 'b@example.com', username: 'ADA', password: TEST_PASSWORD }), 'username-taken')
  })

  it('throttles sign-ups per IP', async () => {
    await putSetting('signupsPerIpPerHour', 2)
    for (const n of [1, 2]) {
      await signUp({ email: `s${n}@example.com`, username: `s${n}user`, password: TEST_PASSWORD, ip: '203.0.113.9' })
    }
    const error = await expectCode(signUp({ email: 's3@example.com', username: 's3user', password: TEST_PASSWORD, ip: '203.0.113.9' }), 'rate-limited')
    expect(error.message).toMatch(/try again in \d+ minutes/)
    // Another address is unaffected.
    await signUp({ email: 's4@example.com', username: 's4user', password: TEST_PASSWORD, ip: '203.0.113.10' })
  })
})

describe('verifyLogin', () => {
  it('accepts the email or the username in any case', async () => {
    const user = await createTestUser()
    expect((await verifyLogin({ login: user.email.toUpperCase(), password: TEST_PASSWORD, ip: '198.51.100.1' })).id).toBe(user.id)
    expect((await verifyLogin({ login: user.username.toUpperCase(), password: TEST_PASSWORD, ip: '198.51.100.1' })).id).toBe(user.id)
  })

  it('gives the same answer for a wrong password and an unknown account', async () => {
    const user = await createTestUser()
    const wrong = await expectCode(verifyLogin({ login: user.email, password: 'nope nope nope', ip: '198.51.100.2' }), 'invalid-credentials')
    const unknown = await expectCode(verifyLogin({ login: 'nobody@example.com', password: 'nope nope nope', ip: '198.51.100.2' }), 'invalid-credentials')
    expect(unknown.message).toBe(wrong.message)
  })

  it('locks an account after repeated failures, from any address, until the window ends', async () => {
    await putSetting('loginAttemptsPerAccount', 3)
    const user = await createTestUser()
    for (let i = 0; i < 3; i++) {
      await expectCode(verifyLogin({ login: user.email, password: 'wrong password', ip: `192.0.2.${i}` }), 'invalid-credentials')
    }
    // Even the right password waits: the attacker must not learn it was right.
    await expectCode(verifyLogin({ login: user.email, password: TEST_PASSWORD, ip: '192.0.2.77' }), 'rate-limited')
    await db.execute(sql`update rate_limits set reset_at = now() - interval '1 second'`)
    expect((await verifyLogin({ login: user.email, password: TEST_PASSWORD, ip: '192.0.2.77' })).id).toBe(user.id)
  })

  it('clears the failure count after a successful log-in', async () => {
    await putSetting('loginAttemptsPerAccount', 3)
    const user = await createTestUser()
    for (let round = 0; round < 3; round++) {
      await expectCode(verifyLogin({ login: user.email, password: 'wrong password', ip: '192.0.2.1' }), 'invalid-credentials')
      await expectCode(verifyLogin({ login: user.email, password: 'wrong password', ip: '192.0.2.1' }), 'invalid-credentials')
      await verifyLogin({ login: user.email, password: TEST_PASSWORD, ip: '192.0.2.1' })
    }
  })

  it('throttles every attempt from one address', async () => {
    await putSetting('loginAttemptsPerIp', 2)
    const user = await createTestUser()
    await verifyLogin({ login: user.email, password: TEST_PASSWORD, ip: '192.0.2.200' })
    await verifyLogin({ login: user.email, password: TEST_PASSWORD, ip: '192.0.2.200' })
    await expectCode(verifyLogin({ login: user.email, password: TEST_PASSWORD, ip: '192.0.2.200' }), 'rate-limited')
  })
})

describe('sessions and passwords', () => {
  it('ends every other session when the password changes', async () => {
    const user = await createTestUser()
    await addSession(user.id, 'current')
    await addSession(user.id, 'laptop')
    await addSession(user.id, 'phone')
    const other = await createTestUser()
    await addSession(other.id, 'someone-else')

    await expectCode(
      changePassword({ actorId: user.id, currentPassword: 'not it at all', newPassword: 'brand new password', keepSessionId: 'current' }),
      'wrong-password',
    )
    await changePassword({ actorId: user.id, currentPassword: TEST_PASSWORD, newPassword: 'brand new password', keepSessionId: 'current' })
    const left = await db.select({ id: sessions.id }).from(sessions)
    expect(left.map((s) => s.id).sort()).toEqual(['current', 'someone-else'])
    await verifyLogin({ login: user.email, password: 'brand new password', ip: '192.0.2.3' })
  })

  it('lists only the actor’s sessions and cannot end another member’s', async () => {
    const user = await createTestUser()
    const other = await createTestUser()
    await addSession(user.id, 'mine')
    await addSession(other.id, 'theirs')
    await addSession(user.id, 'my-laptop')
    const listed = await listSessions({ actorId: user.id, currentSessionId: 'mine' })
    expect(listed.map((s) => s.current).sort()).toEqual([false, true])
    // Sessions are named by public ids, never by their stored ids.
    expect(JSON.stringify(listed)).not.toMatch(/mine|my-laptop/)
    const [theirs] = await db.select({ publicId: sessions.publicId }).from(sessions).where(eq(sessions.id, 'theirs'))
    await expectCode(endSession({ actorId: user.id, publicId: theirs!.publicId, currentSessionId: 'mine' }), 'not-found')
    expect(await db.select().from(sessions).where(eq(sessions.id, 'theirs'))).toHaveLength(1)
    const laptop = listed.find((s) => !s.current)!
    expect(await endSession({ actorId: user.id, publicId: laptop.publicId, currentSessionId: 'mine' })).toEqual({ wasCurrent: false })
    const mine = listed.find((s) => s.current)!
    expect(await endSession({ actorId: user.id, publicId: mine.publicId, currentSessionId: 'mine' })).toEqual({ wasCurrent: true })
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0)
  })
})

describe('deleteAccount', () => {
  it('erases personal data, ends sessions and keeps the comments in place', async () => {
    const user = await createTestUser()
    await addSession(user.id, 's1')
    const [article] = await db
      .insert(articles)
      .values({ slug: 'a', title: 'A', standfirst: 'S', body: 'B', bodyHtml: '<p>B</p>', status: 'published', publishedAt: new Date() })
      .returning()
    await db.insert(comments).values({ articleId: article!.id, authorId: user.id, body: 'hello', bodyHtml: '<p>hello</p>' })

    await expectCode(deleteAccount({ actorId: user.id, password: 'wrong password' }), 'wrong-password')
    await deleteAccount({ actorId: user.id, password: TEST_PASSWORD })

    const [row] = await db.select().from(users).where(eq(users.id, user.id))
    expect(row).toMatchObject({ email: null, passwordHash: null, displayName: 'Deleted user' })
    expect(row?.username).not.toBe(user.username)
    expect(row?.deletedAt).not.toBeNull()
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0)
    const [comment] = await db.select().from(comments)
    expect(comment?.authorId).toBe(user.id)
    expect(comment?.body).toBe('hello')
    // The email and username are free again, and the old password opens nothing.
    await signUp({ email: user.email, username: user.username, password: TEST_PASSWORD })
    await expectCode(verifyLogin({ login: `deleted-${user.id}`, password: TEST_PASSWORD, ip: '192.0.2.4' }), 'invalid-credentials')
  })
})

describe('names that pass for the newsroom', () => {
  it('refuses a member’s display name or username that claims a role, at sign-up and on a change', async () => {
    const ada = await createTestUser()
    for (const displayName of ['Moe Moderator', 'ThreadIine Staff', 'Official Ada', 'Ａｄｍｉｎ', 'the m0d']) {
      await expectCode(changeDisplayName({ actorId: ada.id, displayName }), 'invalid-input')
    }
    await expectCode(signUp({ email: 'mod@example.com', username: 'moe_moderator', password: TEST_PASSWORD }), 'invalid-input')
    await expectCode(signUp({ email: 'adm@example.com', username: 'plain_name', displayName: 'Site Admin', password: TEST_PASSWORD }), 'invalid-input')
    const [row] = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, ada.id))
    expect(row?.displayName).toBe(ada.username)
    expect((await changeDisplayName({ actorId: ada.id, displayName: 'Ada Reader' })).displayName).toBe('Ada Reader')
  })

  it('refuses a name that passes for a staff member’s, and lets staff keep theirs', async () => {
    const moderator = await createTestUser({ role: 'moderator' })
    await changeDisplayName({ actorId: moderator.id, displayName: 'Priya Raman' })
    // Staff may name themselves with a role word: their badge says what they are.
    expect((await changeDisplayName({ actorId: moderator.id, displayName: 'Moe Moderator' })).displayName).toBe('Moe Moderator')
    await changeDisplayName({ actorId: moderator.id, displayName: 'Priya Raman' })
    const member = await createTestUser()
    for (const displayName of ['Priya Raman', 'PRIYA RAMAN', 'Priya_Raman', 'Prіya Raman', 'Priya Ramen', moderator.username.toUpperCase()]) {
      await expectCode(changeDisplayName({ actorId: member.id, displayName }), 'invalid-input')
    }
    await expectCode(signUp({ email: 'copy@example.com', username: 'PriyaRaman', password: TEST_PASSWORD }), 'invalid-input')
    expect((await changeDisplayName({ actorId: member.id, displayName: 'Priya Patel' })).displayName).toBe('Priya Patel')
  })
})

describe('postingStanding', () => {
  const age = (userId: string, hours: number) =>
    db
      .update(users)
      .set({ createdAt: new Date(Date.now() - hours * 3_600_000) })
      .where(eq(users.id, userId))

  it('skips the post queue for established accounts only: not new, not barred, session live', async () => {
    const member = await createTestUser()
    await addSession(member.id, 'standing-member')
    expect(await postingStanding('standing-member'), 'a new account queues').toEqual({ userId: member.id, established: false })
    await age(member.id, 25)
    expect(await postingStanding('standing-member'), 'past the default 24 new-account hours').toEqual({ userId: member.id, established: true })
    await putSetting('newAccountHours', 48)
    expect((await postingStanding('standing-member'))?.established, 'the setting decides').toBe(false)

    const moderator = await createTestUser({ role: 'moderator' })
    await addSession(moderator.id, 'standing-moderator')
    expect((await postingStanding('standing-moderator'))?.established, 'staff are never new').toBe(true)

    await db.update(users).set({ bannedAt: new Date() }).where(eq(users.id, moderator.id))
    expect((await postingStanding('standing-moderator'))?.established, 'banned').toBe(false)
    await putSetting('newAccountHours', 24)
    await db
      .update(users)
      .set({ suspendedUntil: new Date(Date.now() + 60_000) })
      .where(eq(users.id, member.id))
    expect((await postingStanding('standing-member'))?.established, 'suspended').toBe(false)
    await db
      .update(users)
      .set({ suspendedUntil: new Date(Date.now() - 60_000) })
      .where(eq(users.id, member.id))
    expect((await postingStanding('standing-member'))?.established, 'a suspension that has ended').toBe(true)

    expect(await postingStanding('no-such-session'), 'unknown').toBeNull()
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, 'standing-member'))
    expect(await postingStanding('standing-member'), 'expired').toBeNull()
  })
})
