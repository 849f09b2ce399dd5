import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { siteOrigin } from '#app/lib/http.server.ts'
import { truncateAll } from '#app/test/db.ts'
import { loggedMail } from '#app/test/logged-mail.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { pendingSignups, users } from '#db/schema.ts'
import { backgroundSettled } from './background.server.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import { putSetting } from './settings.server.ts'
import { confirmSignUp, getPendingSignUp, requestSignUp } from './signups.server.ts'
import { verifyLogin } from './users.server.ts'

beforeEach(truncateAll)
const mail = loggedMail()
const mailsTo = mail.to
const tokenFor = (email: string) => mail.tokenFor(email, '/signup/confirm/')
const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  )

/** Asks for an account and waits for the mail, as the person at the inbox would. */
async function ask(email: string, username: string, ip = '192.0.2.1') {
  const answer = await requestSignUp({ email, username, password: 'a long new password', ip })
  await backgroundSettled()
  return answer
}

describe('sign-up by mailed link', () => {
  it('makes the account only when the link is followed, from a token stored hashed, once', async () => {
    expect(await ask('new@example.com', 'newcomer')).toBeUndefined()
    expect(await db.select().from(users)).toHaveLength(0)
    expect(mailsTo('new@example.com')).toHaveLength(1)
    expect(mailsTo('new@example.com')[0]).toContain(`${siteOrigin()}/signup/confirm/`)
    const token = tokenFor('new@example.com')!
    const [stored] = await db.select().from(pendingSignups)
    expect(JSON.stringify(stored)).not.toContain(token)
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/)
    expect(await getPendingSignUp({ token })).toEqual({ email: 'new@example.com', username: 'newcomer' })

    const { user } = await confirmSignUp({ token })
    expect(user.username).toBe('newcomer')
    await verifyLogin({ login: 'new@example.com', password: 'a long new password', ip: '192.0.2.1' })
    expect(isDomainError(await caught(confirmSignUp({ token })), 'invalid-token')).toBe(true)
    expect(await getPendingSignUp({ token })).toBeNull()
  })

  it('answers an address that has an account exactly as a new one, and mails its owner instead', async () => {
    const member = await createTestUser()
    expect(await ask(member.email, 'someone_else')).toBeUndefined()
    const [mail] = mailsTo(member.email)
    expect(mail).toContain('Someone tried to make a Threadline account with your address')
    expect(mail).not.toContain('/signup/confirm/')
    expect(await db.select().from(pendingSignups)).toHaveLength(0)
    expect(await db.select().from(users)).toHaveLength(1)
  })

  it('says at once that a username is taken (usernames are public), whatever its case', async () => {
    const member = await createTestUser()
    const error = await caught(ask('other@example.com', member.username.toUpperCase()))
    expect(isDomainError(error, 'username-taken')).toBe(true)
    expect(mail.all()).toEqual([])
  })

  it('refuses a username that claims a role, before anything is mailed', async () => {
    const error = await caught(ask('mod@example.com', 'site_moderator'))
    expect(isDomainError(error, 'invalid-input')).toBe(true)
    expect(mail.all()).toEqual([])
  })

  it('uses up every link for an address when one is followed', async () => {
    await ask('twice@example.com', 'first_try')
    const first = tokenFor('twice@example.com')!
    await ask('twice@example.com', 'second_try')
    const second = tokenFor('twice@example.com')!
    expect(first).not.toBe(second)
    await confirmSignUp({ token: second })
    expect(isDomainError(await caught(confirmSignUp({ token: first })), 'invalid-token')).toBe(true)
    expect((await db.select({ username: users.username }).from(users)).map((u) => u.username)).toEqual(['second_try'])
  })

  it('refuses a username someone took after the form was sent, and keeps the first account', async () => {
    await ask('a@example.com', 'wanted')
    await ask('b@example.com', 'Wanted')
    await confirmSignUp({ token: tokenFor('a@example.com')! })
    const error = await caught(confirmSignUp({ token: tokenFor('b@example.com')! }))
    expect(isDomainError(error, 'username-taken')).toBe(true)
    expect(await db.select().from(users)).toHaveLength(1)
  })

  it('refuses an expired link', async () => {
    await ask('late@example.com', 'latecomer')
    const token = tokenFor('late@example.com')!
    await db.execute(sql`update pending_signups set expires_at = now() - interval '1 second'`)
    expect(await getPendingSignUp({ token })).toBeNull()
    expect(isDomainError(await caught(confirmSignUp({ token })), 'invalid-token')).toBe(true)
    expect(await db.select().from(users)).toHaveLength(0)
  })

  it('throttles requests per address, known or not, before any work', async () => {
    await putSetting('signupsPerIpPerHour', 1)
    await ask('one@example.com', 'one_person', '192.0.2.9')
    const error = await caught(ask('two@example.com', 'two_people', '192.0.2.9'))
    expect(isDomainError(error, 'rate-limited')).toBe(true)
    expect(mailsTo('two@example.com')).toEqual([])
  })

  it('makes one account when a link is followed 30 times at once', async () => {
    await ask('rush@example.com', 'rushing')
    const token = tokenFor('rush@example.com')!
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => confirmSignUp({ token })))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(isDomainError(r.reason, 'invalid-token')).toBe(true)
    expect(await db.select().from(users).where(eq(users.email, 'rush@example.com'))).toHaveLength(1)
  })
})
