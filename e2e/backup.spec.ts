import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { request, type APIRequestContext } from '@playwright/test'
import postgres from 'postgres'
import { expect, newAccount, test } from './fixtures.ts'
import { createSpecDatabase, embeddedDataDir, startInstance, type Instance } from './instances.ts'

// Back-ups that restore: content made on one instance (an account, a comment on a seeded article) is
// backed up with `npm run db:backup`, restored with `npm run db:restore` into a new, empty database,
// and a new instance started on the restored copy serves the same article, discussion and account.
// On whichever database the suite runs on: the server (pg_dump/pg_restore) or the embedded one (its
// data directory). The suite's own server (baseURL) is not used.

const root = fileURLToPath(new URL('..', import.meta.url))
// Beside the suite's own port, so that two runs on one machine (each with its own E2E_PORT) do not meet.
const SOURCE_PORT = Number(process.env.E2E_PORT ?? 3100) + 310
const RESTORED_PORT = SOURCE_PORT + 1
const slug = 'h20-market-specific-variant'

test.describe.configure({ mode: 'serial' })

/** Runs one of the project's scripts as an operator would (`npm run X -- …` runs the same file). */
function runScript(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = ''
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('close', (code) => resolve({ code, output }))
  })
}

/** A new database with nothing in it: a new database on the server, or a new empty directory. */
async function emptyDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const { dir, drop } = embeddedDataDir()
    return { env: { DATABASE_URL: '', DATA_DIR: dir }, drop }
  }
  const name = `threadline_restore_${Date.now().toString(36)}${process.pid}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`)
      await admin.end()
    },
  }
}

/** A database to make content in: the server's seeded copy, or an embedded directory the first script run creates and seeds. */
async function sourceDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return createSpecDatabase()
  const { dir, drop } = embeddedDataDir()
  return { env: { DATABASE_URL: '', DATA_DIR: dir }, drop }
}

async function clientOf(instance: Instance): Promise<APIRequestContext> {
  return request.newContext({ baseURL: instance.url, extraHTTPHeaders: { Origin: instance.url, 'X-Forwarded-For': '10.77.0.1' } })
}

async function logIn(client: APIRequestContext, login: string, password: string) {
  const response = await client.post('/login', { form: { login, password }, maxRedirects: 0 })
  expect(response.status(), `log in as ${login}`).toBe(302)
}

test('a backup restored into a new database serves the same article, discussion and account', async () => {
  test.setTimeout(360_000)
  const cleanups: (() => Promise<void>)[] = []
  try {
    const source = await sourceDatabase()
    cleanups.push(source.drop)

    // An account made the way an operator makes one (on the embedded database this run also creates,
    // migrates and seeds the directory).
    const account = newAccount()
    const created = await runScript(['scripts/user-create.ts', '--email', account.email, '--username', account.username], {
      ...source.env,
      THREADLINE_PASSWORD: account.password,
    })
    expect(created.code, created.output).toBe(0)

    const original = await startInstance({ port: SOURCE_PORT, env: source.env })
    cleanups.push(original.stop)
    const admin = await clientOf(original)
    cleanups.push(() => admin.dispose())
    await logIn(admin, 'admin', 'threadline-demo')
    const words = `Kept through a backup and a restore, ${Date.now().toString(36)}.`
    const posted = await admin.post(`/articles/${slug}`, { form: { intent: 'comment', body: words }, maxRedirects: 0 })
    expect(posted.status(), await posted.text()).toBe(302)
    const before = await (await clientOf(original)).get(`/articles/${slug}`)
    expect(await before.text()).toContain(words)

    // The server's copy is taken while the site serves; an embedded database is opened by one
    // process at a time, so its instance stops first.
    const dir = fs.mkdtempSync(path.join(root, 'e2e/.data/backup-'))
    cleanups.push(() => fs.promises.rm(dir, { recursive: true, force: true }))
    const file = path.join(dir, 'threadline.backup')
    if (!process.env.DATABASE_URL) await original.stop()
    const backup = await runScript(['scripts/db-backup.ts', file], source.env)
    expect(backup.code, backup.output).toBe(0)
    expect(backup.output).toMatch(/backed up the .* database .*\d+ articles, \d+ comments, \d+ accounts/)
    await original.stop()

    const target = await emptyDatabase()
    cleanups.push(target.drop)
    const restore = await runScript(['scripts/db-restore.ts', file], target.env)
    expect(restore.code, restore.output).toBe(0)
    expect(restore.output).toMatch(/restored .* \d+ articles, [1-9]\d* comments, \d+ accounts/)

    // A database that now holds something is not overwritten unless the operator says so.
    const again = await runScript(['scripts/db-restore.ts', file], target.env)
    expect(again.code, again.output).toBe(1)
    expect(again.output).toContain('is not empty')
    expect(again.output).toContain('--force')

    const restored = await startInstance({ port: RESTORED_PORT, env: target.env })
    cleanups.push(restored.stop)
    const reader = await clientOf(restored)
    cleanups.push(() => reader.dispose())
    const article = await reader.get(`/articles/${slug}`)
    expect(article.status()).toBe(200)
    const html = await article.text()
    expect(html, 'the same article').toContain((await before.text()).match(/<h1[^>]*>(.*?)<\/h1>/s)![1]!)
    expect(html, 'its discussion, with the comment').toContain(words)

    const member = await clientOf(restored)
    cleanups.push(() => member.dispose())
    await logIn(member, account.username, account.password)
    const page = await member.get('/account')
    expect(page.status()).toBe(200)
    expect(await page.text()).toContain(account.username)
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error))
  }
})
