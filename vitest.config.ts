import { defineConfig } from 'vitest/config';

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
          exclude: ['tests/e2e/**', '**/node_modules/**'],
          // Migrated once, copied per test (tests/support/migrated-databases.ts).
          globalSetup: ['tests/support/unit-global-setup.ts'],
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
