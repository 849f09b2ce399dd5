import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireUser } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import {
  Field,
  FormErrorSummary,
  SelectField,
  SubmitButton,
  TextareaField,
  firstInvalid,
  useFormValidation,
  useSubmissionKey,
} from '#app/components/forms.tsx'
import { domainFailure, parseForm, readForm, retryAfterHeaders } from '#app/lib/forms.server.ts'
import { httpError, requireSlug } from '#app/lib/http.server.ts'
import { getCorrectionForm, suggestCorrection } from '#app/models/corrections.server.ts'
import { CORRECTION_LIMITS, isCorrectableField, SuggestCorrectionSchema } from '#app/schemas/corrections.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request)
  const chipSlug = requireSlug(request, params.slug, 'chip')
  const form = await getCorrectionForm({ chipSlug })
  if (!form) httpError(404, 'There is no chip at this address. The chip database lists every one we track.')
  return form
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireUser(request)
  const chipSlug = requireSlug(request, params.slug, 'chip')
  const formData = await readForm(request)
  const parsed = parseForm(formData, SuggestCorrectionSchema)
  if (!parsed.ok) return parsed.response
  try {
    await suggestCorrection({
      actorId: user.id,
      chipSlug,
      field: parsed.data.field,
      proposedValue: parsed.data.proposedValue,
      sourceUrl: parsed.data.sourceUrl,
      note: parsed.data.note,
    })
  } catch (error) {
    return domainFailure(error, formData)
  }
  return redirect(`/chips/${chipSlug}?corrected=1`)
}

export const headers = retryAfterHeaders

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `Suggest a correction to the ${data.chip.name} — Threadline` : 'Chip not found — Threadline',
  },
  { name: 'robots', content: 'noindex' },
]

const fieldOrder = ['field', 'proposedValue', 'sourceUrl', 'note']

export default function SuggestCorrectionPage() {
  const { chip, fields } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const submissionKey = useSubmissionKey(failure)
  const { form, errors } = useFormValidation({ id: 'correction-form', schema: SuggestCorrectionSchema, result: failure })
  const [searchParams] = useSearchParams()
  const focus = firstInvalid(errors, fieldOrder)
  const asked = searchParams.get('field') ?? ''
  const chosenField = failure?.values.field ?? (isCorrectableField(asked) ? asked : '')

  return (
    <section className="page-narrow" aria-labelledby="correct-title">
      <header className="page-header">
        <p className="eyebrow">
          <Link to="/chips">Chip database</Link> · <Link to={`/chips/${chip.slug}`}>{chip.name}</Link>
        </p>
        <h1 id="correct-title">Suggest a correction to the {chip.name}</h1>
        <p className="page-header__lede">
          Spotted a wrong or missing figure? Tell us what it should be and where you read it. An editor checks every suggestion against its source before
          it changes the record, and you get a notification either way.
        </p>
      </header>

      <section aria-labelledby="current-heading">
        <h2 id="current-heading">What the record says now</h2>
        <div className="table-scroll" role="region" aria-labelledby="current-heading" tabIndex={0}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Figure</th>
                <th scope="col">Now</th>
                <th scope="col">How to write a correction</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((f) => (
                <tr key={f.field}>
                  <th scope="row">{f.label}</th>
                  <td>{f.current}</td>
                  <td className="muted">{f.hint}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="suggest-heading">
        <h2 id="suggest-heading">Your correction</h2>
        <Form key={submissionKey} {...form} method="post" className="stack" noValidate>
          <FormErrorSummary errors={errors?.form} id="correction-errors" />
          <SelectField
            label="Figure to correct"
            name="field"
            defaultValue={chosenField}
            errors={errors?.fields?.field}
            autoFocusOnError={focus === 'field'}
            required
            options={[
              { value: '', label: 'Choose a figure…' },
              ...fields.map((f) => ({
                value: f.field,
                label: `${f.label} (now: ${f.current.length > 40 ? `${f.current.slice(0, 40)}…` : f.current})`,
              })),
            ]}
          />
          <TextareaField
            label="What it should be"
            name="proposedValue"
            rows={3}
            maxLength={CORRECTION_LIMITS.summary}
            hint="Written as the table above says, without the unit. Leave it empty if the figure is not known."
            defaultValue={failure?.values.proposedValue}
            errors={errors?.fields?.proposedValue}
            autoFocusOnError={focus === 'proposedValue'}
          />
          <Field
            label="Source link"
            name="sourceUrl"
            type="url"
            inputMode="url"
            hint="A datasheet, the vendor’s page or a report that gives the figure."
            placeholder="https://"
            maxLength={CORRECTION_LIMITS.sourceUrl}
            required
            defaultValue={failure?.values.sourceUrl}
            errors={errors?.fields?.sourceUrl}
            autoFocusOnError={focus === 'sourceUrl'}
          />
          <TextareaField
            label="Note for the editors (optional)"
            name="note"
            rows={3}
            maxLength={CORRECTION_LIMITS.note}
            hint="Where in the source the figure is, or anything else that helps."
            defaultValue={failure?.values.note}
            errors={errors?.fields?.note}
            autoFocusOnError={focus === 'note'}
          />
          <SubmitButton pendingText="Sending…">Send the correction</SubmitButton>
        </Form>
      </section>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
