import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueEmail } from '../../src-renderer/features/communications/send-email';
import { observeTimeline } from '../../src-renderer/features/timeline/timeline.queries';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { IntegrationsWorker } from '../../sync-server/src/integrations/integrations.worker';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, offlineDevice, syncDevice } from '../support/node-device-sync';
import { type LocalSmtp, localSmtp } from '../support/smtp';
import { startTestServer, type TestServer } from '../support/sync-server';
import { doc, ORG_USERS, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';

/**
 * "Send email" while the device is offline (issue 8): rep A1's device queues two emails with the
 * app's own code while offline; on reconnect it syncs them; the server's integrations worker sends
 * them through a local SMTP server, checking consent again just before sending (a withdrawal
 * recorded on the server after the push stops the second); the device pulls the outcome and its
 * timeline shows the sent email. Real Postgres, the real sync server, an RxDB device over HTTP.
 */

const REP = ORG_USERS.repA1.id;
const COLLECTIONS: CollectionName[] = ['contacts', 'activities', 'tasks', 'content', 'settings', 'audit'];
const T0 = new Date('2026-04-01T00:00:00.000Z');

let server: TestServer;
let smtp: LocalSmtp;
const devices: NodeDevice[] = [];
beforeAll(async () => {
  smtp = await localSmtp();
  server = await startTestServer('crm_email_offline', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: async (_app, db) => {
      await seedOrg(db);
      await seed(db, 'contacts', [
        doc('contact', 'c_bob', { ownerId: REP, createdBy: REP, updatedBy: REP, firstName: 'Bob' }),
      ]);
      await seed(db, 'settings', [
        consent('cs_alice', 'c_a1', 'granted', T0),
        consent('cs_bob', 'c_bob', 'granted', T0),
      ]);
    },
  });
});
afterAll(async () => {
  await closeDevices(devices);
  await server?.close();
  await smtp?.close();
});

function consent(id: string, subjectId: string, status: 'granted' | 'withdrawn', at: Date) {
  return doc('consent', id, {
    ownerId: REP,
    createdBy: REP,
    updatedBy: REP,
    subjectType: 'contact',
    subjectId,
    channel: 'email',
    status,
    legalBasis: 'consent',
    source: 'web form',
    at: at.toISOString(),
  });
}

const sendEmails = (now: Date) =>
  new IntegrationsWorker({
    db: server.db,
    now: () => now,
    smtp: { host: '127.0.0.1', port: smtp.port, from: 'crm@example.com', secure: false },
  }).sendEmails();

describe('an email queued on an offline device is sent by the server on reconnect', () => {
  it('sends it over SMTP once synced, checks consent at sending, and shows it on the timeline', async () => {
    let seq = 0;
    const t = await openTestDb({
      collections: COLLECTIONS,
      actor: () => ({ userId: REP, deviceId: 'dev-mail' }),
      newId: () => `dev-mail-${++seq}`,
    });
    const d: NodeDevice = { t };
    devices.push(d);
    await syncDevice(server, d);
    await offlineDevice(d);

    const now = new Date(t.db.clock.now());
    const { communication: toAlice } = await queueEmail(t.repos, {
      subjectType: 'contact',
      subjectId: 'c_a1',
      to: ['alice@customer.example'],
      subject: 'Your quote',
      body: 'Hello Alice,\nhere is the quote.',
      now,
    });
    const { communication: toBob } = await queueEmail(t.repos, {
      subjectType: 'contact',
      subjectId: 'c_bob',
      to: ['bob@customer.example'],
      subject: 'Following up',
      body: 'Hello Bob',
      now,
    });
    const queued = async () => (await server.db.query('SELECT communication_id FROM email_sends')).rows;
    expect(await queued()).toEqual([]);
    expect(await sendEmails(new Date())).toEqual([]);

    // Back online: the device pushes both; the server queues them in the same transaction.
    await syncDevice(server, d);
    expect((await queued()).map((r) => r.communication_id).sort()).toEqual([toAlice.id, toBob.id].sort());
    // Bob withdraws (recorded on the server) after the push and before the server sends.
    await seed(server.db, 'settings', [consent('cs_bob_w', 'c_bob', 'withdrawn', new Date(Date.now() - 1000))]);
    const outcomes = await sendEmails(new Date());
    expect(outcomes.map((o) => [o.communicationId, o.status]).sort()).toEqual(
      [
        [toAlice.id, 'sent'],
        [toBob.id, 'failed'],
      ].sort(),
    );
    expect(outcomes.find((o) => o.communicationId === toBob.id)?.error).toMatch(/contact c_bob.*email/i);
    expect(await sendEmails(new Date(Date.now() + 86_400_000))).toEqual([]); // once
    expect(smtp.mails.map((m) => [m.from, m.to])).toEqual([['crm@example.com', ['alice@customer.example']]]);
    expect(smtp.mails[0]?.raw).toContain('Subject: Your quote');
    expect(smtp.mails[0]?.raw).toContain(`Message-ID: <${toAlice.id}@fieldcrm>`);

    // The device pulls the outcome: the timeline shows the email as sent, Bob's as not sent and why.
    await syncDevice(server, d);
    expect(await t.repos.communication.get(toAlice.id)).toMatchObject({
      status: 'sent',
      outcome: 'Sent',
      fromAddress: 'crm@example.com',
    });
    expect(await t.repos.communication.get(toBob.id)).toMatchObject({
      status: 'cancelled',
      outcome: expect.stringMatching(/^Not sent: /),
    });
    const timeline = await firstValueFrom(observeTimeline(t.repos, 'contact', 'c_a1', 20));
    expect(timeline.items.filter((i) => i.kind === 'communication')).toMatchObject([
      { id: toAlice.id, type: 'email', title: 'Your quote', status: 'sent', detail: expect.stringContaining('Sent') },
    ]);
  });
});
