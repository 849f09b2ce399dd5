import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { DatabaseStartupError, openFromEnv, type DatabaseHandle } from './connection.server.ts'

// Resolved from the working directory: the app and its scripts run from the project root, where the
// production image keeps db/migrations too.
export const migrationsFolder = path.resolve('db/migrations')

export async function migrateDatabase(handle: DatabaseHandle) {
  await handle.migrate(migrationsFolder)
}

async function main() {
  const handle = await openFromEnv()
  try {
    await migrateDatabase(handle)
    console.log(`threadline: migrations applied (${handle.driver})`)
  } finally {
    await handle.close()
  }
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  main().catch((error: unknown) => {
    console.error(`threadline: ${error instanceof DatabaseStartupError ? error.message : String(error)}`)
    process.exit(1)
  })
}
