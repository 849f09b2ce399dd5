import { afterAll, beforeAll, expect, it } from 'vitest'
import { env } from '#app/env.server.ts'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { openMailbox, type Mailbox } from '../../e2e/mailbox.ts'
import { backgroundSettled } from './background.server.ts'
import { requestPasswordReset } from './password-resets.server.ts'
import { putSetting } from './settings.server.ts'
import { requestSignUp } from './signups.server.ts'

// Enumeration by timing: "forgot password" and "sign up" must answer an address that has an account
// as fast as one that has none. The mail server here takes MAIL_DELAY_MS to accept each message (as a
// busy one does); if an answer waited for the lookup, a token or the mail, a known address would be
// that much slower. The bound is generous (half the delay, on medians), so a loaded machine cannot
// make it flaky; without the fix the known address is slower by the whole delay.

const MAIL_DELAY_MS = 800
const ROUNDS = 7

let mailbox: Mailbox
beforeAll(async () => {
  mailbox = await openMailbox({ acceptDelayMs: MAIL_DELAY_MS })
  ;(env as { SMTP_URL?: string }).SMTP_URL = mailbox.url
  await truncateAll()
  await putSetting('resetRequestsPerIpPerHour', 10_000)
  await putSetting('signupsPerIpPerHour', 10_000)
})
afterAll(async () => {
  await mailbox?.close()
})

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** Times `ask` for a known and an unknown address, alternated so a slow moment falls on both. */
async function timeAnswers(knownEmail: string, ask: (email: string, round: number) => Promise<void>) {
  const known: number[] = []
  const unknown: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    for (const [email, times] of [
      [knownEmail, known],
      [`nobody-${round}@example.com`, unknown],
    ] as const) {
      const started = performance.now()
      await ask(email, round)
      times.push(performance.now() - started)
    }
  }
  await backgroundSettled()
  return { known: median(known), unknown: median(unknown) }
}

const mailsTo = (test: (to: string) => boolean, subject: RegExp) => mailbox.messages.filter((m) => m.to.some(test) && subject.test(m.subject))

it('answers "forgot password" for a known and an unknown address in the same time, and mails only the known one', { timeout: 120_000 }, async () => {
  const member = await createTestUser()
  const { known, unknown } = await timeAnswers(member.email, (email) => requestPasswordReset({ email, ip: '192.0.2.1' }))
  console.info(`forgot-password answer, median of ${ROUNDS}: known ${known.toFixed(1)} ms, unknown ${unknown.toFixed(1)} ms`)
  expect(known).toBeLessThan(unknown + MAIL_DELAY_MS / 2)
  expect(mailsTo((to) => to === member.email, /Reset/)).toHaveLength(ROUNDS)
  expect(mailsTo((to) => to.startsWith('nobody-'), /Reset/)).toHaveLength(0)
})

it('answers a sign-up with a taken and a new address in the same time, and mails each what fits', { timeout: 120_000 }, async () => {
  const member = await createTestUser()
  const { known, unknown } = await timeAnswers(member.email, (email, round) =>
    requestSignUp({ email, username: `timing_${round}_${email.startsWith('nobody') ? 'new' : 'old'}`, password: 'a long new password', ip: '192.0.2.2' }),
  )
  console.info(`sign-up answer, median of ${ROUNDS}: taken ${known.toFixed(1)} ms, new ${unknown.toFixed(1)} ms`)
  expect(known).toBeLessThan(unknown + MAIL_DELAY_MS / 2)
  expect(mailsTo((to) => to === member.email, /Someone tried/)).toHaveLength(ROUNDS)
  expect(mailsTo((to) => to.startsWith('nobody-'), /Confirm your email/)).toHaveLength(ROUNDS)
})
