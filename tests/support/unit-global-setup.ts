import { prepareMigratedTemplates } from './migrated-databases';

/**
 * globalSetup of the `unit` project (vitest.config.ts): migrates once, into a Postgres template
 * database and a PGlite dump, that the integration tests' fresh databases are copied from
 * (tests/support/migrated-databases.ts); dropped again when the run ends.
 */
export default function setup(): Promise<() => Promise<void>> {
  return prepareMigratedTemplates();
}
