import { data } from '@remix-run/node'
import { z } from 'zod'
import { DomainError, domainErrorStatus } from '#app/models/errors.server.ts'
import { httpError } from './http.server.ts'

/** What an action returns when it cannot do what was asked: errors, and what the person typed. */
export type FormFailure = {
  errors: { form?: string[]; fields?: Partial<Record<string, string[]>> }
  values: Record<string, string>
  /** Rendered Markdown, when the form asked for a preview rather than a save. */
  preview?: string
}

// Passwords are never sent back to the browser, not even to refill a form.
const secretField = /password|confirm/i

export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData()
  } catch {
    return httpError(400, 'We could not read that form submission. Please try again from the page itself.')
  }
}

function keptValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of formData) {
    if (typeof value === 'string' && !secretField.test(key)) values[key] = value
  }
  return values
}

export function formFailure(
  status: number,
  errors: FormFailure['errors'],
  formData: FormData,
  headers?: HeadersInit,
  extra?: Pick<FormFailure, 'preview'>,
) {
  return data<FormFailure>({ errors, values: keptValues(formData), ...extra }, { status, headers })
}

/** Parses a form with its schema: the data, or a 400 carrying every field's errors. */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
): { ok: true; data: z.output<S> } | { ok: false; response: ReturnType<typeof formFailure> } {
  // A field named `name[]` (checkboxes of a selection) becomes a list under `name`.
  const input: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {}
  for (const [key, value] of formData) {
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2)
      input[name] = [...((input[name] as FormDataEntryValue[] | undefined) ?? []), value]
    } else input[key] = value
  }
  const result = schema.safeParse(input)
  if (result.success) return { ok: true, data: result.data }
  const flat = z.flattenError(result.error)
  return {
    ok: false,
    response: formFailure(400, { form: flat.formErrors, fields: flat.fieldErrors as Record<string, string[]> }, formData),
  }
}

/** A domain refusal as a form failure: its status, its message beside its field when it names one. */
export function domainFailure(error: unknown, formData: FormData) {
  if (!(error instanceof DomainError)) throw error
  const message = [error.message]
  const errors = error.details.field ? { fields: { [error.details.field]: message } } : { form: message }
  const headers =
    error.details.retryAfterSeconds !== undefined ? { 'Retry-After': String(error.details.retryAfterSeconds) } : undefined
  return formFailure(domainErrorStatus(error), errors, formData, headers)
}
