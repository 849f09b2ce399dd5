import crypto from 'node:crypto'
import fs from 'node:fs'
import { test as base, expect, type Page } from '@playwright/test'
import { serverLogPath } from './paths.ts'

export const PASSWORD = 'a long e2e password'

export type Account = { email: string; username: string; password: string }

/** A fresh identity: names no other test uses. */
export function newAccount(): Account {
  const id = crypto.randomBytes(5).toString('hex')
  return { email: `e2e-${id}@example.com`, username: `e2e_${id}`, password: PASSWORD }
}

/**
 * Each test appears to come from an address of its own (the e2e server trusts one proxy hop), so
 * per-IP limits apply to a test rather than to the whole run.
 */
export const test = base.extend<{ clientIp: string }>({
  clientIp: async ({}, use) => {
    const b = crypto.randomBytes(3)
    await use(`10.${b[0]}.${b[1]}.${b[2]! % 250 + 1}`)
  },
  extraHTTPHeaders: async ({ clientIp }, use) => {
    await use({ 'X-Forwarded-For': clientIp })
  },
})

export { expect }

/** Signs up through the form, as a person would; ends logged in. */
export async function signUp(page: Page, account: Account = newAccount()) {
  await page.goto('/signup')
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Username').fill(account.username)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.locator('.user-menu summary')).toContainText(account.username)
  return account
}

/** Logs in through the form and waits for the server's answer (whatever it is). */
export async function logIn(page: Page, login: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('Email or username').fill(login)
  await page.getByLabel('Password').fill(password)
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/login'))
  await page.getByRole('button', { name: 'Log in' }).click()
  await answered
}

export async function logOut(page: Page) {
  await page.locator('.user-menu summary').click()
  await page.getByRole('button', { name: 'Log out', exact: true }).click()
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible()
}

/** The newest reset link the server logged for `email` (no SMTP server in the tests). */
export async function resetLinkFor(email: string): Promise<string> {
  let link: string | undefined
  await expect
    .poll(
      () => {
        const lines = fs.existsSync(serverLogPath) ? fs.readFileSync(serverLogPath, 'utf8').split('\n') : []
        link = lines.filter((l) => l.includes(`mail to ${email}:`)).at(-1)?.match(/https?:\/\/\S+\/reset-password\/\S+/)?.[0]
        return link
      },
      { message: `a reset link for ${email} in the server log` },
    )
    .toBeTruthy()
  return link!
}
