import path from 'node:path'

/**
 * The e2e server's log: mails are written there when no SMTP server is configured. One per port, so
 * runs on different ports (E2E_PORT) on one machine read their own mail.
 */
export const serverLogPath = path.resolve(`e2e/.data/server-${process.env.E2E_PORT ?? '3100'}.log`)

/** The log of an instance a spec starts itself (e2e/instances.ts), where its mails are written. */
export const instanceLogPath = (port: number) => path.resolve(`e2e/.data/instance-${port}.log`)

/** The log holding the mail of the server at `origin`: the suite's own, or an instance a spec started. */
export function logPathFor(origin: string): string {
  const port = Number(new URL(origin).port)
  return port === Number(process.env.E2E_PORT ?? '3100') ? serverLogPath : instanceLogPath(port)
}
