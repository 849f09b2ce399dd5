import { openFromEnv } from '#app/lib/open-database.server.ts'
import { DatabaseStartupError } from '#db/connection.server.ts'
import { migrateDatabase } from '#db/migrate.ts'
import { seedDatabase } from '#app/seed/seed.server.ts'

// `npm run db:seed`: migrates, then adds whatever demo content is missing.
async function main() {
  const handle = await openFromEnv()
  try {
    await migrateDatabase(handle)
    const added = await seedDatabase(handle.db)
    console.log(
      `threadline: seeded (${handle.driver}): added ${added.articles} articles, ${added.chips} chips, ` +
        `${added.tags} tags, ${added.users} demo accounts`,
    )
  } finally {
    await handle.close()
  }
}

main().catch((error: unknown) => {
  console.error(`threadline: ${error instanceof DatabaseStartupError ? error.message : String(error)}`)
  process.exit(1)
})
