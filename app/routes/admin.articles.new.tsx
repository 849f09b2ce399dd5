import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { ArticleEditor } from '#app/components/article-editor.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { useSubmissionKey } from '#app/components/forms.tsx'
import { dispatchIntent, formFailure, parseForm, readForm } from '#app/lib/forms.server.ts'
import { authoringRoles } from '#app/models/admin.server.ts'
import { getArticleEditorChoices, previewArticle, saveArticle } from '#app/models/authoring.server.ts'
import { ArticleFormSchema, ArticlePreviewSchema, joinRepeated } from '#app/schemas/authoring.ts'
import authoringStyles from '#app/styles/admin-authoring.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: authoringStyles }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  return { ...(await getArticleEditorChoices({ actor: user })), now: new Date() }
}

type Auth = Awaited<ReturnType<typeof requireRole>>

const intents = {
  async save(formData: FormData, { user }: Auth) {
    const parsed = parseForm(formData, ArticleFormSchema)
    if (!parsed.ok) return parsed.response
    const saved = await saveArticle({ actor: user, input: parsed.data })
    return redirect(`/admin/articles/${saved.id}?saved=${saved.status}`)
  },
  async preview(formData: FormData, { user }: Auth) {
    const parsed = parseForm(formData, ArticlePreviewSchema)
    if (!parsed.ok) return parsed.response
    const preview = await previewArticle({ actor: user, body: parsed.data.body })
    return formFailure(200, {}, formData, undefined, { preview })
  },
}

export async function action({ request }: ActionFunctionArgs) {
  const auth = await requireRole(request, authoringRoles)
  return dispatchIntent(joinRepeated(await readForm(request), 'chips'), intents, auth)
}

// A preview changes nothing: the editor's data need not be loaded again after one.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get('intent') === 'preview' ? false : defaultShouldRevalidate

export const meta: MetaFunction = () => [{ title: 'New article — Threadline' }]

export default function NewArticlePage() {
  const { chips, now } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  return (
    <section aria-labelledby="editor-title">
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/admin/articles">Articles</Link>
        </p>
        <h1 id="editor-title">New article</h1>
        <p className="page-header__lede">
          Write in Markdown, preview, and save as a draft until it is ready. Have it as plain text? <Link to="/admin/articles/import">Import it</Link>.
        </p>
      </header>
      <ArticleEditor chips={chips} failure={failure} submissionKey={submissionKey} now={now} />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
