import { openFromEnv } from '#app/lib/open-database.server.ts'
import { DatabaseStartupError, type DatabaseHandle } from '#db/connection.server.ts'
import { migrateDatabase } from '#db/migrate.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'

export type { Database, DatabaseHandle } from '#db/connection.server.ts'

// The process-wide database: opened once from the environment, migrated, and seeded when it is a new
// embedded one. The HTTP server closes it after draining (it reaches it through the server build);
// a script that imports the app's models closes it when done. Tests put a database of their own in
// place of this module (vite.config.ts).

async function startDatabase(): Promise<DatabaseHandle> {
  let handle: DatabaseHandle | undefined
  try {
    handle = await openFromEnv()
    await migrateDatabase(handle)
    // A new embedded database is seeded so that a fresh clone has something to read.
    if (handle.created) await seedDatabase(handle.db)
    return handle
  } catch (error) {
    if (!(error instanceof DatabaseStartupError)) {
      await handle?.close().catch(() => {})
      throw error
    }
    console.error(`threadline: ${error.message}`)
    process.exit(1)
  }
}

export const database = await startDatabase()
export const db = database.db
