import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useMemo } from 'react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import {
  errorsBesides,
  Field,
  FieldErrors,
  firstInvalid,
  FormErrorSummary,
  SubmitButton,
  TextareaField,
  useFormValidation,
  useSubmissionKey,
} from '#app/components/forms.tsx'
import { domainFailure, parseForm, readForm } from '#app/lib/forms.server.ts'
import { settingFields } from '#app/models/setting-fields.server.ts'
import { adminRoles } from '#app/models/admin.server.ts'
import { listSettings, updateSettings } from '#app/models/settings.server.ts'
import { formatWatchedWords, settingsFormSchema, type WatchedWordInput } from '#app/schemas/settings.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, adminRoles)
  return { settings: await listSettings({ actor: user }), fields: settingFields() }
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, adminRoles)
  const formData = await readForm(request)
  const parsed = parseForm(formData, settingsFormSchema(settingFields()))
  if (!parsed.ok) return parsed.response
  try {
    await updateSettings({ actor: user, values: parsed.data })
    return redirect('/admin/settings?saved=1')
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const meta: MetaFunction = () => [{ title: 'Settings — Threadline admin' }]

export default function SettingsPage() {
  const { settings, fields } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const schema = useMemo(() => settingsFormSchema(fields), [fields])
  const { form, errors } = useFormValidation({ id: 'settings-form', schema, result: failure })
  const [params] = useSearchParams()
  // After a failed save the form shows what was sent; before, what is stored.
  const kept = failure?.values
  const keys = settings.map((s) => s.key)
  const focus = firstInvalid(errors, keys)
  return (
    <section aria-labelledby="settings-title" className="page-narrow">
      <header className="page-header">
        <h1 id="settings-title">Settings</h1>
        <p className="page-header__lede">Limits and auto-moderation. Every change is logged.</p>
      </header>
      {params.get('saved') ? (
        <p className="notice" role="status">
          Settings saved.
        </p>
      ) : null}
      <Form key={submissionKey} {...form} method="post" className="stack" noValidate>
        <FormErrorSummary errors={errorsBesides(errors, ...keys)} id="settings-errors" />
        {settings.map((s) => {
          const id = `setting-${s.key}`
          const common = { id, name: s.key, label: s.description, errors: errors?.fields?.[s.key], autoFocusOnError: focus === s.key }
          if (typeof s.default === 'boolean') {
            return (
              <div className="field field--check" key={s.key}>
                <label htmlFor={id}>
                  <input
                    id={id}
                    name={s.key}
                    type="checkbox"
                    defaultChecked={kept ? kept[s.key] === 'on' : Boolean(s.value)}
                    aria-invalid={common.errors ? true : undefined}
                    aria-describedby={common.errors ? `${id}-error` : undefined}
                  />{' '}
                  {s.description}
                </label>
                <FieldErrors id={id} errors={common.errors} />
              </div>
            )
          }
          if (Array.isArray(s.default)) {
            return (
              <TextareaField
                key={s.key}
                {...common}
                hint={
                  <>
                    One per line: <code>word | hold</code> or <code>word | reject</code>.
                  </>
                }
                rows={6}
                defaultValue={kept?.[s.key] ?? formatWatchedWords(s.value as unknown as WatchedWordInput[])}
              />
            )
          }
          return (
            <Field
              key={s.key}
              {...common}
              type="number"
              inputMode="numeric"
              hint={`Default: ${String(s.default)}`}
              defaultValue={kept?.[s.key] ?? String(s.value)}
            />
          )
        })}
        <SubmitButton pendingText="Saving…">Save settings</SubmitButton>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
