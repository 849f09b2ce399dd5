import { openFromEnv } from '#app/lib/open-database.server.ts'
import { DatabaseStartupError } from '#db/connection.server.ts'
import { migrateDatabase } from '#db/migrate.ts'

// npm run db:migrate: applies the migrations to the database the environment names, then exits.

try {
  const handle = await openFromEnv()
  try {
    await migrateDatabase(handle)
    console.log(`threadline: migrations applied (${handle.driver})`)
  } finally {
    await handle.close()
  }
} catch (error) {
  console.error(`threadline: ${error instanceof DatabaseStartupError ? error.message : String(error)}`)
  process.exit(1)
}
