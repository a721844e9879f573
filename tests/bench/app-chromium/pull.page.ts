/**
 * Runs INSIDE Chromium (bundled by tests/bench/b4-chromium.ts, evaluated on a blank page of the
 * sync server's origin): B4's initial sync by the app's own device code and storage (encrypted,
 * audited wrappers over RxDB's Dexie storage on Chromium's IndexedDB), and its floor, bare RxDB
 * bulkInsert of the same contacts into the same IndexedDB. Nothing here ships.
 */
import { createRxDatabase, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { createLocalDatabase } from '../../../src-renderer/db/create-database';
import { startReplication } from '../../../src-renderer/db/replication';
import { httpTransport } from '../../../src-renderer/db/sync-transport';
import { toRxSchema } from '../../../src-shared/schema/to-rx-schema';
import { storedContact } from '../bench-support';

/** Any key will do: the cost measured is the same. */
const BENCH_DATABASE_KEY = 'bench-database-key-0123456789abcdefghijklmnop';
const uniqueName = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;

/** An empty device pulls `size` contacts from `baseUrl` until in sync; the ms it took. */
async function sync(baseUrl: string, userId: string, size: number, batchSize: number): Promise<number> {
  const db = await createLocalDatabase({
    name: uniqueName('b4-sync'),
    key: BENCH_DATABASE_KEY,
    actor: () => ({ userId, deviceId: 'b4-chromium' }),
    collections: ['contacts'],
  });
  const start = performance.now();
  const replication = startReplication(db, httpTransport({ baseUrl, headers: () => ({ 'x-user-id': userId }) }), {
    batchSize,
  });
  await replication.awaitInSync();
  const ms = performance.now() - start;
  await replication.stop();
  const count = await db.rx.contacts.count().exec();
  await db.rx.remove();
  if (count !== size) throw new Error(`B4-chromium: the device holds ${count} of ${size} contacts after sync`);
  return ms;
}

/** Bare RxDB bulkInsert of the same contacts, `batchSize` at a time; the ms it took. */
async function floor(size: number, batchSize: number): Promise<number> {
  const rx = await createRxDatabase({
    name: uniqueName('b4-floor'),
    storage: getRxStorageDexie() as RxStorage<unknown, unknown>,
    multiInstance: false,
  });
  // As in B4's floor: bare RxDB has no encryption plugin, so the schema's `encrypted` list goes.
  const { encrypted: _sealedOnDevice, ...schema } = toRxSchema('contacts');
  const { contacts } = await rx.addCollections({ contacts: { schema } });
  const docs = Array.from({ length: size }, (_, i) => storedContact(i));
  const start = performance.now();
  for (let at = 0; at < size; at += batchSize) {
    const result = await contacts.bulkInsert(docs.slice(at, at + batchSize));
    if (result.error.length > 0) throw new Error('B4-chromium floor: bare insert failed');
  }
  const ms = performance.now() - start;
  await rx.remove();
  return ms;
}

Object.assign(globalThis, { __b4Chromium: { sync, floor } });
