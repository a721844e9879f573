import type { RxReplicationState } from 'rxdb/plugins/replication';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncTransport } from '../../src-renderer/db/sync-transport';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import type { SyncCheckpoint } from '../../src-shared/sync/protocol';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, offlineDevice, replicateDevice, syncDevice } from '../support/node-device-sync';
import { caughtUp } from '../support/sync-horizon';
import { startTestServer, type TestServer } from '../support/sync-server';
import { PERSON, seedPerson } from './gdpr-fixtures';
import { ORG_USERS, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * A write the server refuses for good is answered with a newer server state (the erasure guard's
 * anonymised row of a person edited offline, its tombstone of a note written offline about them;
 * resend-removed.ts for removed rows), which the device's next pull must apply. RxDB's downstream skips a pulled document while the
 * device's copy differs from the stored master state (a local write not pushed yet), and it only
 * stores the refused row as that state after the push handler has returned. A pull that lands in
 * between (seen once in CI: gdpr-erasure's note stayed on the device) skipped the tombstone and
 * moved its checkpoint past it for good: the device kept the note, and the person's name, e-mail
 * and phone in its copy of them. Here the push's answer is held until such a pull has been
 * written, so the race happens on every run.
 */

type State = RxReplicationState<StoredDoc, SyncCheckpoint>;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_erasure_pull', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: async (_app, db) => {
      await seedOrg(db);
      await seedPerson(db);
    },
  });
});

const devices: NodeDevice[] = [];
afterAll(async () => {
  await closeDevices(devices);
  await server?.close();
});

const COLLECTIONS: CollectionName[] = ['contacts', 'activities', 'audit'];

async function repDevice(): Promise<NodeDevice> {
  const userId = ORG_USERS.repA1.id;
  let seq = 0;
  const t = await openTestDb({
    collections: COLLECTIONS,
    actor: () => ({ userId, deviceId: `dev-${userId}` }),
    newId: () => `${userId}-refused-${++seq}`,
  });
  const d: NodeDevice = { t };
  devices.push(d);
  return d;
}

function atOrPast(a: SyncCheckpoint, b: SyncCheckpoint): boolean {
  const [ta, tb] = [BigInt(a.txid), BigInt(b.txid)];
  return ta !== tb ? ta > tb : a.id >= b.id;
}

/** Resolves once the state's downstream has stored a checkpoint at or past `checkpoint`. */
function downCheckpointStored(state: State, checkpoint: SyncCheckpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription?.unsubscribe();
      reject(new Error('the pull of the refused write was never written'));
    }, 10_000);
    const subscription = state.metaInstance?.changeStream().subscribe((bulk) => {
      for (const event of bulk.events) {
        const doc = event.documentData;
        const at = doc.checkpointData;
        if (doc.isCheckpoint === '1' && doc.itemId === 'down' && at && atOrPast(at, checkpoint)) {
          clearTimeout(timer);
          subscription?.unsubscribe();
          resolve();
        }
      }
    });
  });
}

/**
 * Makes the pull that brings the server's answer to a refused write run between the server's commit
 * and RxDB storing the push's result, for each `[collection, id]` of `refusals`: the collection's
 * pulls wait until the push refusing `id` is answered, and that answer is held until RxDB's
 * downstream has written a pull that brought `id` again. (While the upstream's first sync runs,
 * RxDB defers the pulls change events ask for, not its own first pull: that is the one held here.)
 */
function pullDuringRefusals(d: NodeDevice, refusals: readonly [CollectionName, string][]) {
  const pulledDuringPush = new Set<string>();
  const races = new Map(
    refusals.map(([collection, id]) => {
      let answered!: () => void;
      const refusalAnswered = new Promise<void>((resolve) => {
        answered = resolve;
      });
      let pulledAt!: (checkpoint: SyncCheckpoint) => void;
      const pulled = new Promise<SyncCheckpoint>((resolve) => {
        pulledAt = resolve;
      });
      return [collection, { id, answered, refusalAnswered, pulledAt, pulled }] as const;
    }),
  );
  const wrap = (http: SyncTransport): SyncTransport => ({
    ...http,
    async pull(name, request) {
      const race = races.get(name);
      if (!race || pulledDuringPush.has(race.id)) return http.pull(name, request);
      await race.refusalAnswered;
      // Pulls serve rows below the cluster's oldest running transaction (sync-horizon.ts).
      await caughtUp(server.db);
      const response = await http.pull(name, request);
      if (response.documents.some((doc) => doc.id === race.id) && response.checkpoint) {
        pulledDuringPush.add(race.id);
        race.pulledAt(response.checkpoint);
      }
      return response;
    },
    async push(name, request) {
      const response = await http.push(name, request);
      const race = races.get(name);
      if (!race || !response.rejected.some((r) => r.id === race.id)) return response;
      const state = d.sync?.states.get(name);
      if (!state) throw new Error(`no replication of ${name}`);
      race.answered();
      await downCheckpointStored(state, await race.pulled);
      return response;
    },
  });
  return { wrap, pulledDuringPush };
}

/** Syncs the device until `done` holds of what it reads, for at most 5 s. */
async function syncUntil(d: NodeDevice, done: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 5_000;
  while (!(await done()) && Date.now() < end) {
    await syncDevice(server, d);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('writes refused for an erased person', () => {
  it("take the server's answer even when it is pulled before the push is answered", async () => {
    const rep = await repDevice();
    await syncDevice(server, rep);
    await offlineDevice(rep);

    // Offline: an edit of the person and a note about them; they are erased meanwhile.
    await rep.t.repos.contact.update(PERSON.id, { lastName: 'Quixmore-Offline', phone: '+44 7700 900461' });
    const note = await rep.t.repos.note.create({
      subjectType: 'contact',
      subjectId: PERSON.id,
      body: 'Zorblatt called back',
      noteType: 'call',
      pinned: false,
    });
    const erased = await fetch(`${server.url}/privacy/subjects/contact/${PERSON.id}/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user-id': ORG_USERS.admin.id },
      body: JSON.stringify({ reason: 'Art. 17 request, ticket 4712' }),
    });
    expect(erased.status).toBe(200);

    const race = pullDuringRefusals(rep, [
      ['contacts', PERSON.id],
      ['activities', note.id],
    ]);
    const replication = replicateDevice(server, rep, { transport: race.wrap });
    await syncDevice(server, rep);
    expect([...race.pulledDuringPush].sort()).toEqual([PERSON.id, note.id].sort());

    const contact = () => rep.t.repos.contact.get(PERSON.id);
    await syncUntil(
      rep,
      async () => (await rep.t.repos.note.get(note.id)) === undefined && (await contact())?.phone === undefined,
    );
    expect(await rep.t.repos.note.get(note.id)).toBeUndefined();
    expect(await contact()).toMatchObject({ firstName: '[erased]' });
    expect((await contact())?.lastName).toBeUndefined();
    expect((await contact())?.phone).toBeUndefined();
    // The refusals stay visible, in the session and in the review store.
    const rejected = new Map(replication.rejected$.value.map((r) => [r.id, r]));
    expect(rejected.get(note.id)).toMatchObject({ collection: 'activities', field: 'subjectId' });
    expect(rejected.get(PERSON.id)).toMatchObject({ collection: 'contacts', field: 'id' });
    const { rejections } = await rep.t.db.review.list();
    expect(rejections.map((r) => r.recordId).sort()).toEqual([PERSON.id, note.id].sort());
  });
});
