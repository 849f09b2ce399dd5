import path from 'node:path'
import type { Plugin } from 'vite'

// Under vitest every import of the app's process-wide database (app/db.server.ts), however it is
// spelled, gets the test file's own database instead (app/test/test-database.server.ts).
export function testDatabase(standInFile = 'app/test/test-database.server.ts'): Plugin {
  const appDatabase = path.resolve('app/db.server.ts')
  const standIn = path.resolve(standInFile)
  return {
    name: 'threadline:test-database',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('db.server.ts')) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      return resolved?.id === appDatabase ? standIn : null
    },
  }
}
