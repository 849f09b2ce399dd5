import path from 'node:path'
import { parseArgs } from 'node:util'
import { env } from '#app/env.server.ts'
import { backupKindOf, BackupError, describeContents, describeServer, restoreEmbedded, restoreServer } from './backup.ts'

// npm run db:restore -- FILE [--force]
// Restores a back-up made by db:backup into the database the environment names (DATABASE_URL, else
// DATA_DIR). A database that holds anything is left alone unless --force is given: then the server
// database's schemas are dropped first, and an embedded directory is moved aside (kept) and replaced.
// The app applies any newer migrations when it next starts.

const usage = 'usage: npm run db:restore -- FILE [--force]   (into the database DATABASE_URL or DATA_DIR names)'
let file: string
let force: boolean
try {
  const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true, strict: true })
  if (positionals.length !== 1) throw new Error('one back-up file, please')
  file = positionals[0]!
  force = values.force
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
  process.exit(2)
}

try {
  const source = path.resolve(file)
  const kind = backupKindOf(source)
  if (env.DATABASE_URL) {
    if (kind !== 'server') throw new BackupError(`${file} is a back-up of an embedded database; restore it with DATABASE_URL unset (into DATA_DIR)`)
    const { replaced, contents } = await restoreServer(env.DATABASE_URL, source, { force })
    console.log(
      `threadline: restored ${file} into ${describeServer(env.DATABASE_URL)}: ${describeContents(contents)}` +
        (replaced ? ` (replacing what it held: ${describeContents(replaced)})` : ' (the database was empty)'),
    )
  } else {
    if (kind !== 'embedded') throw new BackupError(`${file} is a pg_dump back-up of a server database; restore it with DATABASE_URL set`)
    const { setAside, contents } = await restoreEmbedded(path.resolve(env.DATA_DIR), source, { force })
    console.log(
      `threadline: restored ${file} into the embedded database in ${env.DATA_DIR}: ${describeContents(contents)}` +
        (setAside ? ` (the previous directory was moved to ${setAside}; remove it when you no longer need it)` : ''),
    )
  }
} catch (error) {
  console.error(`threadline: restore failed: ${error instanceof BackupError ? error.message : String(error)}`)
  process.exit(1)
}
