import { env } from '#app/env.server.ts'
import { logger } from '#app/lib/logger.server.ts'
import { openDatabase, type DatabaseHandle } from '#db/connection.server.ts'

/** Slow statements are logged with their SQL, never their parameters (which may be a reader's words). */
function logSlowStatement(sql: string, ms: number) {
  if (ms < env.SLOW_QUERY_MS) return
  // Long statements (bulk inserts) are cut: the start says which one it was.
  logger.warn({ ms: Math.round(ms), sql: sql.length > 500 ? `${sql.slice(0, 500)}…` : sql }, 'slow query')
}

/**
 * Opens the database the environment names: the server when DATABASE_URL is set, else PGlite in
 * DATA_DIR. The app holds one for the whole process (app/db.server.ts); scripts open their own.
 */
export function openFromEnv(): Promise<DatabaseHandle> {
  return env.DATABASE_URL
    ? openDatabase({ url: env.DATABASE_URL, poolMax: env.DB_POOL_MAX, onStatement: logSlowStatement })
    : openDatabase({ dataDir: env.DATA_DIR, onStatement: logSlowStatement })
}
