import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import { createRequestHandler } from '@remix-run/node'
import crypto from 'node:crypto'
import { afterAll } from 'vitest'
// Opens this test file's database (and hands it over) before the build's copy of the app asks for it.
import '#app/db.server.ts'
import type * as Runtime from '#app/server-runtime.server.ts'
import { testDatabase } from './vite-test-database.ts'

// Whole-page rendering for integration tests: the real route tree, loaders and React render, on this
// test file's database. Vitest runs without the Remix plugin, so this starts a Vite server with it
// (development mode, no HMR) and loads the server build from it, as server.ts does in development.
// That build is a module graph of its own; its app/db.server.ts is this test file's database.

let handler: Promise<(request: Request) => Promise<Response>> | undefined

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
  const { requestScope, answerDatabaseOutages } = (build.entry.module as unknown as { runtime: typeof Runtime }).runtime
  const handle = createRequestHandler(answerDatabaseOutages(build), 'production')
  return (request: Request) => {
    const context: AppLoadContext = {
      clientIp: '127.0.0.1',
      isDataRequest: new URL(request.url).pathname.endsWith('.data'),
      htmlStore: new Map(),
    }
    // As server.ts does: one scope per request, shared by its loaders.
    return requestScope.run({ id: crypto.randomUUID(), memo: new Map() }, () => handle(request, context))
  }
}

/** Sends `request` through the whole app, as the HTTP server would. */
export async function renderRequest(path: string, init: RequestInit = {}): Promise<Response> {
  handler ??= start()
  return (await handler)(new Request(new URL(path, 'http://localhost'), init))
}
