import { data, type HeadersFunction } from '@remix-run/node'
import { z } from 'zod'
import { DomainError, domainErrorStatus } from './domain-errors.ts'
import { rememberSubmission } from './database-outage.server.ts'
import { httpError } from './http.server.ts'
import { intentOf, UNKNOWN_INTENT_MESSAGE } from './intent.ts'

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
  let formData: FormData
  try {
    formData = await request.formData()
  } catch {
    return httpError(400, 'We could not read that form submission. Please try again from the page itself.')
  }
  // Should the database be out of reach while this is handled, the error page gives it back.
  rememberSubmission(request, keptValues(formData))
  return formData
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

export const NUL_MESSAGE = 'This contains a null character (U+0000), which cannot be saved. Remove it and try again.'

/**
 * Parses a form with its schema: the data, or a 400 carrying every field's errors.
 *
 * What every schema can rely on, whatever its own normalisation: the values are well-formed
 * Unicode (a browser sends a lone surrogate as U+FFFD, and bytes that are not UTF-8 decode to U+FFFD
 * on the way in), and none holds U+0000. Postgres text cannot store that character, so a field with
 * one is refused here, beside the field, rather than failing as a 500 at the insert; passwords,
 * which are hashed and never stored as text, are exempt.
 */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
): { ok: true; data: z.output<S> } | { ok: false; response: ReturnType<typeof formFailure> } {
  // A field named `name[]` (checkboxes of a selection) becomes a list under `name`.
  const input: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {}
  const withNul = new Set<string>()
  for (const [key, value] of formData) {
    const name = key.endsWith('[]') ? key.slice(0, -2) : key
    if (typeof value === 'string' && value.includes('\u0000') && !secretField.test(name)) withNul.add(name)
    if (key.endsWith('[]')) {
      input[name] = [...((input[name] as FormDataEntryValue[] | undefined) ?? []), value]
    } else input[key] = value
  }
  const result = schema.safeParse(input)
  if (result.success && withNul.size === 0) return { ok: true, data: result.data }
  const flat = result.success ? { formErrors: [], fieldErrors: {} } : z.flattenError(result.error)
  const fields: Record<string, string[]> = { ...(flat.fieldErrors as Record<string, string[]>) }
  for (const name of withNul) fields[name] = [NUL_MESSAGE]
  return { ok: false, response: formFailure(400, { form: flat.formErrors, fields }, formData) }
}

/** A domain refusal as a form failure: its status, its message beside its field when it names one. */
export function domainFailure(error: unknown, formData: FormData) {
  // Anything else is thrown on, a database outage included: the error page answers it and gives the
  // form back (answerDatabaseOutages). Kept in the form instead, it would be replaced at once by the
  // page's own revalidation, which meets the same outage.
  if (!(error instanceof DomainError)) throw error
  const message = [error.message]
  const errors = error.details.field ? { fields: { [error.details.field]: message } } : { form: message }
  const headers = error.details.retryAfterSeconds !== undefined ? { 'Retry-After': String(error.details.retryAfterSeconds) } : undefined
  return formFailure(domainErrorStatus(error), errors, formData, headers)
}

type IntentHandler<A extends unknown[]> = (formData: FormData, ...args: A) => Promise<unknown>

/**
 * The one way an action with several mutations dispatches: the handler its form's `intent` names
 * (own keys of `handlers` only), given the form and `args`. A form that names none is a 400 with the
 * message every route shares; a domain refusal (or an outage) thrown by the handler is a form failure,
 * as domainFailure makes it. Anything else thrown (a redirect, a bug) goes on up.
 */
export async function dispatchIntent<A extends unknown[], H extends Record<string, IntentHandler<A>>>(
  formData: FormData,
  handlers: H,
  ...args: A
): Promise<Awaited<ReturnType<H[keyof H]>> | ReturnType<typeof formFailure>> {
  const intent = intentOf(formData, handlers)
  if (intent === null) return formFailure(400, { form: [UNKNOWN_INTENT_MESSAGE] }, formData)
  try {
    return (await handlers[intent]!(formData, ...args)) as Awaited<ReturnType<H[keyof H]>>
  } catch (error) {
    return domainFailure(error, formData)
  }
}

/**
 * The `headers` export of a route whose form may be throttled. By itself Remix passes on only the
 * cookies an action or loader set, so domainFailure's Retry-After would never reach the client.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, errorHeaders, loaderHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After') ?? errorHeaders?.get('Retry-After') ?? loaderHeaders.get('Retry-After')
  return new Headers(retryAfter ? { 'Retry-After': retryAfter } : undefined)
}
