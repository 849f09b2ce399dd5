// Opens the process-wide database exactly as the app does at start, reports what it holds, and
// optionally writes a row or holds the database open: for db/startup.test.ts.
import { sql } from 'drizzle-orm'
import { database } from '#app/db.server.ts'

const counts = await database.rows<{ articles: number; chips: number; users: number; marker: number }>(sql`
  select (select count(*)::int from articles) as articles,
         (select count(*)::int from chips) as chips,
         (select count(*)::int from users) as users,
         (select count(*)::int from tags where slug = 'restart-marker') as marker`)
console.log(JSON.stringify({ driver: database.driver, created: database.created, ...counts[0] }))

if (process.argv.includes('--write')) {
  await database.rows(sql`insert into tags (slug, name) values ('restart-marker', 'Written before a restart')`)
}
if (process.argv.includes('--hold')) {
  console.log('holding')
  await new Promise(() => {})
}
await database.close()
