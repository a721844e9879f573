import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { expect, it } from 'vitest';
import { createLocalDatabase, type MigrationProgress } from '../../../../src-renderer/db/create-database';
import { TEST_DATABASE_KEY } from '../../../support/local-db';

it('reports no migration when a database is created, nor when it is opened again at the same versions', async () => {
  const indexedDB = { indexedDB: new IDBFactory(), IDBKeyRange };
  const name = `crm-no-migration-${Math.random().toString(36).slice(2)}`;
  for (const open of ['created', 'reopened']) {
    const progress: MigrationProgress[] = [];
    const db = await createLocalDatabase({
      name,
      key: TEST_DATABASE_KEY,
      actor: () => ({ userId: 'user-rep-1', deviceId: 'device-test' }),
      indexedDB,
      collections: ['activities', 'contacts', 'audit', 'settings'],
      onMigration: (p) => progress.push(p),
    });
    await db.rx.contacts
      .insert({
        id: `c-${open}`,
        kind: 'contact',
        firstName: 'Ada',
        ownerId: 'user-rep-1',
      } as never)
      .catch(() => undefined);
    // Any report would come from a subscription RxDB answers asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect({ open, progress }).toEqual({ open, progress: [] });
    await db.rx.close();
  }
});
