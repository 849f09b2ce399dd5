import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

// A real SMTP server on loopback that keeps every message it is sent, for specs that read the app's
// mail as a member's inbox would receive it (the app talks to it through SMTP_URL, with nodemailer).

export type ReceivedMail = { to: string[]; from: string; subject: string; text: string; html: string }

export type Mailbox = {
  url: string
  messages: ReceivedMail[]
  /** Waits for a message to `to` whose subject matches, and returns the newest such. */
  waitFor(to: string, subject?: RegExp, timeoutMs?: number): Promise<ReceivedMail>
  close(): Promise<void>
}

/** `acceptDelayMs` makes the server take that long to accept each message, as a busy mail host does. */
export async function openMailbox({ acceptDelayMs = 0 } = {}): Promise<Mailbox> {
  const messages: ReceivedMail[] = []
  const server = new SMTPServer({
    // Plain SMTP on loopback: no TLS upgrade to negotiate, no log-in.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          })
          setTimeout(() => callback(), acceptDelayMs)
        })
        .catch((error: Error) => callback(error))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, subject, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = messages.filter((m) => m.to.includes(to.toLowerCase()) && (!subject || subject.test(m.subject))).at(-1)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`no mail to ${to}${subject ? ` matching ${subject}` : ''} within ${timeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
