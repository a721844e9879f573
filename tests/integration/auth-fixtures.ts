import { onTestFinished } from 'vitest';
import { getEntity } from '../../src-shared/entities/registry';
import { NEWEST_MAX } from '../../src-shared/schema/define-entity';
import { validateRecord } from '../../src-shared/schema/validate';
import { type BootstrapResult, bootstrapAdmin } from '../../sync-server/src/auth/bootstrap-admin';
import { setPasswordHash } from '../../sync-server/src/auth/credentials';
import { hashPassword } from '../../sync-server/src/auth/passwords';
import { createPgDatabase, type Database } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { insertRow } from '../../sync-server/src/sync/row-writer';
import { createMigratedTestDatabase } from '../support/migrated-databases';

/** Shared by the auth integration tests: a migrated real Postgres database, a clock that tests move, ids. */

export const SECRET = 'a test secret, long enough for HS256 keys: 0123456789';
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
export const START = '2026-04-01T09:00:00.000Z';

export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export function testClock(start = START): TestClock {
  let ms = Date.parse(start);
  return {
    now: () => new Date(ms),
    advance(by) {
      ms += by;
    },
  };
}

export function sequentialIds(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}_${String(++n).padStart(4, '0')}`;
}

/** A fresh, migrated database on the real server, closed and dropped after the test. */
export async function openMigrated(): Promise<{ db: Database; url: string }> {
  const test = await createMigratedTestDatabase('crm_auth');
  const db = createPgDatabase(test.url);
  onTestFinished(async () => {
    await db.close();
    await test.drop();
  });
  await migrate(db);
  return { db, url: test.url };
}

export function bootstrap(
  db: Database,
  clock: TestClock,
  input: Partial<typeof ADMIN> = {},
  newId = sequentialIds('boot'),
): Promise<BootstrapResult> {
  return bootstrapAdmin(db, { ...ADMIN, ...input }, { now: clock.now, newId });
}

export interface TestUser {
  id: string;
  email: string;
  roleId: string;
  status?: 'active' | 'invited' | 'disabled';
  /** Omitted: the user has no credentials (e.g. imported). */
  password?: string;
}

/** A users row written as the server writes any record, and its password hash if it has one. */
export async function addUser(db: Database, user: TestUser, at = START): Promise<void> {
  const entity = getEntity('user');
  const doc = {
    id: user.id,
    kind: 'user',
    ownerId: user.id,
    createdAt: at,
    updatedAt: at,
    createdBy: user.id,
    updatedBy: user.id,
    isDeleted: false,
    newest: NEWEST_MAX - Date.parse(at),
    email: user.email,
    firstName: 'Test',
    lastName: user.id,
    roleId: user.roleId,
    status: user.status ?? 'active',
  };
  const problems = validateRecord(entity, doc);
  if (problems.length > 0) throw new Error(`bad test user: ${JSON.stringify(problems)}`);
  const { password } = user;
  await db.transaction(async (tx) => {
    await insertRow(tx, entity, { ...doc, _deleted: false });
    if (password !== undefined) await setPasswordHash(tx, user.id, await hashPassword(password), new Date(at));
  });
}
