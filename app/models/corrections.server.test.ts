import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { db } from '#app/db.server.ts'
import { chipCorrections, chips, notifications } from '#db/schema.ts'
import {
  acceptCorrection,
  declineCorrection,
  getCorrectionForm,
  listCorrectionHistory,
  listPendingCorrections,
  MAX_PENDING_CORRECTIONS,
  suggestCorrection,
} from './corrections.server.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'

beforeEach(truncateAll)

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(isDomainError(error) ? error.code : error).toBe(code)
  return error as Error & { details: { field?: string } }
}

async function createChip() {
  const [row] = await db
    .insert(chips)
    .values({
      slug: 'h200',
      name: 'H200',
      vendor: 'Nvidia',
      memoryGb: 141,
      memoryType: 'HBM3e',
      memoryBandwidthGbs: 4800,
      tdpWatts: 700,
      summary: 'A Hopper GPU with more memory.',
    })
    .returning()
  return row!
}

async function chipRow(id: number) {
  const [row] = await db.select().from(chips).where(eq(chips.id, id))
  return row!
}

async function notificationsFor(userId: string) {
  return db.select().from(notifications).where(eq(notifications.userId, userId))
}

const source = 'https://example.com/h200-datasheet'

async function suggest(actorId: string, field = 'memoryBandwidthGbs', proposedValue = '4900') {
  return suggestCorrection({
    actorId,
    chipSlug: 'h200',
    field,
    proposedValue,
    sourceUrl: source,
    note: 'Per the datasheet.',
  })
}

describe('suggestCorrection', () => {
  it('stores the suggestion with the figure as it read then', async () => {
    const chip = await createChip()
    const member = await createTestUser()
    const row = await suggest(member.id, 'memoryBandwidthGbs', '4,900')
    expect(row).toMatchObject({
      chipId: chip.id,
      field: 'memoryBandwidthGbs',
      currentValue: '4.8 TB/s',
      proposedValue: '4900',
      sourceUrl: source,
      note: 'Per the datasheet.',
      suggesterId: member.id,
      status: 'pending',
    })
    const form = await getCorrectionForm({ chipSlug: 'h200' })
    expect(form?.fields.find((f) => f.field === 'launchYear')?.current).toBe('n/a')
  })

  it('takes an empty value as “unknown” for a figure that may be unknown, but not for the summary', async () => {
    await createChip()
    const member = await createTestUser()
    const row = await suggest(member.id, 'tdpWatts', '')
    expect(row.proposedValue).toBe('')
    const error = await expectCode(suggest(member.id, 'summary', '  '), 'invalid-input')
    expect(error.details.field).toBe('proposedValue')
  })

  it('refuses an invalid value, an invalid link and a field that cannot be corrected', async () => {
    await createChip()
    const member = await createTestUser()
    for (const [field, value] of [
      ['memoryGb', '-3'],
      ['memoryGb', 'lots'],
      ['launchYear', '1989'],
      ['launchYear', '2101'],
      ['architecture', 'x'.repeat(81)],
    ] as const) {
      const error = await expectCode(suggest(member.id, field, value), 'invalid-input')
      expect(error.details.field).toBe('proposedValue')
    }
    for (const sourceUrl of ['', 'not a link', 'javascript:alert(1)', 'ftp://example.com/x']) {
      const error = await expectCode(
        suggestCorrection({
          actorId: member.id,
          chipSlug: 'h200',
          field: 'tdpWatts',
          proposedValue: '650',
          sourceUrl,
        }),
        'invalid-input',
      )
      expect(error.details.field).toBe('sourceUrl')
    }
    await expectCode(suggest(member.id, 'name', 'H201'), 'invalid-input')
    await expectCode(suggest(member.id, 'exportStatus', 'restricted'), 'invalid-input')
    await expectCode(
      suggestCorrection({
        actorId: member.id,
        chipSlug: 'h9000',
        field: 'tdpWatts',
        proposedValue: '650',
        sourceUrl: source,
      }),
      'not-found',
    )
    expect(await db.select().from(chipCorrections)).toHaveLength(0)
  })

  it('refuses a value equal to the current one', async () => {
    await createChip()
    const member = await createTestUser()
    const error = await expectCode(suggest(member.id, 'memoryBandwidthGbs', '4800'), 'invalid-input')
    expect(error.details.field).toBe('proposedValue')
    expect(error.message).toContain('already')
    await expectCode(suggest(member.id, 'launchYear', ''), 'invalid-input')
    await expectCode(suggest(member.id, 'memoryType', ' HBM3e '), 'invalid-input')
  })

  it(`allows ${MAX_PENDING_CORRECTIONS} pending suggestions per member`, async () => {
    await createChip()
    const member = await createTestUser()
    for (let i = 0; i < MAX_PENDING_CORRECTIONS; i++) await suggest(member.id, 'tdpWatts', String(600 + i))
    await expectCode(suggest(member.id, 'tdpWatts', '999'), 'rate-limited')
    const other = await createTestUser()
    await suggest(other.id, 'tdpWatts', '999')
  })
})

describe('deciding a suggestion', () => {
  it('is for authors, moderators and admins only', async () => {
    await createChip()
    const member = await createTestUser()
    const row = await suggest(member.id)
    const actor = { id: member.id, role: member.role }
    await expectCode(listPendingCorrections({ actor }), 'forbidden')
    await expectCode(acceptCorrection({ actor, correctionId: row.id }), 'forbidden')
    await expectCode(declineCorrection({ actor, correctionId: row.id, reason: 'No.' }), 'forbidden')
    const [stored] = await db.select().from(chipCorrections)
    expect(stored?.status).toBe('pending')
  })

  it('lists pending suggestions oldest first with the suggester', async () => {
    await createChip()
    const member = await createTestUser()
    const author = await createTestUser({ role: 'author' })
    const first = await suggest(member.id, 'tdpWatts', '650')
    const second = await suggest(member.id, 'memoryBandwidthGbs', '4900')
    const list = await listPendingCorrections({ actor: author })
    expect(list.map((c) => c.id)).toEqual([first.id, second.id])
    expect(list[1]).toMatchObject({
      chipName: 'H200',
      fieldLabel: 'Memory bandwidth',
      currentValue: '4.8 TB/s',
      proposedValue: '4.9 TB/s',
      suggesterName: member.displayName,
      changedTo: null,
    })
  })

  it('accepting updates the chip, marks the suggestion and tells the suggester', async () => {
    const chip = await createChip()
    const member = await createTestUser()
    const author = await createTestUser({ role: 'author' })
    const row = await suggest(member.id, 'memoryBandwidthGbs', '4900')
    const accepted = await acceptCorrection({
      actor: author,
      correctionId: row.id,
    })
    expect(accepted).toMatchObject({
      status: 'accepted',
      decidedById: author.id,
    })
    expect(accepted.decidedAt).toBeInstanceOf(Date)
    const after = await chipRow(chip.id)
    expect(after.memoryBandwidthGbs).toBe(4900)
    expect(after.updatedAt.getTime()).toBeGreaterThan(chip.updatedAt.getTime())
    const sent = await notificationsFor(member.id)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      kind: 'correction',
      articleId: null,
      message: 'Your correction to the H200’s memory bandwidth was accepted.',
    })
    expect(await listPendingCorrections({ actor: author })).toHaveLength(0)
  })

  it('accepting “unknown” sets the figure to NULL', async () => {
    const chip = await createChip()
    const member = await createTestUser()
    const moderator = await createTestUser({ role: 'moderator' })
    const row = await suggest(member.id, 'memoryType', '')
    await acceptCorrection({ actor: moderator, correctionId: row.id })
    expect((await chipRow(chip.id)).memoryType).toBeNull()
  })

  it('refuses to accept a suggestion whose figure changed since it was made', async () => {
    const chip = await createChip()
    const member = await createTestUser()
    const author = await createTestUser({ role: 'author' })
    const row = await suggest(member.id, 'tdpWatts', '650')
    await db.update(chips).set({ tdpWatts: 600 }).where(eq(chips.id, chip.id))
    const [pending] = await listPendingCorrections({ actor: author })
    expect(pending?.changedTo).toBe('600 W')
    const error = await expectCode(acceptCorrection({ actor: author, correctionId: row.id }), 'invalid-input')
    expect(error.message).toContain('has changed since this suggestion')
    expect((await chipRow(chip.id)).tdpWatts).toBe(600)
    expect(await notificationsFor(member.id)).toHaveLength(0)
  })

  it('declining needs a reason, keeps the chip and tells the suggester why', async () => {
    const chip = await createChip()
    const member = await createTestUser()
    const admin = await createTestUser({ role: 'admin' })
    const row = await suggest(member.id, 'tdpWatts', '650')
    const error = await expectCode(declineCorrection({ actor: admin, correctionId: row.id, reason: '   ' }), 'invalid-input')
    expect(error.details.field).toBe('reason')
    const declined = await declineCorrection({
      actor: admin,
      correctionId: row.id,
      reason: 'The datasheet says 700 W.',
    })
    expect(declined).toMatchObject({
      status: 'declined',
      decidedById: admin.id,
      reason: 'The datasheet says 700 W.',
    })
    expect((await chipRow(chip.id)).tdpWatts).toBe(700)
    const [sent] = await notificationsFor(member.id)
    expect(sent?.kind).toBe('correction')
    expect(sent?.message).toBe('Your correction to the H200’s power (TDP) was declined. The editor’s reason: The datasheet says 700 W.')
  })

  it('refuses a second decision on the same suggestion', async () => {
    const chip = await createChip()
    const member = await createTestUser()
    const author = await createTestUser({ role: 'author' })
    const row = await suggest(member.id, 'tdpWatts', '650')
    await acceptCorrection({ actor: author, correctionId: row.id })
    const again = await expectCode(acceptCorrection({ actor: author, correctionId: row.id }), 'invalid-input')
    expect(again.message).toContain('already accepted')
    await expectCode(
      declineCorrection({
        actor: author,
        correctionId: row.id,
        reason: 'Changed my mind.',
      }),
      'invalid-input',
    )
    expect((await db.select().from(chipCorrections))[0]?.status).toBe('accepted')
    expect((await chipRow(chip.id)).tdpWatts).toBe(650)
    expect(await notificationsFor(member.id)).toHaveLength(1)
    await expectCode(acceptCorrection({ actor: author, correctionId: row.id + 100 }), 'not-found')
  })
})

describe('listCorrectionHistory', () => {
  it('lists the accepted corrections of a chip, newest first, with their sources', async () => {
    await createChip()
    const member = await createTestUser()
    const author = await createTestUser({ role: 'author' })
    const first = await suggest(member.id, 'tdpWatts', '650')
    const declined = await suggest(member.id, 'memoryGb', '144')
    const second = await suggest(member.id, 'memoryBandwidthGbs', '4900')
    await suggest(member.id, 'launchYear', '2024')
    await acceptCorrection({ actor: author, correctionId: first.id })
    await declineCorrection({
      actor: author,
      correctionId: declined.id,
      reason: 'No source for that.',
    })
    await acceptCorrection({ actor: author, correctionId: second.id })
    const history = await listCorrectionHistory({ chipSlug: 'h200' })
    expect(history.map((h) => [h.fieldLabel, h.oldValue, h.newValue, h.sourceUrl])).toEqual([
      ['Memory bandwidth', '4.8 TB/s', '4.9 TB/s', source],
      ['Power (TDP)', '700 W', '650 W', source],
    ])
    expect(await listCorrectionHistory({ chipSlug: 'h9000' })).toEqual([])
  })
})
