import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { failureOf } from '#app/test/domain.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { moderationActions, users } from '#db/schema.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { banMember, liftRestrictions, moderateComments, purgeMemberComments, setSlowMode, suspendMember } from './moderation.server.ts'

// A refusal tells the moderator what to fix and which field it is about (the form puts the message
// beside that field); the reason a moderator gives is logged as readers and members see it, trimmed.
// (Found by mutation testing: the messages and fields were not pinned.)

const moderator = { id: 'moderator-without-a-row', role: 'moderator' as const }

async function refusal(promise: Promise<unknown>) {
  const error = await failureOf(promise)
  expect(error).toBeInstanceOf(DomainError)
  const { code, message, details } = error as DomainError
  return { code, message, field: details.field }
}

beforeEach(async () => {
  await truncateAll()
})

describe('refusals name what to fix, beside its field', () => {
  it('for each moderation form', async () => {
    expect(await refusal(moderateComments({ actor: moderator, commentIds: [], action: 'hide', reason: '' }))).toEqual({
      code: 'invalid-input',
      message: 'Select at least one comment.',
      field: undefined,
    })
    expect(await refusal(moderateComments({ actor: moderator, commentIds: [1], action: 'remove', reason: '   ' }))).toEqual({
      code: 'invalid-input',
      message: 'Give a reason for removing: readers see it in the placeholder.',
      field: 'reason',
    })
    expect(await refusal(setSlowMode({ actor: moderator, articleId: 1, seconds: -1 }))).toEqual({
      code: 'invalid-input',
      message: 'Slow mode is a whole number of seconds from 0 (off) to 86,400.',
      field: 'seconds',
    })
    expect(await refusal(suspendMember({ actor: moderator, userId: 'x', until: new Date(Date.now() - 1000), reason: 'r' }))).toEqual({
      code: 'invalid-input',
      message: 'A suspension ends in the future.',
      field: 'until',
    })
    expect(await refusal(banMember({ actor: moderator, userId: 'x', reason: ' ' }))).toEqual({
      code: 'invalid-input',
      message: 'Give the reason the member will see.',
      field: 'reason',
    })
    expect(await refusal(purgeMemberComments({ actor: moderator, userId: 'x', reason: '' }))).toEqual({
      code: 'invalid-input',
      message: 'Give a reason: readers see it in the placeholders.',
      field: 'reason',
    })
  })
})

describe('the log keeps reasons as given, trimmed', () => {
  it('for a suspension, a ban, a lift and a purge', async () => {
    const staff = await createTestUser({ role: 'moderator' })
    const actor = { id: staff.id, role: 'moderator' as const }
    const member = await createTestUser()
    await suspendMember({ actor, userId: member.id, until: new Date(Date.now() + 86_400_000), reason: '  Cooling off  ' })
    await banMember({ actor, userId: member.id, reason: '  Spam  ' })
    await liftRestrictions({ actor, userId: member.id, reason: '  Appeal accepted  ' })
    await purgeMemberComments({ actor, userId: member.id, reason: '  Spam run  ' })
    const logged = await db
      .select({ action: moderationActions.action, reason: moderationActions.reason, details: moderationActions.details })
      .from(moderationActions)
      .where(eq(moderationActions.targetUserId, member.id))
      .orderBy(moderationActions.id)
    expect(logged.map((l) => [l.action, l.reason])).toEqual([
      ['suspend', 'Cooling off'],
      ['ban', 'Spam'],
      ['lift', 'Appeal accepted'],
      ['purge', 'Spam run'],
    ])
    expect(logged[0]!.details).toMatchObject({ until: expect.any(String) as string })
    const [row] = await db.select({ suspensionReason: users.suspensionReason }).from(users).where(eq(users.id, member.id))
    expect(row).toBeDefined()
  })
})
