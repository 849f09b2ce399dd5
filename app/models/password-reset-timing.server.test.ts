import { afterAll, beforeAll, expect, it } from 'vitest'
import { env } from '#app/env.server.ts'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { openMailbox, type Mailbox } from '../../e2e/mailbox.ts'
import { requestPasswordReset } from './password-resets.server.ts'
import { putSetting } from './settings.server.ts'

// Enumeration by timing: "forgot password" must answer a known address as fast as an unknown one.
// The mail server here takes MAIL_DELAY_MS to accept each message (as a busy one does); if the
// answer waited for the lookup, the token or the mail, a known address would be that much slower.
// The bound is generous (half the delay, on medians), so a loaded machine cannot make it flaky.

const MAIL_DELAY_MS = 800
const ROUNDS = 7

let mailbox: Mailbox
beforeAll(async () => {
  mailbox = await openMailbox({ acceptDelayMs: MAIL_DELAY_MS })
  ;(env as { SMTP_URL?: string }).SMTP_URL = mailbox.url
  await truncateAll()
  await putSetting('resetRequestsPerIpPerHour', 10_000)
})
afterAll(async () => {
  await mailbox?.close()
})

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

it('answers a known and an unknown address in the same time, and mails only the known one', { timeout: 120_000 }, async () => {
  const member = await createTestUser()
  const known: number[] = []
  const unknown: number[] = []
  const deliveries: Promise<void>[] = []
  for (let round = 0; round < ROUNDS; round++) {
    // Alternated, so a slow moment of the machine falls on both.
    for (const [email, times] of [
      [member.email, known],
      [`nobody-${round}@example.com`, unknown],
    ] as const) {
      const started = performance.now()
      const { delivered } = await requestPasswordReset({ email, ip: '192.0.2.1' })
      times.push(performance.now() - started)
      deliveries.push(delivered)
    }
  }
  await Promise.all(deliveries)
  console.info(`forgot-password answer, median of ${ROUNDS}: known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`)
  expect(median(known)).toBeLessThan(median(unknown) + MAIL_DELAY_MS / 2)
  expect(mailbox.messages.filter((m) => m.to.includes(member.email))).toHaveLength(ROUNDS)
  expect(mailbox.messages.filter((m) => m.to.some((to) => to.startsWith('nobody-')))).toHaveLength(0)
})
