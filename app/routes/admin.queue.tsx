import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { allErrors, FormErrorSummary, useFormValidation } from '#app/components/forms.tsx'
import { formatDate, pluralize } from '#app/lib/format.ts'
import { dispatchIntent, parseForm, readForm } from '#app/lib/forms.server.ts'
import { relativeTime } from '#app/lib/relative-time.ts'
import { staffRoles, type Actor } from '#app/models/admin.server.ts'
import { getModerationQueue, moderateComments, setCommentPinned } from '#app/models/moderation.server.ts'
import { ModerateSchema, PinSchema, REASON_MAX, reportReasonLabels } from '#app/schemas/moderation.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  return { items: await getModerationQueue({ actor: user }), now: new Date() }
}

const intents = {
  async moderate(formData: FormData, actor: Actor) {
    const parsed = parseForm(formData, ModerateSchema)
    if (!parsed.ok) return parsed.response
    const { changed, skipped } = await moderateComments({ actor, commentIds: parsed.data.ids, action: parsed.data.action, reason: parsed.data.reason })
    return redirect(`/admin/queue?done=${parsed.data.action}&changed=${changed}&skipped=${skipped}`)
  },
  async pin(formData: FormData, actor: Actor) {
    const parsed = parseForm(formData, PinSchema)
    if (!parsed.ok) return parsed.response
    const { changed } = await setCommentPinned({ actor, commentId: parsed.data.commentId, pinned: parsed.data.pinned })
    const back = formData.get('returnTo')
    return redirect(
      typeof back === 'string' && back.startsWith('/articles/')
        ? back
        : `/admin/queue?done=${parsed.data.pinned ? 'pin' : 'unpin'}&changed=${Number(changed)}&skipped=${Number(!changed)}`,
    )
  },
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, staffRoles)
  return dispatchIntent(await readForm(request), intents, user)
}

export const meta: MetaFunction = () => [{ title: 'Moderation queue — Threadline' }]

const ruleLabels: Record<string, string> = {
  'watched-word': 'Watched word',
  links: 'Too many links',
  'member-state': 'Member is pre-moderated',
  'first-comment': 'First comment of a member',
}

export default function QueuePage() {
  const { items, now } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  // The bulk form is checked in the browser (nothing selected, say); every queue form's refusal by the
  // server is shown with its messages, in one place.
  const bulk = useFormValidation({ id: 'bulk-form', schema: ModerateSchema, result: failure })
  const [params] = useSearchParams()
  const done = params.get('done')
  return (
    <section aria-labelledby="queue-title">
      <header className="page-header">
        <h1 id="queue-title">Moderation queue</h1>
        <p className="page-header__lede">Reported and held comments, oldest first.</p>
      </header>
      {done ? (
        <p className="notice" role="status">
          Done: {done} applied to {pluralize(Number(params.get('changed') ?? 0), 'comment')}
          {Number(params.get('skipped') ?? 0) > 0 ? ` (${params.get('skipped')} skipped: already in that state)` : ''}.
        </p>
      ) : null}
      <FormErrorSummary errors={allErrors(bulk.errors)} id="queue-errors" />

      {items.length === 0 ? (
        <p className="empty">The queue is empty. Nothing is reported or waiting.</p>
      ) : (
        <>
          <Form {...bulk.form} method="post" className="bulk-bar toolbar" aria-label="Act on the selected comments" noValidate>
            <input type="hidden" name="intent" value="moderate" />
            <div className="field">
              <label htmlFor="bulk-action">With the selected comments</label>
              <select id="bulk-action" name="action" defaultValue="approve">
                <option value="approve">Approve</option>
                <option value="hide">Hide</option>
                <option value="remove">Remove</option>
                <option value="restore">Restore</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="bulk-reason">Reason (shown to readers when removing)</label>
              <input id="bulk-reason" name="reason" maxLength={REASON_MAX} />
            </div>
            <button type="submit" className="button">
              Apply to selected
            </button>
          </Form>
          <ol className="comment-list" aria-label="Queue">
            {items.map((item) => (
              <li key={item.id}>
                <article className="queue-item" aria-labelledby={`q${item.id}-title`}>
                  <div className="queue-item__head">
                    <input
                      type="checkbox"
                      name="ids[]"
                      value={item.id}
                      form="bulk-form"
                      id={`select-${item.id}`}
                      aria-label={`Select comment ${item.id} by ${item.authorName ?? 'a deleted user'}`}
                    />
                    <strong id={`q${item.id}-title`}>
                      Comment {item.id} by {item.authorName ?? 'a deleted user'}
                    </strong>
                    <span className="pill">{item.status}</span>
                    {item.heldRule ? (
                      <span className="pill">
                        Held: {ruleLabels[item.heldRule] ?? item.heldRule}
                        {item.heldDetail ? ` — “${item.heldDetail}”` : ''}
                      </span>
                    ) : null}
                    {item.reports.length > 0 ? <span className="pill">{pluralize(item.reports.length, 'report')}</span> : null}
                  </div>
                  <p className="queue-item__context">
                    On <Link to={`/articles/${item.articleSlug}/comments/${item.id}#c${item.id}`}>{item.articleTitle}</Link>,{' '}
                    {relativeTime(item.createdAt, now)}. Author{' '}
                    {item.authorId ? <Link to={`/admin/members/${item.authorId}`}>{item.authorUsername}</Link> : 'deleted'}, member since{' '}
                    {item.authorSince ? formatDate(item.authorSince) : 'n/a'}
                    {item.authorBanned ? ' (banned)' : ''}.
                  </p>
                  {item.parent ? (
                    <details>
                      <summary>In reply to {item.parent.authorName ?? 'a deleted user'}</summary>
                      <div className="comment__body prose-comment" dangerouslySetInnerHTML={{ __html: item.parent.bodyHtml }} />
                    </details>
                  ) : null}
                  <div className="comment__body prose-comment" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
                  {item.reports.length > 0 ? (
                    <ul className="queue-item__context">
                      {item.reports.map((r, i) => (
                        <li key={i}>
                          {reportReasonLabels[r.reason]} — {r.reporterName ?? 'a deleted user'}
                          {r.note ? `: “${r.note}”` : ''}
                          {r.counted ? null : <span className="muted"> (new account: does not count toward hiding)</span>}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {item.history.length > 0 ? (
                    <details>
                      <summary>Recent comments by this author</summary>
                      <ul className="queue-item__context">
                        {item.history.map((h) => (
                          <li key={h.id}>
                            [{h.status}] {h.excerpt}
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                  <Form method="post" className="inline-form" aria-label={`Act on comment ${item.id}`}>
                    <input type="hidden" name="intent" value="moderate" />
                    <input type="hidden" name="ids[]" value={item.id} />
                    {item.status !== 'published' ? (
                      <button type="submit" name="action" value="approve" className="button">
                        Approve
                      </button>
                    ) : (
                      <button type="submit" name="action" value="hide" className="button button--secondary">
                        Hide
                      </button>
                    )}
                    {item.status === 'hidden' ? (
                      <button type="submit" name="action" value="restore" className="button button--secondary">
                        Restore
                      </button>
                    ) : null}
                    <label className="visually-hidden" htmlFor={`reason-${item.id}`}>
                      Reason for removing comment {item.id}
                    </label>
                    <input id={`reason-${item.id}`} name="reason" placeholder="Reason for removal" maxLength={REASON_MAX} />
                    <button type="submit" name="action" value="remove" className="button button--danger">
                      Remove
                    </button>
                  </Form>
                  <div className="inline-form">
                    {item.parentId === null && (item.pinned || item.status === 'published') ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="pin" />
                        <input type="hidden" name="commentId" value={item.id} />
                        <input type="hidden" name="pinned" value={item.pinned ? 'false' : 'true'} />
                        <button type="submit" className="link-button">
                          {item.pinned ? 'Unpin' : 'Pin to the top'}
                        </button>
                      </Form>
                    ) : null}
                    <Form method="post" action="/admin/discussions">
                      <input type="hidden" name="intent" value="lock" />
                      <input type="hidden" name="articleId" value={item.articleId} />
                      <input type="hidden" name="locked" value={item.discussionLocked ? 'false' : 'true'} />
                      <button type="submit" className="link-button">
                        {item.discussionLocked ? 'Unlock this discussion' : 'Lock this discussion'}
                      </button>
                    </Form>
                  </div>
                </article>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
