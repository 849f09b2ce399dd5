import { defineConfig } from 'vitest/config'
import { testDatabase } from './app/test/vite-test-database.ts'

// The vitest configuration StrykerJS runs (see stryker.config.mjs), in two projects so a mutant is
// tested quickly. "unit": the tests of app/lib's pure functions, with no database, so rerunning one
// costs milliseconds. "db": the tests that reach the models, each file on its own migrated database
// as in `npm run test:unit` (app/test/global-setup.ts, vite-test-database.ts). Left out: the page-render
// test (it starts a Vite dev server, too slow to rerun per mutant), the start-up test (it runs whole
// processes) and the db/ and scripts/ tests, which do not exercise the mutated files.
const databaseFree = [
  'auto-moderation',
  'chip-compare',
  'chip-mentions',
  'comment-tree',
  'csrf',
  'discussion-codec',
  'domain-errors',
  'format',
  'ip-area.server',
  'markdown',
  'markdown.corpus',
  'markdown.xss',
  'page-cache.server',
  'plain-text-import',
  'relative-time',
  'safe-redirect',
  'session-cookie',
  'table-cache.server',
  'user-agent',
].map((name) => `app/lib/${name}.test.ts`)
// The rules tests added for mutation testing (app/lib/*.rules.test.ts) need no database either.
databaseFree.push('app/lib/*.rules.test.ts')

const shared = { pool: 'forks' as const, testTimeout: 30_000, hookTimeout: 60_000 }

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'unit', include: databaseFree } },
      {
        plugins: [testDatabase()],
        test: {
          ...shared,
          name: 'db',
          include: ['app/**/*.test.{ts,tsx}'],
          exclude: [...databaseFree, 'app/routes/article-page.test.ts', 'app/db.server.test.ts', '**/node_modules/**'],
          globalSetup: ['./app/test/global-setup.ts'],
        },
      },
    ],
  },
})
