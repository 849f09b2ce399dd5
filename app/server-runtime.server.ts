import { database } from '#app/db.server.ts'
import { env } from '#app/env.server.ts'
import { answerDatabaseOutages } from '#app/lib/database-outage.server.ts'
import { changeEventFrom, pagesChangedBy, type PageCache } from '#app/lib/page-cache.server.ts'
import { heardChangeEvent, setListening } from '#app/lib/table-cache.server.ts'
import { sessionIdFor } from '#app/auth.server.ts'
import { postingStanding } from '#app/models/users.server.ts'

// What the HTTP server (server.ts) needs of the app, handed to it by the server build (the entry
// module exports this module as `runtime`). The server imports nothing of app/ or db/ itself, so
// every module, and every piece of state (the database handle, the logger and its request scope,
// the table cache), exists once in the process.

export { env }
export { AdmissionControl, POST_LANES, RefusalMemory, SessionStanding, WorkQueue } from '#app/lib/admission.server.ts'
export { isAllowedOrigin } from '#app/lib/csrf.ts'
export { siteOrigin } from '#app/lib/http.server.ts'
export { logger, requestScope } from '#app/lib/logger.server.ts'
export { isNotModified, isShareable, memberPageKey, PageCache, pageCacheKey, toStoredPage, type StoredPage } from '#app/lib/page-cache.server.ts'
export { requestTargetProblem } from '#app/lib/request-target.ts'
export { baseSecurityHeaders } from '#app/lib/security-headers.ts'
export { freshCookie, isAnonymousRequest, mayShareRendering, readSessionCookie } from '#app/lib/session-cookie.ts'
export { memberCopy } from '#app/member-page.server.tsx'
export { answerDatabaseOutages }

/** Who a session token belongs to, and whether the account's posts may skip the queue (see postingStanding). */
export function postingStandingOf(token: string) {
  return postingStanding(sessionIdFor(token))
}

/**
 * Listens for the database's change events (from any instance, this one included: its own writes
 * come back the same way) and drops what they make stale: the pages in `pageCache` and the table
 * cache's reads. Only the database's triggers decide: a request that changed nothing (a log-out, a
 * preview, a refused form) drops nothing. While the listening connection is down changes could be
 * missed, so each (re)connection empties both.
 */
export function listenForChanges(pageCache: PageCache) {
  return database.listen(
    'threadline_events',
    (payload) => {
      const change = changeEventFrom(payload)
      if (change) pageCache.invalidate(pagesChangedBy(change))
      heardChangeEvent(payload)
    },
    () => {
      pageCache.clear()
      pageCache.enabled = true
      setListening(true)
    },
  )
}

/** Closes the database: the last step of a drained shutdown. */
export function closeDatabase() {
  return database.close()
}
