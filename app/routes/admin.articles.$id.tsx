import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { ArticleEditor } from '#app/components/article-editor.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { useSubmissionKey } from '#app/components/forms.tsx'
import { dispatchIntent, formFailure, parseForm, readForm } from '#app/lib/forms.server.ts'
import { httpError } from '#app/lib/http.server.ts'
import { authoringRoles } from '#app/models/admin.server.ts'
import { getArticleForEditing, previewArticle, saveArticle } from '#app/models/authoring.server.ts'
import { isDomainError } from '#app/lib/domain-errors.ts'
import { ArticleFormSchema, ArticleIdParamSchema, ArticlePreviewSchema, joinRepeated } from '#app/schemas/authoring.ts'
import authoringStyles from '#app/styles/admin-authoring.css?url'
import { own } from '#app/lib/own.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: authoringStyles }]

function requireArticleId(value: string | undefined): number {
  const id = ArticleIdParamSchema.safeParse(value)
  if (!id.success) return httpError(404, 'There is no article at this address.')
  return id.data
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  const id = requireArticleId(params.id)
  const editing = await getArticleForEditing({ actor: user, id }).catch((error: unknown) => {
    if (isDomainError(error, 'forbidden')) httpError(403, error.message)
    throw error
  })
  if (!editing) httpError(404, 'There is no article with that number. It may have been deleted.')
  return { ...editing, now: new Date() }
}

type Auth = Awaited<ReturnType<typeof requireRole>>

const intents = {
  async save(formData: FormData, { user }: Auth, id: number) {
    const parsed = parseForm(formData, ArticleFormSchema)
    if (!parsed.ok) return parsed.response
    const saved = await saveArticle({ actor: user, id, input: parsed.data })
    return redirect(`/admin/articles/${saved.id}?saved=${saved.status}`)
  },
  async preview(formData: FormData, { user }: Auth) {
    const parsed = parseForm(formData, ArticlePreviewSchema)
    if (!parsed.ok) return parsed.response
    const preview = await previewArticle({ actor: user, body: parsed.data.body })
    return formFailure(200, {}, formData, undefined, { preview })
  },
}

export async function action({ request, params }: ActionFunctionArgs) {
  const auth = await requireRole(request, authoringRoles)
  const id = requireArticleId(params.id)
  return dispatchIntent(joinRepeated(await readForm(request), 'chips'), intents, auth, id)
}

// A preview changes nothing: the editor's data need not be loaded again after one.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get('intent') === 'preview' ? false : defaultShouldRevalidate

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit “${data.article.title}” — Threadline` : 'Article not found — Threadline' },
]

const savedMessages: Record<string, string> = {
  draft: 'Saved as a draft. Readers cannot see it.',
  scheduled: 'Saved and scheduled: it publishes itself at its time.',
  published: 'Saved and published.',
  archived: 'Saved and archived. Readers no longer see it.',
  imported: 'Imported as a draft. Check the headline, standfirst and paragraphs, then publish when it is ready.',
}

export default function EditArticlePage() {
  const { article, chips, now } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const [searchParams] = useSearchParams()
  const saved = failure ? undefined : own(savedMessages, searchParams.get('saved'))
  return (
    <section aria-labelledby="editor-title">
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/admin/articles">Articles</Link>
        </p>
        <h1 id="editor-title">Edit article</h1>
      </header>
      {saved ? (
        <p className="notice" role="status">
          {saved}
        </p>
      ) : null}
      <ArticleEditor article={article} chips={chips} failure={failure} submissionKey={submissionKey} now={now} />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
