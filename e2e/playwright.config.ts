import fs from 'node:fs'
import { defineConfig, devices } from '@playwright/test'

const port = Number(process.env.E2E_PORT ?? 3100)
const baseURL = `http://127.0.0.1:${port}`

// Debian's Chromium when the machine has it (no browser can be downloaded here); otherwise
// Playwright's own, installed with `npx playwright install chromium`.
const systemChromium = '/usr/bin/chromium'
const launchOptions = fs.existsSync(systemChromium)
  ? {
      executablePath: systemChromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }
  : {}

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // One folder per port: runs on different ports (parallel work on one machine) keep their own traces.
  outputDir: process.env.E2E_PORT ? `../test-results/${port}` : '../test-results',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: [['list']],
  // Generous: the suite shares two cores with the server it drives and, in CI, with other work.
  timeout: 60_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions,
  },
  projects: [
    { name: 'setup', testMatch: 'global.setup.ts' },
    {
      name: 'chromium',
      dependencies: ['setup'],
      testIgnore: 'moderation-policies.spec.ts',
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    // Changes site-wide settings, so it runs alone, after everything else.
    {
      name: 'policies',
      dependencies: ['chromium'],
      testMatch: 'moderation-policies.spec.ts',
      fullyParallel: false,
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
  ],
  webServer: {
    command: 'node node_modules/tsx/dist/cli.mjs e2e/serve.ts',
    cwd: '..',
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    // serve.ts stops the app and drops its database on SIGTERM.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
