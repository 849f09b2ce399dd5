import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Field, firstInvalid, FormErrorSummary, SubmitButton, TextareaField, useFormValidation, useSubmissionKey } from '#app/components/forms.tsx'
import { domainFailure, formFailure, parseForm } from '#app/lib/forms.server.ts'
import { decodeTextFile } from '#app/lib/plain-text-import.ts'
import { authoringRoles } from '#app/models/admin.server.ts'
import { importArticle } from '#app/models/authoring.server.ts'
import { IMPORT_MAX_BYTES, ImportFormSchema } from '#app/schemas/authoring.ts'
import authoringStyles from '#app/styles/admin-authoring.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: authoringStyles }]

const limitText = `${IMPORT_MAX_BYTES / 1000} KB`

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, authoringRoles)
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  let formData: FormData
  try {
    // Every part, the file and the pasted text alike, is held in memory only up to the limit.
    formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: IMPORT_MAX_BYTES }))
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      const field = error.field === 'text' ? 'text' : 'file'
      const what = field === 'text' ? 'The pasted text' : 'That file'
      return formFailure(
        413,
        {
          fields: {
            [field]: [`${what} is larger than ${limitText}, the most one import takes. Split the article, or trim it first.`],
          },
        },
        new FormData(),
      )
    }
    return formFailure(400, { form: ['We could not read that upload. Please try again from this page.'] }, new FormData())
  }
  const parsed = parseForm(formData, ImportFormSchema)
  if (!parsed.ok) return parsed.response
  let text = parsed.data.text
  if (parsed.data.file) {
    const decoded = decodeTextFile(new Uint8Array(await parsed.data.file.arrayBuffer()))
    if (!decoded.ok) return formFailure(400, { fields: { file: [decoded.error] } }, formData)
    text = decoded.text
  }
  try {
    const { id } = await importArticle({ actor: user, text })
    return redirect(`/admin/articles/${id}?saved=imported`)
  } catch (error) {
    return domainFailure(error, formData)
  }
}

export const meta: MetaFunction = () => [{ title: 'Import an article from text — Threadline' }]

export default function ImportArticlePage() {
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const { form, errors } = useFormValidation({ id: 'import-form', schema: ImportFormSchema, result: failure })
  const focus = firstInvalid(errors, ['file', 'text'])
  return (
    <section aria-labelledby="import-title" className="page-narrow">
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/admin/articles">Articles</Link>
        </p>
        <h1 id="import-title">Import from text</h1>
        <p className="page-header__lede">Turn a plain-text article into a draft you can edit and publish.</p>
      </header>
      <p>The text is read like this:</p>
      <ul>
        <li>the first line is the headline;</li>
        <li>the next line is the standfirst;</li>
        <li>every further line is a paragraph of the body.</li>
      </ul>
      <p className="muted">Blank lines are skipped. Up to {limitText}, as UTF-8 or Windows text.</p>
      <Form
        key={submissionKey}
        {...form}
        method="post"
        encType="multipart/form-data"
        className="stack"
        noValidate
        aria-describedby={errors?.form ? 'import-errors' : undefined}
      >
        <FormErrorSummary errors={errors?.form} id="import-errors" />
        <Field
          label="Text file"
          name="file"
          type="file"
          accept=".txt,.text,text/plain"
          hint="A .txt file."
          errors={errors?.fields?.file}
          autoFocusOnError={focus === 'file'}
        />
        <TextareaField
          label="Or paste the text"
          name="text"
          rows={12}
          defaultValue={failure?.values.text ?? ''}
          errors={errors?.fields?.text}
          autoFocusOnError={focus === 'text'}
        />
        <SubmitButton pendingText="Importing…">Import as a draft</SubmitButton>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
