// @ts-check
// Mutation testing of the model modules that carry the site's rules (`npm run test:mutation:models`).
// Their mutants are tested by the model tests (app/models/*.test.ts), each file on a migrated
// database of its own (vitest.stryker.config.ts, project "db"). See stryker.config.mjs for app/lib.
import lib from './stryker.config.mjs'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...lib,
  // The model tests that exercise the mutated functions (the others, articles, authoring, chip
  // editing, compare, password resets and users, do not reach them).
  testFiles: [
    'app/models/moderation.server.test.ts',
    'app/models/comments.server.test.ts',
    'app/models/domain-access.test.ts',
    'app/models/rate-limits.server.test.ts',
    'app/models/chips.server.test.ts',
    'app/models/races.server.test.ts',
    'app/models/*.rules.test.ts',
  ],
  // The first run of every test on a loaded 2-core machine takes minutes.
  dryRunTimeoutMinutes: 30,
  incrementalFile: 'reports/stryker-incremental-models.json',
  // A database test file takes seconds to start on a loaded machine.
  timeoutMS: 30_000,
  // Scoped with line ranges to the functions that carry rules (a full run of these files is 1,674
  // mutants, hours of database tests on 2 cores): who may act (assertRole/assertStaff), voting,
  // rate limits, the export status on a given day, settings refusals, the reports that count toward
  // hiding, moderation's status transitions and refusals, lock and slow mode, the member actions and
  // their refusals, who sees which comment (placeholders included), new-account limits, and the
  // edit and delete rules. Left out: the read-only queue and listing queries, logging, and
  // users.server.ts (being changed by another branch; its refusals are in domain-access.test.ts).
  mutate: [
    'app/models/admin.server.ts:13-20',
    'app/models/votes.server.ts:12-45',
    'app/models/rate-limits.server.ts',
    'app/models/fragments.server.ts:14-25',
    'app/models/settings.server.ts:96-140',
    'app/models/moderation.server.ts:133-226',
    'app/models/moderation.server.ts:258-307',
    'app/models/moderation.server.ts:492-601',
    'app/models/comments.server.ts:89-131',
    'app/models/comments.server.ts:186-190',
    'app/models/comments.server.ts:405-435',
    'app/models/comments.server.ts:591-657',
  ],
  tempDirName: '.stryker-tmp/models',
  htmlReporter: { fileName: 'reports/mutation/models.html' },
  jsonReporter: { fileName: 'reports/mutation/models.json' },
}
