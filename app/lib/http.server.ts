import type { SharedDiscussionView } from './viewer-overlay.ts'
import { data, redirect } from '@remix-run/node'
import type { z } from 'zod'
import { env } from '#app/env.server.ts'

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The client's address, as server.ts determined it (honouring TRUST_PROXY). */
    clientIp: string
    /** A client-side navigation or fetcher (`*.data`), as opposed to a full document request. */
    isDataRequest: boolean
    /** Stored HTML a document's server render reads instead of the route data (stored-html.tsx). */
    htmlStore: Map<string, string>
    /**
     * Set by an action whose form did not parse, so that nothing was hashed, looked up or written:
     * server.ts then gives back the admission token the attempt took (a wrong password does not).
     */
    formInvalid?: boolean
    /**
     * Rendered once for everyone (server.ts's page cache), without cookies: a member's part of the
     * page comes with their overlay instead (docs/decisions/007-one-rendering-for-everyone.md).
     */
    sharedRender?: boolean
    /** What a shared story page showed of its discussion, for members' copies (server.ts stores it with the page). */
    sharedView?: SharedDiscussionView
  }
}

export type ErrorPayload = { message: string }

/** Throws a response the shared error boundary renders with its status and message. */
export function httpError(status: 400 | 403 | 404 | 409 | 413 | 429, message: string): never {
  throw data<ErrorPayload>({ message }, { status })
}

/** Far longer than any address the site's own links and forms make. */
export const MAX_QUERY_STRING = 4096

/** The request's query string parsed by a schema; a value it rejects is a 400 naming the parameter. */
export function parseSearchParams<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const url = new URL(request.url)
  if (url.search.length > MAX_QUERY_STRING) {
    return httpError(
      400,
      `This address is too long: its query string has ${url.search.length.toLocaleString('en-GB')} characters, and we read at most ${MAX_QUERY_STRING.toLocaleString('en-GB')}.`,
    )
  }
  const params = url.searchParams
  const input: Record<string, string> = {}
  for (const key of params.keys()) {
    const values = params.getAll(key)
    // A repeated parameter is ambiguous; take the last, as most servers do.
    input[key] = values[values.length - 1] ?? ''
  }
  const result = schema.safeParse(input)
  if (result.success) {
    // A "%00" would reach Postgres as U+0000, which no text column or parameter accepts. Only the
    // parameters the schema kept are checked: others are not this loader's to refuse.
    for (const [key, value] of Object.entries(result.data ?? {})) {
      if (typeof value === 'string' && value.includes('\u0000')) {
        return httpError(400, `This address has a parameter we cannot use: ${key} holds a null character (%00).`)
      }
    }
    return result.data
  }
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.')
    return issue.code === 'invalid_value' && name ? `${name} is not one of the accepted values` : issue.message
  })
  return httpError(400, `This address has a parameter we cannot use: ${problems.join('; ')}.`)
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/**
 * The one spelling of a slug: what the compare page and the editor accept (any case, surrounding
 * space) is written lowercase. Null when no spelling of it can be a slug.
 */
export function canonicalSlug(value: string | undefined): string | null {
  const slug = value?.trim().toLowerCase()
  return slug && slug.length <= 200 && SLUG.test(slug) ? slug : null
}

/**
 * The slug in a route's address, for every slug route (stories, topics, chips and their feeds and
 * sub-pages). Another spelling of a slug (`/chips/H200`) is sent to the canonical address with a
 * permanent redirect (308, so a form's POST stays a POST); a slug that cannot exist is not found.
 */
export function requireSlug(request: Request, value: string | undefined, what: string): string {
  const slug = canonicalSlug(value)
  if (!slug) return httpError(404, `There is no ${what} at this address.`)
  if (slug !== value) throw redirect(canonicalLocation(request.url, value!, slug), 308)
  return slug
}

/** `url` as a path and query with the path segment spelled `from` spelled `to` instead. */
export function canonicalLocation(url: string, from: string, to: string): string {
  const address = new URL(url)
  // A single-fetch request (`/chips/H200.data`) lands on the page's own address.
  const pathname = address.pathname.replace(/\.data$/, '')
  let replaced = false
  const segments = pathname.split('/').map((segment) => {
    if (replaced) return segment
    let decoded = segment
    try {
      decoded = decodeURIComponent(segment)
    } catch {
      return segment
    }
    if (decoded !== from) return segment
    replaced = true
    return encodeURIComponent(to)
  })
  const path = segments.join('/')
  address.searchParams.delete('_routes')
  return `${path}${address.search}`
}

/** Whether the site is being reached over HTTPS (directly, or as the configured public origin). */
export function isHttps(request: Request): boolean {
  return env.PUBLIC_URL?.startsWith('https:') === true || new URL(request.url).protocol === 'https:'
}

/**
 * The site's public origin, for every absolute address the app writes (mails, feeds, canonical and
 * social links, the sitemap). From configuration only, never from a request: a Host or
 * X-Forwarded-Host header is whatever the client chose, and a mailed link built from one hands a
 * reset token to the host it names.
 */
export function siteOrigin(): string {
  return configuredOrigin
}

/** PUBLIC_URL, or the address `npm start` announces: http://localhost:PORT (or HOST, when it names one). */
export function originFromEnv({ PUBLIC_URL, HOST, PORT }: Pick<typeof env, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (PUBLIC_URL) return new URL(PUBLIC_URL).origin
  const host = !HOST || HOST === '0.0.0.0' || HOST === '::' ? 'localhost' : HOST.includes(':') ? `[${HOST}]` : HOST
  return `http://${host}:${PORT}`
}

const configuredOrigin = originFromEnv(env)

/**
 * The action of a resource route that only answers GET (feeds, data, robots.txt): a POST or other
 * method gets a 405 that says so, with Allow, instead of the framework's "Unexpected Server Error".
 */
export function readOnlyAction(): Response {
  return new Response('This address only answers GET and HEAD requests: there is nothing to send to it.\n', {
    status: 405,
    headers: { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}
