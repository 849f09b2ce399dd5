import { DrizzleQueryError } from 'drizzle-orm/errors'
import { describe, expect, it } from 'vitest'
import { DomainError } from './domain-errors.ts'
import { DatabaseUnavailableError, isConnectionFailure } from '#db/connection.server.ts'
import type { ServerBuild } from '@remix-run/node'
import { answerDatabaseOutages, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseOutage, OUTAGE_RETRY_AFTER_SECONDS } from './database-outage.server.ts'
import { domainFailure } from './forms.server.ts'

// The database layer and the forms agree on what an outage is; e2e/db-faults.spec.ts shows the
// pages, with a real server taken away.

const driverError = (code: string) => Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code })
const wrapped = (code: string) => new DrizzleQueryError('select 1', [], driverError(code))

describe('isConnectionFailure', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P03', '08006', '08001'])(
    'recognises %s, bare or wrapped by Drizzle',
    (code) => {
      expect(isConnectionFailure(driverError(code))).toBe(true)
      expect(isConnectionFailure(wrapped(code))).toBe(true)
    },
  )

  it.each(['23505', '22P02', '40001', '42P01'])('leaves %s (a statement’s own failure) alone', (code) => {
    expect(isConnectionFailure(wrapped(code))).toBe(false)
  })

  it('knows its own error, and nothing else', () => {
    expect(isConnectionFailure(new DatabaseUnavailableError('gone'))).toBe(true)
    expect(isConnectionFailure(new Error('ECONNREFUSED in a message is not a code'))).toBe(false)
    expect(isConnectionFailure(null)).toBe(false)
    expect(isConnectionFailure('CONNECTION_CLOSED')).toBe(false)
  })
})

describe('domainFailure during an outage', () => {
  it('throws the outage on, for the error page to answer with the form (a 503 kept in the form would be revalidated away)', () => {
    const form = new FormData()
    form.set('intent', 'comment')
    form.set('body', 'What I wrote')
    const outage = wrapped('ECONNREFUSED')
    expect(() => domainFailure(outage, form)).toThrow(outage)
  })

  it('still rethrows what is neither an outage nor a domain refusal', () => {
    expect(() => domainFailure(wrapped('23505'), new FormData())).toThrow(DrizzleQueryError)
    expect(isDatabaseOutage(new DomainError('not-found', 'gone'))).toBe(false)
  })
})

describe('answerDatabaseOutages', () => {
  const route = (loader: () => unknown) =>
    ({ routes: { page: { id: 'page', path: 'page', module: { loader, action: loader, default: () => null } } } }) as unknown as ServerBuild
  const call = (build: ServerBuild, kind: 'loader' | 'action') =>
    Promise.resolve()
      .then(() => (build.routes.page!.module[kind] as unknown as (args: unknown) => unknown)({}))
      .then(
        () => null,
        (error: unknown) => error,
      )

  it('answers an outage met in a loader or an action with the 503 the error pages show', async () => {
    const build = answerDatabaseOutages(route(() => Promise.reject(wrapped('CONNECTION_CLOSED'))))
    for (const kind of ['loader', 'action'] as const) {
      const thrown = (await call(build, kind)) as { data: { message: string }; init: { status: number; headers: Record<string, string> } }
      expect(thrown.init.status).toBe(503)
      expect(thrown.init.headers['Retry-After']).toBe(String(OUTAGE_RETRY_AFTER_SECONDS))
      expect(thrown.data.message).toBe(DATABASE_UNAVAILABLE_MESSAGE)
      expect(isDatabaseOutage(thrown)).toBe(true)
    }
    await expect(call(answerDatabaseOutages(route(() => Promise.reject(new DatabaseUnavailableError('gone')))), 'loader')).resolves.toMatchObject({
      init: { status: 503 },
    })
  })

  it('passes every other error, thrown answer and result on as it is, and wraps a build once', async () => {
    const other = wrapped('23505')
    expect(await call(answerDatabaseOutages(route(() => Promise.reject(other))), 'loader')).toBe(other)
    const notFound = new Response(null, { status: 404 })
    expect(
      await call(
        answerDatabaseOutages(
          route(() => {
            throw notFound
          }),
        ),
        'action',
      ),
    ).toBe(notFound)
    const build = route(() => ({ ok: true }))
    const answered = answerDatabaseOutages(build)
    expect(answerDatabaseOutages(build)).toBe(answered)
    await expect((answered.routes.page!.module.loader as unknown as (args: unknown) => Promise<unknown>)({})).resolves.toEqual({ ok: true })
    expect(answered.routes.page!.module.default).toBe(build.routes.page!.module.default)
  })
})
