import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import { createRequestHandler } from '@remix-run/node'
import crypto from 'node:crypto'
import { afterAll } from 'vitest'
// Opens this test file's database (and hands it over) before the build's copy of the app asks for it.
import '#app/db.server.ts'
import type * as Runtime from '#app/server-runtime.server.ts'
import type { StoredPage } from '#app/lib/page-cache.server.ts'
import { testDatabase } from './vite-test-database.ts'

// Whole-page rendering for integration tests: the real route tree, loaders and React render, on this
// test file's database. Vitest runs without the Remix plugin, so this starts a Vite server with it
// (development mode, no HMR) and loads the server build from it, as server.ts does in development.
// That build is a module graph of its own; its app/db.server.ts is this test file's database.

type Handler = (request: Request, options?: { shared?: boolean }) => Promise<{ response: Response; context: AppLoadContext }>
let handler: Promise<{ handle: Handler; runtime: typeof Runtime }> | undefined

async function start() {
  const { createServer } = await import('vite')
  const vite = await createServer({
    configFile: 'vite.config.ts',
    mode: 'development',
    server: { middlewareMode: true, hmr: false },
    appType: 'custom',
    logLevel: 'error',
    plugins: [testDatabase('app/test/render-database.server.ts')],
  })
  afterAll(() => vite.close())
  const build = (await vite.ssrLoadModule('virtual:remix/server-build')) as ServerBuild
  const runtime = (build.entry.module as unknown as { runtime: typeof Runtime }).runtime
  const handleRemix = createRequestHandler(runtime.answerDatabaseOutages(build), 'production')
  const handle: Handler = async (request, { shared = false } = {}) => {
    const context: AppLoadContext = {
      clientIp: '127.0.0.1',
      isDataRequest: new URL(request.url).pathname.endsWith('.data'),
      htmlStore: new Map(),
      sharedRender: shared || undefined,
    }
    // As server.ts does: one scope per request, shared by its loaders.
    const response = await runtime.requestScope.run({ id: crypto.randomUUID(), memo: new Map() }, () => handleRemix(request, context))
    return { response, context }
  }
  return { handle, runtime }
}

/** Sends `request` through the whole app, as the HTTP server would. */
export async function renderRequest(path: string, init: RequestInit = {}): Promise<Response> {
  handler ??= start()
  return (await (await handler).handle(new Request(new URL(path, 'http://localhost'), init))).response
}

/** The page at `path` rendered once for everyone, stored as server.ts's page cache stores it. */
export async function renderSharedPage(path: string): Promise<StoredPage> {
  handler ??= start()
  const { handle, runtime } = await handler
  const { response, context } = await handle(new Request(new URL(path, 'http://localhost')), { shared: true })
  const body = Buffer.from(await response.arrayBuffer())
  return runtime.toStoredPage({ status: response.status, headers: [...response.headers], body, view: context.sharedView })
}

/** A member's copy of a stored shared page, as server.ts answers them (null: their own render is needed). */
export async function renderMemberCopy(path: string, cookie: string, page: StoredPage) {
  handler ??= start()
  const { runtime } = await handler
  return runtime.requestScope.run({ id: crypto.randomUUID(), memo: new Map() }, () =>
    runtime.memberCopy({ url: new URL(path, 'http://localhost').href, cookie, page }),
  )
}
