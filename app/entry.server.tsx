import crypto from 'node:crypto'
import { Transform } from 'node:stream'
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
import { inlineScriptHashes, stripNonce } from '#app/lib/script-hashes.server.ts'
import { securityHeaders, type ScriptPermit } from '#app/lib/security-headers.ts'

const ABORT_DELAY = 5_000
const development = process.env.NODE_ENV === 'development'

function applySecurityHeaders(request: Request, headers: Headers, permit: ScriptPermit) {
  for (const [name, value] of Object.entries(securityHeaders({ permit, https: isHttps(request), development }))) {
    // A route may be stricter than the site (the password-reset page sends no referrer at all); the
    // script policy always comes from here, since it carries this response's nonce or hashes.
    if (name === 'Content-Security-Policy' || !headers.has(name)) headers.set(name, value)
  }
}

const DOCUMENT_END = Buffer.from('</body></html>')
// React 18's writer (react-dom/server, writeStringChunk) sends its whole 2 KB buffer when a multi-byte
// character does not fit at its end, the 1 to 3 bytes it did not write included, as zeros. A browser
// drops them from text, but inside an inline script they become U+FFFD: they would change the script,
// and its hash. (A NUL a reader typed is encoded in the middle of a chunk, and is left alone.)
const REACT_VIEW_SIZE = 2048

function withoutPadding(chunk: Buffer) {
  if (chunk.length !== REACT_VIEW_SIZE || chunk[chunk.length - 1] !== 0) return chunk
  let end = chunk.length
  while (end > chunk.length - 3 && chunk[end - 1] === 0) end--
  return chunk.subarray(0, end)
}

/**
 * Removes the zero bytes React's writer pads with (see withoutPadding), and moves the document's closing tags after everything React streams once the shell is out (the data
 * of suspended parts, as scripts): a script after </html> is a parse error, however browsers
 * recover from it.
 */
function closeDocumentLast() {
  let tail: Buffer = Buffer.alloc(0)
  let found = false
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let data = tail.length ? Buffer.concat([tail, withoutPadding(chunk)]) : withoutPadding(chunk)
      tail = Buffer.alloc(0)
      if (!found) {
        const at = data.indexOf(DOCUMENT_END)
        if (at !== -1) {
          found = true
          data = Buffer.concat([data.subarray(0, at), data.subarray(at + DOCUMENT_END.length)])
        } else {
          // The closing tags may straddle two chunks.
          const keep = Math.min(DOCUMENT_END.length - 1, data.length)
          tail = Buffer.from(data.subarray(data.length - keep))
          data = data.subarray(0, data.length - keep)
        }
      }
      callback(null, data)
    },
    flush(callback) {
      callback(null, found ? Buffer.concat([tail, DOCUMENT_END]) : tail)
    },
  })
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (responseStatusCode === 503) responseHeaders.set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS))
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  // A page rendered once for everyone is kept and served byte for byte (server.ts, and any HTTP cache
  // in front): it is rendered whole, and its scripts run by their hashes, not by a nonce made for
  // one response. Anything else is made for this response: a nonce, and streamed.
  // Its scripts are marked with a nonce all the same, known to this render only: they are the ones
  // hashed, and markup that reached the page any other way (a script slipped past the sanitiser) is
  // not. The nonce is then removed: no response offers it.
  const shared = loadContext.sharedRender === true
  const nonce = crypto.randomBytes(16).toString('base64')
  // Crawlers get the whole document at once; browsers get it streamed as it renders.
  const readyEvent = shared || isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'

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
          const body = closeDocumentLast()
          if (shared) {
            const chunks: Buffer[] = []
            body.on('data', (chunk: Buffer) => chunks.push(chunk))
            body.on('error', reject)
            body.on('end', () => {
              const html = Buffer.concat(chunks).toString('utf8')
              applySecurityHeaders(request, responseHeaders, { hashes: inlineScriptHashes(html, nonce) })
              resolve(new Response(stripNonce(html, nonce), { headers: responseHeaders, status: responseStatusCode }))
            })
          } else {
            applySecurityHeaders(request, responseHeaders, { nonce })
            resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
          }
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
