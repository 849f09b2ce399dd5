import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { ChipEditor } from '#app/components/chip-editor.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { useSubmissionKey } from '#app/components/forms.tsx'
import { domainFailure, parseForm, readForm } from '#app/lib/forms.server.ts'
import { authoringRoles } from '#app/models/admin.server.ts'
import { saveChip } from '#app/models/chips.server.ts'
import { ChipFormSchema } from '#app/schemas/authoring.ts'
import authoringStyles from '#app/styles/admin-authoring.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: authoringStyles }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, authoringRoles)
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  const formData = await readForm(request)
  const parsed = parseForm(formData, ChipFormSchema)
  if (!parsed.ok) return parsed.response
  try {
    const saved = await saveChip({ actor: user, input: parsed.data })
    return redirect(`/admin/chips/${saved.slug}?saved=created`)
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const meta: MetaFunction = () => [{ title: 'New chip — Threadline' }]

export default function NewChipPage() {
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  return (
    <section aria-labelledby="chip-title">
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/admin/chips">Chips</Link>
        </p>
        <h1 id="chip-title">New chip</h1>
      </header>
      <ChipEditor key={submissionKey} failure={failure} />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
