import crypto from 'node:crypto'
import { PassThrough } from 'node:stream'
import type { AppLoadContext, EntryContext, HandleDataRequestFunction } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { NonceProvider } from '#app/components/nonce.tsx'
import { HtmlStoreProvider } from '#app/components/stored-html.tsx'
import { OUTAGE_RETRY_AFTER_SECONDS } from '#app/lib/database-outage.server.ts'
import { isHttps } from '#app/lib/http.server.ts'
import { logger } from '#app/lib/logger.server.ts'
import { securityHeaders } from '#app/lib/security-headers.ts'

const ABORT_DELAY = 5_000
const development = process.env.NODE_ENV === 'development'

function applySecurityHeaders(request: Request, headers: Headers, nonce: string) {
  for (const [name, value] of Object.entries(securityHeaders({ nonce, https: isHttps(request), development }))) {
    // A route may be stricter than the site (the password-reset page sends no referrer at all); the
    // script policy always comes from here, since it carries this response's nonce.
    if (name === 'Content-Security-Policy' || !headers.has(name)) headers.set(name, value)
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = crypto.randomBytes(16).toString('base64')
  applySecurityHeaders(request, responseHeaders, nonce)
  if (responseStatusCode === 503) responseHeaders.set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS))
  // Crawlers get the whole document at once; browsers get it streamed as it renders.
  const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <HtmlStoreProvider value={loadContext.htmlStore}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </HtmlStoreProvider>
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true
          const body = new PassThrough()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error instanceof Error ? error : new Error(String(error)))
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // Errors after the shell is out are logged here; before it, they reach handleError.
          if (shellRendered) logger.error({ err: error }, 'rendering failed')
        },
      },
    )
    setTimeout(abort, ABORT_DELAY + 1000)
  })
}

export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  response.headers.set('X-Content-Type-Options', 'nosniff')
  if (response.status === 503) response.headers.set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS))
  if (isHttps(request)) response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  return response
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests (a reader navigating away) are not errors worth a log line.
  if (request.signal.aborted) return
  logger.error({ err: error }, 'request failed')
}

// The HTTP server (server.ts) reaches the app only through this build: what it needs is here.
export * as runtime from '#app/server-runtime.server.ts'
