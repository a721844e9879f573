import type { LocalDatabase } from '../db/create-database';
import { type DatabaseKeySources, forgetDatabaseKey } from '../db/database-key';
import type { Session } from './session';
import type { SessionReplication } from './session-replication';

export interface WipeTarget {
  db: LocalDatabase;
  databaseName: string;
  session: Session;
  /** Stopped first, so that nothing writes or replicates while the database is removed. */
  sync?: SessionReplication | undefined;
  keys?: DatabaseKeySources;
  /** Where the database lives: the browser's IndexedDB by default, fake-indexeddb in tests. */
  indexedDB?: IDBFactory;
}

/** RxDB's Dexie storage keeps one IndexedDB database per collection, meta and local-document store. */
const dexiePrefix = (name: string) => `rxdb-dexie-${name}--`;

function deleteDatabase(factory: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // Another tab holding it open: the deletion completes when it closes; nothing to wait for here.
    request.onblocked = () => resolve();
  });
}

/**
 * Removes everything this device holds of the signed-in user: replication stops, the session ends
 * (its stored tokens cleared; the server is told when it can be reached), the local database is
 * deleted, and its key forgotten (the browser's, and the desktop's in the OS keychain). Used by "Sign out and discard", after "Push and sign
 * out" has pushed, and when the server says the device was revoked. Unsent changes are lost: the
 * callers ask first or were ordered to by an administrator.
 */
export async function wipeLocalData(target: WipeTarget): Promise<void> {
  await target.sync?.stop().catch(() => undefined);
  await target.session.signOut().catch(() => undefined);
  await target.db.rx.remove();
  // RxDB's remove empties the stores but leaves their (empty) databases, and the replication meta
  // and local-document stores are not all its own: delete every database of this one by name.
  const factory = target.indexedDB ?? indexedDB;
  const names = (await factory.databases()).map((d) => d.name ?? '');
  await Promise.all(
    names.filter((n) => n.startsWith(dexiePrefix(target.databaseName))).map((n) => deleteDatabase(factory, n)),
  );
  // After the deletion: the databases still listed are the others, whose keys stay.
  await forgetDatabaseKey(target.databaseName, { indexedDB: factory, ...target.keys });
}
