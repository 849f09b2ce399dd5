import { own } from './own.ts'

// Forms that can ask for more than one thing say which in a field named `intent` (a hidden input, or
// the value of the button pressed). Routes dispatch on it with dispatchIntent (forms.server.ts); a
// form validated in the browser picks its schema with it, so both sides read the same field alike.

export const INTENT_FIELD = 'intent'

/** What every route answers (400) when a form names no intent it has. */
export const UNKNOWN_INTENT_MESSAGE = 'That form asked for something we do not do.'

/**
 * The key of `choices` that a form's intent names, own keys only: "constructor", "toString" or
 * "__proto__" name nothing, nor does a missing, empty or file-valued intent.
 */
export function intentOf<C extends Record<string, unknown>>(formData: FormData, choices: C): Extract<keyof C, string> | null {
  const value = formData.get(INTENT_FIELD)
  if (typeof value !== 'string') return null
  return own(choices, value) === undefined ? null : (value as Extract<keyof C, string>)
}
