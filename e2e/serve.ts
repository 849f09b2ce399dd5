import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { serverLogPath } from './paths.ts'

// Starts the production build for the browser tests on a database of its own: a new database on the
// server when DATABASE_URL is set (dropped afterwards), else a new embedded one in a temp directory.
// The app migrates and seeds an embedded database itself on first start; a server database is
// migrated and seeded here, through the project's own script.

const port = process.env.E2E_PORT ?? '3100'
const baseUrl = process.env.DATABASE_URL
// TRUST_PROXY lets each test present its own client address (X-Forwarded-For), so per-IP limits
// apply to a test, not to the whole run.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  PORT: port,
  HOST: '127.0.0.1',
  TRUST_PROXY: '1',
}

let cleanup = async () => {}

function run(command: string, args: string[], childEnv: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env: childEnv, stdio: 'inherit' })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))))
  })
}

if (baseUrl) {
  const name = `threadline_e2e_${Date.now().toString(36)}${process.pid}`
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  env.DATABASE_URL = url.toString()
  cleanup = async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end()
  }
  await run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/db-seed.ts'], env)
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-e2e-'))
  env.DATA_DIR = dir
  cleanup = () => fs.promises.rm(dir, { recursive: true, force: true })
}

fs.mkdirSync(path.dirname(serverLogPath), { recursive: true })
const log = fs.createWriteStream(serverLogPath)
const server = spawn(process.execPath, ['build/server.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
server.stdout.pipe(log)
server.stderr.pipe(process.stderr)

let stopping = false
async function stop(code: number) {
  if (stopping) return
  stopping = true
  server.kill('SIGTERM')
  await new Promise((resolve) => server.once('exit', resolve))
  await cleanup().catch((error: unknown) => console.error(error))
  process.exit(code)
}
server.on('exit', (code) => {
  if (!stopping) void cleanup().finally(() => process.exit(code ?? 1))
})
process.on('SIGTERM', () => void stop(0))
process.on('SIGINT', () => void stop(0))
