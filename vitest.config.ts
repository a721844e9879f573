import { defineConfig } from 'vitest/config';

/**
 * Unit files that need a fresh module realm, each run in its own. RxDB's dev-mode is a process-wide
 * plugin, and once on it refuses any database whose storage does not validate: every other unit file
 * opens its databases with dev-mode (tests/support/local-db.ts), these open some without it (an
 * older version's database, the bare encryption layer). A vi.mock of 'electron' would be seen by
 * every later importer in the same worker.
 */
const NEEDS_OWN_REALM = [
  ...[
    'collection-migration-activities-v2',
    'collection-migration-tasks-v2',
    'collection-migration-v1',
    'dev-mode-schema',
    'field-encryption-replication',
    'field-encryption',
    'migration-progress',
    'sealed-envelope',
  ].map((name) => `tests/unit/src-renderer/db/${name}.test.ts`),
  'tests/contract/ipc-contract.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker per core but one (1 here, on 2 cores). Two files at a time:
    // measured in full runs, the unit group 14.5 → 9 min; the e2e group ~11 min one at a time, ~10 two at a time.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Runs before the e2e group, never beside it: the no-skip horizon is cluster-wide
          // (pg_snapshot_xmin), so an integration test that holds transactions open on purpose
          // (the cursor and chain tests) stalls the e2e servers' pulls on the same Postgres.
          sequence: { groupOrder: 0 },
          include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
          exclude: ['tests/e2e/**', '**/node_modules/**', ...NEEDS_OWN_REALM],
          // Migrated once, copied per test (tests/support/migrated-databases.ts).
          globalSetup: ['tests/support/unit-global-setup.ts'],
          // A worker keeps its modules from one file to the next: importing RxDB, Fastify, PGlite and
          // the registry again for each of ~260 files was a third of the group's time (side by side on
          // one machine: import 186 s summed → 22 s, the group 491 → 324 s). Every file still opens its
          // own databases and servers; what a file changes for the process it restores (vi.stubEnv).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'unit-own-realm',
          sequence: { groupOrder: 0 },
          include: NEEDS_OWN_REALM,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          include: ['tests/e2e/**/*.test.ts'],
          // One Vite dev server and one Chromium for all e2e files, started only when the run has
          // e2e files: vitest runs a project's globalSetup only for projects with files to run.
          globalSetup: ['tests/support/e2e-global-setup.ts'],
        },
      },
    ],
  },
});
