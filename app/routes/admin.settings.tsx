import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { allErrors, FormErrorSummary } from '#app/components/forms.tsx'
import { domainFailure, readForm } from '#app/lib/forms.server.ts'
import { adminRoles } from '#app/models/admin.server.ts'
import { listSettings, settingDefinitions, updateSettings, type SettingKey } from '#app/models/settings.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, adminRoles)
  return { settings: await listSettings({ actor: user }) }
}

/** Form fields back to typed values: numbers, a checkbox, and the watched-word lines. */
function readSettings(formData: FormData): Partial<Record<SettingKey, unknown>> {
  const values: Partial<Record<SettingKey, unknown>> = {}
  for (const key of Object.keys(settingDefinitions) as SettingKey[]) {
    const raw = formData.get(key)
    const fallback = settingDefinitions[key].default
    if (typeof fallback === 'boolean') values[key] = raw === 'on'
    else if (typeof fallback === 'number') {
      if (typeof raw === 'string') values[key] = raw.trim() === '' ? Number.NaN : Number(raw)
    } else if (key === 'watchedWords' && typeof raw === 'string') {
      values[key] = raw
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const [word = '', action = 'hold'] = line.split('|').map((p) => p.trim())
          return { word, action: action.toLowerCase() }
        })
    }
  }
  return values
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, adminRoles)
  const formData = await readForm(request)
  try {
    await updateSettings({ actor: user, values: readSettings(formData) })
    return redirect('/admin/settings?saved=1')
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const meta: MetaFunction = () => [{ title: 'Settings — Threadline admin' }]

export default function SettingsPage() {
  const { settings } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [params] = useSearchParams()
  const kept = failure?.values
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
      <Form method="post" className="stack" noValidate>
        <FormErrorSummary errors={allErrors(failure?.errors)} id="settings-errors" />
        {settings.map((s) => {
          const id = `setting-${s.key}`
          if (typeof s.default === 'boolean') {
            return (
              <div className="field field--check" key={s.key}>
                <label htmlFor={id}>
                  <input id={id} name={s.key} type="checkbox" defaultChecked={Boolean(s.value)} /> {s.description}
                </label>
              </div>
            )
          }
          if (Array.isArray(s.default)) {
            const lines = (s.value as unknown as { word: string; action: string }[]).map((w) => `${w.word} | ${w.action}`).join('\n')
            return (
              <div className="field" key={s.key}>
                <label htmlFor={id}>{s.description}</label>
                <p className="field__hint" id={`${id}-hint`}>
                  One per line: <code>word | hold</code> or <code>word | reject</code>.
                </p>
                <textarea id={id} name={s.key} rows={6} defaultValue={kept?.[s.key] ?? lines} aria-describedby={`${id}-hint`} />
              </div>
            )
          }
          return (
            <div className="field" key={s.key}>
              <label htmlFor={id}>{s.description}</label>
              <input
                id={id}
                name={s.key}
                type="number"
                inputMode="numeric"
                defaultValue={kept?.[s.key] ?? String(s.value)}
                aria-invalid={failure?.errors.fields?.[s.key] ? true : undefined}
              />
              <p className="field__hint">Default: {String(s.default)}</p>
            </div>
          )
        })}
        <button type="submit" className="button">
          Save settings
        </button>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
