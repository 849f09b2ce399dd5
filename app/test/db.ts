import { sql } from 'drizzle-orm'
import { database } from '#app/db.server.ts'

/** Empties every table of this test file's database, so each test starts from nothing. */
export async function truncateAll() {
  const tables = await database.rows<{ name: string }>(sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`)
  if (tables.length === 0) return
  await database.db.execute(sql.raw(`truncate ${tables.map((t) => t.name).join(', ')} restart identity cascade`))
}
