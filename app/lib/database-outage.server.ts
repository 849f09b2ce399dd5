import { data, type ActionFunction, type LoaderFunction, type ServerBuild } from '@remix-run/node'
import { isConnectionFailure } from '#db/connection.server.ts'
import { logger, requestScope, type RequestScope } from './logger.server.ts'

// When the database server is out of reach, every loader and action that needs it answers 503 with
// a page that says so, without catching anything itself: the database layer throws a
// DatabaseUnavailableError (db/driver.server.ts), and the server build's loaders and actions are
// wrapped (answerDatabaseOutages) so that it leaves them as the answer this module makes of it. A
// form that was being sent is given back with the page, so its writer keeps what they typed. Nothing
// here logs anyone out: a session that cannot be checked is not invalid.

export const DATABASE_UNAVAILABLE_MESSAGE = 'This page cannot be shown until it is back. Nothing is lost; please try again in a moment.'

/** What a writer is told when what they sent could not be saved; `values` are the form's fields. */
export function notSavedMessage(values: { intent?: unknown }) {
  return values.intent === 'comment'
    ? 'Your comment was not posted: we can’t reach our database right now. Your text is still here; please try again in a moment.'
    : 'That was not saved: we can’t reach our database right now. What you entered is still here; please try again in a moment.'
}

/** Seconds a client is asked to wait before trying again (Retry-After on every 503). */
export const OUTAGE_RETRY_AFTER_SECONDS = 5

/** A form that reached the server but could not be saved: where it was sent, and what it held. */
export type UnsavedForm = { action: string; values: Record<string, string> }

/** What an outage's error page receives (the shared error boundary reads it). */
export type OutagePayload = { message: string; unsaved?: UnsavedForm }

const submissions = new WeakMap<RequestScope, UnsavedForm>()
const logged = new WeakSet<RequestScope>()
const outages = new WeakSet<object>()

/** Remembers the form this request carries, so an outage can hand it back. Passwords are never kept. */
export function rememberSubmission(request: Request, values: Record<string, string>) {
  const scope = requestScope.getStore()
  if (!scope) return
  const url = new URL(request.url)
  submissions.set(scope, { action: url.pathname + url.search, values })
}

/** What a loader or action throws during an outage: a 503 the error boundary renders, with the form, if any. */
function outageResponse(error: unknown) {
  const scope = requestScope.getStore()
  // One line per request: a page meets the outage in every statement it tries.
  if (!scope || !logged.has(scope)) {
    if (scope) logged.add(scope)
    logger.error({ err: error }, 'database unavailable')
  }
  const unsaved = scope ? submissions.get(scope) : undefined
  const response = data<OutagePayload>(unsaved ? { message: notSavedMessage(unsaved.values), unsaved } : { message: DATABASE_UNAVAILABLE_MESSAGE }, {
    status: 503,
    headers: { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) },
  })
  outages.add(response)
  return response
}

/** Whether `error` is the database being out of reach, as thrown above or as a raw driver error. */
export function isDatabaseOutage(error: unknown): boolean {
  return (typeof error === 'object' && error !== null && outages.has(error)) || isConnectionFailure(error)
}

function answeringOutages<F extends LoaderFunction | ActionFunction>(handler: F): F {
  return (async (args: Parameters<F>[0]) => {
    try {
      return await handler(args)
    } catch (error) {
      // Thrown answers (redirects, 404s, form failures, an outage already answered) pass as they are.
      if (outages.has(error as object) || !isConnectionFailure(error)) throw error
      throw outageResponse(error)
    }
  }) as F
}

const answered = new WeakMap<ServerBuild, ServerBuild>()

/**
 * The server build with every loader and action answering an outage as a 503 (see above). Remix has
 * no middleware in v2: the HTTP server hands this to the request handler instead of the build itself.
 */
export function answerDatabaseOutages(build: ServerBuild): ServerBuild {
  let wrapped = answered.get(build)
  if (wrapped) return wrapped
  const routes: ServerBuild['routes'] = {}
  for (const [id, route] of Object.entries(build.routes)) {
    const { loader, action } = route.module
    routes[id] = {
      ...route,
      module: {
        ...route.module,
        ...(loader ? { loader: answeringOutages(loader) } : {}),
        ...(action ? { action: answeringOutages(action) } : {}),
      },
    }
  }
  wrapped = { ...build, routes }
  answered.set(build, wrapped)
  return wrapped
}
