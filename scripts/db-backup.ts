import path from 'node:path'
import { env } from '#app/env.server.ts'
import { backupEmbedded, backupServer, BackupError, describeContents, describeServer } from './backup.ts'

// npm run db:backup -- FILE
// Backs up the database the environment names: the server (DATABASE_URL) with pg_dump's custom
// format, which may run while the site serves; else the embedded database in DATA_DIR, as a gzipped
// tarball of its data directory, which needs the app stopped (one process at a time may open it).

const usage = 'usage: npm run db:backup -- FILE   (the database is the one DATABASE_URL or DATA_DIR names)'
const file = process.argv[2]
if (!file || process.argv.length > 3 || file.startsWith('-')) {
  console.error(usage)
  process.exit(2)
}

try {
  const target = path.resolve(file)
  if (env.DATABASE_URL) {
    const { contents, versions } = await backupServer(env.DATABASE_URL, target)
    console.log(
      `threadline: backed up the PostgreSQL ${versions.serverMajor} database ${describeServer(env.DATABASE_URL)} ` +
        `(${describeContents(contents)}) to ${file} with pg_dump ${versions.toolMajor} (custom format)`,
    )
  } else {
    const { contents } = await backupEmbedded(path.resolve(env.DATA_DIR), target)
    console.log(`threadline: backed up the embedded database in ${env.DATA_DIR} (${describeContents(contents)}) to ${file}`)
  }
} catch (error) {
  console.error(`threadline: backup failed: ${error instanceof BackupError ? error.message : String(error)}`)
  process.exit(1)
}
