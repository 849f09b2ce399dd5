import { z } from 'zod'
import { forgetTable, readThrough } from '#app/lib/table-cache.server.ts'
import { db } from '#app/db.server.ts'
import { moderationActions, settings, type Role } from '#db/schema.ts'
import { isAdmin } from '#app/lib/roles.ts'
import { DomainError } from '#app/lib/domain-errors.ts'

// Product limits, each a named setting with a default and one line of description. Stored values
// override the defaults; a stored value that no longer fits its schema is ignored, not fatal.

const wholeNumber = z.number({ error: 'give a whole number' }).int('give a whole number')
const count = wholeNumber.min(1, 'the least is 1').max(100_000, 'the most is 100,000')
const minutes = wholeNumber.min(1, 'the least is 1').max(60 * 24 * 30, 'the most is 43,200 (30 days)')

export const settingDefinitions = {
  loginAttemptsPerIp: { schema: count, default: 30, description: 'Log-in attempts allowed from one IP address per window' },
  loginAttemptsPerAccount: { schema: count, default: 5, description: 'Failed log-in attempts allowed on one account per window' },
  loginWindowMinutes: { schema: minutes, default: 15, description: 'Length of the log-in throttling window' },
  signupsPerIpPerHour: { schema: count, default: 5, description: 'Accounts that one IP address may create per hour' },
  resetRequestsPerIpPerHour: { schema: count, default: 5, description: 'Password-reset emails one IP address may request per hour' },
  resetTokenMinutes: { schema: minutes, default: 60, description: 'How long a password-reset link stays valid' },
  editWindowMinutes: { schema: minutes, default: 15, description: 'How long after posting a member may edit a comment' },
  maxCommentLength: { schema: count, default: 10_000, description: 'Longest comment accepted, in characters' },
  commentsPerMinute: { schema: count, default: 5, description: 'Comments a member may post per minute' },
  commentsPerDay: { schema: count, default: 50, description: 'Comments a member may post per day' },
  newAccountHours: {
    schema: wholeNumber.min(0, 'the least is 0').max(24 * 90, 'the most is 2,160 (90 days)'),
    default: 24,
    description: 'How long an account counts as new',
  },
  newAccountCommentsPerMinute: { schema: count, default: 2, description: 'Comments a new account may post per minute' },
  newAccountCommentsPerDay: { schema: count, default: 10, description: 'Comments a new account may post per day' },
  previewsPerMinute: { schema: count, default: 20, description: 'Comment previews a member may ask for per minute' },
  reportThreshold: { schema: count, default: 3, description: 'Reports that hide a comment until a moderator reviews it' },
  reportMinAccountHours: {
    schema: wholeNumber.min(0, 'the least is 0').max(24 * 90, 'the most is 2,160 (90 days)'),
    default: 24,
    description: 'How old a member’s account must be for their reports to count toward hiding a comment (staff’s always count)',
  },
  reportsPerHour: { schema: count, default: 20, description: 'Reports one account may send per hour' },
  maxLinks: {
    schema: wholeNumber.min(0, 'the least is 0').max(1000, 'the most is 1,000'),
    default: 3,
    description: 'Links a comment may hold before it waits for a moderator',
  },
  holdFirstComment: {
    schema: z.boolean(),
    default: true,
    description: 'Hold a member’s comments until a moderator has approved one of them',
  },
  watchedWords: {
    schema: z
      .array(
        z.object({
          // Stored as JSON, which Postgres refuses to hold a U+0000 in.
          word: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .refine((w) => !w.includes('\u0000'), 'A watched word cannot contain a null character.'),
          action: z.enum(['hold', 'reject']),
        }),
      )
      .max(1000),
    default: [] as { word: string; action: 'hold' | 'reject' }[],
    description: 'Words that hold a comment for review or reject it outright (one list, an action each)',
  },
} satisfies Record<string, { schema: z.ZodType; default: unknown; description: string }>

export type SettingKey = keyof typeof settingDefinitions
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingDefinitions)[K]['schema']>
export type SettingValues<K extends SettingKey> = { [P in K]: SettingValue<P> }

/** Every setting's current value, from one query. */
async function readAllSettings(): Promise<Record<SettingKey, unknown>> {
  const rows = await db.select({ key: settings.key, value: settings.value }).from(settings)
  const stored = new Map(rows.map((r) => [r.key, r.value]))
  const values = {} as Record<SettingKey, unknown>
  for (const key of Object.keys(settingDefinitions) as SettingKey[]) {
    const definition = settingDefinitions[key]
    const parsed = definition.schema.safeParse(stored.get(key))
    values[key] = parsed.success ? parsed.data : definition.default
  }
  return values
}

/**
 * The current values of some settings. Nearly every request reads one, so the table is kept in this
 * process while its changes are heard (`readThrough`); `fresh` reads it from the database anyway.
 */
export async function getSettings<K extends SettingKey>(keys: K[], { fresh = false } = {}): Promise<SettingValues<K>> {
  const all = await (fresh ? readAllSettings() : readThrough('settings', ['settings'], readAllSettings))
  const values = {} as Record<string, unknown>
  for (const key of keys) values[key] = all[key]
  return values as SettingValues<K>
}

/** Stores a setting after checking it against its schema. Authorisation is the caller's model's job. */
export async function putSetting<K extends SettingKey>(key: K, value: SettingValue<K>, updatedById: string | null = null) {
  const parsed = (settingDefinitions[key].schema as z.ZodType).parse(value)
  await db
    .insert(settings)
    .values({ key, value: parsed, updatedById })
    .onConflictDoUpdate({ target: settings.key, set: { value: parsed, updatedById, updatedAt: new Date() } })
  forgetTable('settings')
}

type ListedSetting = { key: SettingKey; value: unknown; default: unknown; description: string }

/** Every setting with its current value and description, for the admin page. */
export async function listSettings({ actor }: { actor: { role: Role } }): Promise<ListedSetting[]> {
  if (!isAdmin(actor.role)) throw new DomainError('forbidden', 'Only admins can see and change settings.')
  const keys = Object.keys(settingDefinitions) as SettingKey[]
  const values = await getSettings(keys, { fresh: true })
  return keys.map((key) => ({
    key,
    value: values[key],
    default: settingDefinitions[key].default,
    description: settingDefinitions[key].description,
  }))
}

/**
 * Saves settings an admin changed, each checked by its schema, with one log line naming them, in
 * one transaction. A value its schema refuses stops the whole save with that setting named.
 */
export async function updateSettings({ actor, values }: { actor: { id: string; role: Role }; values: Partial<Record<SettingKey, unknown>> }) {
  if (!isAdmin(actor.role)) throw new DomainError('forbidden', 'Only admins can change settings.')
  const parsed: { key: SettingKey; value: unknown }[] = []
  for (const [key, value] of Object.entries(values) as [SettingKey, unknown][]) {
    const definition = settingDefinitions[key]
    if (!definition) throw new DomainError('invalid-input', `There is no setting called ${key}.`)
    const result = (definition.schema as z.ZodType).safeParse(value)
    if (!result.success) {
      throw new DomainError('invalid-input', `${definition.description}: ${result.error.issues[0]?.message ?? 'invalid'}`, { field: key })
    }
    parsed.push({ key, value: result.data })
  }
  await db.transaction(async (tx) => {
    for (const { key, value } of parsed) {
      await tx
        .insert(settings)
        .values({ key, value, updatedById: actor.id })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedById: actor.id, updatedAt: new Date() } })
    }
    await tx.insert(moderationActions).values({ actorId: actor.id, action: 'settings', details: { keys: parsed.map((p) => p.key) } })
  })
  forgetTable('settings')
}
