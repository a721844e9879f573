import { describe, expect, it } from 'vitest';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { syncDevices, until } from '../support/node-device-sync';

// Three collections per device: RxDB's open-source build allows 13 open collections per realm.
const COLLECTIONS: CollectionName[] = ['contacts', 'deals', 'audit'];

const devices = syncDevices({ collections: COLLECTIONS });
const { device, online, offline } = devices;

describe('replication between devices through the sync server (real Postgres)', () => {
  it('carries records both ways and keeps the audit trail on the server', async () => {
    const a = await device('user-a');
    const b = await device('user-b');
    const contact = await a.t.repos.contact.create({ firstName: 'Ada', email: 'ada@example.com' });
    await b.t.repos.deal.create({ name: 'Big deal', amount: 500_000, currency: 'EUR' });
    online(a);
    online(b);
    await a.sync?.awaitInSync();
    await b.sync?.awaitInSync();
    const seenByB = await until(
      () => b.t.repos.contact.get(contact.id),
      (c) => c !== undefined,
    );
    expect(seenByB).toEqual(contact);
    const dealsOnA = await until(
      () => a.t.repos.deal.list(),
      (l) => l.length === 1,
    );
    expect(dealsOnA[0]?.name).toBe('Big deal');

    // Each device's own audit entries reach the server (push-only), beside the server's own.
    const localEntries = await until(
      async () =>
        (
          await devices.server.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM audit_log WHERE source = 'local'",
          )
        ).rows[0]?.n ?? 0,
      (n) => n >= 2,
    );
    expect(localEntries).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('delivers a live change to the other device without polling', async () => {
    const a = await device('user-a');
    const b = await device('user-b');
    online(a);
    online(b);
    await a.sync?.awaitInSync();
    await b.sync?.awaitInSync();
    const contact = await a.t.repos.contact.create({ firstName: 'Live' });
    const started = Date.now();
    const seen = await until(
      () => b.t.repos.contact.get(contact.id),
      (c) => c !== undefined,
    );
    expect(seen?.firstName).toBe('Live');
    expect(Date.now() - started).toBeLessThan(5000);
    await a.t.repos.contact.update(contact.id, { jobTitle: 'CEO' });
    expect(
      (
        await until(
          () => b.t.repos.contact.get(contact.id),
          (c) => c?.jobTitle === 'CEO',
        )
      )?.jobTitle,
    ).toBe('CEO');
  }, 60_000);

  it('merges offline edits of different fields of one record instead of losing one', async () => {
    const a = await device('user-a');
    const b = await device('user-b');
    online(a);
    online(b);
    const contact = await a.t.repos.contact.create({ firstName: 'Grace', jobTitle: 'Analyst', city: 'Oslo' });
    await until(
      () => b.t.repos.contact.get(contact.id),
      (c) => c !== undefined,
    );
    await a.sync?.awaitInSync();
    await b.sync?.awaitInSync();
    await offline(a);
    await offline(b);

    await a.t.repos.contact.update(contact.id, { jobTitle: 'Engineer' });
    b.t.tick(10_000);
    await b.t.repos.contact.update(contact.id, { city: 'Bergen' });

    online(a);
    await a.sync?.awaitInSync();
    online(b);
    await b.sync?.awaitInSync();
    await a.sync?.awaitInSync();

    const expected = { jobTitle: 'Engineer', city: 'Bergen' };
    const onA = await until(
      () => a.t.repos.contact.get(contact.id),
      (c) => c?.city === 'Bergen',
    );
    const onB = await until(
      () => b.t.repos.contact.get(contact.id),
      (c) => c?.jobTitle === 'Engineer',
    );
    expect(onA).toMatchObject(expected);
    expect(onB).toEqual(onA);
    const merges = await b.t.db.rx.audit.find({ selector: { action: 'merge' } }).exec();
    expect(merges.length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('keeps batches within what the server accepts, whatever size is asked for', async () => {
    const a = await device('user-big');
    const contact = await a.t.repos.contact.create({ firstName: 'Big', email: 'big@example.com' });
    // 5,000 is over MAX_PULL_LIMIT: unclamped, every pull is refused and RxDB retries it forever.
    await online(a, { batchSize: 5000 }).awaitInSync();
    const b = await device('user-big-b');
    online(b);
    await b.sync?.awaitInSync();
    expect(
      (
        await until(
          () => b.t.repos.contact.get(contact.id),
          (c) => c !== undefined,
        )
      )?.firstName,
    ).toBe('Big');
  }, 30_000);
});
