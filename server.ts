import crypto from 'node:crypto'
import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
// The adapter's own request and response conversions, so the page cache can sit around the handler.
import { createRemixRequest, sendRemixResponse } from '@remix-run/express/dist/server.js'
import { createRequestHandler, type AppLoadContext, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { StoredPage } from '#app/server-runtime.server.ts'

// The HTTP server: request logs, static files, the cross-site check that guards every action, the
// cache of anonymous pages, and the Remix handler. In development Vite serves the app with hot
// reloading. On SIGTERM it drains: no new connections, in-flight requests finish, then the
// database closes and the process exits.
//
// It reaches the app only through the server build: the build's entry exports `runtime`
// (app/server-runtime.server.ts), everything this file needs of the app. Nothing here imports app/
// or db/ (types aside), so each module of the app is loaded once. In production this file runs
// compiled (build/server.js, see scripts/build-node.mjs).

type Runtime = typeof import('#app/server-runtime.server.ts')

// Decided before the app is loaded (the app's env module checks the same variable): npm run dev
// leaves NODE_ENV unset.
const development = (process.env.NODE_ENV ?? 'development') === 'development'
const vite = development ? await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } })) : undefined

function loadBuild(): Promise<ServerBuild> {
  return vite
    ? (vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>)
    : // Importing the build opens, migrates and (when new and embedded) seeds the database.
      (import(pathToFileURL(path.resolve('build/server/index.js')).href) as Promise<ServerBuild>)
}

function runtimeOf(build: ServerBuild) {
  return (build.entry.module as unknown as { runtime: Runtime }).runtime
}

// In development a changed route or component is picked up by the next request (Vite reloads what
// changed); this file and what it takes from `runtime` keep the modules they started with.
const firstBuild = await loadBuild()
const {
  env,
  logger,
  requestScope,
  AdmissionControl,
  POST_LANES,
  RefusalMemory,
  SessionStanding,
  WorkQueue,
  isAllowedOrigin,
  siteOrigin,
  readSessionCookie,
  isAnonymousRequest,
  requestTargetProblem,
  baseSecurityHeaders,
  PageCache,
  pageCacheKey,
  isNotModified,
  isShareable,
  toStoredPage,
  memberPageKey,
  mayShareRendering,
  memberCopy,
  freshCookie,
  postingStandingOf: standingOfSession,
  listenForChanges,
  closeDatabase,
} = runtimeOf(firstBuild)

const app = express()
app.disable('x-powered-by')
// Behind a proxy, req.ip and req.protocol come from the X-Forwarded-* headers it adds.
app.set('trust proxy', env.TRUST_PROXY)

let shuttingDown = false

// Forwarded headers are a proxy's word about the client; from anyone else they are the client's own
// invention. Unless a proxy is trusted they are dropped before anything (Express, the Remix adapter,
// a loader) can read them: the adapter would otherwise take X-Forwarded-Host's port into every
// request's URL.
const FORWARDED_HEADERS = ['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-prefix', 'forwarded']
const publicHost = env.PUBLIC_URL ? new URL(env.PUBLIC_URL).host.toLowerCase() : null

/** The first value of a forwarded header, when a proxy is trusted to have set it; else undefined. */
function forwardedHeader(req: http.IncomingMessage, name: 'x-forwarded-host' | 'x-forwarded-proto') {
  if (env.TRUST_PROXY === 0) return undefined
  const value = req.headers[name]
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim()
}

/** The host the client asked for: the trusted proxy's X-Forwarded-Host, else Host. */
function requestedHost(req: http.IncomingMessage) {
  const forwarded = forwardedHeader(req, 'x-forwarded-host')
  return (forwarded || req.headers.host || '').toLowerCase()
}

app.use((req, res, next) => {
  if (env.TRUST_PROXY === 0) for (const name of FORWARDED_HEADERS) delete req.headers[name]
  // With a public address configured, a request for any other host is not for this site. (The
  // health check is asked by address, by load balancers.)
  if (publicHost && requestedHost(req) !== publicHost && req.path !== '/healthz') {
    res.status(421).set('Connection', 'close').type('text/plain').send(`This server answers for ${publicHost} only.\n`)
    return
  }
  next()
})

// Every request gets an id (the proxy's, when it sent a sane one), a scope that its log lines and its
// loaders share, and one log line when it ends.
app.use((req, res, next) => {
  const offered = req.get('X-Request-Id')
  const id = offered && /^[\w.:-]{1,100}$/.test(offered) ? offered : crypto.randomUUID()
  res.setHeader('X-Request-Id', id)
  if (shuttingDown) res.setHeader('Connection', 'close')
  const started = process.hrtime.bigint()
  res.once('close', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const status = res.headersSent ? res.statusCode : 499
    const line = { reqId: id, method: req.method, path: req.originalUrl, status, ms: Math.round(ms * 10) / 10, cache: res.getHeader('X-Cache') }
    if (status >= 500) logger.error(line, 'request')
    else logger.info(line, 'request')
  })
  requestScope.run({ id, memo: new Map() }, next)
})

// Security headers on every response, whoever answers it; documents replace the policy with their own
// (with the nonce their scripts carry).
app.use((req, res, next) => {
  const https = req.secure || env.PUBLIC_URL?.startsWith('https:') === true
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https }))) res.setHeader(name, value)
  next()
})

// An address that cannot be read (a broken %-escape, bytes that are not UTF-8, a path longer than any
// the site makes) is refused here, before static files, Remix or a route decodes it.
app.use((req, res, next) => {
  const problem = requestTargetProblem(req.originalUrl)
  if (!problem) return next()
  res.status(problem.status).set('Cache-Control', 'no-store').type('text/plain').send(`${problem.message}\n`)
})

// Nothing a reader may send needs more than this; larger bodies are refused on their declared length,
// before anything parses them. A body of unknown length (chunked) is refused too: browsers always say
// how long a form is.
const BODY_LIMIT_BYTES = env.BODY_LIMIT_KB * 1024
// A refused body is still on its way. Closing the connection under it resets it, and a client still
// writing then sees EPIPE or ECONNRESET instead of the 413 (how soon depends on the machine's load).
// So, as nginx's lingering close does, a body up to this size is read and thrown away first, for at
// most this long; the refusal is sent when it has all arrived. Larger or slower bodies are refused at
// once and their connection closed: such a client may see a reset.
const DISCARD_LIMIT_BYTES = Math.max(4 * BODY_LIMIT_BYTES, 8 * 1024 * 1024)
const DISCARD_MS = 5_000

function refuseOversizedBody(req: express.Request, res: express.Response, declared: number) {
  const refuse = () => {
    if (res.headersSent) return
    res.status(413).set('Connection', 'close').type('text/plain').send(`Request refused: the body is larger than ${env.BODY_LIMIT_KB} KB.\n`)
  }
  if (declared > DISCARD_LIMIT_BYTES) return refuse()
  const timer = setTimeout(refuse, DISCARD_MS)
  const done = () => {
    clearTimeout(timer)
    refuse()
  }
  req.once('end', done)
  req.once('error', done)
  res.once('close', () => clearTimeout(timer))
  req.on('data', () => {})
}

app.use((req, res, next) => {
  const declared = req.get('Content-Length')
  const chunked = (req.get('Transfer-Encoding') ?? '').toLowerCase().includes('chunked')
  if (declared !== undefined && Number(declared) > BODY_LIMIT_BYTES) {
    refuseOversizedBody(req, res, Number(declared))
    return
  }
  if (chunked && declared === undefined) {
    res.status(411).set('Connection', 'close').type('text/plain').send('Request refused: send the body with a Content-Length.\n')
    return
  }
  next()
})

// CSRF, in one place for every route: a state-changing request must come from this site. (Before
// admission: a forged request must not spend the allowance of the people the site is for.)
const publicOrigin = env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : null
app.use((req, res, next) => {
  const siteOrigins = [`${req.protocol}://${req.get('host') ?? ''}`.toLowerCase()]
  if (publicOrigin) siteOrigins.push(publicOrigin)
  if (isAllowedOrigin({ method: req.method, origin: req.get('origin'), referer: req.get('referer'), siteOrigins })) {
    // Checked here, against every origin the site answers to. Remix checks Origin again, against Host
    // or X-Forwarded-Host as sent, port and case included, and throws (an empty 500) when a proxy
    // rewrote either or a browser sent "Origin: null": it is left nothing to compare.
    delete req.headers.origin
    next()
    return
  }
  res.status(403).type('text/plain').send('Cross-site request refused: forms that change something must be sent from this site.\n')
})

// Sign-up, log-in and the password-reset forms cost a password hash and several writes each: a flood
// of them from many addresses is refused here, from memory, before any of that work (see
// app/lib/admission.server.ts).
// A session the app keeps refusing (429) at one address is refused again from memory until its
// Retry-After ends.
const admission = new AdmissionControl()
const refusals = new RefusalMemory()
function refuseEarly(res: express.Response, retryAfterSeconds: number, message: string) {
  res
    .status(429)
    .set({ 'Retry-After': String(retryAfterSeconds), 'Cache-Control': 'no-store' })
    .type('text/plain')
    .send(`${message}\n`)
}
app.use((req, res, next) => {
  if (req.method !== 'POST') return next()
  const limits = admission.classify(req.method, req.path)
  if (limits) {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown'
    const verdict = admission.admit(limits, address)
    if (!verdict.admitted) return refuseEarly(res, verdict.retryAfterSeconds, verdict.message)
    res.locals.limited = true
    // A form that did not parse did none of the work the buckets guard: its token comes back. (A
    // wrong password, answered 400 too, was checked: it keeps its cost.)
    res.on('finish', () => {
      if ((res.locals.loadContext as AppLoadContext | undefined)?.formInvalid) admission.refund(limits, address)
    })
  }
  const { token } = readSessionCookie(req.headers.cookie)
  const refused = token ? refusals.recall(token, req.path) : null
  if (refused) {
    const wait = refused.retryAfterSeconds
    return refuseEarly(
      res,
      wait,
      `Too many attempts: this form was refused several times in a row. Please wait ${wait} seconds, then go back and send it again.`,
    )
  }
  next()
})

// Posts from anyone but members in good standing: two at a time (one can wait for the database or a
// password hash while the other runs), in the order of POST_LANES; up to 1,000 wait in each lane,
// for at most 20 s.
const posts = new WorkQueue(2, 1000, 20_000, 30_000, () => logger.warn({ load: posts.load }, 'a form post ran past 30 s: its turn passed to the next'))

const standing = new SessionStanding()

/** The app's answer to "whose session is this, and may their posts skip the queue?"; unknown when it cannot say. */
async function postingStandingOf(token: string) {
  try {
    return await standingOfSession(token)
  } catch {
    return null
  }
}

/**
 * Notes how the app answered a session's post: accepted (a member in good standing), or refused (429)
 * and for how long. A refusal is noted against the account too, so that logging in afresh does not
 * put the account's next posts ahead of the queue.
 */
function noteAnswer(req: express.Request, response: Response, { accountId, live }: { accountId: string | null; live: boolean }) {
  const { token } = readSessionCookie(req.headers.cookie)
  if (!token) return
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('Retry-After'))
    if (retryAfter > 0) refusals.remember(token, req.path, retryAfter)
    standing.refused(token, retryAfter || 60)
    if (accountId !== null) standing.refused(`account ${accountId}`, retryAfter || 60)
  } else if (live && response.status < 400 && !(response.headers.get('Location') ?? '').startsWith('/login')) {
    // Only a session the database knows: a made-up cookie on a form that needs none (a log-out)
    // must not earn a place ahead of the queue.
    standing.accepted(token)
  }
}

// Server-Sent Events must reach the reader as they happen, not when a compression buffer fills.
app.use(
  compression({ filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') && compression.filter(req, res) }),
)

if (vite) {
  app.use(vite.middlewares)
} else {
  // Fingerprinted by Vite: safe to cache for a year.
  app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
  app.use(express.static('build/client', { maxAge: '1h' }))
}

// /chips/:slug.json is the chip's machine-readable record; Remix routes cannot share a segment
// between a parameter and an extension, so the address is mapped onto the record route.
app.get(/^\/chips\/([a-z0-9-]+)\.json$/, (req, _res, next) => {
  // The Remix adapter builds its Request from originalUrl, so both change.
  req.url = req.originalUrl = `/chips/${req.params[0]}/record.json`
  next()
})

// A load balancer stops sending requests to an instance that is draining.
app.get('/healthz', (_req, res, next) => {
  if (!shuttingDown) return next()
  res.status(503).set('Cache-Control', 'no-store').type('text/plain').send('shutting down\n')
})

// Every loader and action answers a database outage as a 503 (app/lib/database-outage.server.ts).
const handleRemix = createRequestHandler(
  vite
    ? async () => {
        const build = await loadBuild()
        return runtimeOf(build).answerDatabaseOutages(build)
      }
    : runtimeOf(firstBuild).answerDatabaseOutages(firstBuild),
  env.NODE_ENV,
)

const pageCache = new PageCache()
await listenForChanges(pageCache)

const eventStreams = new Set<express.Response>()

function loadContext(req: express.Request, res: express.Response): AppLoadContext {
  const context: AppLoadContext = {
    clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    isDataRequest: req.path.endsWith('.data'),
    htmlStore: new Map<string, string>(),
  }
  // What the app says of the request (formInvalid) is read back once the answer is sent.
  res.locals.loadContext = context
  return context
}

/**
 * Sends a stored page: the stored bytes (or their gzip, made once per page), the stored headers over
 * the security headers every response carries, or a 304 when the client's copy is current. What a
 * cache hit costs beyond writing the bytes is this, and nothing else (see answerHit).
 */
function sendStored(req: http.IncomingMessage, res: http.ServerResponse, page: StoredPage, state: 'HIT' | 'MISS', https: boolean) {
  const wire = wireOf(page, https)
  if (isNotModified(page, { ifNoneMatch: req.headers['if-none-match'], ifModifiedSince: req.headers['if-modified-since'] })) {
    res.writeHead(304, [...wire.validators, 'X-Cache', state])
    res.end()
    return
  }
  const gzip = wire.gzip !== undefined && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
  const body = gzip ? wire.gzip! : page.body
  const headers = [...(gzip ? wire.gzipHeaders : wire.headers), 'Content-Length', String(body.length), 'X-Cache', state]
  res.writeHead(page.status, headers)
  res.end(req.method === 'HEAD' ? undefined : body)
}

type Wire = { headers: string[]; gzipHeaders: string[]; validators: string[]; gzip?: Buffer }
const wires = new WeakMap<StoredPage, Partial<Record<'http' | 'https', Wire>>>()

/** A stored page's headers as written (with the security headers for its scheme), and its gzip, made once. */
function wireOf(page: StoredPage, https: boolean): Wire {
  const scheme = https ? 'https' : 'http'
  const known = wires.get(page) ?? {}
  const cached = known[scheme]
  if (cached) return cached
  const merged = new Map<string, [string, string]>()
  for (const [name, value] of [...Object.entries(baseSecurityHeaders({ https })), ...page.headers]) merged.set(name.toLowerCase(), [name, value])
  merged.delete('content-length')
  merged.delete('content-encoding')
  // Compressed as the compression middleware would (it skips bodies under 1 KB).
  const compressible = page.bytes >= 1024
  const vary = merged.get('vary')?.[1]
  if (compressible) merged.set('vary', ['Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding'])
  const flat = (entries: [string, string][]) => entries.flat()
  const headers = [...merged.values()]
  const validators = headers.filter(([name]) => /^(etag|last-modified|cache-control|vary|content-security-policy)$/i.test(name))
  const wire: Wire = {
    headers: flat(headers),
    gzipHeaders: flat([...headers, ['Content-Encoding', 'gzip']]),
    validators: flat(validators),
    gzip: compressible ? (Object.values(known)[0]?.gzip ?? zlib.gzipSync(page.body)) : undefined,
  }
  wires.set(page, { ...known, [scheme]: wire })
  return wire
}

async function send(res: express.Response, response: Response) {
  // A member's page, or a form's answer: for this browser only.
  if ((response.headers.get('Content-Type') ?? '').startsWith('text/html') && !response.headers.has('Cache-Control')) {
    response.headers.set('Cache-Control', 'private, no-cache')
  }
  // The adapter appends the response's headers: drop the defaults they replace, so none is doubled.
  for (const name of response.headers.keys()) res.removeHeader(name)
  const streaming = (response.headers.get('Content-Type') ?? '').startsWith('text/event-stream')
  if (streaming) {
    eventStreams.add(res)
    res.once('close', () => eventStreams.delete(res))
  }
  await sendRemixResponse(res, response)
}

type Shared = { page: StoredPage; state: 'HIT' | 'MISS' } | { response: Response }

/**
 * The rendering of `key` every reader shares: stored, or rendered now, once for everyone asking at
 * the same moment, and stored; else the response, which could not be shared.
 */
async function sharedRendering(req: express.Request, res: express.Response, key: string): Promise<Shared> {
  const stored = pageCache.get(key) ?? (await pageCache.inflight.get(key))
  if (stored) return { page: stored, state: 'HIT' }
  const generation = pageCache.generation
  let settle: (page: StoredPage | null) => void = () => {}
  const inflight = new Promise<StoredPage | null>((resolve) => (settle = resolve))
  pageCache.inflight.set(key, inflight)
  // What every reader will be sent is rendered for nobody: whatever the cookies, no session can
  // reach a stored page. The stored copy is the whole page; a conditional request is answered from
  // it afterwards.
  const kept = { cookie: req.headers.cookie, 'if-none-match': req.headers['if-none-match'], 'if-modified-since': req.headers['if-modified-since'] }
  delete req.headers.cookie
  delete req.headers['if-none-match']
  delete req.headers['if-modified-since']
  try {
    const context = loadContext(req, res)
    context.sharedRender = true
    const response = await handleRemix(createRemixRequest(req, res), context)
    if (!isShareable(response)) return { response }
    const body = Buffer.from(await response.arrayBuffer())
    const page = toStoredPage({ status: response.status, headers: [...response.headers], body, view: context.sharedView })
    pageCache.set(key, generation, page)
    settle(page)
    return { page, state: 'MISS' }
  } finally {
    for (const [name, value] of Object.entries(kept)) if (value !== undefined) req.headers[name] = value
    settle(null)
    // A later render of the same key may have taken the slot meanwhile: only this one's own goes.
    if (pageCache.inflight.get(key) === inflight) pageCache.inflight.delete(key)
  }
}

/** A member's copy of a shared page, or false when their own render must answer. */
async function answerMember(req: express.Request, res: express.Response, key: string) {
  const shared = await sharedRendering(req, res, key)
  if (!('page' in shared)) return false
  const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`
  // The member's own render answers whatever the copy cannot (an outage among them, with its 503).
  const copy = await memberCopy({ url, cookie: req.headers.cookie ?? '', page: shared.page }).catch((error: unknown) => {
    logger.warn({ err: error }, 'a member’s copy of a shared page failed: their own render answers')
    return null
  })
  if (!copy) return false
  res.setHeader('X-Cache', shared.state)
  res.status(shared.page.status)
  for (const [name, value] of copy.headers) {
    if (name.toLowerCase() === 'set-cookie') res.append(name, value)
    else res.setHeader(name, value)
  }
  res.end(copy.body)
  return true
}

async function answerRequest(req: express.Request, res: express.Response, next: express.NextFunction) {
  try {
    // Pages name the configured origin, never the request's host: the address alone is the key.
    const key = pageCacheKey({ method: req.method, path: req.path, url: req.originalUrl, anonymous: isAnonymousRequest(req.headers.cookie) })
    if (key && pageCache.enabled) {
      const shared = await sharedRendering(req, res, key)
      if ('page' in shared) return sendStored(req, res, shared.page, shared.state, isSecure(req))
      return await send(res, shared.response)
    }
    // A member reads the same rendering of a story, their own part added.
    const memberKey = memberPageKey({ method: req.method, path: req.path, url: req.originalUrl, sharable: mayShareRendering(req.headers.cookie) })
    if (memberKey && pageCache.enabled && (await answerMember(req, res, memberKey))) return
    if (req.method === 'GET' || req.method === 'HEAD') {
      await send(res, await handleRemix(createRemixRequest(req, res), loadContext(req, res)))
      return
    }
    // Posts take turns (see WorkQueue): readers' pages are not kept waiting behind a flood of them.
    const { token } = readSessionCookie(req.headers.cookie)
    // Members in good standing do not queue at all: this session's posts were lately accepted, or
    // its account is established and was not lately refused (a member back with a fresh session).
    const inGoodStanding = token !== null && standing.inGoodStanding(token)
    const poster = token === null || inGoodStanding ? null : await postingStandingOf(token)
    const account = poster ? `account ${poster.userId}` : null
    const answer = async () => {
      const response = await handleRemix(createRemixRequest(req, res), loadContext(req, res))
      noteAnswer(req, response, { accountId: poster?.userId ?? null, live: inGoodStanding || poster !== null })
      // A member who just wrote sees their own render of the next pages, until the shared ones have heard.
      if (token !== null && response.status < 400)
        response.headers.append('Set-Cookie', freshCookie({ https: req.secure || publicOrigin?.startsWith('https:') === true }))
      await send(res, response)
    }
    const refusedLately = (token !== null && standing.refusedLately(token)) || (account !== null && standing.refusedLately(account))
    if (inGoodStanding || (poster?.established && !refusedLately)) return await answer()
    const lane = refusedLately ? POST_LANES.refusedLately : res.locals.limited ? POST_LANES.limited : POST_LANES.other
    // A client that gives up waiting (it closed the connection) takes its post out of the queue.
    const gone = new AbortController()
    res.once('close', () => gone.abort())
    const done = await posts.run(answer, { lane, signal: gone.signal })
    if (!done && !res.headersSent) {
      res
        .status(503)
        .set({ 'Retry-After': '10', 'Cache-Control': 'no-store' })
        .type('text/plain')
        .send('The site is very busy. Please wait a few seconds, then go back and send the form again.\n')
    }
  } catch (error) {
    next(error)
  }
}

// Express 4 does not wait for a handler's promise: answerRequest passes its own errors to next().
app.all('*', (req, res, next) => void answerRequest(req, res, next))

app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
  logger.error({ err: error }, 'unhandled error')
  if (res.headersSent) return next(error)
  res.status(500).type('text/plain').send('Something went wrong on our side. Please try again.\n')
})

/** Whether the client reached the site over HTTPS (directly, through a trusted proxy, or by configuration). */
function isSecure(req: http.IncomingMessage) {
  if (publicOrigin?.startsWith('https:')) return true
  if ((req.socket as { encrypted?: boolean }).encrypted) return true
  return forwardedHeader(req, 'x-forwarded-proto') === 'https'
}

/**
 * The stored page a request may be answered from before Express, and how: a reader's (the page as
 * it is) or a member's (their copy of it); null for anything else, or anything unusual (a body,
 * another host, a draining server, a page not stored), which goes the long way. The long way would
 * only have looked for a static file of that name and passed.
 */
function storedAnswer(req: http.IncomingMessage): { page: StoredPage; url: string; member: boolean } | null {
  if (req.method !== 'GET' || shuttingDown || !pageCache.enabled) return null
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) return null
  const url = req.url ?? ''
  const path = url.split('?', 1)[0]!
  const cookie = req.headers.cookie
  const readerKey = pageCacheKey({ method: 'GET', path, url, anonymous: isAnonymousRequest(cookie) })
  const key = readerKey ?? memberPageKey({ method: 'GET', path, url, sharable: mayShareRendering(cookie) })
  const page = key === null ? undefined : pageCache.get(key)
  if (!page) return null
  if (publicHost && requestedHost(req) !== publicHost) return null
  return { page, url, member: readerKey === null }
}

/** The request's id (the proxy's, when it sent a sane one), as the request-id middleware gives it. */
function requestIdOf(req: http.IncomingMessage) {
  const offered = req.headers['x-request-id']
  return typeof offered === 'string' && /^[\w.:-]{1,100}$/.test(offered) ? offered : crypto.randomUUID()
}

function logAnswered(id: string, url: string, status: number, started: bigint) {
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  logger.info({ reqId: id, method: 'GET', path: url, status, ms: Math.round(ms * 10) / 10, cache: 'HIT' }, 'request')
}

/** A reader's request the page cache answers: the stored bytes, their headers, a request id and the log line. */
function answerHit(req: http.IncomingMessage, res: http.ServerResponse, { page, url }: { page: StoredPage; url: string }) {
  const started = process.hrtime.bigint()
  const id = requestIdOf(req)
  res.setHeader('X-Request-Id', id)
  sendStored(req, res, page, 'HIT', isSecure(req))
  logAnswered(id, url, res.statusCode, started)
}

/**
 * A member's request for a stored story page: their copy of it (app/member-page.server.tsx), with the
 * headers every response carries, compressed when asked. When the copy cannot be made, their own
 * render answers, the long way.
 */
async function answerMemberHit(req: http.IncomingMessage, res: http.ServerResponse, { page, url }: { page: StoredPage; url: string }) {
  const started = process.hrtime.bigint()
  const id = requestIdOf(req)
  const https = isSecure(req)
  const address = `${https ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}${url}`
  const copy = await requestScope
    .run({ id, memo: new Map() }, () => memberCopy({ url: address, cookie: req.headers.cookie ?? '', page }))
    .catch((error: unknown) => {
      logger.warn({ err: error }, 'a member’s copy of a shared page failed: their own render answers')
      return null
    })
  if (!copy) {
    app(req, res)
    return
  }
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
  const body = gzip ? await gzipAsync(copy.body, { level: 4 }) : copy.body
  const headers = new Map<string, [string, string | string[]]>()
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https }))) headers.set(name.toLowerCase(), [name, value])
  const cookies = copy.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value)
  for (const [name, value] of copy.headers) if (name.toLowerCase() !== 'set-cookie') headers.set(name.toLowerCase(), [name, value])
  if (cookies.length > 0) headers.set('set-cookie', ['Set-Cookie', cookies])
  headers.set('vary', ['Vary', 'Cookie, Accept-Encoding'])
  if (gzip) headers.set('content-encoding', ['Content-Encoding', 'gzip'])
  headers.set('content-length', ['Content-Length', String(body.length)])
  res.setHeader('X-Request-Id', id)
  res.setHeader('X-Cache', 'HIT')
  for (const [name, value] of headers.values()) res.setHeader(name, value)
  res.writeHead(page.status)
  res.end(body)
  logAnswered(id, url, res.statusCode, started)
}

const gzipAsync = promisify(zlib.gzip)

const server = http.createServer((req, res) => {
  const stored = storedAnswer(req)
  if (!stored) app(req, res)
  else if (stored.member) {
    answerMemberHit(req, res, stored).catch((error: unknown) => {
      logger.error({ err: error }, 'unhandled error')
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Something went wrong on our side. Please try again.\n')
    })
  } else answerHit(req, res, stored)
})
server.listen(env.PORT, env.HOST ?? '0.0.0.0', () => {
  logger.info({ url: siteOrigin(), mode: env.NODE_ENV }, 'listening')
  if (!env.PUBLIC_URL) {
    logger.warn(
      { url: siteOrigin() },
      'PUBLIC_URL is not set: links in mails and feeds point at this local address. Set PUBLIC_URL to the site’s public address (https://…).',
    )
  }
})

// Longer than any proxy keeps an idle connection (nginx upstream: 60 s), so the other side closes it:
// a request sent just as this side closed an idle connection would be reset.
server.keepAliveTimeout = 65_000
server.headersTimeout = 66_000

const DRAIN_MS = 10_000

async function shutdown(signal: NodeJS.Signals) {
  if (shuttingDown) return
  shuttingDown = true
  logger.info({ signal, eventStreams: eventStreams.size }, 'draining')
  const closed = new Promise((resolve) => server.close(resolve))
  server.closeIdleConnections()
  // Live-update streams never end on their own; their browsers reconnect, to another instance.
  for (const stream of eventStreams) stream.end()
  const deadline = setTimeout(() => server.closeAllConnections(), DRAIN_MS)
  await closed
  clearTimeout(deadline)
  await closeDatabase().catch((error: unknown) => logger.error({ err: error }, 'error while closing the database'))
  logger.info('stopped')
  process.exit(0)
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(signal))
