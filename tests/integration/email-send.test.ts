import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it, onTestFinished } from 'vitest';
import { QUEUED_OUTCOME as APP_QUEUED_OUTCOME } from '../../src-renderer/features/communications/send-email';
import type { WireDoc } from '../../src-shared/sync/protocol';
import type { Database } from '../../sync-server/src/db/database';
import { QUEUED_OUTCOME } from '../../sync-server/src/integrations/email-outbox';
import type { SmtpSettings } from '../../sync-server/src/integrations/email-sender';
import { IntegrationsWorker } from '../../sync-server/src/integrations/integrations.worker';
import { NOW, rows } from './automation-fixtures';
import { doc, ORG_USERS, pullAllAs, pushAs, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';
import { BACKENDS, startServer } from './sync-server-fixtures';

const postgres = BACKENDS[0];

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a free loopback port; `refuse` answers RCPT for that address with 550. */
async function smtpServer(refuse?: string): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === refuse) {
        const error = new Error('mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  onTestFinished(close);
  return { port: (server.server.address() as AddressInfo).port, mails, close };
}

/** Alice's (contact c_a1) email consent. */
function consent(id: string, status: 'granted' | 'withdrawn', at: Date): WireDoc {
  return doc('consent', id, {
    ownerId: ORG_USERS.repA1.id,
    createdBy: ORG_USERS.repA1.id,
    updatedBy: ORG_USERS.repA1.id,
    subjectType: 'contact',
    subjectId: 'c_a1',
    channel: 'email',
    status,
    legalBasis: 'consent',
    source: 'web form',
    proofText: 'Ticked "email me" on the quote request',
    at: at.toISOString(),
  });
}

const settings = (port: number): SmtpSettings => ({ host: '127.0.0.1', port, from: 'crm@example.com', secure: false });

function email(id: string, fields: Record<string, unknown> = {}): WireDoc {
  return doc('communication', id, {
    ownerId: ORG_USERS.repA1.id,
    createdBy: ORG_USERS.repA1.id,
    updatedBy: ORG_USERS.repA1.id,
    type: 'email',
    direction: 'outbound',
    status: 'scheduled',
    outcome: QUEUED_OUTCOME,
    subjectType: 'contact',
    subjectId: 'c_a1',
    contactId: 'c_a1',
    subject: 'Your quote',
    body: 'Hello Alice,\nhere is the quote we discussed.\nBest, Rep',
    toAddresses: ['alice@customer.example'],
    fromAddress: 'rep.a1@example.com',
    occurredAt: NOW.toISOString(),
    ...fields,
  });
}

async function start(smtp: SmtpSettings) {
  if (!postgres) throw new Error('no Postgres backend');
  const db: Database = await postgres.open();
  let n = 0;
  const app = await startServer(db, { authenticate: scopedHeaderAuthenticate, now: () => NOW });
  await seedOrg(db);
  await seed(db, 'settings', [consent('cs_1', 'granted', NOW)]);
  const clock = { now: NOW };
  const worker = () =>
    new IntegrationsWorker({
      db,
      smtp,
      now: () => clock.now,
      newId: () => `srv_mail_${++n}`,
      email: { retryDelayMs: 60_000, maxAttempts: 3, timeoutMs: 3_000 },
    });
  return { db, app, clock, worker };
}

const statusOf = async (db: Database, id: string) =>
  (
    await rows<{ status: string; outcome: string }>(db, 'SELECT status, outcome FROM communications WHERE id = $1', [
      id,
    ])
  )[0];

describe('outbound email (Postgres, local SMTP server)', () => {
  it('is queued by the app with the marker the server sends on', () => {
    expect(APP_QUEUED_OUTCOME).toBe(QUEUED_OUTCOME);
  });

  it('sends a queued email once with its to, subject and body, and the device sees it sent', async () => {
    const smtp = await smtpServer();
    const h = await start(settings(smtp.port));
    // Pushed twice (a device retrying after a lost answer) and pulled by a second device: sent once.
    const queued = email('cm_1');
    const pushed = await pushAs(h.app, 'repA1', 'activities', [{ newDocumentState: queued }]);
    expect(pushed.body).toMatchObject({ rejected: [], conflicts: [] });
    await pushAs(h.app, 'repA1', 'activities', [{ newDocumentState: queued }]);
    await pullAllAs(h.app, h.db, 'mgrA', 'activities');
    // A communication merely logged as scheduled is not sent.
    await pushAs(h.app, 'repA1', 'activities', [{ newDocumentState: email('cm_logged', { outcome: undefined }) }]);
    const [a, b] = await Promise.all([h.worker().sendEmails(), h.worker().sendEmails()]);
    expect([...(a ?? []), ...(b ?? [])]).toEqual([
      expect.objectContaining({ communicationId: 'cm_1', status: 'sent' }),
    ]);
    expect(await h.worker().sendEmails()).toEqual([]);
    h.clock.now = new Date(NOW.getTime() + 86_400_000);
    expect(await h.worker().sendEmails()).toEqual([]);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail?.to).toEqual(['alice@customer.example']);
    expect(mail?.from).toBe('crm@example.com');
    expect(mail?.raw).toMatch(/^Subject: Your quote\r?$/m);
    expect(mail?.raw).toMatch(/^Reply-To: rep\.a1@example\.com\r?$/m);
    expect(mail?.raw).toMatch(/^Message-ID: <cm_1@fieldcrm>\r?$/im);
    expect(mail?.raw).toContain('here is the quote we discussed.');
    expect(await statusOf(h.db, 'cm_1')).toEqual({ status: 'sent', outcome: 'Sent' });
    expect(await statusOf(h.db, 'cm_logged')).toMatchObject({ status: 'scheduled' });
    const pulled = (await pullAllAs(h.app, h.db, 'repA1', 'activities')).documents.find((d) => d.id === 'cm_1');
    expect(pulled).toMatchObject({ status: 'sent', outcome: 'Sent' });
    expect(
      await rows(h.db, `SELECT device_id FROM audit_log WHERE entity_id = 'cm_1' AND device_id = 'email'`),
    ).toHaveLength(1);
  });

  it('retries while the SMTP server is down, then fails with the reason; a refused mailbox fails at once', async () => {
    const down = await smtpServer();
    await down.close(); // nothing listens on its port now
    const h = await start(settings(down.port));
    await pushAs(h.app, 'repA1', 'activities', [{ newDocumentState: email('cm_down') }]);
    const first = await h.worker().sendEmails();
    expect(first).toEqual([
      expect.objectContaining({ status: 'pending', error: expect.stringMatching(/ECONNREFUSED|connect/i) }),
    ]);
    expect(await statusOf(h.db, 'cm_down')).toMatchObject({ status: 'scheduled' });
    expect(await h.worker().sendEmails()).toEqual([]); // not before the retry is due
    h.clock.now = new Date(NOW.getTime() + 60_000);
    expect((await h.worker().sendEmails()).map((o) => o.status)).toEqual(['pending']);
    h.clock.now = new Date(NOW.getTime() + 180_000);
    expect((await h.worker().sendEmails()).map((o) => o.status)).toEqual(['failed']);
    expect(await statusOf(h.db, 'cm_down')).toEqual({
      status: 'cancelled',
      outcome: expect.stringMatching(/^Not sent: .*(ECONNREFUSED|connect)/i),
    });
    expect(await rows(h.db, `SELECT status, attempts FROM email_sends WHERE communication_id = 'cm_down'`)).toEqual([
      { status: 'failed', attempts: 3 },
    ]);

    const smtp = await smtpServer('nobody@customer.example');
    const refused = await start(settings(smtp.port));
    await pushAs(refused.app, 'repA1', 'activities', [
      { newDocumentState: email('cm_550', { toAddresses: ['nobody@customer.example'] }) },
    ]);
    expect((await refused.worker().sendEmails()).map((o) => o.status)).toEqual(['failed']);
    expect(await statusOf(refused.db, 'cm_550')).toEqual({
      status: 'cancelled',
      outcome: expect.stringMatching(/^Not sent: .*550/),
    });
    expect(smtp.mails).toEqual([]);
  });

  it('refuses bad input on push; sends nothing cancelled, withdrawn from consent, or without a recipient', async () => {
    const smtp = await smtpServer();
    const h = await start(settings(smtp.port));
    const bad = await pushAs(h.app, 'repA1', 'activities', [
      { newDocumentState: email('cm_bad', { occurredAt: 'yesterday' }) },
    ]);
    expect(bad.body.rejected).toEqual([expect.objectContaining({ id: 'cm_bad', field: 'occurredAt' })]);
    const queued = email('cm_cancel');
    await pushAs(h.app, 'repA1', 'activities', [{ newDocumentState: queued }]);
    const cancelled = {
      ...queued,
      status: 'cancelled',
      outcome: 'Cancelled',
      updatedAt: new Date(NOW.getTime() + 1000).toISOString(),
    };
    await pushAs(h.app, 'repA1', 'activities', [{ assumedMasterState: queued, newDocumentState: cancelled }]);
    expect(await h.worker().sendEmails()).toEqual([
      expect.objectContaining({ status: 'failed', error: 'no longer queued' }),
    ]);
    expect(await statusOf(h.db, 'cm_cancel')).toEqual({ status: 'cancelled', outcome: 'Cancelled' });
    expect(smtp.mails).toEqual([]);
    // Queued while Alice consented; she withdrew before the server got to it: not sent, with the reason.
    await pushAs(h.app, 'repA1', 'activities', [{ newDocumentState: email('cm_withdrawn') }]);
    await seed(h.db, 'settings', [consent('cs_2', 'withdrawn', new Date(NOW.getTime() + 1000))]);
    expect(await h.worker().sendEmails()).toEqual([
      expect.objectContaining({
        communicationId: 'cm_withdrawn',
        status: 'failed',
        error: expect.stringContaining('withdrew consent to email'),
      }),
    ]);
    expect(await statusOf(h.db, 'cm_withdrawn')).toEqual({
      status: 'cancelled',
      outcome: expect.stringContaining('Not sent: contact c_a1 withdrew'),
    });
    expect(smtp.mails).toEqual([]);
    // And the push refuses a new one outright now.
    const refused = await pushAs(h.app, 'repA1', 'activities', [{ newDocumentState: email('cm_after') }]);
    expect(refused.body.rejected).toEqual([expect.objectContaining({ id: 'cm_after', field: 'contactId' })]);
    await seed(h.db, 'settings', [consent('cs_3', 'granted', new Date(NOW.getTime() + 2000))]);
    const empty = email('cm_noone', { toAddresses: [] });
    await pushAs(h.app, 'repA1', 'activities', [{ newDocumentState: empty }]);
    expect(await h.worker().sendEmails()).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.stringContaining('no recipient') }),
    ]);
  });
});
