import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReplication } from '../../src-renderer/db/replication';
import { httpTransport, type SyncTransport } from '../../src-renderer/db/sync-transport';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, offlineDevice, syncDevice } from '../support/node-device-sync';
import { caughtUp } from '../support/sync-horizon';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ORG_USERS, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * Consent before communications (README "Consent"): a rep grants a contact's email consent offline
 * and logs an email to them right after. The two sync in different collections; here the email's
 * push is forced to reach the server first, so the server's consent check refuses it and the
 * device sets it aside. Once the consent is on the server the device sends the email again by
 * itself (src-renderer/db/consent-retry.ts): no user action, nothing left to review.
 * Real Postgres, a Node RxDB device replicating over HTTP.
 */

const REP = ORG_USERS.repA1.id;
const COLLECTIONS: CollectionName[] = ['contacts', 'activities', 'settings', 'audit'];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_consent_order', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: (_app, db) => seedOrg(db),
  });
});
afterAll(async () => {
  await server?.close();
});

const devices: NodeDevice[] = [];
afterEach(async () => {
  await closeDevices(devices);
});

/** The HTTP transport, with every settings push held until the first activities push was answered. */
function activitiesFirst(): { transport: SyncTransport; order: string[] } {
  const inner = httpTransport({ baseUrl: server.url, headers: () => ({ 'x-user-id': REP }) });
  const order: string[] = [];
  let open = () => {};
  const activitiesAnswered = new Promise<void>((resolve) => {
    open = resolve;
  });
  const transport: SyncTransport = {
    ...inner,
    async push(collection, body) {
      if (collection === 'settings' && body.rows.some((r) => r.newDocumentState.kind === 'consent')) {
        await activitiesAnswered;
      }
      const response = await inner.push(collection, body);
      if (collection === 'activities') {
        const refused = response.rejected.map((r) => r.id);
        order.push(`activities${refused.length > 0 ? ` refused ${refused.join(',')}` : ''}`);
        open();
      }
      if (collection === 'settings') order.push('settings');
      return response;
    },
  };
  return { transport, order };
}

async function serverHas(id: string, ms = 20_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    const { rows } = await server.db.query('SELECT id FROM communications WHERE id = $1', [id]);
    if (rows.length > 0) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('an email logged right after an offline consent', () => {
  it('reaches the server on its own after being refused for the consent that arrived later', async () => {
    let seq = 0;
    const t = await openTestDb({
      collections: COLLECTIONS,
      actor: () => ({ userId: REP, deviceId: 'dev-consent' }),
      newId: () => `dev-consent-${++seq}`,
    });
    const d: NodeDevice = { t };
    devices.push(d);
    await syncDevice(server, d);
    await offlineDevice(d);

    await t.repos.consent.create({
      ownerId: REP,
      subjectType: 'contact',
      subjectId: 'c_a1',
      channel: 'email',
      status: 'granted',
      legalBasis: 'consent',
      source: 'Trade fair',
      at: '2026-11-01T08:59:00.000Z',
      proofText: 'Signed the form at the stand',
    } as never);
    const email = await t.repos.communication.create({
      ownerId: REP,
      type: 'email',
      direction: 'outbound',
      status: 'sent',
      subjectType: 'contact',
      subjectId: 'c_a1',
      contactId: 'c_a1',
      subject: 'The brochure you asked for',
      occurredAt: '2026-11-01T09:00:00.000Z',
    } as never);
    const emailId = String((email as { id: string }).id);
    // A minute later the device is back online (the retry is a new write: its updatedAt moves on).
    t.tick(60_000);

    const { transport, order } = activitiesFirst();
    d.sync = startReplication(t.db, transport, { batchSize: 100, retryTime: 200 });
    await caughtUp(server.db);

    const arrived = await serverHas(emailId);
    expect(arrived, JSON.stringify({ order, review: await t.db.review.list() })).toBe(true);
    // It was refused first (the order this test forces), then went through without anyone retrying it.
    expect(order[0]).toBe(`activities refused ${emailId}`);
    expect(order).toContain('settings');
    await d.sync.awaitInSync();
    expect((await t.db.review.list()).rejections).toEqual([]);
    const { rows } = await server.db.query<{ status: string }>('SELECT status FROM consents WHERE subject_id = $1', [
      'c_a1',
    ]);
    expect(rows).toEqual([{ status: 'granted' }]);
  });
});
