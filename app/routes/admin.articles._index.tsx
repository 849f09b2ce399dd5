import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { requireRole } from '#app/auth.server.ts'
import { articleStatusLabels, formatDateTime } from '#app/components/article-editor.tsx'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { formatNumber } from '#app/lib/format.ts'
import { httpError, parseSearchParams } from '#app/lib/http.server.ts'
import { authoringRoles } from '#app/models/admin.server.ts'
import { listArticlesForAuthoring } from '#app/models/authoring.server.ts'
import { ArticleListQuerySchema } from '#app/schemas/authoring.ts'
import authoringStyles from '#app/styles/admin-authoring.css?url'
import { articleStatuses } from '#db/enums.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: authoringStyles }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, authoringRoles)
  const { status, page } = parseSearchParams(request, ArticleListQuerySchema)
  const listing = await listArticlesForAuthoring({ actor: user, status, page })
  if (page > listing.pageCount) {
    httpError(404, `There is no page ${page}: this list runs to ${listing.pageCount} pages.`)
  }
  return { ...listing, status: status ?? null }
}

export const meta: MetaFunction = () => [{ title: 'Articles — Threadline' }]

export default function ArticlesAdminPage() {
  const { articles, page, pageCount, total, status } = useLoaderData<typeof loader>()
  const { search } = useLocation()
  return (
    <section aria-labelledby="articles-title">
      <header className="page-header">
        <p className="eyebrow">Authoring</p>
        <h1 id="articles-title">Articles</h1>
        <p className="page-header__lede">
          Every article, whatever its status, most recently changed first. Drafts and archived articles are seen by staff only; a scheduled one publishes
          itself at its time.
        </p>
      </header>
      <div className="toolbar">
        <Link to="/admin/articles/new" className="button">
          New article
        </Link>
        <Link to="/admin/articles/import" className="button button--secondary">
          Import from text
        </Link>
      </div>
      <Form method="get" className="filters" aria-label="Filter articles">
        <div className="field">
          <label htmlFor="status-filter">Status</label>
          <select id="status-filter" name="status" defaultValue={status ?? ''}>
            <option value="">All statuses</option>
            {articleStatuses.map((s) => (
              <option key={s} value={s}>
                {articleStatusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Filter
        </button>
        {status ? (
          <Link to="/admin/articles" className="filters__clear">
            Show all
          </Link>
        ) : null}
      </Form>
      {articles.length === 0 ? (
        <p className="empty">
          {status ? `No ${articleStatusLabels[status].toLowerCase()} articles.` : 'No articles yet.'} <Link to="/admin/articles/new">Write one</Link>.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption>
              {[formatNumber(total), status ? articleStatusLabels[status].toLowerCase() : null, total === 1 ? 'article' : 'articles']
                .filter(Boolean)
                .join(' ')}
            </caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Published or scheduled (UTC)</th>
                <th scope="col">Author</th>
                <th scope="col" className="num">
                  Comments
                </th>
                <th scope="col">Updated (UTC)</th>
                <th scope="col">
                  <span className="visually-hidden">On the site</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {articles.map((a) => (
                <tr key={a.id}>
                  <th scope="row" className="wrap">
                    <Link to={`/admin/articles/${a.id}`}>{a.title}</Link>
                  </th>
                  <td>
                    {articleStatusLabels[a.status]}
                    {a.status === 'scheduled' && a.isPublic ? ' (live)' : ''}
                  </td>
                  <td>{a.publishedAt ? formatDateTime(a.publishedAt, { compact: true }) : <span className="muted">—</span>}</td>
                  <td>{a.authorName ?? <span className="muted">Deleted account</span>}</td>
                  <td className="num">{formatNumber(a.commentCount)}</td>
                  <td>{formatDateTime(a.updatedAt, { compact: true })}</td>
                  <td>
                    {a.isPublic ? (
                      <Link to={`/articles/${a.slug}`} aria-label={`View “${a.title}” on the site`}>
                        View
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageCount={pageCount} basePath="/admin/articles" search={search} labels={{ previous: '← More recent', next: 'Older →' }} />
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
