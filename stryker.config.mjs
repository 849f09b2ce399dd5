// @ts-check
// Mutation testing of app/lib (`npm run test:mutation:lib`; `npm run test:mutation` runs this and
// stryker.models.config.mjs; neither is part of `npm test`). StrykerJS changes the code one small
// mutation at a time and checks that some test fails for each. See README "Mutation testing".
//
// app/lib's mutants are tested by app/lib's own unit tests, which need no database, so each mutant
// costs milliseconds rather than the seconds a test file on a database costs to start: a module's
// rules must be pinned by its own tests, not only by the integration tests that happen to use it.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  testFiles: ['app/lib/*.test.ts', '!app/lib/database-outage.server.test.ts', '!app/lib/feed-response.server.test.ts'],
  coverageAnalysis: 'perTest',
  // A static mutant (in code run when a module loads: a module-level table or pattern) can only be
  // tested by rerunning every test of every file that imports the module. They are reported as
  // ignored, not counted in the score; the module-level rules (the sanitiser's allow-lists, escaping
  // tables, patterns) are guarded by the generated hostile-input, XSS, corpus and feed tests.
  ignoreStatic: true,
  // Reruns test only the mutants in code or tests changed since the committed incremental file.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental-lib.json',
  // A 2-core machine: one vitest per core.
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  mutate: [
    'app/lib/**/*.ts',
    '!app/lib/**/*.test.ts',
    // Pure type or constants: nothing to mutate that a test could meaningfully pin.
    '!app/lib/article-limits.ts',
    '!app/lib/chip-figures.ts',
    '!app/lib/comment-view.ts',
    '!app/lib/dom-ids.ts',
    '!app/lib/search-markers.ts',
    '!app/lib/roles.ts',
    // Page glue without unit tests, checked by the page-render test and the e2e specs: head tags
    // (seo.ts) and the HTML shipped once with route data (html-store.server.ts).
    '!app/lib/seo.ts',
    '!app/lib/html-store.server.ts',
    // Logging, and the database-outage plumbing, which is tested against a stopped database server
    // (database-outage.server.test.ts) and not by app/lib's unit tests.
    '!app/lib/logger.server.ts',
    '!app/lib/database-outage.server.ts',
    // Form and query parsing around Remix responses; tested through the routes (hostile-input, fuzz).
    '!app/lib/forms.server.ts',
  ],
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/lib.html' },
  jsonReporter: { fileName: 'reports/mutation/lib.json' },
  tempDirName: '.stryker-tmp/lib',
  cleanTempDir: 'always',
  ignorePatterns: ['build', 'data', '.cache', 'test-results', 'playwright-report', 'e2e/.data', 'bench/.data', 'reports'],
}
