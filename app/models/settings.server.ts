import { inArray } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server.ts'
import { settings } from '#db/schema.ts'

// Product limits, each a named setting with a default and one line of description. Stored values
// override the defaults; a stored value that no longer fits its schema is ignored, not fatal.

const count = z.number().int().min(1).max(100_000)
const minutes = z.number().int().min(1).max(60 * 24 * 30)

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
  newAccountHours: { schema: z.number().int().min(0).max(24 * 90), default: 24, description: 'How long an account counts as new' },
  newAccountCommentsPerMinute: { schema: count, default: 2, description: 'Comments a new account may post per minute' },
  newAccountCommentsPerDay: { schema: count, default: 10, description: 'Comments a new account may post per day' },
} satisfies Record<string, { schema: z.ZodType<number>; default: number; description: string }>

export type SettingKey = keyof typeof settingDefinitions
export type SettingValues<K extends SettingKey> = { [P in K]: z.infer<(typeof settingDefinitions)[P]['schema']> }

/** The current values of some settings, in one query. */
export async function getSettings<K extends SettingKey>(keys: K[]): Promise<SettingValues<K>> {
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(inArray(settings.key, keys))
  const stored = new Map(rows.map((r) => [r.key, r.value]))
  const values = {} as Record<string, unknown>
  for (const key of keys) {
    const definition = settingDefinitions[key]
    const parsed = definition.schema.safeParse(stored.get(key))
    values[key] = parsed.success ? parsed.data : definition.default
  }
  return values as SettingValues<K>
}

/** Stores a setting after checking it against its schema. Authorisation is the caller's model's job. */
export async function putSetting<K extends SettingKey>(key: K, value: number, updatedById: string | null = null) {
  const parsed = settingDefinitions[key].schema.parse(value)
  await db
    .insert(settings)
    .values({ key, value: parsed, updatedById })
    .onConflictDoUpdate({ target: settings.key, set: { value: parsed, updatedById, updatedAt: new Date() } })
}
