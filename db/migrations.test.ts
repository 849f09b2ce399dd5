import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { databaseUrlWithName } from '#app/test/database-config.ts'
import { openDatabase, type DatabaseHandle } from './connection.server.ts'
import { migrationsFolder } from './migrate.ts'

// Migrations that change rows, tried on a database holding rows of the shape they meet in the field:
// the database is migrated up to just before the migration, given rows, then migrated to the end.

const config = inject('testDatabase')
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

/** A new, empty database of the kind the tests run on. */
async function emptyDatabase(): Promise<DatabaseHandle> {
  if (config.kind === 'pglite') {
    const handle = await openDatabase({ memory: true })
    cleanups.push(() => handle.close())
    return handle
  }
  const name = `${config.prefix}migrations_${crypto.randomBytes(4).toString('hex')}`
  const admin = postgres(config.url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const handle = await openDatabase({ url: databaseUrlWithName(config.url, name), poolMax: 2 })
  cleanups.push(async () => {
    await handle.close()
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end()
  })
  return handle
}

/** A copy of db/migrations that stops before the migration tagged `tag`. */
function migrationsBefore(tag: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-migrations-'))
  cleanups.push(() => fs.promises.rm(dir, { recursive: true, force: true }))
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[]
  }
  const until = journal.entries.findIndex((e) => e.tag === tag)
  expect(until, `migration ${tag}`).toBeGreaterThan(0)
  fs.mkdirSync(path.join(dir, 'meta'))
  const entries = journal.entries.slice(0, until)
  for (const entry of entries) fs.copyFileSync(path.join(migrationsFolder, `${entry.tag}.sql`), path.join(dir, `${entry.tag}.sql`))
  fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }))
  return dir
}

describe('0009: sessions are stored by the hash of their token', () => {
  it('keeps every member logged in, and leaves no token in the table', async () => {
    const handle = await emptyDatabase()
    await handle.migrate(migrationsBefore('0009_session_token_hashes'))
    // Before: the browser's token was the row's id.
    const tokens = ['aaaabbbbccccddddeeeeffffgggghhhhiiiijjjj', crypto.randomBytes(20).toString('hex')]
    await handle.rows(sql`insert into users (id, email, username, display_name) values ('u1', 'u1@example.com', 'u1', 'U1')`)
    for (const token of tokens) {
      await handle.rows(sql`insert into sessions (id, user_id, expires_at) values (${token}, 'u1', now() + interval '1 day')`)
    }
    await handle.migrate(migrationsFolder)
    const rows = await handle.rows<{ id: string; public_id: string }>(sql`select id, public_id::text from sessions order by id`)
    const hashes = tokens.map((t) => crypto.createHash('sha256').update(t).digest('hex')).sort()
    expect(rows.map((r) => r.id)).toEqual(hashes)
    expect(new Set(rows.map((r) => r.public_id)).size).toBe(2)
    for (const token of tokens) expect(JSON.stringify(rows)).not.toContain(token)
  })
})
