import { Link, isRouteErrorResponse, useRouteError } from '@remix-run/react'

/** The document title of an error page: its own, never the title of the page that failed. */
export function errorDocumentTitle(error: unknown): string {
  const status = isRouteErrorResponse(error) ? error.status : 500
  if (status === 404) return 'Page not found — Threadline'
  return `${titles[status] ?? (status >= 500 ? 'Something went wrong' : 'The request could not be completed')} — Threadline`
}

/** A failed page's head: its own title, kept out of search engines. */
export function errorMeta(error: unknown) {
  return [{ title: errorDocumentTitle(error) }, { name: 'robots', content: 'noindex' }]
}

const titles: Record<number, string> = {
  400: 'That request did not make sense to us',
  403: 'You cannot do that',
  404: 'We could not find that page',
  405: 'That method is not allowed here',
  409: 'That clashes with something that already happened',
  413: 'That was too large to accept',
  429: 'Slow down a little',
  503: 'We can’t reach our database right now',
}

/** A form the server received but could not save (an outage): given back so nothing typed is lost. */
type UnsavedForm = { action: string; values: Record<string, string> }

function unsavedForm(data: unknown): UnsavedForm | null {
  if (!data || typeof data !== 'object' || !('unsaved' in data)) return null
  const unsaved = data.unsaved as Partial<UnsavedForm> | undefined
  return typeof unsaved?.action === 'string' && unsaved.values && typeof unsaved.values === 'object' ? (unsaved as UnsavedForm) : null
}

/** The text a writer sent, in a form that sends it again. Works without JavaScript. */
function UnsavedText({ unsaved }: { unsaved: UnsavedForm }) {
  const { body, ...hidden } = unsaved.values
  if (body === undefined) return null
  return (
    <form method="post" action={unsaved.action} className="stack">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="field">
        <label htmlFor="unsaved-body">Your text (not saved yet)</label>
        <textarea id="unsaved-body" name="body" rows={6} defaultValue={body} />
      </div>
      <button type="submit" className="button">
        Try again
      </button>
    </form>
  )
}

/** The one error view every route renders: a status, a plain message, a way on. Never a stack. */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  let status = 500
  let message = 'Something went wrong on our side. It has been logged; please try again in a moment.'
  let unsaved: UnsavedForm | null = null
  if (isRouteErrorResponse(error)) {
    status = error.status
    const data: unknown = error.data
    unsaved = unsavedForm(data)
    if (data && typeof data === 'object' && 'message' in data && typeof data.message === 'string') {
      message = data.message
    } else if (typeof data === 'string' && data && status < 500 && status !== 405) {
      // (A 405's text is the framework's, naming internal route ids: the title says enough.)
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
      {unsaved ? <UnsavedText unsaved={unsaved} /> : null}
      <p>
        <Link to="/">Back to the latest stories</Link> or <Link to="/chips">browse the chip database</Link>.
      </p>
    </section>
  )
}
