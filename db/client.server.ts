import { migrateDatabase } from './migrate.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'
import { DatabaseStartupError, openFromEnv, type DatabaseHandle } from './connection.server.ts'

export type { Database, DatabaseHandle } from './connection.server.ts'

// The process-wide database, opened once from the environment, migrated, and seeded when it is a new
// embedded one. Scripts open their own through connection.server.ts instead of importing this module.
async function startDatabase(): Promise<DatabaseHandle> {
  let handle: DatabaseHandle | undefined
  try {
    handle = await openFromEnv()
    await migrateDatabase(handle)
    // A new embedded database is seeded so that a fresh clone has something to read.
    if (handle.created) await seedDatabase(handle.db)
  } catch (error) {
    if (!(error instanceof DatabaseStartupError)) {
      await handle?.close().catch(() => {})
      throw error
    }
    console.error(`threadline: ${error.message}`)
    process.exit(1)
  }
  const opened = handle
  // server.ts drains requests before it closes the database itself; anything else that holds the
  // database (remix-serve, a script) closes it and exits on the signal.
  const managed = (globalThis as { __threadlineManagedShutdown?: boolean }).__threadlineManagedShutdown
  for (const signal of managed ? [] : (['SIGTERM', 'SIGINT'] as const)) {
    process.once(signal, () => {
      opened
        .close()
        .catch((error: unknown) => console.error('threadline: error while closing the database', error))
        .finally(() => process.exit(0))
    })
  }
  return opened
}

// Cached on globalThis: dev reloads must not open a second copy, and tests put their own here.
const cache = globalThis as typeof globalThis & { __threadlineDatabase?: Promise<DatabaseHandle> }
export const database = await (cache.__threadlineDatabase ??= startDatabase())
export const db = database.db
