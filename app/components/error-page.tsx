import { Link, isRouteErrorResponse, useRouteError } from '@remix-run/react'

const titles: Record<number, string> = {
  400: 'That request did not make sense to us',
  403: 'You cannot do that',
  404: 'We could not find that page',
  405: 'That method is not allowed here',
  409: 'That clashes with something that already happened',
  413: 'That was too large to accept',
  429: 'Slow down a little',
}

/** The one error view every route renders: a status, a plain message, a way on. Never a stack. */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  let status = 500
  let message = 'Something went wrong on our side. It has been logged; please try again in a moment.'
  if (isRouteErrorResponse(error)) {
    status = error.status
    const data: unknown = error.data
    if (data && typeof data === 'object' && 'message' in data && typeof data.message === 'string') {
      message = data.message
    } else if (typeof data === 'string' && data && status < 500) {
      message = data
    } else if (status < 500) {
      message = titles[status] ?? 'The request could not be completed.'
    }
  } else if (typeof document !== 'undefined') {
    console.error(error)
  }
  const title = titles[status] ?? (status >= 500 ? 'Something went wrong' : 'The request could not be completed')
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__status">Error {status}</p>
      <h1 id="error-title">{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Back to the latest stories</Link> or <Link to="/chips">browse the chip database</Link>.
      </p>
    </section>
  )
}
