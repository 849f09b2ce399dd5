import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vite.config.ts'

// The vitest configuration StrykerJS runs (see stryker.config.mjs): the unit and integration tests
// of app/, each file on its own migrated database as in `npm run test:unit` (app/test/global-setup.ts
// and setup-db.ts). Left out: the page-render test (it starts a Vite dev server of its own, too slow
// to rerun per mutant and it checks pages, not the mutated rules), and the db/ and scripts/ tests,
// which do not exercise app/lib or the models.
export default defineConfig((env) =>
  mergeConfig(typeof base === 'function' ? base(env) : base, {
    test: {
      include: ['app/**/*.test.{ts,tsx}'],
      exclude: ['app/routes/article-page.test.ts', '**/node_modules/**'],
    },
  }),
)
