import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import morgan from 'morgan'
import { env } from '#app/env.server.ts'
import { isAllowedOrigin } from '#app/lib/csrf.ts'

// The HTTP server: static files, request logs, the cross-site check that guards every action, and
// the Remix handler. In development Vite serves the app with hot reloading.

const development = env.NODE_ENV === 'development'
const vite = development
  ? await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } }))
  : undefined

const app = express()
app.disable('x-powered-by')
// Behind a proxy, req.ip and req.protocol come from the X-Forwarded-* headers it adds.
app.set('trust proxy', env.TRUST_PROXY)
// Server-Sent Events must reach the reader as they happen, not when a compression buffer fills.
app.use(compression({ filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') && compression.filter(req, res) }))

if (vite) {
  app.use(vite.middlewares)
} else {
  // Fingerprinted by Vite: safe to cache for a year.
  app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
  app.use(express.static('build/client', { maxAge: '1h' }))
}

if (env.NODE_ENV !== 'test') app.use(morgan('tiny'))

// /chips/:slug.json is the chip's machine-readable record; Remix routes cannot share a segment
// between a parameter and an extension, so the address is mapped onto the record route.
app.get(/^\/chips\/([a-z0-9-]+)\.json$/, (req, _res, next) => {
  // The Remix adapter builds its Request from originalUrl, so both change.
  req.url = req.originalUrl = `/chips/${req.params[0]}/record.json`
  next()
})

// CSRF, in one place for every route: a state-changing request must come from this site.
const publicOrigin = env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : null
app.use((req, res, next) => {
  const siteOrigins = [`${req.protocol}://${req.get('host') ?? ''}`.toLowerCase()]
  if (publicOrigin) siteOrigins.push(publicOrigin)
  if (isAllowedOrigin({ method: req.method, origin: req.get('origin'), referer: req.get('referer'), siteOrigins })) {
    next()
    return
  }
  res
    .status(403)
    .type('text/plain')
    .send('Cross-site request refused: forms that change something must be sent from this site.\n')
})

const build = vite
  ? () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
  : // Importing the build opens, migrates and (when new and embedded) seeds the database.
    ((await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as ServerBuild)

app.all(
  '*',
  createRequestHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: (req) => ({
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      isDataRequest: req.path.endsWith('.data'),
      htmlStore: new Map<string, string>(),
    }),
  }),
)

const server = app.listen(env.PORT, env.HOST ?? '0.0.0.0', () => {
  console.log(`threadline: listening on http://${env.HOST ?? 'localhost'}:${env.PORT} (${env.NODE_ENV})`)
})

// Stop taking connections; db/client.server.ts closes the database and exits on the same signals.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close())
