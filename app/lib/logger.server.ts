import { AsyncLocalStorage } from 'node:async_hooks'
import pino, { type Logger } from 'pino'

// One JSON line per event on stdout, for whatever collects the logs. Lines written while a request is
// being served carry its id (the same X-Request-Id the response carries), so a slow query or an error
// can be traced to the request that caused it.

export type RequestScope = {
  id: string
  /** Work that several loaders of one request share (the session check), done once. */
  memo: Map<string, Promise<unknown>>
}

export const requestScope = new AsyncLocalStorage<RequestScope>()

function level() {
  const wanted = process.env.LOG_LEVEL
  if (wanted && ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(wanted)) return wanted
  return process.env.NODE_ENV === 'test' ? 'silent' : 'info'
}

export const logger: Logger = pino({
  base: { app: 'threadline' },
  level: level(),
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin: () => {
    const scope = requestScope.getStore()
    return scope ? { reqId: scope.id } : {}
  },
})

/** `compute()` once per request for `key`; outside a request, every time. */
export function oncePerRequest<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const scope = requestScope.getStore()
  if (!scope) return compute()
  let value = scope.memo.get(key) as Promise<T> | undefined
  if (!value) {
    value = compute()
    scope.memo.set(key, value)
  }
  return value
}
