import path from 'node:path'
import type { DatabaseHandle } from './connection.server.ts'

// Resolved from the working directory: the app and its scripts run from the project root, where the
// production image keeps db/migrations too.
export const migrationsFolder = path.resolve('db/migrations')

export async function migrateDatabase(handle: DatabaseHandle) {
  await handle.migrate(migrationsFolder)
}
