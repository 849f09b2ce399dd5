import { z } from 'zod'

// The settings form. What each setting is (its name, default, range and messages) is the settings
// model's; the page describes each as a field (setting-fields.server.ts), and this builds the
// form's schema from those descriptions, alike for the action and the browser. The model checks
// every value again when it saves it.

type Described = { key: string; description: string }

export type SettingField =
  | (Described & { kind: 'flag' | 'words' })
  | (Described & {
      kind: 'count'
      min: number
      max: number
      /** The model's own words for a value that is not a whole number, too small, too large. */
      messages: { notWhole: string; tooSmall: string; tooLarge: string }
    })

export type WatchedWordInput = { word: string; action: string }

/** "word | hold" lines as the watched-word list: blank lines skipped, a line without an action holds. */
export function parseWatchedWords(text: string): WatchedWordInput[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [word = '', action = 'hold'] = line.split('|').map((p) => p.trim())
      return { word, action: action.toLowerCase() }
    })
}

export function formatWatchedWords(words: WatchedWordInput[]): string {
  return words.map((w) => `${w.word} | ${w.action}`).join('\n')
}

function fieldSchema(field: SettingField) {
  if (field.kind !== 'count') {
    return field.kind === 'flag'
      ? z
          .string()
          .optional()
          .transform((v) => v === 'on')
      : z.string().transform(parseWatchedWords).optional()
  }
  // Each message names its setting, as the model's do.
  const say = (message: string) => `${field.description}: ${message}`
  return z
    .string()
    .transform((raw) => (raw.trim() === '' ? Number.NaN : Number(raw)))
    .pipe(
      z
        .number({ error: say(field.messages.notWhole) })
        .int(say(field.messages.notWhole))
        .min(field.min, say(field.messages.tooSmall))
        .max(field.max, say(field.messages.tooLarge)),
    )
    .optional()
}

/**
 * The settings form's schema: a number left out of the form is left as it is, and so is the
 * watched-word list; a checkbox left out is off, as browsers send an unticked one.
 */
export function settingsFormSchema(fields: readonly SettingField[]) {
  return z
    .object(Object.fromEntries(fields.map((field) => [field.key, fieldSchema(field)])))
    .transform((values) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)))
}
