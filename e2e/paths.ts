import path from 'node:path'

/**
 * The e2e server's log: mails are written there when no SMTP server is configured. One per port, so
 * runs on different ports (E2E_PORT) on one machine read their own mail.
 */
export const serverLogPath = path.resolve(`e2e/.data/server-${process.env.E2E_PORT ?? '3100'}.log`)
