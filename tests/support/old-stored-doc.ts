import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { createLocalDatabase, type LocalDatabase, type MigrationProgress } from '../../src-renderer/db/create-database';
import { wrappedFieldEncryptionStorage } from '../../src-renderer/db/field-encryption-storage';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { NEWEST_MAX } from '../../src-shared/schema/define-entity';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import { TEST_DATABASE_KEY } from './local-db';

/**
 * Documents as an older version of the app stored them, for the collection migration tests: ids
 * `old-001`, `old-002`, …, each created a second after the one before, from `at`, by user-rep-1.
 */
export function oldStoredDocs(at: string): (kind: string, fields: Record<string, unknown>) => StoredDoc {
  let n = 0;
  return (kind, fields) => {
    const createdAt = new Date(Date.parse(at) + ++n * 1000).toISOString();
    return {
      id: `old-${String(n).padStart(3, '0')}`,
      kind,
      ownerId: 'user-rep-1',
      createdAt,
      updatedAt: createdAt,
      createdBy: 'user-rep-1',
      updatedBy: 'user-rep-1',
      isDeleted: false,
      newest: NEWEST_MAX - Date.parse(createdAt),
      ...fields,
    } as StoredDoc;
  };
}

/**
 * Stores `docs` in collection `collection` at `oldSchema`, as an older version of the app did
 * (through the field-encryption storage, under the test key), then opens that database with the
 * app's `createLocalDatabase`, which migrates it. `collections` beside the one migrated: the audit
 * storage writes into `audit`, and `settings` holds custom field definitions. The caller closes
 * `db` (db.rx.close()).
 */
export async function openAfterOldVersion(
  collection: CollectionName,
  oldSchema: RxJsonSchema<StoredDoc>,
  docs: readonly StoredDoc[],
): Promise<{ db: LocalDatabase; progress: MigrationProgress[] }> {
  const indexedDB = { indexedDB: new IDBFactory(), IDBKeyRange };
  const name = `crm-migrate-${collection}-${Math.random().toString(36).slice(2)}`;
  const storage = wrappedFieldEncryptionStorage({
    storage: getRxStorageDexie(indexedDB) as RxStorage<unknown, unknown>,
    key: TEST_DATABASE_KEY,
    plaintextForMeasurement: false,
  });
  const old = await createRxDatabase({ name, storage, multiInstance: false });
  await old.addCollections({ [collection]: { schema: oldSchema } });
  await old.collections[collection]?.bulkInsert([...docs]);
  await old.close();

  const progress: MigrationProgress[] = [];
  const db = await createLocalDatabase({
    name,
    key: TEST_DATABASE_KEY,
    actor: () => ({ userId: 'user-rep-1', deviceId: 'device-test' }),
    indexedDB,
    collections: [collection, 'audit', 'settings'],
    devMode: true,
    onMigration: (p) => progress.push(p),
  });
  return { db, progress };
}
