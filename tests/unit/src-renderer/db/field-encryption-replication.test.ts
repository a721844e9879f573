import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDatabase, type LocalDatabase } from '../../../../src-renderer/db/create-database';
import { DatabaseKeyError } from '../../../../src-renderer/db/field-encryption-storage';
import { startReplication } from '../../../../src-renderer/db/replication';
import { createRepositories } from '../../../../src-renderer/db/repositories';
import type { SyncTransport } from '../../../../src-renderer/db/sync-transport';
import type { PushRequest } from '../../../../src-shared/sync/protocol';

const KEY = 'unit-test-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const actor = { userId: 'user-rep-1', deviceId: 'device-test' };
const opened: LocalDatabase[] = [];
type Doc = Record<string, unknown>;

async function open(factory: IDBFactory, name: string): Promise<LocalDatabase> {
  const db = await createLocalDatabase({
    name,
    key: KEY,
    actor: () => actor,
    indexedDB: { indexedDB: factory, IDBKeyRange },
    collections: ['contacts', 'audit'],
  });
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) if (!db.rx.closed) await db.rx.close();
});

/** A server that takes every push and has nothing to send: what the device stores is the point here. */
function acceptingServer() {
  const pushes: PushRequest[] = [];
  const transport: SyncTransport = {
    pull: async () => ({ documents: [], checkpoint: null }),
    push: async (_collection, request) => {
      pushes.push(request);
      return { conflicts: [], rejected: [] };
    },
    stream: () => () => {},
  };
  return { pushes, transport };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Every stored row `pick` selects, in any IndexedDB store of the factory; `change` rewrites them in place. */
async function rawRows(factory: IDBFactory, pick: (row: Doc) => boolean, change?: (row: Doc) => Doc): Promise<Doc[]> {
  const found: Doc[] = [];
  for (const info of await factory.databases()) {
    const db = await request(factory.open(String(info.name)));
    try {
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = (await request(db.transaction(store, 'readonly').objectStore(store).getAll())) as Doc[];
        for (const row of rows.filter(pick)) {
          found.push(row);
          if (change) await request(db.transaction(store, 'readwrite').objectStore(store).put(change(row)));
        }
      }
    } finally {
      db.close();
    }
  }
  return found;
}

const metaOf = (id: string) => (row: Doc) => row.itemId === id && row.isCheckpoint === '0';

async function pushAll(db: LocalDatabase, transport: SyncTransport): Promise<void> {
  const sync = startReplication(db, transport, { retryTime: 50 });
  await sync.awaitInSync();
  await sync.stop();
}

describe("the replication meta's copy of a record", () => {
  it("holds the record's own envelope, not its personal values, and reads back as the assumed master state", async () => {
    const factory = new IDBFactory();
    const name = 'crm-env-meta';
    const db = await open(factory, name);
    const repos = createRepositories(db);
    await repos.contact.create({ id: 'c-meta', firstName: 'Meta-First-Q7', email: 'meta-q7@example.com' } as never);
    const server = acceptingServer();
    await pushAll(db, server.transport);
    expect(server.pushes.flatMap((p) => p.rows.map((r) => r.newDocumentState.email))).toContain('meta-q7@example.com');

    const [record] = await rawRows(factory, (row) => row.id === 'c-meta' && row.kind === 'contact');
    const [meta] = await rawRows(factory, metaOf('c-meta'));
    expect(record?.sealed).toMatch(/^e2\./);
    // One encryption for the record and its copy: the copy is the record's envelope.
    expect((meta?.docData as Doc | undefined)?.sealed).toBe(record?.sealed);
    expect(meta?.sealed).toBeUndefined();
    expect(JSON.stringify(meta)).not.toMatch(/Meta-First-Q7|meta-q7@example/);
    await db.rx.close();

    // Reopened (nothing cached): the next push's assumed master state is the copy, decrypted.
    const again = await open(factory, name);
    await createRepositories(again).contact.update('c-meta', { email: 'meta-q7b@example.com' } as never);
    const next = acceptingServer();
    await pushAll(again, next.transport);
    const row = next.pushes.flatMap((p) => p.rows).find((r) => r.newDocumentState.id === 'c-meta');
    expect(row?.newDocumentState.email).toBe('meta-q7b@example.com');
    expect(row?.assumedMasterState).toMatchObject({ firstName: 'Meta-First-Q7', email: 'meta-q7@example.com' });
  });

  it("refuses a copy holding another record's envelope, naming the record", async () => {
    const factory = new IDBFactory();
    const name = 'crm-env-meta-moved';
    const db = await open(factory, name);
    const repos = createRepositories(db);
    await repos.contact.create({ id: 'c-one', firstName: 'One', email: 'one@example.com' } as never);
    await repos.contact.create({ id: 'c-two', firstName: 'Two', email: 'two@example.com' } as never);
    await pushAll(db, acceptingServer().transport);
    await db.rx.close();

    const [two] = await rawRows(factory, metaOf('c-two'));
    const moved = (two?.docData as Doc | undefined)?.sealed;
    expect(moved).toMatch(/^e2\./);
    await rawRows(factory, metaOf('c-one'), (row) => ({ ...row, docData: { ...(row.docData as Doc), sealed: moved } }));
    const again = await open(factory, name);
    await createRepositories(again).contact.update('c-one', { email: 'one-b@example.com' } as never);
    const sync = startReplication(again, acceptingServer().transport, { retryTime: 60_000 });
    const failure = await new Promise<unknown>((resolve) => {
      for (const state of sync.states.values()) state.error$.subscribe((error) => resolve(error));
    });
    await sync.stop();
    expect(failure).toBeInstanceOf(DatabaseKeyError);
    expect(failure).toMatchObject({ collection: 'contacts', documentId: 'c-one' });
    expect(String(failure)).toMatch(/contacts document "c-one".*do not decrypt/);
  });
});
