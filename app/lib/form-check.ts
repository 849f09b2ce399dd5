import { parse, type Submission } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { z } from 'zod'

/**
 * The browser's check of a form, as conform's submission: the schema its action parses with, on the
 * values as typed (no coercion: an empty field stays "", as the action sees it). Without a schema
 * the form goes unchecked, for the server to answer. The server's parseForm adds one rule of its own
 * (no U+0000 in any field) and stays the authority.
 */
export function checkForm(formData: FormData, schema: z.ZodType | undefined): Submission<Record<string, unknown>, string[], unknown> {
  if (!schema) return parse<unknown, string[]>(formData, { resolve: (value) => ({ value }) })
  return parseWithZod(formData, { schema, disableAutoCoercion: true })
}

export type CheckedErrors = { form?: string[]; fields?: Partial<Record<string, string[]>> }

/**
 * Conform's errors as the action's are shaped (FormErrors): the form's own under "" become `form`,
 * and each field's are filed under its name's first segment ("ids[0]" under "ids"), as
 * z.flattenError files them on the server, so each message lands where the server's would.
 */
export function groupErrors(error: Record<string, string[] | null | undefined> | null | undefined): CheckedErrors | undefined {
  const form: string[] = []
  const fields: Record<string, string[]> = {}
  for (const [name, messages] of Object.entries(error ?? {})) {
    if (!messages?.length) continue
    const field = /^[^.[]*/.exec(name)![0]
    if (field === '') form.push(...messages)
    else fields[field] = [...(fields[field] ?? []), ...messages]
  }
  if (form.length === 0 && Object.keys(fields).length === 0) return undefined
  return form.length ? { form, fields } : { fields }
}
