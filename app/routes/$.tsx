import type { MetaFunction } from '@remix-run/node'
import { GeneralErrorBoundary } from '#app/components/error-page.tsx'
import { httpError } from '#app/lib/http.server.ts'

// Unknown URLs become a real 404 rendered inside the site's layout.
export function loader() {
  httpError(404, 'Nothing lives at this address. It may have moved, or the link may be mistyped.')
}

export function action() {
  httpError(404, 'Nothing lives at this address.')
}

export const meta: MetaFunction = () => [{ title: 'Page not found — Threadline' }, { name: 'robots', content: 'noindex' }]

export default function NotFound() {
  return <GeneralErrorBoundary />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
