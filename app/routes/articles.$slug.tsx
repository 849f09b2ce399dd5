import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { useMemo } from 'react'
import { getAuth, requireUser } from '#app/auth.server.ts'
import { TagList } from '#app/components/article-list.tsx'
import { ChipTable } from '#app/components/chip-table.tsx'
import { CommentForm, Discussion, DiscussionControls, LiveUpdates, LockedNotice, SignInToComment, replyTargets } from '#app/components/discussion.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { StoredHtml } from '#app/components/stored-html.tsx'
import { SubscribeLinks } from '#app/components/subscribe.tsx'
import { canonical, originFrom, socialCard } from '#app/lib/seo.ts'
import { ARTICLE_BODY_ID, COMMENT_FORM_SLOT } from '#app/lib/dom-ids.ts'
import { exportStatusLabels, formatDate, isoDate, pluralize } from '#app/lib/format.ts'
import { dispatchIntent, formFailure, parseForm, readForm, retryAfterHeaders } from '#app/lib/forms.server.ts'
import { flatten, packDiscussion, unpackComments } from '#app/lib/discussion-codec.ts'
import { buildCommentTree } from '#app/lib/comment-tree.ts'
import { applyViewerOverlay } from '#app/lib/viewer-overlay.ts'
import { useViewerOverlay, ViewerSlot } from '#app/components/viewer.tsx'
import { shipCommentBodies, shipHtmlOnce } from '#app/lib/html-store.server.ts'
import { httpError, isHttps, parseSearchParams, requireSlug } from '#app/lib/http.server.ts'
import { clearReportNotice, readReportNotice, reportNoticeText } from '#app/lib/report-notice.ts'
import { commentRedirect } from '#app/lib/comment-redirect.ts'
import { readCommentLimits } from '#app/models/comment-limits.server.ts'
import { isStaff } from '#app/lib/roles.ts'
import { getArticlePage } from '#app/models/articles.server.ts'
import { ChipMentionCards } from '#app/components/chip-mention-cards.tsx'
import { chooseCommentSort, createComment, previewComment } from '#app/models/comments.server.ts'
import { commentSchemas, DiscussionQuerySchema } from '#app/schemas/comments.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'story')
  const { sort, page, remember } = parseSearchParams(request, DiscussionQuerySchema)
  const { user } = await getAuth(request)
  if (remember) throw redirect(await chooseCommentSort({ viewer: user, sort, url: request.url }))
  // Only a member writes here: a reader's page costs no read of the comment limit.
  const [result, commentLimits] = await Promise.all([getArticlePage({ slug, viewer: user, sort, page }), user ? readCommentLimits() : null])
  if (!result) httpError(404, 'There is no published story at this address.')
  const {
    article: { chipCards, ...article },
    discussion,
  } = result
  if (page > discussion.pageCount) {
    httpError(404, `There is no page ${page} of this discussion: it runs to ${discussion.pageCount} pages.`)
  }
  // A report taken just now (without JavaScript) is acknowledged once, here.
  const reportNotice = readReportNotice(request.headers.get('Cookie'))
  const headers = reportNotice ? { 'Set-Cookie': clearReportNotice({ slug, secure: isHttps(request) }) } : undefined
  const tree = shipCommentBodies(context, discussion.tree)
  // Kept with the page rendered for everyone: members' copies get their controls from it.
  if (context.sharedRender) {
    const { page, pageCount, maxDepth, repliesPerThread } = discussion
    const place = { sort: result.sort, page, pageCount, maxDepth, repliesPerThread, locked: article.discussionLocked }
    context.sharedView = { slug, now: new Date().toISOString(), comments: flatten(tree), place }
  }
  return data(
    {
      reportNotice: reportNotice ? reportNoticeText(reportNotice) : null,
      article: { ...article, bodyHtml: shipHtmlOnce(context, ARTICLE_BODY_ID, article.bodyHtml) },
      discussion: { ...discussion, tree: packDiscussion(tree) },
      sort: result.sort,
      chipCards,
      viewer: user ? { id: user.id, staff: isStaff(user.role) } : null,
      commentLimits,
      now: new Date(),
      // Rendered for everyone: a member's part comes with the overlay (components/viewer.tsx).
      shared: context.sharedRender === true,
    },
    { headers },
  )
}

type Post = { request: Request; slug: string; isDataRequest: boolean }

// Each asks for a member only once the intent is known: an unknown one is a 400 for anyone.
const intents = {
  async preview(formData: FormData, { request }: Post) {
    const { user } = await requireUser(request)
    const parsed = parseForm(formData, commentSchemas(await readCommentLimits()).PreviewSchema)
    if (!parsed.ok) return parsed.response
    return formFailure(200, {}, formData, undefined, { preview: await previewComment({ actorId: user.id, body: parsed.data.body }) })
  },
  async comment(formData: FormData, { request, slug, isDataRequest }: Post) {
    const { user } = await requireUser(request)
    const parsed = parseForm(formData, commentSchemas(await readCommentLimits()).CreateCommentSchema)
    if (!parsed.ok) return parsed.response
    const created = await createComment({ articleSlug: slug, parentId: parsed.data.parentId, actorId: user.id, body: parsed.data.body })
    const location = commentRedirect({ slug, created, returnTo: parsed.data.returnTo })
    // With JavaScript the page stays, and shows the new comment when it has room for it; a reply past
    // its thread's share of the page is shown where it is.
    if (isDataRequest) return { ok: true, commentId: created.id, held: created.message, location: created.shownOnStoryPage ? undefined : location }
    return redirect(location)
  },
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = requireSlug(request, params.slug, 'story')
  return dispatchIntent(await readForm(request), intents, { request, slug, isDataRequest: context.isDataRequest })
}

// A throttled comment's answer says when to try again.
export const headers = retryAfterHeaders

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: 'Story not found — Threadline' }]
  const { article } = data
  const origin = originFrom(matches)
  const path = `/articles/${article.slug}`
  const published = new Date(article.publishedAt).toISOString()
  const modified = new Date(article.updatedAt).toISOString()
  return [
    { title: `${article.title} — Threadline` },
    { name: 'description', content: article.standfirst },
    canonical(origin, path),
    { tagName: 'link', rel: 'alternate', type: 'application/rss+xml', title: `Comments on “${article.title}”`, href: `${path}/comments.xml` },
    ...socialCard({ origin, path, title: article.title, description: article.standfirst, type: 'article' }),
    { property: 'article:published_time', content: published },
    { property: 'article:modified_time', content: modified },
    ...article.tags.map((t) => ({ property: 'article:tag', content: t.name })),
    {
      'script:ld+json': {
        '@context': 'https://schema.org',
        '@type': 'NewsArticle',
        headline: article.title,
        description: article.standfirst,
        datePublished: published,
        dateModified: modified > published ? modified : published,
        mainEntityOfPage: `${origin}${path}`,
        url: `${origin}${path}`,
        author: article.authorName ? [{ '@type': 'Person', name: article.authorName }] : undefined,
        publisher: { '@type': 'Organization', name: 'Threadline', logo: { '@type': 'ImageObject', url: `${origin}/favicon.svg` } },
        keywords: article.tags.map((t) => t.name).join(', '),
        commentCount: article.commentCount,
      },
    },
  ]
}

export default function ArticlePage() {
  const { article, discussion, sort, now, chipCards, reportNotice, shared: sharedRender, ...data } = useLoaderData<typeof loader>()
  // On a page rendered for everyone, the member's part is added from their overlay once hydrated.
  const overlay = useViewerOverlay(sharedRender)
  const viewer = data.viewer ?? (overlay ? { id: overlay.user.id, staff: overlay.staff } : null)
  const commentLimits = data.commentLimits ?? overlay?.commentLimits ?? null
  const tree = useMemo(() => {
    const rows = unpackComments(discussion.tree)
    if (!overlay) return buildCommentTree(rows)
    const place = {
      sort,
      page: discussion.page,
      pageCount: discussion.pageCount,
      locked: article.discussionLocked,
      maxDepth: discussion.maxDepth,
      repliesPerThread: discussion.repliesPerThread,
    }
    return buildCommentTree(applyViewerOverlay(rows, overlay, place))
  }, [discussion, overlay, sort, article.discussionLocked])
  const repliable = useMemo(() => replyTargets(tree), [tree])
  const location = useLocation()
  const returnTo = location.pathname + location.search
  const shared = {
    slug: article.slug,
    now,
    maxDepth: discussion.maxDepth,
    signedIn: viewer !== null,
    staff: viewer?.staff ?? false,
    locked: article.discussionLocked,
    returnTo,
    commentLimits,
  }
  return (
    <article className="story" aria-labelledby="story-title">
      <header className="story__header">
        <h1 id="story-title">{article.title}</h1>
        <p className="story__standfirst">{article.standfirst}</p>
        <p className="byline">
          {article.authorName ? <span>By {article.authorName}</span> : null}
          <time dateTime={isoDate(article.publishedAt)}>{formatDate(article.publishedAt)}</time>
          <span>{article.readingMinutes} min read</span>
          <a href="#discussion">{pluralize(article.commentCount, 'comment')}</a>
        </p>
        <TagList tags={article.tags} />
        <SubscribeLinks feedPath="/feed" label="every story" />
      </header>

      {/* Rendered from Markdown and sanitised when the article was saved; sent to the browser once. */}
      <StoredHtml id={ARTICLE_BODY_ID} html={article.bodyHtml} className="prose" />

      {article.chips.length > 0 ? (
        <section className="story__chips" aria-labelledby="chips-heading">
          <h2 id="chips-heading">Chips in this story</h2>
          <ChipTable
            chips={article.chips}
            caption="Key figures for the chips this story mentions"
            show={['name', 'vendor', 'memory', 'bandwidth', 'interconnect', 'bf16', 'status']}
          />
          {article.chips.some((c) => c.statusAtPublication !== c.exportStatus) ? (
            <ul className="status-changes" aria-label="Export status since this story was published">
              {article.chips
                .filter((c) => c.statusAtPublication !== c.exportStatus)
                .map((c) => (
                  <li key={c.slug}>
                    <Link to={`/chips/${c.slug}#timeline`}>{c.name}</Link>: {exportStatusLabels[c.statusAtPublication].toLowerCase()} when this story was
                    published; {exportStatusLabels[c.exportStatus].toLowerCase()}
                    {c.statusSince ? ` since ${formatDate(c.statusSince)}` : ' now'}.
                  </li>
                ))}
            </ul>
          ) : null}
          <p className="note">
            Figures are vendor-published peak values; “n/a” marks a figure we could not verify. <Link to="/chips">Compare every chip</Link>.
          </p>
        </section>
      ) : null}

      {article.related.length > 0 ? (
        <aside className="related" aria-labelledby="related-heading">
          <h2 id="related-heading">Related stories</h2>
          <ul>
            {article.related.map((r) => (
              <li key={r.slug}>
                <Link to={`/articles/${r.slug}`}>{r.title}</Link>{' '}
                <time className="muted" dateTime={isoDate(r.publishedAt)}>
                  {formatDate(r.publishedAt)}
                </time>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}

      <ChipMentionCards cards={chipCards} />
      <section id="discussion" className="discussion" aria-labelledby="discussion-heading" tabIndex={-1}>
        <h2 id="discussion-heading">
          Discussion <span className="muted">({pluralize(article.commentCount, 'comment')})</span>
        </h2>
        <p className="discussion__invite">What are your thoughts? Tell us below.</p>
        <p className="subscribe">
          <a href={`/articles/${article.slug}/comments.xml`}>Follow this discussion (RSS)</a>
        </p>
        {reportNotice ? (
          <p className="notice" role="status">
            {reportNotice}
          </p>
        ) : null}
        {article.discussionLocked ? (
          <LockedNotice />
        ) : (
          <ViewerSlot id={COMMENT_FORM_SLOT}>
            {viewer && commentLimits ? (
              <CommentForm
                slug={article.slug}
                returnTo={returnTo}
                limits={commentLimits}
                label="Your comment"
                submitLabel="Post comment"
                claimsReplyTo={(parentId) => parentId !== '' && !repliable.has(parentId)}
              />
            ) : (
              <SignInToComment returnTo={location.pathname} />
            )}
          </ViewerSlot>
        )}
        <LiveUpdates slug={article.slug} />
        <Discussion
          tree={tree}
          shared={shared}
          header={discussion.totalRoots > 0 ? <DiscussionControls sort={sort} basePath={location.pathname} /> : null}
          footer={
            <Pagination
              page={discussion.page}
              pageCount={discussion.pageCount}
              basePath={location.pathname}
              search={location.search}
              labels={{ previous: '← Previous comments', next: 'More comments →' }}
            />
          }
        />
        {discussion.totalRoots === 0 && !article.discussionLocked ? <p className="empty">No comments yet. Start the conversation.</p> : null}
      </section>
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
