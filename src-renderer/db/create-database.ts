import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin, type RxMigrationState } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { Subscription } from 'rxjs';
import { COLLECTION_VERSIONS } from '../../src-shared/entities/collections';
import { COLLECTIONS, type CollectionName } from '../../src-shared/schema/define-entity';
import { type StoredDoc, toRxSchema } from '../../src-shared/schema/to-rx-schema';
import { wrappedAuditStorage } from './audit-storage';
import { wrappedChangesSinceStorage } from './changes-since-storage';
import { createConflictHandler } from './conflict-handler';
import { wrappedFieldEncryptionStorage } from './field-encryption-storage';
import { installRangeGets, wrappedPageQueryStorage } from './page-query-storage';
import { wrappedRegistryValidateStorage } from './registry-validate-storage';
import { wrappedSparseIndexGuardStorage } from './sparse-index-guard-storage';
import { SyncReviewStore } from './sync-review';
import { type Actor, type Clock, type IdGenerator, randomId, systemClock } from './write-context';

addRxPlugin(RxDBMigrationSchemaPlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);

export type CrmCollections = Record<CollectionName, RxCollection<StoredDoc>>;
export type CrmRxDatabase = RxDatabase<CrmCollections>;

export interface CreateDatabaseOptions {
  name: string;
  /**
   * Encrypts the personal fields on disk (database-key.ts says where it comes from). Opening with
   * another key than the database's fails with DatabaseKeyError (see checkDatabaseKey).
   */
  key: string;
  /** Who writes; read on every write so a login switches the actor without reopening. */
  actor: () => Actor;
  clock?: Clock;
  newId?: IdGenerator;
  /** IndexedDB implementation; the browser's by default, fake-indexeddb in Node tests. */
  indexedDB?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange };
  /**
   * Open only these collections (tests with several devices in one process: RxDB's open-source
   * build allows 13 open collections per realm, counting every database). Default: all.
   */
  collections?: readonly CollectionName[];
  /** RxDB dev-mode schema checks (tests only: it is slow and prints a notice). */
  devMode?: boolean;
  onAuditFailure?: (error: unknown) => void;
  /**
   * Measurement only: true keeps the personal fields in the clear on disk, so bench PEER can say
   * what the encryption costs. The app never passes it; absent, they are encrypted.
   */
  plaintextForMeasurement?: boolean;
  /**
   * Told while collections are brought to a new schema version on open (RxDB copies every document
   * of such a collection, which takes minutes for tens of thousands): the boot screen shows it.
   */
  onMigration?: (progress: MigrationProgress) => void;
  /** Documents a schema migration copies per write; default MIGRATION_BATCH. */
  migrationBatchSize?: number;
}

/**
 * Documents per write of a schema migration. RxDB's own default is 10, and each of its batches is a
 * read, a decryption and an encryption round and a write: a new index on the activities collection
 * took minutes for 60k records in Chromium.
 */
export const MIGRATION_BATCH = 500;

/** Documents copied so far by the schema migrations of this open, over all collections migrating. */
export interface MigrationProgress {
  handled: number;
  total: number;
  /** The collections being migrated, e.g. ['activities']. */
  collections: readonly string[];
}

export interface LocalDatabase {
  rx: CrmRxDatabase;
  actor: () => Actor;
  clock: Clock;
  newId: IdGenerator;
  /** Same-field collisions and refused writes waiting for the user (persisted on the device). */
  review: SyncReviewStore;
}

const KEY_CHECK = 'database-key-check';

/**
 * A local document written with the database's key on first open (local documents' data is
 * encrypted too): reading it with another key throws DatabaseKeyError before anything is written
 * under the wrong key. Not RxDB's `password`: databases made before encryption have no password
 * hash, and RxDB refuses a password for them (DB1).
 */
async function checkDatabaseKey(rx: CrmRxDatabase): Promise<void> {
  if (await rx.getLocal(KEY_CHECK)) return;
  await rx.insertLocal(KEY_CHECK, { since: new Date().toISOString() });
}

let devModeAdded = false;

async function enableDevMode(): Promise<void> {
  if (devModeAdded) return;
  const { RxDBDevModePlugin, disableWarnings } = await import('rxdb/plugins/dev-mode');
  disableWarnings();
  addRxPlugin(RxDBDevModePlugin);
  devModeAdded = true;
}

/** Opens (creating on first run) the local database with every collection of the registry. */
export async function createLocalDatabase(options: CreateDatabaseOptions): Promise<LocalDatabase> {
  if (options.devMode) await enableDevMode();
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? randomId;
  // bulkGet by key range where it can (page-query-storage.ts): B4's pull spent half its time in per-key gets.
  const dexieSettings = { ...(options.indexedDB ?? {}), onCreate: installRangeGets };
  const dexie = getRxStorageDexie(dexieSettings) as RxStorage<unknown, unknown>;
  // Queries that name no index never read one of an optional field (sparse-index-guard-storage.ts).
  const indexed = wrappedSparseIndexGuardStorage(wrappedPageQueryStorage(wrappedChangesSinceStorage(dexie)));
  const storage = wrappedAuditStorage({
    // Below the audit writer, which diffs plain values and whose entries are encrypted on their way down.
    storage: wrappedFieldEncryptionStorage({
      storage: indexed,
      key: options.key,
      plaintextForMeasurement: options.plaintextForMeasurement === true,
    }),
    audited: new Set(COLLECTIONS.filter((c) => c !== 'audit')),
    auditCollection: 'audit',
    actor: options.actor,
    clock,
    newId,
    onAuditFailure: options.onAuditFailure ?? ((error) => console.error('Audit entry not written', error)),
  });
  const rx = await createRxDatabase<CrmCollections>({
    name: options.name,
    storage: options.devMode ? wrappedRegistryValidateStorage({ storage }) : storage,
    multiInstance: false,
    eventReduce: true,
    // A count the index cannot answer alone is still a right answer, just slower.
    allowSlowCount: true,
    // The sync review store lives in a local document (see sync-review.ts).
    localDocuments: true,
  });
  await checkDatabaseKey(rx);
  const migrations = options.onMigration ? reportMigrations(rx, options.onMigration) : undefined;
  const review = new SyncReviewStore({ rx, actor: options.actor, clock, newId });
  const onError = options.onAuditFailure ?? ((error) => console.error('Sync review item not recorded', error));
  await rx
    .addCollections(
      Object.fromEntries(
        (options.collections ?? COLLECTIONS).map((name) => [
          name,
          {
            schema: toRxSchema(name),
            migrationStrategies: COLLECTION_VERSIONS[name].migrations,
            // Migrated below, in larger batches than RxDB's own.
            autoMigrate: false,
            conflictHandler: createConflictHandler({
              onCollisions: async (conflict) => void (await review.recordCollisions(name, conflict)),
              onError,
            }),
          },
        ]),
      ),
    )
    .then((collections) =>
      // RxDB blocks writes to a collection until its migration is done; the app waits for all.
      Promise.all(
        Object.values(collections).map(async (collection) => {
          if (await collection.migrationNeeded())
            await collection.migratePromise(options.migrationBatchSize ?? MIGRATION_BATCH);
        }),
      ),
    )
    .finally(() => migrations?.unsubscribe());
  return { rx, actor: options.actor, clock, newId, review };
}

/** Reports the copy of every collection migrated while the database is opened. */
function reportMigrations(rx: CrmRxDatabase, report: (progress: MigrationProgress) => void): Subscription {
  const counts = new Map<string, { handled: number; total: number }>();
  const watched = new Subscription();
  const seen = new Set<RxMigrationState>();
  watched.add(
    rx.migrationStates().subscribe((states) => {
      for (const state of states) {
        if (seen.has(state)) continue;
        seen.add(state);
        // RxDB lists a migration state from inside its constructor, before the state's `$` is set.
        void Promise.resolve().then(() => {
          if (watched.closed) return;
          watched.add(
            state.$.subscribe((status) => {
              counts.set(state.collection.name, { handled: status.count.handled, total: status.count.total });
              let handled = 0;
              let total = 0;
              for (const c of counts.values()) {
                handled += c.handled;
                total += c.total;
              }
              report({ handled, total, collections: [...counts.keys()] });
            }),
          );
        });
      }
    }),
  );
  return watched;
}
