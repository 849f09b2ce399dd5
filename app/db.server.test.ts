import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

// Start-up as an operator meets it: real processes, real environment variables. Each one creates an
// embedded database from nothing, which takes several times longer on a machine busy with other work.
vi.setConfig({ testTimeout: 120_000 })

const tsx = path.resolve('node_modules/tsx/dist/cli.mjs')
// Their own output is what is checked here; warnings such as slow queries on a loaded machine are not.
const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'error' }
const dirs: string[] = []

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-startup-'))
  dirs.push(dir)
  return dir
}

function run(script: string, env: Record<string, string>, args: string[] = []) {
  const result = spawnSync(process.execPath, [tsx, script, ...args], {
    env: { ...baseEnv, ...env },
    encoding: 'utf8',
    timeout: 110_000,
  })
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() }
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

describe('a bad environment stops start-up with one clear line', () => {
  it.each([
    [{ DATABASE_URL: 'mysql://root@localhost/threadline' }, /^threadline: Invalid environment: DATABASE_URL must be a postgres:\/\/ URL/],
    [{ PORT: 'eighty' }, /^threadline: Invalid environment: PORT must be a whole number/],
    [{ PUBLIC_URL: 'threadline.example' }, /^threadline: Invalid environment: PUBLIC_URL must be an http\(s\) URL/],
  ])('%j', (env, expected) => {
    const { code, stderr } = run('scripts/db-migrate.ts', env)
    expect(code).toBe(1)
    expect(stderr).toMatch(expected)
    expect(stderr.split('\n')).toHaveLength(1)
  })

  it('says which server it cannot reach, without a stack trace or the password', () => {
    const { code, stderr } = run('scripts/db-migrate.ts', {
      DATABASE_URL: 'postgres://someone:s3cret@127.0.0.1:1/threadline',
    })
    expect(code).toBe(1)
    expect(stderr).toMatch(/^threadline: cannot reach the PostgreSQL server at 127\.0\.0\.1:1\/threadline \(/)
    expect(stderr).not.toContain('s3cret')
    expect(stderr.split('\n')).toHaveLength(1)
  })
})

/** What app/test/open-embedded.ts prints. */
type EmbeddedState = { driver: string; created: boolean; articles: number; chips: number; users: number; marker: number }

describe('the embedded database', () => {
  it('is created, migrated and seeded on first start, and keeps every row across a restart', () => {
    const dataDir = tempDir()
    const first = run('app/test/open-embedded.ts', { DATA_DIR: dataDir }, ['--write'])
    expect(first.stderr).toBe('')
    const firstState = JSON.parse(first.stdout) as EmbeddedState
    expect(firstState).toMatchObject({ driver: 'pglite', created: true, marker: 0 })
    expect(firstState.articles).toBeGreaterThanOrEqual(8)
    expect(firstState.chips).toBeGreaterThanOrEqual(10)

    const second = JSON.parse(run('app/test/open-embedded.ts', { DATA_DIR: dataDir }).stdout) as EmbeddedState
    expect(second).toMatchObject({
      created: false,
      articles: firstState.articles,
      chips: firstState.chips,
      users: firstState.users,
      marker: 1,
    })
  })

  it('refuses a second process while one holds the directory', async () => {
    const dataDir = tempDir()
    const holder = spawn(process.execPath, [tsx, 'app/test/open-embedded.ts', '--hold'], {
      env: { ...baseEnv, DATA_DIR: dataDir },
    })
    try {
      await new Promise<void>((resolve, reject) => {
        let out = ''
        holder.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.includes('holding')) resolve()
        })
        holder.on('exit', () => reject(new Error(`holder exited early: ${out}`)))
      })
      const second = run('scripts/db-migrate.ts', { DATA_DIR: dataDir })
      expect(second.code).toBe(1)
      expect(second.stderr).toMatch(/^threadline: the embedded database in .* is in use by process \d+/)
    } finally {
      holder.kill('SIGTERM')
      await new Promise((resolve) => holder.once('exit', resolve))
    }
    // The holder released its lock on SIGTERM, so the directory opens again.
    expect(run('scripts/db-migrate.ts', { DATA_DIR: dataDir }).code).toBe(0)
  })
})

describe('npm run user:create', () => {
  it('creates an admin from the command line, then changes its role, with the password from the environment', () => {
    const dataDir = tempDir()
    const env = { DATA_DIR: dataDir, THREADLINE_PASSWORD: 'a long admin password' }
    const created = run('scripts/user-create.ts', env, ['--email', 'Chief@Example.com', '--username', 'chief', '--role', 'admin'])
    expect(created.stderr).toBe('')
    expect(created.stdout).toContain('threadline: created chief <chief@example.com> as admin')
    const updated = run('scripts/user-create.ts', env, ['--email', 'chief@example.com', '--role', 'moderator'])
    expect(updated.stdout).toContain('threadline: updated chief <chief@example.com> as moderator')
  })

  it('refuses bad input with a message and the usage', () => {
    const dataDir = tempDir()
    const badEmail = run('scripts/user-create.ts', { DATA_DIR: dataDir, THREADLINE_PASSWORD: 'a long admin password' }, ['--email', 'not-an-email'])
    expect(badEmail.code).toBe(1)
    expect(badEmail.stderr).toMatch(/^threadline: email: Enter a valid email address/)
    expect(badEmail.stderr).toContain('usage: npm run user:create')
    const shortPassword = run('scripts/user-create.ts', { DATA_DIR: dataDir, THREADLINE_PASSWORD: 'short' }, [
      '--email',
      'ada@example.com',
      '--role',
      'admin',
    ])
    expect(shortPassword.code).toBe(1)
    expect(shortPassword.stderr).toBe('threadline: Passwords have at least 10 characters.')
  })
})
