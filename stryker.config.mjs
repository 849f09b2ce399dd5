// @ts-check
// Mutation testing (`npm run test:mutation`, not part of `npm test`): StrykerJS changes the rules one
// small mutation at a time and checks that the vitest suite fails for each. See README "Mutation testing".
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  coverageAnalysis: 'perTest',
  // A static mutant (one in code run when a module loads: a module-level table or pattern) can only
  // be tested by rerunning every test that imports the module, which here means minutes of database
  // tests per mutant: hours in all on 2 cores. They are reported as ignored, not counted in the score;
  // the module-level rules (sanitiser allow-lists, escaping tables, patterns) are guarded by the
  // generated hostile-input, corpus and feed tests instead.
  ignoreStatic: true,
  // Reruns test only the mutants in code (or tests) changed since the committed incremental file.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // A 2-core machine: one vitest per core.
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  mutate: [
    'app/lib/**/*.ts',
    '!app/lib/**/*.test.ts',
  ],
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['build', 'data', '.cache', 'test-results', 'playwright-report', 'e2e/.data', 'bench/.data', 'reports'],
}
