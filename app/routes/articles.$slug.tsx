import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { TagList } from '#app/components/article-list.tsx'
import { ChipTable } from '#app/components/chip-table.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { formatDate, isoDate, pluralize } from '#app/lib/format.ts'
import { httpError, requireSlug } from '#app/lib/http.server.ts'
import { getPublishedArticle } from '#app/models/articles.server.ts'

export async function loader({ params }: LoaderFunctionArgs) {
  const slug = requireSlug(params.slug, 'story')
  const article = await getPublishedArticle({ slug })
  if (!article) httpError(404, 'There is no published story at this address.')
  return article
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: `${data.title} — Threadline` }, { name: 'description', content: data.standfirst }]
    : [{ title: 'Story not found — Threadline' }]

export default function ArticlePage() {
  const article = useLoaderData<typeof loader>()
  return (
    <article className="story" aria-labelledby="story-title">
      <header className="story__header">
        <h1 id="story-title">{article.title}</h1>
        <p className="story__standfirst">{article.standfirst}</p>
        <p className="byline">
          {article.authorName ? <span>By {article.authorName}</span> : null}
          <time dateTime={isoDate(article.publishedAt)}>{formatDate(article.publishedAt)}</time>
          <span>{article.readingMinutes} min read</span>
        </p>
        <TagList tags={article.tags} />
      </header>

      {/* Rendered from Markdown and sanitised when the article was saved. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />

      {article.chips.length > 0 ? (
        <section className="story__chips" aria-labelledby="chips-heading">
          <h2 id="chips-heading">Chips in this story</h2>
          <ChipTable
            chips={article.chips}
            caption="Key figures for the chips this story mentions"
            show={['name', 'vendor', 'memory', 'bandwidth', 'interconnect', 'bf16', 'status']}
          />
          <p className="note">
            Figures are vendor-published peak values; “n/a” marks a figure we could not verify.{' '}
            <Link to="/chips">Compare every chip</Link>.
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

      <section id="discussion" className="discussion" aria-labelledby="discussion-heading">
        <h2 id="discussion-heading">Discussion ({pluralize(article.commentCount, 'comment')})</h2>
        <p>
          What are your thoughts? The discussion for this story opens here soon: threaded comments arrive with
          member accounts.
        </p>
      </section>
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
