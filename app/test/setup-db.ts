import crypto from 'node:crypto'
import fs from 'node:fs'
import postgres from 'postgres'
import { afterAll, inject } from 'vitest'
import { openDatabase, type DatabaseHandle } from '#db/connection.server.ts'
import { databaseUrlWithName } from './database-config.ts'

// Every test file gets a database of its own, already migrated, and puts it where
// db/client.server.ts looks first, so the app's models run against it unchanged.
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

const cache = globalThis as typeof globalThis & { __threadlineDatabase?: Promise<DatabaseHandle> }
cache.__threadlineDatabase = openTestDatabase()
await cache.__threadlineDatabase
