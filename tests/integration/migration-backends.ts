import { onTestFinished } from 'vitest';
import type { Database } from '../../sync-server/src/db/database';
import { createEmptyPglite } from '../support/migrated-databases';
import { BACKENDS, type Backend } from './sync-server-fixtures';

async function openEmptyPglite(): Promise<Database> {
  const db = await createEmptyPglite();
  onTestFinished(() => db.close());
  return db;
}

/**
 * The fixtures' backends for the tests of migrations and of what they leave behind: PGlite's empty
 * database is copied from a dump of a fresh cluster instead of initdb'd, which costs seconds per test
 * on CI. It is just as empty (tests/support/migrated-databases.ts).
 */
export const MIGRATION_BACKENDS: Backend[] = BACKENDS.map((backend) =>
  backend.name === 'PGlite' ? { ...backend, openEmpty: openEmptyPglite } : backend,
);
