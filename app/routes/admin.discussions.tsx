import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { allErrors, errorsBesides, Field, FormErrorSummary, useFormValidation, useSubmissionKey, type FormErrors } from '#app/components/forms.tsx'
import { formatNumber } from '#app/lib/format.ts'
import { dispatchIntent, parseForm, readForm } from '#app/lib/forms.server.ts'
import { staffRoles, type Actor } from '#app/models/admin.server.ts'
import { listDiscussions, setDiscussionLocked, setSlowMode } from '#app/models/moderation.server.ts'
import { LockSchema, SLOW_MODE_MAX_SECONDS, SlowModeSchema } from '#app/schemas/moderation.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  return { discussions: await listDiscussions({ actor: user }) }
}

const intents = {
  async lock(formData: FormData, actor: Actor) {
    const parsed = parseForm(formData, LockSchema)
    if (!parsed.ok) return parsed.response
    await setDiscussionLocked({ actor, ...parsed.data })
    return redirect(`/admin/discussions?saved=${parsed.data.locked ? 'locked' : 'unlocked'}`)
  },
  async 'slow-mode'(formData: FormData, actor: Actor) {
    const parsed = parseForm(formData, SlowModeSchema)
    if (!parsed.ok) return parsed.response
    await setSlowMode({ actor, ...parsed.data })
    return redirect('/admin/discussions?saved=slow-mode')
  },
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  return dispatchIntent(await readForm(request), intents, user)
}

export const meta: MetaFunction = () => [{ title: 'Discussions — Threadline admin' }]

export default function DiscussionsPage() {
  const { discussions } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const slowModeOf = (articleId: number) =>
    failure?.values.intent === 'slow-mode' && failure.values.articleId === String(articleId) ? failure : undefined
  const shownByRow = discussions.some((d) => slowModeOf(d.id))
  return (
    <section aria-labelledby="discussions-title">
      <header className="page-header">
        <h1 id="discussions-title">Discussions</h1>
        <p className="page-header__lede">Lock a discussion, or slow it down: each member waits between comments.</p>
      </header>
      {shownByRow ? null : <FormErrorSummary errors={allErrors(failure?.errors)} id="discussion-errors" />}
      <div className="table-scroll" role="region" aria-labelledby="discussions-caption" tabIndex={0}>
        <table className="data-table">
          <caption id="discussions-caption">Discussions by story, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Story</th>
              <th scope="col" className="num">
                Comments
              </th>
              <th scope="col">Locked</th>
              <th scope="col">Slow mode (seconds)</th>
            </tr>
          </thead>
          <tbody>
            {discussions.map((d) => (
              <tr key={d.id}>
                <th scope="row" className="wrap">
                  <Link to={`/articles/${d.slug}#discussion`}>{d.title}</Link>
                </th>
                <td className="num">{formatNumber(d.commentCount)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="lock" />
                    <input type="hidden" name="articleId" value={d.id} />
                    <input type="hidden" name="locked" value={d.discussionLocked ? 'false' : 'true'} />
                    <span>{d.discussionLocked ? 'Locked' : 'Open'}</span>
                    <button type="submit" className="button button--secondary" aria-label={`${d.discussionLocked ? 'Unlock' : 'Lock'} ${d.title}`}>
                      {d.discussionLocked ? 'Unlock' : 'Lock'}
                    </button>
                  </Form>
                </td>
                <td>
                  <SlowModeForm discussion={d} failure={slowModeOf(d.id)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

type Failure = { errors: FormErrors; values: Record<string, string> }

function SlowModeForm({ discussion: d, failure }: { discussion: { id: number; title: string; slowModeSeconds: number }; failure?: Failure }) {
  const submissionKey = useSubmissionKey(failure)
  const { form, errors } = useFormValidation({ id: `slow-mode-form-${d.id}`, schema: SlowModeSchema, result: failure })
  return (
    <Form key={submissionKey} {...form} method="post" className="inline-form" noValidate>
      <input type="hidden" name="intent" value="slow-mode" />
      <input type="hidden" name="articleId" value={d.id} />
      <FormErrorSummary errors={errorsBesides(errors, 'seconds')} id={`slow-mode-errors-${d.id}`} />
      <Field
        id={`slow-${d.id}`}
        name="seconds"
        label={`Slow mode for ${d.title}, in seconds`}
        hideLabel
        type="number"
        inputMode="numeric"
        min={0}
        max={SLOW_MODE_MAX_SECONDS}
        defaultValue={failure?.values.seconds ?? d.slowModeSeconds}
        errors={errors?.fields?.seconds}
        autoFocusOnError
      />
      <button type="submit" className="button button--secondary" aria-label={`Set slow mode for ${d.title}`}>
        Set
      </button>
    </Form>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
