import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '#db/connection.server.ts'
import { migrationsFolder } from '#db/migrate.ts'
import { databaseUrlWithName, type TestDatabaseConfig } from './database-config.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseConfig
  }
}

// Migrates once per run; each test file then starts from a copy. On the server that copy is a new
// database made from a migrated template; on PGlite it is a dumped data directory.
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL
  const runId = `${Date.now().toString(36)}${process.pid}`
  if (url) {
    const prefix = `threadline_test_${runId}_`
    const template = `${prefix}template`
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database "${template}"`)
    const handle = await openDatabase({ url: databaseUrlWithName(url, template), poolMax: 2 })
    await handle.migrate(migrationsFolder)
    await handle.close()
    project.provide('testDatabase', { kind: 'postgres', url, template, prefix })
    return async () => {
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`${prefix}%`}`
      for (const { datname } of leftovers) {
        await admin.unsafe(`drop database if exists "${datname}" with (force)`)
      }
      await admin.end()
    }
  }

  const handle = await openDatabase({ memory: true })
  await handle.migrate(migrationsFolder)
  const snapshot = await handle.snapshot!()
  await handle.close()
  const dumpPath = path.join(os.tmpdir(), `threadline-test-${runId}.tar`)
  fs.writeFileSync(dumpPath, Buffer.from(await snapshot.arrayBuffer()))
  project.provide('testDatabase', { kind: 'pglite', dumpPath })
  return () => fs.rmSync(dumpPath, { force: true })
}
