import { and, asc, count, desc, eq, type AnyColumn } from 'drizzle-orm'
import { db } from '#app/db.server.ts'
import { chipCorrections, chips, notifications, users, type Role } from '#db/schema.ts'
import {
  correctableFields,
  CORRECTION_LIMITS,
  correctionFields,
  formatStoredCorrectionValue,
  isCorrectableField,
  storedCorrectionValue,
  SuggestCorrectionSchema,
  type CorrectableField,
  type CorrectionValue,
} from '#app/schemas/corrections.ts'
import { assertRole, authoringRoles } from './admin.server.ts'
import { DomainError } from '#app/lib/domain-errors.ts'
import { chipFigureColumns } from './fragments.server.ts'
import { lockActiveMember, requireActiveMember } from './users.server.ts'

// Suggestions a member may have waiting at once: enough for a careful reader, too few to flood the queue.
export const MAX_PENDING_CORRECTIONS = 10

// Selected by name alongside other columns, so a row reads as a record of every correctable value.
const fieldColumns = {
  ...chipFigureColumns,
  summary: chips.summary,
} satisfies Record<CorrectableField, AnyColumn>

type CorrectableValues = Record<CorrectableField, CorrectionValue>

/** An empty text and NULL both read as "unknown"; compare values in their stored form. */
function sameValue(a: CorrectionValue, b: CorrectionValue) {
  const norm = (v: CorrectionValue) => (v === '' ? null : v)
  return storedCorrectionValue(norm(a)) === storedCorrectionValue(norm(b))
}

function formatCurrent(values: CorrectableValues, field: CorrectableField) {
  return correctionFields[field].format(values[field] === '' ? null : values[field])
}

const whose = (chipName: string, field: CorrectableField) => `the ${chipName}’s ${correctionFields[field].phrase}`

/** The suggest form: the chip's name and each correctable field's current value, formatted. */
export async function getCorrectionForm({ chipSlug }: { chipSlug: string }) {
  const [chip] = await db
    .select({
      slug: chips.slug,
      name: chips.name,
      vendor: chips.vendor,
      ...fieldColumns,
    })
    .from(chips)
    .where(eq(chips.slug, chipSlug))
    .limit(1)
  if (!chip) return null
  const values: CorrectableValues = chip
  return {
    chip: { slug: chip.slug, name: chip.name, vendor: chip.vendor },
    fields: correctableFields.map((field) => ({
      field,
      label: correctionFields[field].label,
      hint: correctionFields[field].hint,
      current: formatCurrent(values, field),
    })),
  }
}

/**
 * Stores a member's suggested fix to one chip figure, with the figure as it reads now, so a reviewer
 * sees what the suggester saw.
 */
export async function suggestCorrection(input: {
  actorId: string
  chipSlug: string
  field: string
  proposedValue: string
  sourceUrl: string
  note?: string
}) {
  await requireActiveMember(input.actorId)
  const parsed = SuggestCorrectionSchema.safeParse({
    field: input.field,
    proposedValue: input.proposedValue,
    sourceUrl: input.sourceUrl,
    note: input.note ?? '',
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined
    throw new DomainError('invalid-input', issue?.message ?? 'That suggestion is not valid.', { field })
  }
  const { field, value, sourceUrl, note } = parsed.data

  const [chip] = await db
    .select({ id: chips.id, name: chips.name, ...fieldColumns })
    .from(chips)
    .where(eq(chips.slug, input.chipSlug))
    .limit(1)
  if (!chip) throw new DomainError('not-found', 'There is no such chip.')
  const values: CorrectableValues = chip
  if (sameValue(values[field], value)) {
    throw new DomainError('invalid-input', `That is already ${whose(chip.name, field)} (${formatCurrent(values, field)}). Propose a different value.`, {
      field: 'proposedValue',
    })
  }

  return db.transaction(async (tx) => {
    // The member's row is locked until the suggestion commits: their suggestions sent at once are
    // counted one after another, so the cap holds, and a ban lands before or after.
    const actor = await lockActiveMember(tx, input.actorId, { exclusive: true })
    const [pending] = await tx
      .select({ n: count() })
      .from(chipCorrections)
      .where(and(eq(chipCorrections.suggesterId, actor.id), eq(chipCorrections.status, 'pending')))
    if ((pending?.n ?? 0) >= MAX_PENDING_CORRECTIONS) {
      throw new DomainError(
        'rate-limited',
        `You have ${MAX_PENDING_CORRECTIONS} suggestions waiting for review. Please wait until an editor has looked at them.`,
      )
    }

    const [row] = await tx
      .insert(chipCorrections)
      .values({
        chipId: chip.id,
        field,
        currentValue: formatCurrent(values, field),
        proposedValue: storedCorrectionValue(value),
        sourceUrl,
        note,
        suggesterId: actor.id,
      })
      .returning()
    return row!
  })
}

/** Suggestions waiting for a decision, oldest first, each flagged when its figure changed since. */
export async function listPendingCorrections({ actor }: { actor: { role: Role } }) {
  assertRole(actor, authoringRoles, 'review corrections')
  const rows = await db
    .select({
      id: chipCorrections.id,
      field: chipCorrections.field,
      currentValue: chipCorrections.currentValue,
      proposedValue: chipCorrections.proposedValue,
      sourceUrl: chipCorrections.sourceUrl,
      note: chipCorrections.note,
      createdAt: chipCorrections.createdAt,
      suggesterName: users.displayName,
      chipSlug: chips.slug,
      chipName: chips.name,
      ...fieldColumns,
    })
    .from(chipCorrections)
    .innerJoin(chips, eq(chips.id, chipCorrections.chipId))
    .leftJoin(users, eq(users.id, chipCorrections.suggesterId))
    .where(eq(chipCorrections.status, 'pending'))
    .orderBy(asc(chipCorrections.createdAt), asc(chipCorrections.id))
    .limit(200)
  return rows.map((r) => {
    const field = isCorrectableField(r.field) ? r.field : null
    const nowValue = field ? formatCurrent(r, field) : null
    return {
      id: r.id,
      field: r.field,
      fieldLabel: field ? correctionFields[field].label : r.field,
      currentValue: r.currentValue ?? 'n/a',
      proposedValue: formatStoredCorrectionValue(r.field, r.proposedValue),
      // The figure as it reads now, when an edit since the suggestion changed it.
      changedTo: nowValue !== null && nowValue !== r.currentValue ? nowValue : null,
      sourceUrl: r.sourceUrl,
      note: r.note,
      createdAt: r.createdAt,
      suggesterName: r.suggesterName,
      chipSlug: r.chipSlug,
      chipName: r.chipName,
    }
  })
}

type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0]

/** The suggestion and its chip, locked for a decision; refuses one that is already decided. */
async function lockPending(tx: Transaction, correctionId: number) {
  const [row] = await tx
    .select({
      id: chipCorrections.id,
      chipId: chipCorrections.chipId,
      field: chipCorrections.field,
      currentValue: chipCorrections.currentValue,
      proposedValue: chipCorrections.proposedValue,
      suggesterId: chipCorrections.suggesterId,
      status: chipCorrections.status,
    })
    .from(chipCorrections)
    .where(eq(chipCorrections.id, correctionId))
    .for('update')
  if (!row) throw new DomainError('not-found', 'That suggestion does not exist.')
  if (row.status !== 'pending') {
    throw new DomainError('invalid-input', `That suggestion was already ${row.status}; it cannot be decided again.`)
  }
  const [chip] = await tx
    .select({ id: chips.id, name: chips.name, ...fieldColumns })
    .from(chips)
    .where(eq(chips.id, row.chipId))
    .for('update')
  if (!chip) throw new DomainError('not-found', 'The chip of that suggestion no longer exists.')
  return { correction: row, chip }
}

/**
 * Applies a suggestion to its chip, marks it accepted and tells the suggester, in one transaction.
 * A suggestion whose figure was changed since it was made is refused rather than applied: the change
 * may be a newer fix, and overwriting it silently would undo someone's work.
 */
export async function acceptCorrection({ actor, correctionId }: { actor: { id: string; role: Role }; correctionId: number }) {
  assertRole(actor, authoringRoles, 'review corrections')
  return db.transaction(async (tx) => {
    const { correction, chip } = await lockPending(tx, correctionId)
    const field = correction.field
    if (!isCorrectableField(field)) throw new DomainError('invalid-input', 'That suggestion is for a figure that can no longer be corrected.')
    const values: CorrectableValues = chip
    const now = formatCurrent(values, field)
    if (correction.currentValue !== null && now !== correction.currentValue) {
      throw new DomainError(
        'invalid-input',
        `The ${chip.name}’s ${correctionFields[field].phrase} has changed since this suggestion (from ${correction.currentValue} to ${now}). Decline it, or check the source and edit the chip yourself.`,
      )
    }
    const parsed = correctionFields[field].value.safeParse(correction.proposedValue)
    if (!parsed.success) throw new DomainError('invalid-input', 'That suggestion’s value no longer passes the checks for this figure.')
    const decidedAt = new Date()
    await tx
      .update(chips)
      .set({ [field]: parsed.data, updatedAt: decidedAt })
      .where(eq(chips.id, chip.id))
    const [updated] = await tx
      .update(chipCorrections)
      .set({ status: 'accepted', decidedById: actor.id, decidedAt })
      .where(eq(chipCorrections.id, correction.id))
      .returning()
    if (correction.suggesterId) {
      await tx.insert(notifications).values({
        userId: correction.suggesterId,
        kind: 'correction',
        actorId: actor.id,
        message: `Your correction to ${whose(chip.name, field)} was accepted.`,
      })
    }
    return updated!
  })
}

/** Declines a suggestion with a reason the suggester is told, in one transaction. */
export async function declineCorrection({ actor, correctionId, reason }: { actor: { id: string; role: Role }; correctionId: number; reason: string }) {
  assertRole(actor, authoringRoles, 'review corrections')
  const why = reason.trim()
  if (!why)
    throw new DomainError('invalid-input', 'Give a reason for declining: the reader who suggested it will see it.', {
      field: 'reason',
    })
  if (why.length > CORRECTION_LIMITS.reason) {
    throw new DomainError('invalid-input', `A reason can be up to ${CORRECTION_LIMITS.reason} characters.`, {
      field: 'reason',
    })
  }
  return db.transaction(async (tx) => {
    const { correction, chip } = await lockPending(tx, correctionId)
    const [updated] = await tx
      .update(chipCorrections)
      .set({
        status: 'declined',
        decidedById: actor.id,
        decidedAt: new Date(),
        reason: why,
      })
      .where(eq(chipCorrections.id, correction.id))
      .returning()
    if (correction.suggesterId) {
      const what = isCorrectableField(correction.field) ? whose(chip.name, correction.field) : `the ${chip.name}`
      await tx.insert(notifications).values({
        userId: correction.suggesterId,
        kind: 'correction',
        actorId: actor.id,
        message: `Your correction to ${what} was declined. The editor’s reason: ${why}`,
      })
    }
    return updated!
  })
}

/** A chip's accepted corrections, newest first: what changed, from what to what, and on whose source. */
export async function listCorrectionHistory({ chipSlug }: { chipSlug: string }) {
  const rows = await db
    .select({
      id: chipCorrections.id,
      field: chipCorrections.field,
      oldValue: chipCorrections.currentValue,
      proposedValue: chipCorrections.proposedValue,
      sourceUrl: chipCorrections.sourceUrl,
      decidedAt: chipCorrections.decidedAt,
    })
    .from(chipCorrections)
    .innerJoin(chips, eq(chips.id, chipCorrections.chipId))
    .where(and(eq(chips.slug, chipSlug), eq(chipCorrections.status, 'accepted')))
    .orderBy(desc(chipCorrections.decidedAt), desc(chipCorrections.id))
  return rows.map((r) => ({
    id: r.id,
    field: r.field,
    fieldLabel: isCorrectableField(r.field) ? correctionFields[r.field].label : r.field,
    oldValue: r.oldValue ?? 'n/a',
    newValue: formatStoredCorrectionValue(r.field, r.proposedValue),
    sourceUrl: r.sourceUrl,
    decidedAt: r.decidedAt ?? new Date(0),
  }))
}
