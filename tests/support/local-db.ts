import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  type CreateDatabaseOptions,
  createLocalDatabase,
  type LocalDatabase,
} from '../../src-renderer/db/create-database';
import { createRepositories, type Repositories } from '../../src-renderer/db/repositories';
import type { Actor } from '../../src-renderer/db/write-context';

export interface TestDb {
  db: LocalDatabase;
  repos: Repositories;
  actor: Actor;
  /** Moves the test clock forward. */
  tick(ms?: number): void;
  /**
   * Closes the database, keeping its data, and opens it again from the same IndexedDB, as an app
   * restart does; `db` and `repos` are then the new ones, the clock and ids go on where they were.
   */
  reopen(): Promise<void>;
  /** Closes and removes the database. */
  close(): Promise<void>;
}

/** The key test databases encrypt personal fields with (database-key.ts makes real ones). */
export const TEST_DATABASE_KEY = 'test-database-key-0123456789abcdefghijklmnopq';

/** A fresh database on its own fake IndexedDB, a clock that only moves when told, sequential ids. */
export async function openTestDb(overrides: Partial<CreateDatabaseOptions> = {}): Promise<TestDb> {
  let time = Date.parse('2026-11-01T09:00:00.000Z');
  let seq = 0;
  const actor: Actor = { userId: 'user-rep-1', deviceId: 'device-test' };
  const options: CreateDatabaseOptions = {
    name: `crm-test-${Math.random().toString(36).slice(2)}`,
    actor: () => actor,
    clock: { now: () => new Date(time) },
    newId: () => `id-${String(++seq).padStart(6, '0')}`,
    indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange },
    key: TEST_DATABASE_KEY,
    // Dev-mode adds storage-level validation by the registry: anything invalid that reaches
    // storage by any path fails the test.
    devMode: true,
    ...overrides,
  };
  const db = await createLocalDatabase(options);
  const t: TestDb = {
    db,
    repos: createRepositories(db),
    actor,
    tick: (ms = 1000) => {
      time += ms;
    },
    reopen: async () => {
      await t.db.rx.close();
      t.db = await createLocalDatabase(options);
      t.repos = createRepositories(t.db);
    },
    close: async () => {
      await t.db.rx.remove();
    },
  };
  return t;
}
