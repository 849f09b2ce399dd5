import { useForm, type SubmissionResult } from '@conform-to/react'
import { useNavigation } from '@remix-run/react'
import { useMemo, useRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react'
import type { z } from 'zod'
import { checkForm, groupErrors } from '#app/lib/form-check.ts'
import { INTENT_FIELD, intentOf } from '#app/lib/intent.ts'
import { own } from '#app/lib/own.ts'

export type FormErrors = { form?: string[]; fields?: Partial<Record<string, string[]>> }

/** Errors that belong to no single field, announced as soon as they appear. */
export function FormErrorSummary({ errors, id }: { errors?: string[]; id: string }) {
  if (!errors?.length) return null
  return (
    <div className="form-errors" role="alert" id={id}>
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  )
}

type FieldProps = {
  label: ReactNode
  name: string
  /** Needed when two forms on one page have a field of the same name. */
  id?: string
  errors?: string[]
  hint?: ReactNode
  autoFocusOnError?: boolean
  /** For a control whose purpose its row already shows (a table's cell): the label is for screen readers. */
  hideLabel?: boolean
}

/**
 * The frame every form control shares: a label, a hint, the control wired to both (aria-invalid,
 * aria-describedby, focus on the first field in error after a failed submission), and its errors.
 */
function FieldFrame({
  label,
  name,
  id: givenId,
  errors,
  hint,
  autoFocusOnError,
  hideLabel,
  control,
}: FieldProps & { control: (wiring: ControlWiring) => ReactNode }) {
  const id = givenId ?? `field-${name}`
  const invalid = Boolean(errors?.length)
  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {control({ id, name, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy, autoFocus: invalid && autoFocusOnError })}
      <FieldErrors id={id} errors={errors} />
    </div>
  )
}

type ControlWiring = {
  id: string
  name: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
  autoFocus: boolean | undefined
}

function frameProps<T extends FieldProps>({ label, name, id, errors, hint, autoFocusOnError, hideLabel, ...rest }: T) {
  return { frame: { label, name, id, errors, hint, autoFocusOnError, hideLabel }, rest }
}

/** A labelled input. */
export function Field(props: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const { frame, rest } = frameProps(props)
  return <FieldFrame {...frame} control={(wiring) => <input {...wiring} {...rest} />} />
}

/** A labelled textarea. */
export function TextareaField(props: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { frame, rest } = frameProps(props)
  return <FieldFrame {...frame} control={(wiring) => <textarea {...wiring} {...rest} />} />
}

/** A labelled select. */
export function SelectField(props: FieldProps & { options: { value: string; label: string }[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  const { frame, rest } = frameProps(props)
  const { options, ...select } = rest
  return (
    <FieldFrame
      {...frame}
      control={(wiring) => (
        <select {...wiring} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  )
}

/** The first field of `order` that has errors: the one to focus. */
export function firstInvalid(errors: FormErrors | undefined, order: string[]) {
  return order.find((name) => errors?.fields?.[name]?.length)
}

export function SubmitButton({
  children,
  pendingText,
  name,
  value,
  className,
}: {
  children: ReactNode
  pendingText: string
  name?: string
  value?: string
  className?: string
}) {
  const navigation = useNavigation()
  const pending = navigation.state === 'submitting' && (value === undefined || navigation.formData?.get(name ?? 'intent') === value)
  return (
    <button type="submit" className={className ?? 'button'} name={name} value={value} aria-disabled={pending || undefined}>
      {pending ? pendingText : children}
    </button>
  )
}

/**
 * A key that changes with every new action result. Keyed on it, a form mounts afresh after each
 * failed submission: kept values come back from the server's copy, password fields come back empty,
 * and the first field in error takes focus, as they do on a full page load without JavaScript.
 */
export function useSubmissionKey(result: unknown): number {
  const ref = useRef({ result, key: 0 })
  if (ref.current.result !== result) ref.current = { result, key: ref.current.key + 1 }
  return ref.current.key
}

type Schemas = z.ZodType | Record<string, z.ZodType>

/** Nothing to report: the state a form returns to when the page holds no answer from its action. */
const noResult: SubmissionResult<string[]> = {}

function asSubmissionResult(errors: FormErrors | undefined): SubmissionResult<string[]> {
  const error: Record<string, string[]> = {}
  if (errors?.form?.length) error[''] = errors.form
  for (const [name, list] of Object.entries(errors?.fields ?? {})) if (list?.length) error[name] = list
  return { status: Object.keys(error).length ? 'error' : undefined, error }
}

/**
 * Checks a form in the browser with the schema its action parses with (conform, with zod): a form in
 * error is not sent, its messages appear where the server's would, and a field in error is checked
 * again as it is corrected. The server stays the authority: its answer (`result`, the action's data)
 * is shown the same way, and without JavaScript nothing changes at all.
 *
 * `schema` is one schema, or one per intent (the button pressed, or a hidden `intent`): an intent
 * without one here is sent unchecked, for the server to answer. `prepare` turns the form's data into
 * what the action parses (joinRepeated …). `errors` are the server's and the browser's together, as
 * one FormErrors, for the field components; spread `form` onto the <Form>, which must be noValidate.
 */
export function useFormValidation({
  id,
  schema,
  result,
  prepare,
}: {
  id: string
  schema: Schemas
  result: { errors?: FormErrors; values?: Record<string, string> } | null | undefined
  prepare?: (formData: FormData) => FormData
}) {
  const lastResult = useMemo(() => (result ? asSubmissionResult(result.errors) : noResult), [result])
  // A check while typing has no button pressed: it follows the intent last sent from here, or, on a
  // page that came back with the server's answer, the one the server answered.
  const lastIntent = useRef<string | null>(null)
  const answeredIntent = result?.values?.intent ?? null
  const [form] = useForm<Record<string, unknown>, unknown, string[]>({
    id,
    lastResult,
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate({ formData }) {
      const data = prepare ? prepare(formData) : formData
      let chosen: z.ZodType | undefined
      if (isSchema(schema)) chosen = schema
      else {
        if (data.has(INTENT_FIELD)) lastIntent.current = intentOf(data, schema)
        const intent = data.has(INTENT_FIELD) ? lastIntent.current : (lastIntent.current ?? answeredIntent)
        chosen = intent === null ? undefined : own(schema, intent)
      }
      return checkForm(data, chosen)
    },
  })
  const all = form.allErrors
  const errors = useMemo<FormErrors | undefined>(() => groupErrors(all), [all])
  return { form: { id: form.id, onSubmit: form.onSubmit }, errors }
}

function isSchema(schema: Schemas): schema is z.ZodType {
  return typeof (schema as z.ZodType).safeParse === 'function'
}

/** Every message of a failure in one list, for forms too small to place errors beside fields. */
export function allErrors(errors: FormErrors | undefined): string[] {
  if (!errors) return []
  return [...(errors.form ?? []), ...Object.values(errors.fields ?? {}).flatMap((list) => list ?? [])]
}

/**
 * The messages a form's fields do not show beside themselves: the form's own, and those of fields it
 * has no visible control for (a tampered hidden field, say), so that none goes unseen.
 */
export function errorsBesides(errors: FormErrors | undefined, ...shownByFields: string[]): string[] {
  if (!errors) return []
  const fields = Object.entries(errors.fields ?? {}).filter(([name]) => !shownByFields.includes(name))
  return [...(errors.form ?? []), ...fields.flatMap(([, list]) => list ?? [])]
}

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null
  return (
    // The alert wraps the list: role="alert" on the <ul> itself would take away its list semantics.
    <div id={`${id}-error`} role="alert">
      <ul className="field__errors">
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  )
}
