import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { formatDateTime } from '#app/components/article-editor.tsx'
import { ChipEditor } from '#app/components/chip-editor.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { useSubmissionKey } from '#app/components/forms.tsx'
import { domainFailure, parseForm, readForm } from '#app/lib/forms.server.ts'
import { httpError, requireSlug } from '#app/lib/http.server.ts'
import { authoringRoles } from '#app/models/admin.server.ts'
import { getChipForEditing, saveChip } from '#app/models/chips.server.ts'
import { ChipFormSchema } from '#app/schemas/authoring.ts'
import authoringStyles from '#app/styles/admin-authoring.css?url'
import { own } from '#app/lib/own.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: authoringStyles }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  const slug = requireSlug(request, params.slug, 'chip')
  const chip = await getChipForEditing({ actor: user, slug })
  if (!chip) httpError(404, 'There is no chip with that slug. It may have been renamed.')
  return { chip }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  const slug = requireSlug(request, params.slug, 'chip')
  const formData = await readForm(request)
  const parsed = parseForm(formData, ChipFormSchema)
  if (!parsed.ok) return parsed.response
  try {
    const saved = await saveChip({ actor: user, slug, input: parsed.data })
    return redirect(`/admin/chips/${saved.slug}?saved=chip`)
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit ${data.chip.vendor} ${data.chip.name} — Threadline` : 'Chip not found — Threadline' },
]

const savedMessages: Record<string, string> = {
  created: 'Chip added. Readers see it in the chip database now.',
  chip: 'Chip saved. Readers see the change now.',
}

export default function EditChipPage() {
  const { chip } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const [searchParams] = useSearchParams()
  const saved = failure ? undefined : own(savedMessages, searchParams.get('saved'))
  return (
    <section aria-labelledby="chip-title">
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/admin/chips">Chips</Link> · {chip.vendor}
        </p>
        <h1 id="chip-title">Edit {chip.name}</h1>
        <p className="muted">
          Last saved {formatDateTime(chip.updatedAt)}. <Link to={`/chips/${chip.slug}`}>View on site</Link>
        </p>
      </header>
      {saved ? (
        <p className="notice" role="status">
          {saved}
        </p>
      ) : null}
      <ChipEditor key={submissionKey} chip={chip} failure={failure} />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
