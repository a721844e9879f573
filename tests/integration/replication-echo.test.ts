import { describe, expect, it } from 'vitest';
import { type NodeDevice, syncDevices, until as untilValue } from '../support/node-device-sync';
import { caughtUp } from '../support/sync-horizon';

/**
 * A device's own accepted writes come back on its next pull (the echo). The device recognises
 * them and does not hand them to RxDB again (push-echoes.ts); these tests pin that, and that
 * nothing else is held back: a row the server changed, a row changed and changed back, another
 * device's write, and everything for a device that starts afresh under the same device id.
 */

const devices = syncDevices({ collections: ['contacts', 'audit'], batchSize: 10 });
const { device, online } = devices;

/** Pulls until the server's changes so far are in (a direct SQL write announces nothing). */
async function pullNow(d: NodeDevice) {
  await caughtUp(devices.server.db);
  d.sync?.states.get('contacts')?.reSync();
  await d.sync?.awaitInSync();
}

/** This file's waits give up after 15 s (the shared default is 10 s), as they always have. */
const until = <T>(read: () => Promise<T> | T, ok: (value: T) => boolean) => untilValue(read, ok, 15_000);

const activity = (d: NodeDevice) => d.sync?.activity$.value.get('contacts');

/** Sets the stored row's job title as a server-side write would: a new transaction stamps it. */
async function serverSetsJobTitle(ids: readonly string[], jobTitle: string | null) {
  await devices.server.db.query(
    'UPDATE contacts SET job_title = $1, sync_txid = pg_current_xact_id(), server_updated_at = now() WHERE id = ANY($2)',
    [jobTitle, ids],
  );
}

describe('the echo of a device’s own pushes (real Postgres)', () => {
  it('is sent by the server but not handed to RxDB again', async () => {
    const a = await device('user-echo-a');
    const created = [];
    for (let i = 0; i < 30; i++) created.push(await a.t.repos.contact.create({ firstName: `Echo ${i}` }));
    online(a);
    await a.sync?.awaitInSync();
    await pullNow(a);
    const seen = await until(
      () => activity(a),
      (x) => (x?.echoes ?? 0) >= 27 && (x?.received ?? 0) >= 30,
    );
    // A pull that finds only echoes hands RxDB its last one (for the checkpoint). The 30 go up in
    // three pushes of 10 and the stream may wake a pull after each, so 27 to 29 (a loaded CI
    // machine counted 28, a quiet one 29). The old code counted 0.
    expect(seen?.echoes).toBeGreaterThanOrEqual(27);
    expect(seen?.received).toBeGreaterThanOrEqual(30);
    for (const c of created) expect(await a.t.repos.contact.get(c.id)).toEqual(c);
  }, 60_000);

  it('lets through the state the server stored when it differs from what was pushed', async () => {
    const a = await device('user-echo-b');
    const created = [];
    for (let i = 0; i < 12; i++) created.push(await a.t.repos.contact.create({ firstName: `Changed ${i}` }));
    // The server changes every pushed row before its answer reaches the device.
    online(a, {
      transport: (inner) => ({
        ...inner,
        async push(collection, request) {
          const response = await inner.push(collection, request);
          if (collection === 'contacts') {
            await serverSetsJobTitle(
              request.rows.map((r) => r.newDocumentState.id),
              'Set by the server',
            );
          }
          return response;
        },
      }),
    });
    await a.sync?.awaitInSync();
    await pullNow(a);
    for (const c of created) {
      const local = await until(
        () => a.t.repos.contact.get(c.id),
        (x) => x?.jobTitle === 'Set by the server',
      );
      expect(local?.jobTitle).toBe('Set by the server');
    }
  }, 60_000);

  it('lets through a row changed and changed back to the state the device pushed', async () => {
    const a = await device('user-echo-c');
    const contact = await a.t.repos.contact.create({ firstName: 'Boomerang' });
    const other = await a.t.repos.contact.create({ firstName: 'Bystander' });
    online(a);
    await a.sync?.awaitInSync();
    await pullNow(a);
    await serverSetsJobTitle([contact.id], 'Elsewhere');
    await pullNow(a);
    expect(
      (
        await until(
          () => a.t.repos.contact.get(contact.id),
          (x) => x?.jobTitle === 'Elsewhere',
        )
      )?.jobTitle,
    ).toBe('Elsewhere');
    // Back to exactly what the device once pushed: news to the device, which holds 'Elsewhere'.
    // Pulled beside another change, so it is not the one document a pull of echoes hands over.
    await serverSetsJobTitle([contact.id], null);
    await serverSetsJobTitle([other.id], 'Moved on');
    await pullNow(a);
    await until(
      () => a.t.repos.contact.get(other.id),
      (x) => x?.jobTitle === 'Moved on',
    );
    expect(await a.t.repos.contact.get(contact.id)).toEqual(contact);
  }, 60_000);

  it('lets another device’s write through, and gives a device starting afresh under the same id everything', async () => {
    const a = await device('user-echo-d');
    const created = [];
    for (let i = 0; i < 15; i++) created.push(await a.t.repos.contact.create({ firstName: `Kept ${i}` }));
    online(a);
    await a.sync?.awaitInSync();
    await pullNow(a);

    // Same user, another device: edits one of A's records.
    const b = await device('user-echo-d', 'dev-user-echo-d-2');
    online(b);
    await pullNow(b);
    const first = created[0];
    if (!first) throw new Error('no contact');
    await until(
      () => b.t.repos.contact.get(first.id),
      (x) => x !== undefined,
    );
    await b.t.repos.contact.update(first.id, { jobTitle: 'Edited on B' });
    await b.sync?.awaitInSync();
    await pullNow(a);
    expect(
      (
        await until(
          () => a.t.repos.contact.get(first.id),
          (x) => x?.jobTitle === 'Edited on B',
        )
      )?.jobTitle,
    ).toBe('Edited on B');

    // A reinstalled: an empty database under A's device id receives all of A's own writes.
    const again = await device('user-echo-d');
    online(again);
    await pullNow(again);
    const ids = created.map((c) => c.id);
    const held = await until(
      async () => (await again.t.db.rx.contacts.findByIds(ids).exec()).size,
      (n) => n === ids.length,
    );
    expect(held).toBe(ids.length);
    for (const c of created.slice(1)) expect(await again.t.repos.contact.get(c.id)).toEqual(c);
    expect(activity(again)?.echoes ?? 0).toBe(0);
  }, 90_000);
});
