import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDatabase, type LocalDatabase } from '../../src-renderer/db/create-database';
import { type Replication, startReplication } from '../../src-renderer/db/replication';
import { createRepositories, type Repositories } from '../../src-renderer/db/repositories';
import { httpTransport, type SyncTransport } from '../../src-renderer/db/sync-transport';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { TEST_DATABASE_KEY } from '../support/local-db';
import { startTestServer, type TestServer } from '../support/sync-server';

/**
 * The sync review store (src-renderer/db/sync-review.ts) with devices syncing through the real
 * server. A same-field collision is recorded by the device that performs the merge, the one whose
 * push came back stale: it alone sees base, mine and theirs. The other device only pulls a newer
 * record (the audit trail it pushed shows what it wrote).
 */

// Two collections per device: RxDB's open-source build allows 13 open collections per realm.
const COLLECTIONS: CollectionName[] = ['contacts', 'audit'];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

interface Device {
  userId: string;
  name: string;
  /** Kept across a restart: the same IndexedDB is opened again. */
  idb: IDBFactory;
  time: number;
  seq: number;
  db: LocalDatabase;
  repos: Repositories;
  sync?: Replication;
}
const devices: Device[] = [];

async function open(d: Omit<Device, 'db' | 'repos'> & Partial<Device>): Promise<Device> {
  const prefix = `${d.name.slice(-6)}`;
  const db = await createLocalDatabase({
    name: d.name,
    key: TEST_DATABASE_KEY,
    actor: () => ({ userId: d.userId, deviceId: `dev-${d.userId}` }),
    clock: { now: () => new Date(d.time) },
    newId: () => `${prefix}-${d.userId}-${++d.seq}`,
    indexedDB: { indexedDB: d.idb, IDBKeyRange },
    collections: COLLECTIONS,
    devMode: true,
  });
  return Object.assign(d, { db, repos: createRepositories(db) });
}

async function device(userId: string): Promise<Device> {
  const d = await open({
    userId,
    name: `review-${userId}-${Math.random().toString(36).slice(2, 8)}`,
    idb: new IDBFactory(),
    time: Date.parse('2026-11-01T09:00:00.000Z'),
    seq: 0,
  });
  devices.push(d);
  return d;
}

function online(d: Device): Replication {
  d.sync = startReplication(d.db, httpTransport({ baseUrl: server.url, headers: () => ({ 'x-user-id': d.userId }) }), {
    batchSize: 100,
    retryTime: 200,
  });
  return d.sync;
}

async function offline(d: Device): Promise<void> {
  await d.sync?.stop();
  d.sync = undefined;
}

/** Closes the database (not removing it) and opens it again from the same IndexedDB. */
async function restart(d: Device): Promise<void> {
  await offline(d);
  await d.db.rx.close();
  await open(d);
}

afterEach(async () => {
  for (const d of devices.splice(0)) {
    await d.sync?.stop();
    await d.db.rx.remove();
  }
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function inSync(...ds: Device[]): Promise<void> {
  for (const d of ds) await d.sync?.awaitInSync();
}

async function auditOf(d: Device, entityId: string, action: string) {
  const docs = await d.db.rx.audit.find({ selector: { entityId, action } }).exec();
  return docs.map((doc) => doc.toJSON() as Record<string, unknown>);
}

/** HTTP to the test server, but pushes of `id` carry an email the server refuses. */
function spoiling(id: string): SyncTransport {
  const http = httpTransport({ baseUrl: server.url, headers: () => ({ 'x-user-id': 'user-c' }) });
  return {
    ...http,
    push: (collection, request) =>
      http.push(collection, {
        rows: request.rows.map((row) =>
          row.newDocumentState.id === id
            ? { ...row, newDocumentState: { ...row.newDocumentState, email: 'not-an-email' } }
            : row,
        ),
      }),
  };
}

async function serverValue(table: string, id: string, column: string): Promise<unknown> {
  const { rows } = await server.db.query<Record<string, unknown>>(`SELECT ${column} FROM ${table} WHERE id = $1`, [id]);
  return rows[0]?.[column];
}

/** Two devices with one shared contact, both offline, both holding the same synced state. */
async function sharedContact(): Promise<{ a: Device; b: Device; id: string }> {
  const a = await device('user-a');
  const b = await device('user-b');
  online(a);
  online(b);
  const contact = await a.repos.contact.create({ firstName: 'Grace', jobTitle: 'Analyst', city: 'Oslo' });
  await until(
    () => b.repos.contact.get(contact.id),
    (c) => c !== undefined,
  );
  await inSync(a, b);
  await offline(a);
  await offline(b);
  return { a, b, id: contact.id };
}

describe('sync review: same-field collisions', () => {
  it('keeps the collision on the merging device across a restart, and "keep mine" wins everywhere', async () => {
    const { a, b, id } = await sharedContact();
    // A's edit is the later one, so the merge on B gives the field to A and B's value loses.
    a.time += 20_000;
    await a.repos.contact.update(id, { city: 'Paris' });
    b.time += 10_000;
    await b.repos.contact.update(id, { city: 'Rome' });

    online(a);
    await inSync(a);
    online(b);
    await inSync(b, a);
    const onA = await until(
      () => a.repos.contact.get(id),
      (c) => c?.updatedBy === 'user-a' && c.city === 'Paris',
    );
    expect((await b.repos.contact.get(id))?.city).toBe('Paris');
    expect(onA?.city).toBe('Paris');

    const { collisions } = await b.db.review.list();
    expect(collisions).toHaveLength(1);
    const item = collisions[0];
    expect(item).toMatchObject({
      id: `contacts/${id}/city`,
      collection: 'contacts',
      kind: 'contact',
      recordId: id,
      field: 'city',
      base: 'Oslo',
      mine: 'Rome',
      theirs: 'Paris',
      kept: 'theirs',
      chosen: 'Paris',
      mineBy: 'user-b',
      theirsBy: 'user-a',
    });
    // A's push was not stale: it merged nothing and has nothing to review.
    expect((await a.db.review.list()).collisions).toEqual([]);

    // The collision is in B's audit trail with the losing and the kept value.
    const noted = await auditOf(b, id, 'conflict');
    expect(noted).toHaveLength(1);
    expect(noted[0]?.changes).toEqual({ city: ['Rome', 'Paris'] });
    expect(String(noted[0]?.reason)).toContain('city: base "Oslo", mine "Rome", theirs "Paris", kept theirs');

    await restart(b);
    const afterRestart = (await b.db.review.list()).collisions;
    expect(afterRestart).toEqual(collisions);
    const observed = await new Promise((resolve) => {
      const sub = b.db.review.collisions$.subscribe((list) => {
        if (list.length > 0) {
          resolve(list);
          queueMicrotask(() => sub.unsubscribe());
        }
      });
    });
    expect(observed).toEqual(collisions);

    // Bad input changes nothing and says what is wrong.
    await expect(b.db.review.resolveCollision('contacts/nope/city', { keep: 'mine' })).rejects.toThrow(
      /collision contacts\/nope\/city does not exist/,
    );
    await expect(b.db.review.resolveCollision(item?.id ?? '', { value: 'x'.repeat(101) })).rejects.toThrow(/city/);
    expect((await b.repos.contact.get(id))?.city).toBe('Paris');
    expect((await b.db.review.list()).collisions).toHaveLength(1);
    expect(await auditOf(b, id, 'conflict')).toHaveLength(1);

    online(b);
    online(a);
    b.time += 60_000;
    await b.db.review.resolveCollision(item?.id ?? '', { keep: 'mine' });
    expect((await b.db.review.list()).collisions).toEqual([]);
    expect((await b.repos.contact.get(id))?.city).toBe('Rome');
    await inSync(b, a);
    const resolvedOnA = await until(
      () => a.repos.contact.get(id),
      (c) => c?.city === 'Rome',
    );
    expect(resolvedOnA?.city).toBe('Rome');
    expect(
      await until(
        () => serverValue('contacts', id, 'city'),
        (v) => v === 'Rome',
      ),
    ).toBe('Rome');
    expect(resolvedOnA).toEqual(await b.repos.contact.get(id));

    const decisions = await auditOf(b, id, 'conflict');
    expect(decisions).toHaveLength(2);
    const decision = decisions.find((e) => String(e.reason).includes('reviewed'));
    expect(decision?.changes).toEqual({ city: ['Paris', 'Rome'] });
    expect(String(decision?.reason)).toContain('kept mine');
    const updates = await auditOf(b, id, 'update');
    expect(updates.some((e) => JSON.stringify(e.changes) === JSON.stringify({ city: ['Paris', 'Rome'] }))).toBe(true);
    // Both conflict entries (the collision and the decision) reach the server's audit trail too.
    const onServer = await until(
      async () =>
        (
          await server.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM audit_log WHERE action = 'conflict' AND source = 'local' AND entity_id = $1",
            [id],
          )
        ).rows[0]?.n ?? 0,
      (n) => n >= 2,
    );
    expect(onServer).toBe(2);
  }, 90_000);

  it('records nothing when the two devices changed different fields', async () => {
    const { a, b, id } = await sharedContact();
    await a.repos.contact.update(id, { jobTitle: 'Engineer' });
    b.time += 10_000;
    await b.repos.contact.update(id, { city: 'Bergen' });

    online(a);
    await inSync(a);
    online(b);
    await inSync(b, a);
    const onA = await until(
      () => a.repos.contact.get(id),
      (c) => c?.city === 'Bergen',
    );
    expect(onA).toMatchObject({ jobTitle: 'Engineer', city: 'Bergen' });
    expect(await b.repos.contact.get(id)).toEqual(onA);

    // B did merge (so the handler ran) yet nothing collided: nothing to review, no conflict entry.
    expect(await auditOf(b, id, 'merge')).not.toHaveLength(0);
    expect((await b.db.review.list()).collisions).toEqual([]);
    expect((await a.db.review.list()).collisions).toEqual([]);
    expect(await auditOf(b, id, 'conflict')).toEqual([]);
  }, 90_000);

  it('dismisses a collision without touching the record, audited', async () => {
    const { a, b, id } = await sharedContact();
    await a.repos.contact.update(id, { jobTitle: 'Engineer' });
    b.time += 10_000;
    await b.repos.contact.update(id, { jobTitle: 'Designer' });
    online(a);
    await inSync(a);
    online(b);
    await inSync(b);
    const [item] = (await b.db.review.list()).collisions;
    expect(item).toMatchObject({ field: 'jobTitle', mine: 'Designer', theirs: 'Engineer', kept: 'mine' });
    const before = await b.repos.contact.get(id);
    await b.db.review.dismiss(item?.id ?? '');
    expect((await b.db.review.list()).collisions).toEqual([]);
    expect(await b.repos.contact.get(id)).toEqual(before);
    const noted = await auditOf(b, id, 'conflict');
    expect(noted.map((e) => String(e.reason)).filter((r) => r.includes('dismissed'))).toHaveLength(1);
    await expect(b.db.review.dismiss(item?.id ?? '')).rejects.toThrow(/does not exist/);
  }, 90_000);
});

describe('sync review: writes the server refuses', () => {
  it('keeps a refused write with its reason across a restart, and "discard my change" restores the server state', async () => {
    const c = await device('user-c');
    online(c);
    const contact = await c.repos.contact.create({ firstName: 'Bob', email: 'bob@example.com' });
    await inSync(c);
    expect(
      await until(
        () => serverValue('contacts', contact.id, 'email'),
        (v) => v !== undefined,
      ),
    ).toBe('bob@example.com');

    // A rule of the server the device does not know (as a permission would be): the transport
    // spoils this one edit on the way, so the real server refuses it with its own reason.
    await offline(c);
    c.sync = startReplication(c.db, spoiling(contact.id), { batchSize: 100, retryTime: 200 });
    c.time += 5_000;
    await c.repos.contact.update(contact.id, { email: 'robert@example.com' });
    await inSync(c);

    const rejection = await until(
      async () => (await c.db.review.list()).rejections,
      (list) => list.length > 0,
    );
    expect(rejection).toHaveLength(1);
    expect(rejection[0]).toMatchObject({
      id: `contacts/${contact.id}`,
      collection: 'contacts',
      kind: 'contact',
      recordId: contact.id,
      field: 'email',
    });
    expect(rejection[0]?.reason).toMatch(/email/);
    expect(rejection[0]?.rejected.email).toBe('robert@example.com');
    expect(rejection[0]?.serverState?.email).toBe('bob@example.com');
    // The user's edit stays on the record; the server kept its own.
    expect((await c.repos.contact.get(contact.id))?.email).toBe('robert@example.com');
    expect(await serverValue('contacts', contact.id, 'email')).toBe('bob@example.com');

    await restart(c);
    expect((await c.db.review.list()).rejections).toEqual(rejection);
    expect((await c.repos.contact.get(contact.id))?.email).toBe('robert@example.com');

    await expect(c.db.review.discardRejected('contacts/unknown')).rejects.toThrow(
      /rejection contacts\/unknown does not exist/,
    );
    expect((await c.db.review.list()).rejections).toHaveLength(1);

    online(c);
    c.time += 5_000;
    await c.db.review.discardRejected(rejection[0]?.id ?? '');
    expect((await c.db.review.list()).rejections).toEqual([]);
    expect((await c.repos.contact.get(contact.id))?.email).toBe('bob@example.com');
    await inSync(c);
    // The restore is pushed (stale after the refusal, so merged) and accepted: nothing new is refused.
    for (const state of c.sync?.states.values() ?? []) state.reSync();
    await inSync(c);
    expect((await c.db.review.list()).rejections).toEqual([]);
    expect(c.sync?.rejected$.value).toEqual([]);
    expect(await serverValue('contacts', contact.id, 'email')).toBe('bob@example.com');
    const noted = await auditOf(c, contact.id, 'conflict');
    expect(noted).toHaveLength(1);
    expect(String(noted[0]?.reason)).toContain('rejected write discarded');
    const updates = await auditOf(c, contact.id, 'update');
    expect(
      updates.some(
        (e) => JSON.stringify(e.changes) === JSON.stringify({ email: ['robert@example.com', 'bob@example.com'] }),
      ),
    ).toBe(true);
  }, 90_000);
});
