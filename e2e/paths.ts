import path from 'node:path'

/** The e2e server's log: mails are written there when no SMTP server is configured. */
export const serverLogPath = path.resolve('e2e/.data/server.log')
