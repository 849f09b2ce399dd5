import { settingDefinitions, type SettingKey } from './settings.server.ts'
import type { SettingField } from '#app/schemas/settings.ts'

/**
 * Each setting as a field of the settings form: its kind, and for a number its range and the model's
 * own messages (asked of its schema), so the form's schema (settingsFormSchema) says what the model
 * would, in the browser as in the action.
 */
export function settingFields(): SettingField[] {
  return (Object.keys(settingDefinitions) as SettingKey[]).map((key) => {
    const { schema, default: fallback, description } = settingDefinitions[key]
    if (typeof fallback === 'boolean') return { key, kind: 'flag', description }
    if (typeof fallback !== 'number') return { key, kind: 'words', description }
    const number = schema
    const min = number.minValue ?? 0
    const max = number.maxValue ?? Number.MAX_SAFE_INTEGER
    const messageFor = (value: number) => number.safeParse(value).error?.issues[0]?.message ?? 'give a whole number'
    return {
      key,
      kind: 'count',
      description,
      min,
      max,
      messages: { notWhole: messageFor(Number.NaN), tooSmall: messageFor(min - 1), tooLarge: messageFor(max + 1) },
    }
  })
}
