import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { allErrors, errorsBesides, Field, FormErrorSummary, useFormValidation, useSubmissionKey, type FormErrors } from '#app/components/forms.tsx'
import { formatDate, isoDate, pluralize } from '#app/lib/format.ts'
import { dispatchIntent, parseForm, readForm } from '#app/lib/forms.server.ts'
import { acceptCorrection, declineCorrection, listPendingCorrections } from '#app/models/corrections.server.ts'
import { authoringRoles } from '#app/models/admin.server.ts'
import { AcceptCorrectionSchema, CORRECTION_LIMITS, DeclineCorrectionSchema } from '#app/schemas/corrections.ts'
import { own } from '#app/lib/own.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  return { corrections: await listPendingCorrections({ actor: user }) }
}

type Auth = Awaited<ReturnType<typeof requireRole>>

const intents = {
  async accept(formData: FormData, { user }: Auth) {
    const parsed = parseForm(formData, AcceptCorrectionSchema)
    if (!parsed.ok) return parsed.response
    await acceptCorrection({
      actor: user,
      correctionId: parsed.data.correctionId,
    })
    return redirect('/admin/corrections?saved=accepted')
  },
  async decline(formData: FormData, { user }: Auth) {
    const parsed = parseForm(formData, DeclineCorrectionSchema)
    if (!parsed.ok) return parsed.response
    await declineCorrection({
      actor: user,
      correctionId: parsed.data.correctionId,
      reason: parsed.data.reason,
    })
    return redirect('/admin/corrections?saved=declined')
  },
}

export async function action({ request }: ActionFunctionArgs) {
  const auth = await requireRole(request, authoringRoles)
  return dispatchIntent(await readForm(request), intents, auth)
}

export const meta: MetaFunction = () => [{ title: 'Corrections — Threadline' }]

const savedMessages: Record<string, string> = {
  accepted: 'Correction accepted: the chip is updated and the reader has been told.',
  declined: 'Correction declined: the reader has been told why.',
}

export default function CorrectionsPage() {
  const { corrections } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [params] = useSearchParams()
  const saved = own(savedMessages, params.get('saved'))
  const failedId = failure?.values.correctionId
  const failedHere = failedId !== undefined && corrections.some((c) => String(c.id) === failedId)

  return (
    <section aria-labelledby="corrections-title">
      <header className="page-header">
        <h1 id="corrections-title">Corrections</h1>
        <p className="page-header__lede">Readers’ suggested fixes to chip figures, oldest first. Check each against its source before accepting it.</p>
      </header>
      {saved ? (
        <p className="notice" role="status">
          {saved}
        </p>
      ) : null}
      {failure && !failedHere ? <FormErrorSummary errors={allErrors(failure.errors)} id="corrections-errors" /> : null}

      {corrections.length === 0 ? (
        <p className="empty">No corrections are waiting.</p>
      ) : (
        <>
          <p className="muted">{pluralize(corrections.length, 'suggestion')} waiting.</p>
          <ol className="comment-list" aria-label="Suggested corrections">
            {corrections.map((c) => {
              const mine = failedHere && failedId === String(c.id) ? failure : undefined
              return (
                <li key={c.id}>
                  <article className="queue-item" aria-labelledby={`c${c.id}-title`}>
                    <div className="queue-item__head">
                      <strong id={`c${c.id}-title`}>
                        <Link to={`/chips/${c.chipSlug}`}>{c.chipName}</Link>: {c.fieldLabel}
                      </strong>
                      {c.changedTo !== null ? <span className="pill">Changed since: now {c.changedTo}</span> : null}
                    </div>
                    <dl className="spec-list">
                      <div>
                        <dt>When suggested</dt>
                        <dd>{c.currentValue}</dd>
                      </div>
                      <div>
                        <dt>Proposed</dt>
                        <dd>
                          <strong>{c.proposedValue}</strong>
                        </dd>
                      </div>
                      <div>
                        <dt>Source</dt>
                        <dd>
                          <a href={c.sourceUrl} rel="noopener noreferrer nofollow" target="_blank">
                            {c.sourceUrl}
                          </a>
                        </dd>
                      </div>
                    </dl>
                    {c.note ? <p className="queue-item__context">Note: “{c.note}”</p> : null}
                    <p className="queue-item__context">
                      Suggested by {c.suggesterName ?? 'a deleted user'} on <time dateTime={isoDate(c.createdAt)}>{formatDate(c.createdAt)}</time>.
                    </p>
                    <CorrectionForms correction={c} failure={mine} />
                  </article>
                </li>
              )
            })}
          </ol>
        </>
      )}
    </section>
  )
}

type Failure = { errors: FormErrors; values: Record<string, string> }

/** Accept, or decline with a reason (checked in the browser): a refusal of either shows here. */
function CorrectionForms({ correction: c, failure }: { correction: { id: number; chipName: string; fieldLabel: string }; failure?: Failure }) {
  const submissionKey = useSubmissionKey(failure)
  const { form, errors } = useFormValidation({ id: `decline-form-${c.id}`, schema: DeclineCorrectionSchema, result: failure })
  const what = `the correction to the ${c.chipName}’s ${c.fieldLabel.toLowerCase()}`
  return (
    <>
      <FormErrorSummary errors={errorsBesides(errors, 'reason')} id={`errors-${c.id}`} />
      <div className="inline-form">
        <Form method="post" aria-label={`Accept ${what}`}>
          <input type="hidden" name="intent" value="accept" />
          <input type="hidden" name="correctionId" value={c.id} />
          <button type="submit" className="button">
            Accept
          </button>
        </Form>
        <Form key={submissionKey} {...form} method="post" className="inline-form" noValidate aria-label={`Decline ${what}`}>
          <input type="hidden" name="intent" value="decline" />
          <input type="hidden" name="correctionId" value={c.id} />
          <Field
            id={`reason-${c.id}`}
            name="reason"
            label="Reason for declining"
            maxLength={CORRECTION_LIMITS.reason}
            required
            defaultValue={failure?.values.reason}
            errors={errors?.fields?.reason}
            autoFocusOnError
          />
          <button type="submit" className="button button--secondary">
            Decline
          </button>
        </Form>
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
