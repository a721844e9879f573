import { describe, expect, it } from 'vitest';
import type { SyncTransport } from '../../src-renderer/db/sync-transport';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { type NodeDevice, syncDevices, until } from '../support/node-device-sync';

/**
 * The sync review store (src-renderer/db/sync-review.ts) with devices syncing through the real
 * server. A same-field collision is recorded by the device that performs the merge, the one whose
 * push came back stale: it alone sees base, mine and theirs. The other device only pulls a newer
 * record (the audit trail it pushed shows what it wrote).
 */

// Two collections per device: RxDB's open-source build allows 13 open collections per realm.
const COLLECTIONS: CollectionName[] = ['contacts', 'audit'];

const devices = syncDevices({ collections: COLLECTIONS });
const { device, online, offline, restart } = devices;

async function inSync(...ds: NodeDevice[]): Promise<void> {
  for (const d of ds) await d.sync?.awaitInSync();
}

async function auditOf(d: NodeDevice, entityId: string, action: string) {
  const docs = await d.t.db.rx.audit.find({ selector: { entityId, action } }).exec();
  return docs.map((doc) => doc.toJSON() as Record<string, unknown>);
}

/** The device's HTTP to the test server, but pushes of `id` carry an email the server refuses. */
function spoiling(id: string): (http: SyncTransport) => SyncTransport {
  return (http) => ({
    ...http,
    push: (collection, request) =>
      http.push(collection, {
        rows: request.rows.map((row) =>
          row.newDocumentState.id === id
            ? { ...row, newDocumentState: { ...row.newDocumentState, email: 'not-an-email' } }
            : row,
        ),
      }),
  });
}

async function serverValue(table: string, id: string, column: string): Promise<unknown> {
  const { rows } = await devices.server.db.query<Record<string, unknown>>(
    `SELECT ${column} FROM ${table} WHERE id = $1`,
    [id],
  );
  return rows[0]?.[column];
}

/** Two devices with one shared contact, both offline, both holding the same synced state. */
async function sharedContact(): Promise<{ a: NodeDevice; b: NodeDevice; id: string }> {
  const a = await device('user-a');
  const b = await device('user-b');
  online(a);
  online(b);
  const contact = await a.t.repos.contact.create({ firstName: 'Grace', jobTitle: 'Analyst', city: 'Oslo' });
  await until(
    () => b.t.repos.contact.get(contact.id),
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
    a.t.tick(20_000);
    await a.t.repos.contact.update(id, { city: 'Paris' });
    b.t.tick(10_000);
    await b.t.repos.contact.update(id, { city: 'Rome' });

    online(a);
    await inSync(a);
    online(b);
    await inSync(b, a);
    const onA = await until(
      () => a.t.repos.contact.get(id),
      (c) => c?.updatedBy === 'user-a' && c.city === 'Paris',
    );
    expect((await b.t.repos.contact.get(id))?.city).toBe('Paris');
    expect(onA?.city).toBe('Paris');

    const { collisions } = await b.t.db.review.list();
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
    expect((await a.t.db.review.list()).collisions).toEqual([]);

    // The collision is in B's audit trail with the losing and the kept value.
    const noted = await auditOf(b, id, 'conflict');
    expect(noted).toHaveLength(1);
    expect(noted[0]?.changes).toEqual({ city: ['Rome', 'Paris'] });
    expect(String(noted[0]?.reason)).toContain('city: base "Oslo", mine "Rome", theirs "Paris", kept theirs');

    await restart(b);
    const afterRestart = (await b.t.db.review.list()).collisions;
    expect(afterRestart).toEqual(collisions);
    const observed = await new Promise((resolve) => {
      const sub = b.t.db.review.collisions$.subscribe((list) => {
        if (list.length > 0) {
          resolve(list);
          queueMicrotask(() => sub.unsubscribe());
        }
      });
    });
    expect(observed).toEqual(collisions);

    // Bad input changes nothing and says what is wrong.
    await expect(b.t.db.review.resolveCollision('contacts/nope/city', { keep: 'mine' })).rejects.toThrow(
      /collision contacts\/nope\/city does not exist/,
    );
    await expect(b.t.db.review.resolveCollision(item?.id ?? '', { value: 'x'.repeat(101) })).rejects.toThrow(/city/);
    expect((await b.t.repos.contact.get(id))?.city).toBe('Paris');
    expect((await b.t.db.review.list()).collisions).toHaveLength(1);
    expect(await auditOf(b, id, 'conflict')).toHaveLength(1);

    online(b);
    online(a);
    b.t.tick(60_000);
    await b.t.db.review.resolveCollision(item?.id ?? '', { keep: 'mine' });
    expect((await b.t.db.review.list()).collisions).toEqual([]);
    expect((await b.t.repos.contact.get(id))?.city).toBe('Rome');
    await inSync(b, a);
    const resolvedOnA = await until(
      () => a.t.repos.contact.get(id),
      (c) => c?.city === 'Rome',
    );
    expect(resolvedOnA?.city).toBe('Rome');
    expect(
      await until(
        () => serverValue('contacts', id, 'city'),
        (v) => v === 'Rome',
      ),
    ).toBe('Rome');
    expect(resolvedOnA).toEqual(await b.t.repos.contact.get(id));

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
          await devices.server.db.query<{ n: number }>(
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
    await a.t.repos.contact.update(id, { jobTitle: 'Engineer' });
    b.t.tick(10_000);
    await b.t.repos.contact.update(id, { city: 'Bergen' });

    online(a);
    await inSync(a);
    online(b);
    await inSync(b, a);
    const onA = await until(
      () => a.t.repos.contact.get(id),
      (c) => c?.city === 'Bergen',
    );
    expect(onA).toMatchObject({ jobTitle: 'Engineer', city: 'Bergen' });
    expect(await b.t.repos.contact.get(id)).toEqual(onA);

    // B did merge (so the handler ran) yet nothing collided: nothing to review, no conflict entry.
    expect(await auditOf(b, id, 'merge')).not.toHaveLength(0);
    expect((await b.t.db.review.list()).collisions).toEqual([]);
    expect((await a.t.db.review.list()).collisions).toEqual([]);
    expect(await auditOf(b, id, 'conflict')).toEqual([]);
  }, 90_000);

  it('dismisses a collision without touching the record, audited', async () => {
    const { a, b, id } = await sharedContact();
    await a.t.repos.contact.update(id, { jobTitle: 'Engineer' });
    b.t.tick(10_000);
    await b.t.repos.contact.update(id, { jobTitle: 'Designer' });
    online(a);
    await inSync(a);
    online(b);
    await inSync(b);
    const [item] = (await b.t.db.review.list()).collisions;
    expect(item).toMatchObject({ field: 'jobTitle', mine: 'Designer', theirs: 'Engineer', kept: 'mine' });
    const before = await b.t.repos.contact.get(id);
    await b.t.db.review.dismiss(item?.id ?? '');
    expect((await b.t.db.review.list()).collisions).toEqual([]);
    expect(await b.t.repos.contact.get(id)).toEqual(before);
    const noted = await auditOf(b, id, 'conflict');
    expect(noted.map((e) => String(e.reason)).filter((r) => r.includes('dismissed'))).toHaveLength(1);
    await expect(b.t.db.review.dismiss(item?.id ?? '')).rejects.toThrow(/does not exist/);
  }, 90_000);
});

describe('sync review: writes the server refuses', () => {
  it('keeps a refused write with its reason across a restart, and "discard my change" restores the server state', async () => {
    const c = await device('user-c');
    online(c);
    const contact = await c.t.repos.contact.create({ firstName: 'Bob', email: 'bob@example.com' });
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
    online(c, { transport: spoiling(contact.id) });
    c.t.tick(5_000);
    await c.t.repos.contact.update(contact.id, { email: 'robert@example.com' });
    await inSync(c);

    const rejection = await until(
      async () => (await c.t.db.review.list()).rejections,
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
    expect((await c.t.repos.contact.get(contact.id))?.email).toBe('robert@example.com');
    expect(await serverValue('contacts', contact.id, 'email')).toBe('bob@example.com');

    await restart(c);
    expect((await c.t.db.review.list()).rejections).toEqual(rejection);
    expect((await c.t.repos.contact.get(contact.id))?.email).toBe('robert@example.com');

    await expect(c.t.db.review.discardRejected('contacts/unknown')).rejects.toThrow(
      /rejection contacts\/unknown does not exist/,
    );
    expect((await c.t.db.review.list()).rejections).toHaveLength(1);

    online(c);
    c.t.tick(5_000);
    await c.t.db.review.discardRejected(rejection[0]?.id ?? '');
    expect((await c.t.db.review.list()).rejections).toEqual([]);
    expect((await c.t.repos.contact.get(contact.id))?.email).toBe('bob@example.com');
    await inSync(c);
    // The restore is pushed (stale after the refusal, so merged) and accepted: nothing new is refused.
    for (const state of c.sync?.states.values() ?? []) state.reSync();
    await inSync(c);
    expect((await c.t.db.review.list()).rejections).toEqual([]);
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
