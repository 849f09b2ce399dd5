import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { useMemo } from 'react'
import { getAuth, requireUser } from '#app/auth.server.ts'
import { Discussion, DiscussionControls, LockedNotice } from '#app/components/discussion.tsx'
import { errorMeta, GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { StoredHtml } from '#app/components/stored-html.tsx'
import { ChipMentionCards } from '#app/components/chip-mention-cards.tsx'
import { readCommentLimits } from '#app/models/comment-limits.server.ts'
import { commentAnchor, commentBodyId } from '#app/lib/dom-ids.ts'
import { dispatchIntent, parseForm, readForm } from '#app/lib/forms.server.ts'
import { packDiscussion, unpackDiscussion } from '#app/lib/discussion-codec.ts'
import { shipCommentBodies, shipHtmlOnce } from '#app/lib/html-store.server.ts'
import { httpError, isHttps, parseSearchParams, requireSlug } from '#app/lib/http.server.ts'
import { setReportNotice } from '#app/lib/report-notice.ts'
import { exactTime, relativeTime } from '#app/lib/relative-time.ts'
import { isStaff } from '#app/lib/roles.ts'
import { safeRedirect } from '#app/lib/safe-redirect.ts'
import { chooseCommentSort, deleteComment, editComment, findCommentArticle, getCommentPage } from '#app/models/comments.server.ts'
import { voteOnComment } from '#app/models/votes.server.ts'
import { reportComment } from '#app/models/moderation.server.ts'
import { ReportSchema } from '#app/schemas/moderation.ts'
import { CommentIdParamSchema, commentSchemas, DiscussionQuerySchema, VoteSchema } from '#app/schemas/comments.ts'

function parseIds(request: Request, params: { slug?: string; id?: string }) {
  const slug = requireSlug(request, params.slug, 'story')
  const id = CommentIdParamSchema.safeParse(params.id)
  if (!id.success) httpError(404, 'There is no comment at this address.')
  return { slug, commentId: id.data }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { slug, commentId } = parseIds(request, params)
  const { sort, page: pageNumber, remember } = parseSearchParams(request, DiscussionQuerySchema)
  const { user } = await getAuth(request)
  if (remember) throw redirect(await chooseCommentSort({ viewer: user, sort, url: request.url }))
  const [page, commentLimits] = await Promise.all([
    getCommentPage({ articleSlug: slug, commentId, viewer: user, sort, page: pageNumber }),
    // Only a member writes here: a reader's page costs no read of the comment limit.
    user ? readCommentLimits() : null,
  ])
  if (!page) httpError(404, 'There is no comment at this address. It may belong to another story.')
  if (pageNumber > page.pageCount) {
    httpError(404, `There is no page ${pageNumber} of the replies to this comment: they run to ${page.pageCount} pages.`)
  }
  const { chipCards, ...article } = page.article
  return {
    article,
    ancestors: page.ancestors.map((a) => ({ ...a, bodyHtml: shipHtmlOnce(context, commentBodyId(a.id), a.bodyHtml) })),
    focusedAuthor: page.tree.author.name,
    discussion: packDiscussion(shipCommentBodies(context, [page.tree])),
    maxDepth: page.maxDepth,
    sort: page.sort,
    replies: { page: page.page, pageCount: page.pageCount },
    chipCards,
    viewer: user ? { id: user.id, staff: isStaff(user.role) } : null,
    commentLimits,
    now: new Date(),
  }
}

type Auth = Awaited<ReturnType<typeof requireUser>>
type Target = { slug: string; commentId: number }

const intents = {
  async edit(formData: FormData, { user }: Auth, { commentId }: Target) {
    const parsed = parseForm(formData, commentSchemas(await readCommentLimits()).EditCommentSchema)
    if (!parsed.ok) return parsed.response
    await editComment({ commentId, actorId: user.id, body: parsed.data.body })
    return { ok: true as const, commentId }
  },
  async delete(_formData: FormData, { user }: Auth, { commentId }: Target) {
    await deleteComment({ commentId, actorId: user.id })
    return { ok: true as const, commentId }
  },
  async report(formData: FormData, { user }: Auth, { commentId }: Target) {
    const parsed = parseForm(formData, ReportSchema)
    if (!parsed.ok) return parsed.response
    const result = await reportComment({ actorId: user.id, commentId, reason: parsed.data.reason, note: parsed.data.note })
    return { ok: true as const, commentId, alreadyReported: result.alreadyReported }
  },
  async vote(formData: FormData, { user }: Auth, { commentId }: Target) {
    const parsed = parseForm(formData, VoteSchema)
    if (!parsed.ok) return parsed.response
    const result = await voteOnComment({ commentId, actorId: user.id, up: parsed.data.vote === 'up' })
    return { ok: true as const, commentId, score: result.score }
  },
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const target = parseIds(request, params)
  const auth = await requireUser(request)
  // The models find a comment by its id alone: the story in the address must be the comment's (and
  // public), or a comment no one can read here could still be voted on, reported or changed.
  if (!(await findCommentArticle({ commentId: target.commentId, articleSlug: target.slug }))) {
    httpError(404, 'There is no comment at this address. It may belong to another story.')
  }
  const formData = await readForm(request)
  const result = await dispatchIntent(formData, intents, auth, target)
  if (!('ok' in result)) return result
  if (context.isDataRequest) return result
  const returnTo = formData.get('returnTo')
  const back = safeRedirect(typeof returnTo === 'string' ? returnTo : '', `/articles/${target.slug}`)
  // A report's thanks (or "already reported") is shown once by the page it lands on.
  const headers =
    'alreadyReported' in result
      ? {
          'Set-Cookie': setReportNotice({
            slug: target.slug,
            notice: { commentId: target.commentId, duplicate: result.alreadyReported === true },
            secure: isHttps(request),
          }),
        }
      : undefined
  return redirect(`${back}#${commentAnchor(target.commentId)}`, { headers })
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error
    ? errorMeta(error)
    : data
      ? [{ title: `Comment by ${data.focusedAuthor} on “${data.article.title}” — Threadline` }, { name: 'robots', content: 'noindex' }]
      : [{ title: 'Comment not found — Threadline' }]

export default function CommentPage() {
  const { article, ancestors, discussion, maxDepth, sort, replies, viewer, now, chipCards, commentLimits } = useLoaderData<typeof loader>()
  const tree = useMemo(() => unpackDiscussion(discussion), [discussion])
  const location = useLocation()
  const focused = tree[0]!
  const shared = {
    slug: article.slug,
    now,
    maxDepth,
    signedIn: viewer !== null,
    staff: viewer?.staff ?? false,
    locked: article.discussionLocked,
    returnTo: location.pathname + location.search,
    commentLimits,
    focus: { id: focused.id, open: new URLSearchParams(location.search).get('act') },
  }
  return (
    <section className="discussion discussion--thread" aria-labelledby="thread-title">
      <p className="eyebrow">
        <Link to={`/articles/${article.slug}#discussion`}>← All comments on this story</Link>
      </p>
      <h1 id="thread-title" className="thread-title">
        Comment thread on <Link to={`/articles/${article.slug}`}>{article.title}</Link>
      </h1>
      {ancestors.length > 0 ? (
        <ol className="thread-context" aria-label="Earlier in this thread">
          {ancestors.map((a) => (
            <li key={a.id} id={commentAnchor(a.id)}>
              <p className="comment__meta">
                <strong>{a.author.name}</strong>{' '}
                <time dateTime={new Date(a.createdAt).toISOString()} title={exactTime(a.createdAt)}>
                  {relativeTime(a.createdAt, now)}
                </time>{' '}
                <Link to={`/articles/${article.slug}/comments/${a.id}#${commentAnchor(a.id)}`}>Link</Link>
              </p>
              {a.bodyHtml === null && a.status !== 'published' ? (
                <p className="comment__placeholder">[{a.status}]</p>
              ) : (
                <StoredHtml id={commentBodyId(a.id)} html={a.bodyHtml} className="comment__body prose-comment" />
              )}
            </li>
          ))}
        </ol>
      ) : null}
      {article.discussionLocked ? <LockedNotice /> : null}
      <ChipMentionCards cards={chipCards} />
      <Discussion
        tree={tree}
        shared={shared}
        header={focused.children.length > 1 ? <DiscussionControls sort={sort} basePath={location.pathname} /> : null}
        footer={
          <Pagination
            page={replies.page}
            pageCount={replies.pageCount}
            basePath={location.pathname}
            search={location.search}
            labels={{ previous: '← Earlier replies', next: 'More replies →' }}
          />
        }
      />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
