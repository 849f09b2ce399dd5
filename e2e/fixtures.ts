import crypto from 'node:crypto'
import fs from 'node:fs'
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test'
import { logPathFor, serverLogPath } from './paths.ts'

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
    await use(`10.${b[0]}.${b[1]}.${(b[2]! % 250) + 1}`)
  },
  extraHTTPHeaders: async ({ clientIp }, use) => {
    await use({ 'X-Forwarded-For': clientIp })
  },
})

export { expect }

/**
 * Signs up through the form, as a person would: the form, the link mailed to the address (read from
 * the server's log, where mail goes without SMTP), and its button. Ends logged in.
 */
export async function signUp(page: Page, account: Account = newAccount()) {
  await page.goto('/signup')
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Username').fill(account.username)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible()
  await page.goto(await signUpLinkFor(account.email, logPathFor(page.url())))
  await page.getByRole('button', { name: 'Create my account' }).click()
  await expect(page.locator('.user-menu summary')).toContainText(account.username)
  return account
}

/**
 * Signs up over HTTP as a browser without JavaScript would: the form (answered "check your inbox"),
 * then the mailed link's button, whose answer starts the session; `client` keeps its cookie.
 */
export async function signUpThrough(
  client: APIRequestContext,
  account: Account = newAccount(),
  { origin, headers = {} }: { origin?: string; headers?: Record<string, string> } = {},
) {
  const logPath = origin ? logPathFor(origin) : serverLogPath
  const form = { email: account.email, username: account.username, password: account.password }
  const asked = await client.post('/signup', { form, headers, maxRedirects: 0 })
  expect(asked.status(), await asked.text()).toBe(200)
  const confirmed = await client.post(await signUpLinkFor(account.email, logPath), { form: { confirm: '1' }, headers, maxRedirects: 0 })
  expect(confirmed.status(), await confirmed.text()).toBe(302)
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

/** The newest link to `route` that the server logging to `logPath` mailed to `email`. */
async function mailedLinkFor(email: string, route: string, logPath: string): Promise<string> {
  let link: string | undefined
  await expect
    .poll(
      () => {
        const lines = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8').split('\n') : []
        link = lines
          .filter((l) => l.includes(`mail to ${email}:`))
          .at(-1)
          ?.match(new RegExp(`https?://\\S+/${route}/\\S+`))?.[0]
        return link
      },
      { message: `a ${route} link for ${email} in ${logPath}`, timeout: 20_000 },
    )
    .toBeTruthy()
  return link!
}

/** The newest reset link the server logged for `email` (no SMTP server in the tests). */
export const resetLinkFor = (email: string, logPath = serverLogPath) => mailedLinkFor(email, 'reset-password', logPath)

/** The path of the newest sign-up link the server logged for `email`. */
export const signUpLinkFor = async (email: string, logPath = serverLogPath) => new URL(await mailedLinkFor(email, 'signup/confirm', logPath)).pathname
