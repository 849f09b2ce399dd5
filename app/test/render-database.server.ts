import { createRequire } from 'node:module'
import type { DatabaseHandle } from '#db/connection.server.ts'

export type { Database, DatabaseHandle } from '#db/connection.server.ts'

// Stands in for app/db.server.ts in the app that app/test/render.ts loads: the test file's own
// database (see database-slot.cjs).
const slot = createRequire(import.meta.url)('./database-slot.cjs') as { current?: DatabaseHandle }
if (!slot.current) throw new Error('render-database: the test file has not opened its database (import #app/db.server.ts first)')

export const database: DatabaseHandle = slot.current
export const db = database.db
