import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'

// The production server as an operator runs it: a fresh embedded database is created, migrated and
// seeded on first start; SIGTERM closes the database and exits promptly, releasing the directory.

test('the production server starts on a fresh embedded database and stops cleanly on SIGTERM', async () => {
  test.setTimeout(90_000)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-lifecycle-'))
  const port = 3190 + test.info().workerIndex
  const server = spawn(process.execPath, ['build/server.js'], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  // What the server said on stderr, and how it ended (an exit code, or the signal that ended it), for
  // the failure message.
  let stderr = ''
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = new Promise<string>((resolve) => server.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`)))
  try {
    const started = Date.now()
    let status = 0
    while (Date.now() - started < 60_000) {
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      )
      if (status === 200) break
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(status).toBe(200)
    const home = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())
    expect(home).toContain('A Field Guide to AI Accelerators and Their Export Status')
    expect(fs.existsSync(path.join(dataDir, 'threadline.pid'))).toBe(true)

    const stopping = Date.now()
    server.kill('SIGTERM')
    expect(await exited, stderr.slice(-2000)).toBe('exit code 0')
    expect(Date.now() - stopping).toBeLessThan(10_000)
    expect(fs.existsSync(path.join(dataDir, 'threadline.pid'))).toBe(false)
  } finally {
    server.kill('SIGKILL')
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
