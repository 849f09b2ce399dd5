import { afterEach, beforeEach, vi } from 'vitest'

/**
 * The mail the app sends, as a test sees it: without SMTP_URL each mail is one line in the server's
 * log (app/models/mail.server.ts), so the lines written with console.log are kept, per test.
 */
export function loggedMail() {
  let lines: string[] = []
  beforeEach(() => {
    lines = []
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)))
  })
  afterEach(() => vi.restoreAllMocks())
  return {
    /** Every mail line sent so far in this test. */
    all: () => lines.filter((line) => line.includes('mail to ')),
    /** The mail lines sent to `email`, oldest first. */
    to: (email: string) => lines.filter((line) => line.includes(`mail to ${email}:`)),
    /** The token of the last link to `path` (for example `/signup/confirm/`) sent to `email`. */
    tokenFor(email: string, path: string) {
      const escaped = path.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')
      return this.to(email)
        .at(-1)
        ?.match(new RegExp(`${escaped}([A-Za-z0-9_-]+)`))?.[1]
    },
  }
}
