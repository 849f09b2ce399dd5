import { observeQueries } from '#db/connection.server.ts'

/** Runs `work` and returns the statements it sent to the database. */
export async function recordQueries(work: () => Promise<unknown>): Promise<string[]> {
  const queries: string[] = []
  const stop = observeQueries((q) => queries.push(q))
  try {
    await work()
  } finally {
    stop()
  }
  return queries
}
