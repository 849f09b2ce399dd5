import { Link } from '@remix-run/react'

/** Older/newer links that keep the rest of the query string. */
export function Pagination({
  page,
  pageCount,
  basePath,
  search = '',
  labels = { previous: '← Newer', next: 'Older →' },
}: {
  page: number
  pageCount: number
  basePath: string
  search?: string
  labels?: { previous: string; next: string }
}) {
  if (pageCount <= 1) return null
  const href = (target: number) => {
    const params = new URLSearchParams(search)
    if (target === 1) params.delete('page')
    else params.set('page', String(target))
    const query = params.toString()
    return query ? `${basePath}?${query}` : basePath
  }
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          {labels.previous}
        </Link>
      ) : (
        <span />
      )}
      <span className="pagination__where">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link to={href(page + 1)} rel="next">
          {labels.next}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  )
}
