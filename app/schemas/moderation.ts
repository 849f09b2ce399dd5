import { z } from 'zod'
import { moderationActionKinds, reportReasons, roles } from '#db/enums.ts'
import { PageQuerySchema } from './pagination.ts'

export const reportReasonLabels: Record<(typeof reportReasons)[number], string> = {
  spam: 'Spam',
  harassment: 'Harassment or abuse',
  off_topic: 'Off-topic',
  misinformation: 'Misinformation',
  other: 'Something else',
}

export const REPORT_NOTE_MAX = 1000

// The note is stored trimmed, otherwise as typed (moderators see it as text).
export const ReportSchema = z
  .object({
    reason: z.enum(reportReasons, { error: 'Choose a reason.' }),
    note: z.string().trim().max(REPORT_NOTE_MAX, 'Keep the note under 1,000 characters.').default(''),
  })
  .refine((v) => v.reason !== 'other' || v.note.length > 0, {
    path: ['note'],
    message: 'Tell the moderators what is wrong.',
  })

/** The longest reason a moderator may give (shown to readers and members). */
export const REASON_MAX = 500

const positiveId = z.coerce
  .number({ error: 'That reference is not a number.' })
  .int('That reference is not a whole number.')
  .positive('That reference must be 1 or more.')
  .max(2_147_483_647, 'That reference is too large.')

export const ModerateSchema = z.object({
  action: z.enum(['approve', 'hide', 'remove', 'restore'], { error: 'Choose what to do.' }),
  ids: z.array(positiveId, { error: 'Select at least one comment.' }).min(1, 'Select at least one comment.').max(200),
  reason: z.string().trim().max(REASON_MAX, 'Keep the reason under 500 characters.').default(''),
})

export const PinSchema = z.object({ commentId: positiveId, pinned: z.enum(['true', 'false']).transform((v) => v === 'true') })

export const LockSchema = z.object({
  articleId: positiveId,
  locked: z.enum(['true', 'false']).transform((v) => v === 'true'),
  reason: z.string().trim().max(REASON_MAX).default(''),
})

/** Slow mode is at most a day. */
export const SLOW_MODE_MAX_SECONDS = 86_400

export const SlowModeSchema = z.object({
  articleId: positiveId,
  seconds: z.coerce
    .number({ error: 'Slow mode is a number of seconds.' })
    .int('Slow mode is a whole number of seconds.')
    .min(0, 'Slow mode cannot be negative.')
    .max(SLOW_MODE_MAX_SECONDS, 'Slow mode is at most a day (86,400 seconds).'),
})

export const MemberSearchSchema = z.object({ q: z.string().max(200).optional() })

/** A member's id in the dashboard's address. */
export const MemberIdParamSchema = z.string().min(1).max(100)

export const SuspendSchema = z.object({
  until: z.coerce.date({ error: 'Give the date the suspension ends.' }),
  reason: z.string().trim().max(REASON_MAX).default(''),
})

export const BanSchema = z.object({ reason: z.string().trim().min(1, 'Give the reason the member will see.').max(REASON_MAX) })
export const LiftSchema = z.object({ reason: z.string().trim().max(REASON_MAX).default('') })
export const PurgeSchema = z.object({ reason: z.string().trim().min(1, 'Give a reason: readers see it in the placeholders.').max(REASON_MAX) })
export const RoleSchema = z.object({ role: z.enum(roles, { error: 'Choose a role.' }) })
export const PremoderateSchema = z.object({ on: z.enum(['true', 'false']).transform((v) => v === 'true') })

export const LogQuerySchema = z.object({
  action: z.preprocess((v) => (v === '' ? undefined : v), z.enum(moderationActionKinds).optional()),
  moderator: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(60).optional()),
  page: PageQuerySchema.shape.page,
})
