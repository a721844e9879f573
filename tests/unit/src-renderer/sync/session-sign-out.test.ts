import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Replication } from '../../../../src-renderer/db/replication';
import type { Outbox, PendingDoc } from '../../../../src-renderer/sync/outbox';
import { createSession } from '../../../../src-renderer/sync/session';
import {
  PushIncompleteError,
  pendingByCollection,
  pushAndSignOut,
} from '../../../../src-renderer/sync/session-sign-out';
import { memoryTokenStore } from '../../../../src-renderer/sync/token-store';
import { openTestDb } from '../../../support/local-db';

const docs = (n: number) => Array.from({ length: n }, () => ({}) as PendingDoc);

async function target() {
  const factory = new IDBFactory();
  const t = await openTestDb({ name: 'crm-sign-out', indexedDB: { indexedDB: factory, IDBKeyRange } });
  await t.repos.contact.create({ firstName: 'Kept' });
  const session = createSession({ store: memoryTokenStore() });
  return { t, factory, wipe: { db: t.db, databaseName: 'crm-sign-out', session, indexedDB: factory } };
}

describe('signing out removes the device copy only when nothing would be lost', () => {
  it('lists unsent changes per collection, largest first, unknown counts first, without the audit trail', () => {
    const outbox: Outbox = new Map([
      ['contacts', docs(2)],
      ['tasks', docs(5)],
      ['deals', []],
      ['audit', docs(9)],
      ['leads', undefined],
    ]);
    expect(pendingByCollection(outbox)).toEqual([
      { collection: 'leads', count: null },
      { collection: 'tasks', count: 5 },
      { collection: 'contacts', count: 2 },
    ]);
  });

  it('refuses to push while sync is paused or the device is offline, and removes nothing', async () => {
    const { t, factory, wipe } = await target();
    await expect(pushAndSignOut({ ...wipe, replication: undefined })).rejects.toThrow(PushIncompleteError);
    const inSync = { states: new Map(), awaitInSync: async () => {} } as unknown as Replication;
    await expect(pushAndSignOut({ ...wipe, replication: inSync, offline: true })).rejects.toThrow(/offline/);
    const never = { states: new Map(), awaitInSync: () => new Promise<void>(() => {}) } as unknown as Replication;
    await expect(pushAndSignOut({ ...wipe, replication: never, timeoutMs: 50 })).rejects.toThrow(/in time/);
    expect((await t.repos.contact.list()).map((c) => c.firstName)).toEqual(['Kept']);
    expect((await factory.databases()).length).toBeGreaterThan(0);
    await t.close();
  });

  it('wipes every database of the user once the server has everything', async () => {
    const { factory, wipe } = await target();
    const inSync = { states: new Map(), awaitInSync: async () => {} } as unknown as Replication;
    await pushAndSignOut({ ...wipe, replication: inSync });
    expect((await factory.databases()).map((d) => d.name)).toEqual([]);
  });
});
