import { Form, Link, useActionData, useFetcher, useNavigate, useRevalidator, type NavigateFunction } from '@remix-run/react'
import { useEffect, useMemo, useRef, useState, type FormEvent, type MouseEvent, type ReactNode } from 'react'
import { errorsBesides, SelectField, TextareaField, useFormValidation } from '#app/components/forms.tsx'
import { StoredHtml } from '#app/components/stored-html.tsx'
import { ViewerSlot } from '#app/components/viewer.tsx'
import type { CommentNode, CommentSort } from '#app/lib/comment-tree.ts'
import { commentAnchor, commentBodyId } from '#app/lib/dom-ids.ts'
import { formatNumber, pluralize } from '#app/lib/format.ts'
import { exactTime, relativeTime } from '#app/lib/relative-time.ts'
import { staffBadgeLabels, type StaffRole } from '#app/lib/roles.ts'
import type { CommentView } from '#app/lib/comment-view.ts'
import { commentSchemas, type CommentLimits } from '#app/schemas/comments.ts'
import { REPORT_NOTE_MAX, ReportSchema, reportReasonLabels } from '#app/schemas/moderation.ts'

export type DiscussionComment = CommentNode<CommentView>

type FormResult = {
  ok?: boolean
  commentId?: number
  /** Where a new comment is shown, when not on this page. */
  location?: string
  /** Why a posted comment waits for a moderator. */
  held?: string | null
  preview?: string
  errors?: { form?: string[]; fields?: Partial<Record<string, string[]>> }
  values?: Record<string, string>
}

export type Shared = {
  /** Moderators and admins see a pin control on top-level comments. */
  staff?: boolean
  slug: string
  now: Date | string
  maxDepth: number
  signedIn: boolean
  locked: boolean
  returnTo: string
  /** Null for a reader who is not signed in, who is offered no form to write in. */
  commentLimits: CommentLimits | null
  /**
   * On a comment's own page, the comment whose forms are in the markup from the start, and the one
   * of them (?act=reply|edit|delete|report) that is open: where readers without JavaScript write.
   */
  focus?: { id: number; open: string | null }
}

const placeholders: Partial<Record<CommentView['status'], string>> = {
  deleted: '[deleted by its author]',
  removed: '[removed by moderators]',
  hidden: '[hidden by moderators pending review]',
}

/** The whole discussion block under an article, or under a comment on its own page. */
export function Discussion({ tree, shared, header, footer }: { tree: DiscussionComment[]; shared: Shared; header?: ReactNode; footer?: ReactNode }) {
  const navigate = useNavigate()
  return (
    <>
      {header}
      {tree.length === 0 ? null : (
        // Links inside comments are plain anchors, followed here as client-side navigations: a
        // router <Link> per comment costs more to render than the comment itself. The keyboard needs
        // nothing more: Enter on a link sends it the same click, which reaches this list.
        // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions -- delegated link clicks
        <ol className="comment-list" onClick={(event) => followClientLink(event, navigate)}>
          {tree.map((comment) => (
            <li key={comment.id}>
              <Comment comment={comment} shared={shared} />
            </li>
          ))}
        </ol>
      )}
      {footer}
    </>
  )
}

/** Ids of the comments on this page that show a reply form: where a failed reply comes back to. */
export function replyTargets(tree: DiscussionComment[]): Set<string> {
  const ids = new Set<string>()
  const visit = (comments: DiscussionComment[]) => {
    for (const comment of comments) {
      if (comment.canReply) ids.add(String(comment.id))
      visit(comment.children)
    }
  }
  visit(tree)
  return ids
}

function followClientLink(event: MouseEvent<HTMLElement>, navigate: NavigateFunction) {
  const link = (event.target as Element).closest?.('a[data-client-nav]')
  if (!(link instanceof HTMLAnchorElement) || event.defaultPrevented || event.button !== 0) return
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  const url = new URL(link.href)
  navigate(url.pathname + url.search + url.hash)
}

function Comment({ comment, shared }: { comment: DiscussionComment; shared: Shared }) {
  const anchor = commentAnchor(comment.id)
  const permalink = `/articles/${shared.slug}/comments/${comment.id}`
  const placeholder =
    comment.bodyHtml === null && comment.status !== 'pending'
      ? comment.status === 'removed' && comment.moderationReason
        ? `[removed by moderators: ${comment.moderationReason}]`
        : placeholders[comment.status]
      : null
  const continues = comment.depth >= shared.maxDepth && comment.replyCount > 0
  // Replies past the page's share of a long thread wait on the comment's own page (the focused
  // comment of that page pages through its replies instead).
  const unshown = comment.replyCount - comment.children.filter((c) => c.status === 'published').length
  const more = !continues && unshown > 0 && shared.focus?.id !== comment.id
  return (
    <article id={anchor} className={`comment comment--${comment.status}`} aria-labelledby={`${anchor}-by`} tabIndex={-1}>
      <details open>
        <summary className="comment__meta">
          <span className="comment__toggle" aria-hidden="true" />
          <span id={`${anchor}-by`} className="comment__author">
            {comment.author.name}
          </span>
          {comment.author.staff ? <StaffBadge role={comment.author.staff} /> : null}
          <span className="comment__score">{pluralize(comment.score, 'point')}</span>
          <time dateTime={new Date(comment.createdAt).toISOString()} title={exactTime(comment.createdAt)}>
            {relativeTime(comment.createdAt, shared.now)}
          </time>
          {comment.editedAt ? (
            <span className="comment__edited" title={`Edited ${exactTime(comment.editedAt)}`}>
              edited
            </span>
          ) : null}
          {comment.pinned ? <span className="pill">Pinned</span> : null}
          {comment.descendantCount > 0 ? (
            <span className="comment__hidden-count">{pluralize(comment.descendantCount, 'reply', 'replies')} hidden</span>
          ) : null}
        </summary>

        {comment.status === 'pending' ? <p className="comment__notice">Awaiting moderation: only you can see this.</p> : null}
        {placeholder ? (
          <p className="comment__placeholder">{placeholder}</p>
        ) : (
          <StoredHtml id={commentBodyId(comment.id)} html={comment.bodyHtml} className="comment__body prose-comment" />
        )}

        <CommentActions comment={comment} shared={shared} permalink={permalink} />

        {comment.children.length > 0 ? (
          <ol className="comment-list comment-list--replies">
            {comment.children.map((child) => (
              <li key={child.id}>
                <Comment comment={child} shared={shared} />
              </li>
            ))}
          </ol>
        ) : null}
        {more ? (
          <p className="comment__continue">
            <a href={`${permalink}#${anchor}`} data-client-nav="">
              {pluralize(unshown, 'more reply', 'more replies')} →
            </a>
          </p>
        ) : null}
        {continues ? (
          <p className="comment__continue">
            <a href={`${permalink}#${anchor}`} data-client-nav="">
              Continue this thread ({pluralize(comment.replyCount, 'reply', 'replies')}) →
            </a>
          </p>
        ) : null}
      </details>
    </article>
  )
}

type Panel = 'reply' | 'edit' | 'delete' | 'report'

function CommentActions({ comment, shared, permalink }: { comment: DiscussionComment; shared: Shared; permalink: string }) {
  // What a member may do differs by member: a place the server fills for each (ViewerSlot).
  return (
    <ViewerSlot id={`${commentAnchor(comment.id)}-actions`} className="comment__actions">
      <ActionStrip comment={comment} shared={shared} permalink={permalink} plain={false} />
    </ViewerSlot>
  )
}

/**
 * A comment's actions as plain markup, for the server's splice into a member's copy of a shared page
 * (app/member-page.server.tsx): what the app renders before anything is opened, with no script.
 */
export function PlainCommentActions({ comment, shared }: { comment: CommentView; shared: Shared }) {
  const node = { ...comment, children: [], descendantCount: 0 }
  return <ActionStrip comment={node} shared={shared} permalink={`/articles/${shared.slug}/comments/${comment.id}`} plain />
}

function ActionStrip({ comment, shared, permalink, plain }: { comment: DiscussionComment; shared: Shared; permalink: string; plain: boolean }) {
  const actionUrl = `/articles/${shared.slug}/comments/${comment.id}`
  const anchor = commentAnchor(comment.id)
  const focused = shared.focus?.id === comment.id
  const limits = shared.commentLimits
  // Each form is written into the page only where it is wanted: when opened (with JavaScript), on the
  // comment's own page, or after a failed no-JS submission. Elsewhere a link leads to that page: a
  // member's page of 200 comments would otherwise carry 400 forms nobody opened.
  const panel = (name: Panel, label: string, openWhen?: (values: Record<string, string> | undefined) => boolean) => ({
    label,
    id: `${anchor}-${name}`,
    eager: focused,
    startOpen: focused && shared.focus?.open === name,
    openWhen,
    fallback: (
      <p>
        <a href={`${permalink}?act=${name}#${anchor}-${name}`} data-client-nav="">
          {fallbackLabels[name]}
        </a>
      </p>
    ),
  })
  const Panel = plain ? ClosedDisclosure : Disclosure
  const PinForm = plain ? 'form' : Form
  return (
    <>
      {plain ? <VoteControl comment={comment} actionUrl={actionUrl} /> : <VoteButton comment={comment} actionUrl={actionUrl} focused={focused} />}
      {comment.canReply && limits ? (
        <Panel {...panel('reply', 'Reply', (values) => values?.parentId === String(comment.id))}>
          {(close) => (
            <CommentForm
              slug={shared.slug}
              parentId={comment.id}
              returnTo={shared.returnTo}
              limits={limits}
              label={`Reply to ${comment.author.name}`}
              submitLabel="Post reply"
              onPosted={close}
            />
          )}
        </Panel>
      ) : null}
      {comment.canEdit && comment.body !== null && limits ? (
        <Panel {...panel('edit', 'Edit', (values) => values?.editing === String(comment.id))}>
          {(close) => <EditForm comment={comment} actionUrl={actionUrl} returnTo={shared.returnTo} limits={limits} onSaved={close} />}
        </Panel>
      ) : null}
      {comment.canDelete ? (
        <Panel {...panel('delete', 'Delete', (values) => focused && values?.intent === 'delete')}>
          {() => <DeleteForm actionUrl={actionUrl} returnTo={shared.returnTo} focused={focused} />}
        </Panel>
      ) : null}
      {shared.signedIn && !comment.isOwn && comment.status === 'published' ? (
        <Panel {...panel('report', 'Report', (values) => values?.reporting === String(comment.id))}>
          {() => <ReportForm commentId={comment.id} actionUrl={actionUrl} returnTo={shared.returnTo} />}
        </Panel>
      ) : null}
      {shared.staff && comment.parentId === null && comment.status === 'published' ? (
        <PinForm method="post" action="/admin/queue" className="inline-form">
          <input type="hidden" name="intent" value="pin" />
          <input type="hidden" name="commentId" value={comment.id} />
          <input type="hidden" name="pinned" value={comment.pinned ? 'false' : 'true'} />
          <input type="hidden" name="returnTo" value={shared.returnTo} />
          <button type="submit" className="link-button">
            {comment.pinned ? 'Unpin' : 'Pin'}
          </button>
        </PinForm>
      ) : null}
      <a href={`${permalink}#${anchor}`} className="comment__permalink" data-client-nav="">
        Link
      </a>
    </>
  )
}

const fallbackLabels: Record<Panel, string> = {
  reply: 'Write your reply on this comment’s page',
  edit: 'Edit it on this comment’s page',
  delete: 'Delete it from this comment’s page',
  report: 'Report it from this comment’s page',
}

/**
 * A details/summary pair: works without JavaScript, and reopens after a failed no-JS submission so
 * the error and the typed text are where the reader left them. Its form is rendered once it is
 * first opened (or from the start when `eager`); until then `fallback` stands in.
 */
function Disclosure({
  label,
  id,
  eager,
  startOpen,
  openWhen,
  fallback,
  children,
}: {
  label: string
  id: string
  eager: boolean
  startOpen: boolean
  openWhen?: (values: Record<string, string> | undefined) => boolean
  fallback: ReactNode
  children: (close: () => void) => ReactNode
}) {
  const actionData = useActionData<FormResult>()
  const ref = useRef<HTMLDetailsElement>(null)
  const forced = startOpen || (openWhen?.(actionData?.values) ?? false)
  const [opened, setOpened] = useState(false)
  const close = () => {
    if (ref.current) ref.current.open = false
  }
  return (
    <details
      className="comment__action"
      id={id}
      ref={ref}
      open={forced || undefined}
      onToggle={(event) => {
        if (event.currentTarget.open) setOpened(true)
      }}
    >
      <summary>{label}</summary>
      <div className="comment__panel">{eager || forced || opened ? children(close) : fallback}</div>
    </details>
  )
}

/** A Disclosure as the page first shows it, closed with its fallback: plain markup for the server's splice. */
function ClosedDisclosure({ label, id, fallback }: { label: string; id: string; fallback: ReactNode; children: unknown }) {
  return (
    <details className="comment__action" id={id}>
      <summary>{label}</summary>
      <div className="comment__panel">{fallback}</div>
    </details>
  )
}

function VoteButton({ comment, actionUrl, focused }: { comment: DiscussionComment; actionUrl: string; focused: boolean }) {
  const fetcher = useFetcher<FormResult>()
  // Without JavaScript a vote is a post to the comment's own page, which carries the answer.
  const actionData = useActionData<FormResult>()
  const result = fetcher.data ?? (focused && actionData?.values?.intent === 'vote' ? actionData : undefined)
  const messages = result?.ok ? [] : errorsBesides(result?.errors)
  const pending = fetcher.formData?.get('vote')
  const voted = pending ? pending === 'up' : comment.viewerVoted
  return (
    <VoteControl
      comment={comment}
      actionUrl={actionUrl}
      voted={voted}
      messages={messages}
      onSubmit={(event) => {
        event.preventDefault()
        const submitter = (event.nativeEvent as SubmitEvent).submitter
        fetcher.submit(submitter instanceof HTMLButtonElement ? submitter : event.currentTarget, { method: 'post', action: actionUrl })
      }}
    />
  )
}

/** The vote's markup: a button that votes (or takes the vote back), or the bare score where voting is not for this reader. */
function VoteControl({
  comment,
  actionUrl,
  voted = comment.viewerVoted,
  messages = [],
  onSubmit,
}: {
  comment: CommentView
  actionUrl: string
  voted?: boolean
  messages?: string[]
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void
}) {
  const score = comment.score + (voted ? 1 : 0) - (comment.viewerVoted ? 1 : 0)
  const alert = messages.length ? (
    <span role="alert" className="field__errors">
      {messages.join(' ')}
    </span>
  ) : null
  if (!comment.canVote) {
    // (A refused vote can leave the comment unvotable: removed, or its discussion locked meanwhile.)
    return (
      <>
        {/* Visible figure, spoken with its unit: no aria-label on an element without a role. */}
        <span className="vote vote--static">
          <span aria-hidden="true">▲</span> {formatNumber(comment.score)}
          <span className="visually-hidden">{comment.score === 1 ? ' point' : ' points'}</span>
        </span>
        {alert}
      </>
    )
  }
  return (
    // A plain form submitted through the fetcher: the same request and the same no-JS behaviour as
    // <fetcher.Form>, without its routing work for each of a page's hundreds of comments.
    <form method="post" action={actionUrl} className="vote" onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="vote" />
      <button
        type="submit"
        name="vote"
        value={voted ? 'undo' : 'up'}
        aria-pressed={voted}
        className="vote__button"
        title={voted ? 'Take back your upvote' : 'Upvote'}
      >
        <span aria-hidden="true">▲</span> <span className="visually-hidden">{voted ? 'Upvoted, ' : 'Upvote, '}</span>
        {formatNumber(score)}
        <span className="visually-hidden"> points</span>
      </button>
      {alert}
    </form>
  )
}

function FormMessages({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null
  return (
    <div className="form-errors" role="alert">
      {messages.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  )
}

function useFocusAfterPost(fetcher: { state: string; data?: FormResult }, onPosted?: () => void) {
  const handled = useRef<FormResult | undefined>(undefined)
  const navigate = useNavigate()
  useEffect(() => {
    const data = fetcher.data
    if (fetcher.state !== 'idle' || !data?.ok || handled.current === data) return
    handled.current = data
    onPosted?.()
    if (data.location) navigate(data.location)
    else if (data.commentId) {
      // The revalidated page now holds the comment: take the reader to it.
      requestAnimationFrame(() => document.getElementById(commentAnchor(data.commentId!))?.focus())
    }
  }, [fetcher.state, fetcher.data, onPosted, navigate])
}

/** The form for a new comment or a reply: Markdown, a preview, optimistic posting. */
export function CommentForm({
  slug,
  parentId,
  returnTo,
  limits,
  label,
  submitLabel,
  onPosted,
  claimsReplyTo,
}: {
  slug: string
  parentId?: number
  returnTo: string
  limits: CommentLimits
  label: string
  submitLabel: string
  onPosted?: () => void
  /**
   * For the story's own form: whether a failed no-JS reply to `parentId` has no form of its own on
   * this page (a tampered or unknown reference, a comment gone since): this form then shows its
   * messages and keeps its text, so nothing typed is lost.
   */
  claimsReplyTo?: (parentId: string) => boolean
}) {
  const fetcher = useFetcher<FormResult>({ key: `comment-form-${parentId ?? 'top'}` })
  const actionData = useActionData<FormResult>()
  const mine = (r: FormResult | undefined) => {
    const target = r?.values?.parentId ?? ''
    return target === String(parentId ?? '') || (parentId === undefined && (claimsReplyTo?.(target) ?? false))
  }
  // Without JavaScript the page itself carries the result; with it, the fetcher does.
  const result = fetcher.data ?? (mine(actionData) ? actionData : undefined)
  const schemas = useMemo(() => commentSchemas(limits), [limits])
  const { form, errors } = useFormValidation({
    id: `comment-form-${parentId ?? 'new'}`,
    schema: { comment: schemas.CreateCommentSchema, preview: schemas.PreviewSchema },
    result,
  })
  const formRef = useRef<HTMLFormElement>(null)
  const [formKey, setFormKey] = useState(0)
  const posting = fetcher.state !== 'idle' && fetcher.formData?.get('intent') === 'comment'
  const sentBody = fetcher.formData?.get('body')
  const pendingText = posting ? (typeof sentBody === 'string' ? sentBody : '') : null

  useFocusAfterPost(fetcher, () => {
    setFormKey((k) => k + 1)
    onPosted?.()
  })

  const formErrors = errorsBesides(errors, 'body')
  const kept = result?.ok ? '' : (result?.values?.body ?? '')
  return (
    <>
      <fetcher.Form key={formKey} ref={formRef} {...form} method="post" action={`/articles/${slug}`} className="comment-form stack" noValidate>
        <CommentFields
          parentId={parentId}
          returnTo={returnTo}
          limits={limits}
          label={label}
          submitLabel={posting ? 'Posting…' : submitLabel}
          posting={posting}
          kept={kept}
          formErrors={formErrors}
          bodyErrors={errors?.fields?.body}
        />
      </fetcher.Form>
      {result?.preview !== undefined && !result.ok ? (
        <section className="comment-preview" aria-label="Preview">
          <p className="eyebrow">Preview</p>
          {result.preview ? (
            <div className="comment__body prose-comment" dangerouslySetInnerHTML={{ __html: result.preview }} />
          ) : (
            <p className="muted">Nothing to preview yet.</p>
          )}
        </section>
      ) : null}
      {fetcher.state === 'idle' && fetcher.data?.ok && fetcher.data.held ? (
        <p className="notice" role="status">
          {fetcher.data.held}
        </p>
      ) : null}
      {pendingText !== null ? (
        <article className="comment comment--optimistic" aria-live="polite">
          <p className="comment__meta">
            <span className="comment__author">You</span> <span className="muted">posting…</span>
          </p>
          <p className="comment__pending-text">{pendingText}</p>
        </article>
      ) : null}
    </>
  )
}

/** The inside of a comment form: what the app's form and the server's plain copy share. */
function CommentFields({
  parentId,
  returnTo,
  limits,
  label,
  submitLabel,
  posting = false,
  kept = '',
  formErrors = [],
  bodyErrors,
}: {
  parentId?: number
  returnTo: string
  limits: CommentLimits
  label: string
  submitLabel: string
  posting?: boolean
  kept?: string
  formErrors?: string[]
  bodyErrors?: string[]
}) {
  return (
    <>
      <input type="hidden" name="parentId" value={parentId ?? ''} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <FormMessages messages={formErrors} />
      <TextareaField
        id={`comment-body-${parentId ?? 'new'}`}
        name="body"
        label={label}
        hint={
          <>
            Markdown: *emphasis*, **strong**, `code`, [links](https://…), &gt; quotes and lists. No HTML. Up to {limits.maxLength.toLocaleString('en-GB')}{' '}
            characters.
          </>
        }
        rows={parentId ? 4 : 6}
        maxLength={limits.maxLength}
        defaultValue={kept}
        errors={bodyErrors}
        autoFocusOnError
      />
      <div className="comment-form__buttons">
        <button type="submit" name="intent" value="comment" className="button" aria-disabled={posting || undefined}>
          {submitLabel}
        </button>
        <button type="submit" name="intent" value="preview" className="button button--secondary">
          Preview
        </button>
      </div>
    </>
  )
}

/**
 * The story's comment form as plain markup, for the server's splice into a member's copy of a shared
 * page (app/member-page.server.tsx): the same form the app renders, before any script runs.
 */
export function PlainCommentForm({ slug, returnTo, limits }: { slug: string; returnTo: string; limits: CommentLimits }) {
  return (
    <form method="post" action={`/articles/${slug}`} id="comment-form-new" className="comment-form stack" noValidate>
      <CommentFields returnTo={returnTo} limits={limits} label="Your comment" submitLabel="Post comment" />
    </form>
  )
}

function EditForm({
  comment,
  actionUrl,
  returnTo,
  limits,
  onSaved,
}: {
  comment: DiscussionComment
  actionUrl: string
  returnTo: string
  limits: CommentLimits
  onSaved: () => void
}) {
  const fetcher = useFetcher<FormResult>()
  const actionData = useActionData<FormResult>()
  const result = fetcher.data ?? (actionData?.values?.editing === String(comment.id) ? actionData : undefined)
  const schema = useMemo(() => commentSchemas(limits).EditCommentSchema, [limits])
  const { form, errors } = useFormValidation({ id: `edit-form-${comment.id}`, schema, result })
  useFocusAfterPost(fetcher, onSaved)
  const formErrors = errorsBesides(errors, 'body')
  return (
    <fetcher.Form {...form} method="post" action={actionUrl} className="comment-form stack" noValidate>
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="editing" value={comment.id} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <FormMessages messages={formErrors} />
      <TextareaField
        id={`edit-body-${comment.id}`}
        name="body"
        label="Edit your comment"
        rows={4}
        maxLength={limits.maxLength}
        defaultValue={result?.values?.body ?? comment.body ?? ''}
        errors={errors?.fields?.body}
      />
      <button type="submit" className="button">
        {fetcher.state !== 'idle' ? 'Saving…' : 'Save changes'}
      </button>
    </fetcher.Form>
  )
}

function ReportForm({ commentId, actionUrl, returnTo }: { commentId: number; actionUrl: string; returnTo: string }) {
  const fetcher = useFetcher<FormResult & { received?: boolean; alreadyReported?: boolean }>()
  const actionData = useActionData<FormResult & { received?: boolean }>()
  const result = fetcher.data ?? (actionData?.values?.reporting === String(commentId) ? actionData : undefined)
  const { form, errors } = useFormValidation({ id: `report-form-${commentId}`, schema: ReportSchema, result })
  if (result?.ok) {
    return (
      <p className="notice" role="status">
        {fetcherMessage(result as { alreadyReported?: boolean })}
      </p>
    )
  }
  const id = `report-${commentId}`
  return (
    <fetcher.Form {...form} method="post" action={actionUrl} className="stack" noValidate>
      <input type="hidden" name="intent" value="report" />
      <input type="hidden" name="reporting" value={commentId} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <FormMessages messages={errorsBesides(errors, 'reason', 'note')} />
      <SelectField
        id={`${id}-reason`}
        name="reason"
        label="What is wrong with it?"
        options={Object.entries(reportReasonLabels).map(([value, label]) => ({ value, label }))}
        defaultValue={result?.values?.reason ?? 'spam'}
        errors={errors?.fields?.reason}
      />
      <TextareaField
        id={`${id}-note`}
        name="note"
        label="Note for the moderators (optional, required for “Something else”)"
        rows={2}
        maxLength={REPORT_NOTE_MAX}
        defaultValue={result?.values?.note ?? ''}
        errors={errors?.fields?.note}
      />
      <button type="submit" className="button button--secondary">
        {fetcher.state !== 'idle' ? 'Sending…' : 'Send report'}
      </button>
    </fetcher.Form>
  )
}

function fetcherMessage(result: { alreadyReported?: boolean }) {
  return result.alreadyReported
    ? 'You have already reported this comment. The moderators have it.'
    : 'Thanks: your report was received. The moderators will review this comment.'
}

function DeleteForm({ actionUrl, returnTo, focused }: { actionUrl: string; returnTo: string; focused: boolean }) {
  const fetcher = useFetcher<FormResult>()
  const actionData = useActionData<FormResult>()
  const result = fetcher.data ?? (focused && actionData?.values?.intent === 'delete' ? actionData : undefined)
  return (
    <fetcher.Form method="post" action={actionUrl} className="stack">
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="returnTo" value={returnTo} />
      <FormMessages messages={result?.ok ? [] : errorsBesides(result?.errors)} />
      <p>Delete this comment? Its replies stay, under a “[deleted]” placeholder.</p>
      <button type="submit" className="button button--danger">
        {fetcher.state !== 'idle' ? 'Deleting…' : 'Yes, delete it'}
      </button>
    </fetcher.Form>
  )
}

/**
 * Sort links: plain links, so they work without JavaScript. `remember=1` marks the reader's own
 * choice, which a member keeps (the loader then drops it from the address).
 */
export function DiscussionControls({ sort, basePath }: { sort: CommentSort; basePath: string }) {
  const labels: Record<CommentSort, string> = { top: 'Top', new: 'New', old: 'Old' }
  return (
    <nav className="discussion__sort" aria-label="Sort comments">
      <span className="muted">Sort by</span>
      {(Object.keys(labels) as CommentSort[]).map((key) => (
        <Link key={key} to={`${basePath}?sort=${key}&remember=1#discussion`} aria-current={key === sort ? 'true' : undefined} preventScrollReset>
          {labels[key]}
        </Link>
      ))}
    </nav>
  )
}

/**
 * New comments from other readers, announced as they arrive (Server-Sent Events) and revealed in
 * place on request, so the page never shifts under someone who is reading.
 */
export function LiveUpdates({ slug }: { slug: string }) {
  const [arrived, setArrived] = useState(0)
  const revalidator = useRevalidator()
  useEffect(() => {
    const source = new EventSource(`/articles/${slug}/events`)
    const onComment = (event: MessageEvent<string>) => {
      try {
        const data = JSON.parse(event.data) as { own?: boolean }
        if (!data.own) setArrived((n) => n + 1)
      } catch {
        // A malformed event is ignored: the next one will do.
      }
    }
    source.addEventListener('comment', onComment)
    return () => source.close()
  }, [slug])
  if (arrived === 0) return <div className="live-bar" aria-live="polite" />
  return (
    <div className="live-bar" aria-live="polite">
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          setArrived(0)
          revalidator.revalidate()
        }}
      >
        Show {pluralize(arrived, 'new comment')}
      </button>
    </div>
  )
}

export function LockedNotice() {
  return (
    <p className="notice notice--locked" role="note">
      <strong>This discussion is locked.</strong> Moderators have closed it to new comments, replies and edits. What was said stays readable.
    </p>
  )
}

export function SignInToComment({ returnTo }: { returnTo: string }) {
  const query = new URLSearchParams({ redirectTo: `${returnTo}#discussion` })
  return (
    <p className="notice">
      <Link to={`/login?${query}`}>Log in</Link> or <Link to={`/signup?${query}`}>create an account</Link> to join the discussion.
    </p>
  )
}

export { Form }

/**
 * The newsroom's mark: drawn from the author's role, outside the name, in a style no name can take
 * (names are plain text; the rules in name-rules.ts keep role words out of them).
 */
function StaffBadge({ role }: { role: StaffRole }) {
  return (
    <span className={`staff-badge staff-badge--${role}`} data-role={role}>
      <span className="visually-hidden">, </span>
      {staffBadgeLabels[role]}
    </span>
  )
}
