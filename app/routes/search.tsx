import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { errorMeta, GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Highlighted } from '#app/components/highlight.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { formatDate, isoDate, pluralize } from '#app/lib/format.ts'
import { httpError, parseSearchParams } from '#app/lib/http.server.ts'
import { MAX_QUERY_LENGTH } from '#app/lib/search-markers.ts'
import { search } from '#app/models/search.server.ts'
import { PageQuerySchema } from '#app/schemas/pagination.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const { page } = parseSearchParams(request, PageQuerySchema)
  const query = new URL(request.url).searchParams.get('q') ?? ''
  const result = await search({ query, page })
  if (result.kind === 'results' && page > result.pageCount) {
    httpError(404, `There is no page ${page} of results: this search runs to ${result.pageCount}.`)
  }
  return { query: query.slice(0, MAX_QUERY_LENGTH * 2), result }
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error
    ? errorMeta(error)
    : [
        { title: data?.result.kind === 'results' ? `“${data.result.query}” — search — Threadline` : 'Search — Threadline' },
        { name: 'robots', content: 'noindex' },
      ]

export default function SearchPage() {
  const { query, result } = useLoaderData<typeof loader>()
  const { search: searchString } = useLocation()
  return (
    <section aria-labelledby="search-title" className="page-narrow-wide">
      <header className="page-header">
        <h1 id="search-title">Search</h1>
      </header>
      <Form method="get" action="/search" role="search" className="toolbar">
        <div className="field">
          <label htmlFor="search-q">Stories and chips</label>
          <input id="search-q" name="q" type="search" defaultValue={query} />
        </div>
        <button type="submit" className="button">
          Search
        </button>
      </Form>
      {result.kind === 'empty' ? (
        <div className="empty">
          <p>Type a few words to search every published story and the chip database.</p>
          <p>
            Tips: <code>"export controls"</code> finds the phrase, <code>H20 -Huawei</code> leaves a word out, <code>HBM or NVLink</code> finds either.
          </p>
        </div>
      ) : result.kind === 'too-long' ? (
        <p className="empty" role="status">
          That search is {result.length} characters long; searches can be up to {MAX_QUERY_LENGTH}. Try a few key words.
        </p>
      ) : (
        <>
          <p role="status" className="muted">
            {result.total === 0 && result.chips.length === 0
              ? `Nothing matches “${result.query}”. Try fewer or different words.`
              : `${pluralize(result.total, 'story', 'stories')} match “${result.query}”.`}
          </p>
          {result.chips.length > 0 ? (
            <section aria-labelledby="chip-results">
              <h2 id="chip-results">Chips</h2>
              <ul className="mention-list">
                {result.chips.map((c) => (
                  <li key={c.slug}>
                    <Link to={`/chips/${c.slug}`}>
                      {c.vendor} {c.name}
                    </Link>
                    <p className="muted">
                      <Highlighted text={c.snippet} />
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {result.articles.length > 0 ? (
            <section aria-labelledby="story-results">
              <h2 id="story-results">Stories</h2>
              <ol className="mention-list">
                {result.articles.map((a) => (
                  <li key={a.slug}>
                    <Link to={`/articles/${a.slug}`}>{a.title}</Link>
                    <p>
                      <Highlighted text={a.snippet} />
                    </p>
                    <p className="muted">
                      <time dateTime={isoDate(a.publishedAt)}>{formatDate(a.publishedAt)}</time>
                      {a.authorName ? ` · ${a.authorName}` : ''}
                    </p>
                  </li>
                ))}
              </ol>
              <Pagination page={result.page} pageCount={result.pageCount} basePath="/search" search={searchString} />
            </section>
          ) : null}
        </>
      )}
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
