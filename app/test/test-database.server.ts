import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import postgres from 'postgres'
import { afterAll, inject } from 'vitest'
import { openDatabase, type DatabaseHandle } from '#db/connection.server.ts'
import { databaseUrlWithName } from './database-config.ts'

export type { Database, DatabaseHandle } from '#db/connection.server.ts'

// Under vitest this module stands in for app/db.server.ts (vite.config.ts): a test file that reaches
// the database, through the app's models or directly, gets a database of its own, already migrated,
// and dropped when the file is done.
const config = inject('testDatabase')

async function openTestDatabase(): Promise<DatabaseHandle> {
  if (config.kind === 'pglite') {
    const dump = new Blob([fs.readFileSync(config.dumpPath)])
    const handle = await openDatabase({ memory: true, loadDataDir: dump })
    afterAll(() => handle.close())
    return handle
  }
  const name = `${config.prefix}${crypto.randomBytes(6).toString('hex')}`
  const admin = postgres(config.url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}" template "${config.template}"`)
  const handle = await openDatabase({ url: databaseUrlWithName(config.url, name), poolMax: 5 })
  afterAll(async () => {
    await handle.close()
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end()
  })
  return handle
}

export const database = await openTestDatabase()
export const db = database.db

const slot = createRequire(import.meta.url)('./database-slot.cjs') as { current?: DatabaseHandle }
slot.current = database
