import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logCommunication } from '../../src-renderer/features/communications';
import { channelConsents, recordConsent, withdrawInput } from '../../src-renderer/features/consent';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { ValidationError } from '../../src-shared/schema/validation-error';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, offlineDevice, syncDevice } from '../support/node-device-sync';
import { startTestServer, type TestServer } from '../support/sync-server';
import { doc, ORG_USERS, type OrgUser, pushAs, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * Consent as two devices live it (README "Consent"; issue 7): rep A1's laptop records Alice's
 * email consent; their manager's device sees it after a sync and may then log an email to her;
 * the laptop records the withdrawal; the manager's device, once synced and then offline, is
 * refused the next email with the message naming Alice and the channel. Real Postgres, the real
 * sync server, RxDB devices replicating over HTTP, the app's own consent and logging code.
 */

const COLLECTIONS: CollectionName[] = ['contacts', 'activities', 'settings', 'audit'];
const CONTACT = 'c_a1';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_consent_devices', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: (_app, db) => seedOrg(db),
  });
});

const devices: NodeDevice[] = [];
afterAll(async () => {
  await closeDevices(devices);
  await server?.close();
});

async function device(user: OrgUser, deviceId: string): Promise<NodeDevice> {
  const userId = ORG_USERS[user].id;
  let seq = 0;
  const t = await openTestDb({
    collections: COLLECTIONS,
    actor: () => ({ userId, deviceId }),
    newId: () => `${deviceId}-${++seq}`,
  });
  const d: NodeDevice = { t };
  devices.push(d);
  return d;
}

const sync = (d: NodeDevice) => syncDevice(server, d);

/** Logs an outbound email to Alice the way the Log communication dialog does. */
function emailAlice(d: NodeDevice, subject: string) {
  const noFiles = {
    add: () => Promise.reject(new Error('no files in this test')),
  };
  return logCommunication(d.t.repos, noFiles, {
    type: 'email',
    direction: 'outbound',
    status: 'sent',
    subjectType: 'contact',
    subjectId: CONTACT,
    subject,
    occurredAt: new Date(d.t.db.clock.now()).toISOString(),
  });
}

async function emailState(d: NodeDevice) {
  const records = await d.t.repos.consent.list({ where: { subjectId: CONTACT } });
  return channelConsents(records, CONTACT).find((c) => c.channel === 'email')?.current?.status;
}

async function serverRows(sql: string, params: unknown[] = []) {
  return (await server.db.query<Record<string, unknown>>(sql, params)).rows;
}

/** The ValidationError a call throws, or a failure if it throws anything else or nothing. */
async function refusal(call: Promise<unknown>): Promise<ValidationError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('consent given and withdrawn on one device governs another', () => {
  it('lets B email after A grants, blocks B offline after A withdraws, naming the person and the channel', async () => {
    const a = await device('repA1', 'dev-laptop');
    const b = await device('mgrA', 'dev-manager');
    await sync(a);
    await sync(b);

    // Before any consent, email is opt-in: B may not email Alice.
    const before = await refusal(emailAlice(b, 'Too early'));
    expect(before.problems).toEqual([
      { field: 'contactId', problem: expect.stringMatching(/^Alice .*has not given consent to email: /) },
    ]);

    const grant = await recordConsent(a.t.repos, {
      subjectType: 'contact',
      subjectId: CONTACT,
      channel: 'email',
      status: 'granted',
      legalBasis: 'consent',
      source: 'Trade fair',
      at: '2026-11-01T08:30:00.000Z',
      proofText: 'Signed the form at the stand',
    });
    await sync(a);
    expect(await serverRows('SELECT status, legal_basis FROM consents WHERE subject_id = $1', [CONTACT])).toEqual([
      { status: 'granted', legal_basis: 'consent' },
    ]);

    await sync(b);
    expect(await emailState(b)).toBe('granted');
    const sent = await emailAlice(b, 'The brochure you asked for');
    await sync(b);
    expect(await serverRows('SELECT id FROM communications WHERE id = $1', [sent.communication.id])).toHaveLength(1);

    // B goes offline (a live replication would pull the withdrawal as it lands); A withdraws, in
    // one step from what was granted.
    await offlineDevice(b);
    a.t.tick(60_000);
    await recordConsent(
      a.t.repos,
      withdrawInput(
        { subjectType: 'contact', subjectId: CONTACT },
        'email',
        '2026-11-01T09:01:00.000Z',
        'Asked by phone',
        grant,
      ),
    );
    await sync(a);

    // Until B syncs again, its copy still says granted: what blocks it below is the withdrawal it pulls.
    expect(await emailState(b)).toBe('granted');
    await sync(b);
    expect(await emailState(b)).toBe('withdrawn');
    await offlineDevice(b);
    b.t.tick(60_000);

    const communications = await b.t.repos.communication.list({ where: { contactId: CONTACT } });
    const blocked = await refusal(emailAlice(b, 'Spring offer'));
    expect(blocked.problems).toEqual([
      {
        field: 'contactId',
        problem: expect.stringMatching(
          /^Alice .*withdrew consent to email on 2026-11-01: an outbound email to them is blocked$/,
        ),
      },
    ]);
    expect(blocked.message).toContain('withdrew consent to email');
    expect(await b.t.repos.communication.list({ where: { contactId: CONTACT } })).toHaveLength(communications.length);

    // A call is a different channel (phone), which Alice never objected to: still allowed offline.
    const call = await logCommunication(
      b.t.repos,
      { add: () => Promise.reject(new Error('no files')) },
      {
        type: 'call',
        direction: 'outbound',
        status: 'completed',
        subjectType: 'contact',
        subjectId: CONTACT,
        occurredAt: '2026-11-01T09:03:00.000Z',
      },
    );
    expect(call.communication.type).toBe('call');
  });

  it('refuses bad consents naming the field, on the device and on push, and writes nothing', async () => {
    const a = await device('repA1', 'dev-laptop-2');
    await sync(a);
    const local = (await a.t.repos.consent.list({ where: { subjectId: CONTACT } })).length;
    const onServer = (await serverRows('SELECT id FROM consents')).length;
    const good = {
      subjectType: 'contact',
      subjectId: CONTACT,
      channel: 'sms',
      status: 'granted',
      legalBasis: 'contract',
      source: 'Contract signed',
      at: '2026-11-01T08:00:00.000Z',
    } as const;

    const channel = await refusal(recordConsent(a.t.repos, { ...good, channel: 'pigeon' } as never));
    expect(channel.problems.map((p) => p.field)).toEqual(['channel']);
    const basis = await refusal(recordConsent(a.t.repos, { ...good, legalBasis: 'because' } as never));
    expect(basis.problems.map((p) => p.field)).toEqual(['legalBasis']);
    const source = await refusal(recordConsent(a.t.repos, { ...good, source: '' }));
    expect(source.problems.map((p) => p.field)).toEqual(['source']);
    // A grant on the basis of consent must say how it was given.
    const proof = await refusal(recordConsent(a.t.repos, { ...good, legalBasis: 'consent' }));
    expect(proof.problems.map((p) => p.field)).toEqual(['proofText']);
    expect(await a.t.repos.consent.list({ where: { subjectId: CONTACT } })).toHaveLength(local);

    // A device that skipped the check: the server refuses the same on push, naming the field.
    const by = { ownerId: ORG_USERS.repA1.id, createdBy: ORG_USERS.repA1.id, updatedBy: ORG_USERS.repA1.id };
    const pushed = await pushAs(server.app, 'repA1', 'settings', [
      { newDocumentState: doc('consent', 'cs_bad_channel', { ...good, ...by, channel: 'pigeon' }) },
      { newDocumentState: doc('consent', 'cs_bad_basis', { ...good, ...by, legalBasis: null }) },
    ]);
    expect(pushed.status).toBe(200);
    const fields = new Map(pushed.body.rejected.map((r) => [r.id, r.field]));
    expect(Object.fromEntries(fields)).toEqual({ cs_bad_channel: 'channel', cs_bad_basis: 'legalBasis' });

    await sync(a);
    expect(await serverRows('SELECT id FROM consents')).toHaveLength(onServer);
    expect(await a.t.repos.consent.list({ where: { subjectId: CONTACT } })).toHaveLength(local);
  });
});
