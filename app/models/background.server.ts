import { logger } from '#app/lib/logger.server.ts'

const running = new Set<Promise<void>>()

/**
 * Runs `work` after the current request has its answer, so what the answer reveals cannot depend on
 * how long the work took (a known address must not answer slower than an unknown one). A failure is
 * logged, never thrown at the request that started it.
 */
export function afterResponse(task: string, work: () => Promise<void>): void {
  const run: Promise<void> = Promise.resolve()
    .then(work)
    .catch((error: unknown) => logger.error({ err: error, task }, 'background work failed'))
    .finally(() => running.delete(run))
  running.add(run)
}

/** Resolves once every piece of work started so far has finished (tests, and a graceful stop). */
export async function backgroundSettled(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running])
}
