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

  it('sends a large offline batch as concurrent parts and merges the conflicts each part answers', async () => {
    const a = await device('user-parts-a');
    const b = await device('user-parts-b');
    const created = await a.t.repos.contact.bulkCreate(
      Array.from({ length: 600 }, (_, i) => ({ firstName: `Part${i}`, city: 'Oslo' })),
    );
    expect(created.written).toBe(600);
    const ids = (await a.t.repos.contact.list()).map((c) => c.id).sort();
    await online(a, { batchSize: 1000 }).awaitInSync();
    online(b, { batchSize: 1000 });
    await until(
      () => b.t.repos.contact.list(),
      (l) => l.length === 600,
    );
    await b.sync?.awaitInSync();
    await offline(a);
    await offline(b);

    // B changes the city of one record in each half of A's coming batch and pushes first.
    const touched = [ids[3], ids[500]] as string[];
    for (const id of touched) await b.t.repos.contact.update(id, { city: 'Bergen' });
    online(b, { batchSize: 1000 });
    await b.sync?.awaitInSync();

    // A edits all 600 offline; its push of 600 goes as two requests of 300, in flight together.
    await a.t.repos.contact.bulkUpdate(ids.map((id) => ({ id, patch: { jobTitle: 'Engineer' } })));
    const sizes: number[] = [];
    let inFlight = 0;
    let together = 0;
    online(a, {
      batchSize: 1000,
      transport: (http) => ({
        ...http,
        async push(collection, body) {
          if (collection === 'contacts') sizes.push(body.rows.length);
          together = Math.max(together, ++inFlight);
          try {
            return await http.push(collection, body);
          } finally {
            inFlight--;
          }
        },
      }),
    });
    await a.sync?.awaitInSync();
    await until(
      async () =>
        (
          await devices.server.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM contacts WHERE job_title = 'Engineer'",
          )
        ).rows[0]?.n,
      (n) => n === 600,
    );
    expect(sizes.slice(0, 2)).toEqual([300, 300]);
    expect(together).toBeGreaterThanOrEqual(2);
    const { rows } = await devices.server.db.query<{ id: string; city: string; job_title: string }>(
      'SELECT id, city, job_title FROM contacts WHERE id = ANY($1::text[]) ORDER BY id',
      [touched],
    );
    // Both conflicts merged: B's city and A's job title, nothing lost on either side.
    expect(rows.map((r) => [r.city, r.job_title])).toEqual([
      ['Bergen', 'Engineer'],
      ['Bergen', 'Engineer'],
    ]);
    expect(a.sync?.rejected$.value).toEqual([]);
  }, 90_000);

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
