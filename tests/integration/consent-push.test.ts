import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { startTestServer, type TestServer } from '../support/sync-server';
import { doc, ORG_USERS, pushAs, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';
import { countRows } from './sync-server-fixtures';

/**
 * The server holds every device to the consent rule (src-shared/consent/consent-rules.ts) on push,
 * whatever the device checked: an outbound email or SMS to a person without a grant, or any
 * outbound message on a channel they withdrew, is refused naming the person and the field, and
 * nothing of it is stored. Real Postgres, signed-in users (a rep and an administrator).
 */

const REP = ORG_USERS.repA1.id;
const by = { ownerId: REP, createdBy: REP, updatedBy: REP };
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer('crm_consent', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: (_app, db) => seedOrg(db),
  });
});
afterAll(async () => {
  await server?.close();
});

const email = (id: string, overrides: Record<string, unknown> = {}): WireDoc =>
  doc('communication', id, {
    ...by,
    type: 'email',
    direction: 'outbound',
    status: 'sent',
    subjectType: 'contact',
    subjectId: 'c_a1',
    contactId: 'c_a1',
    subject: 'Spring offer',
    occurredAt: '2026-04-02T10:00:00.000Z',
    ...overrides,
  });

const consent = (id: string, overrides: Record<string, unknown> = {}): WireDoc =>
  doc('consent', id, {
    ...by,
    subjectType: 'contact',
    subjectId: 'c_a1',
    channel: 'email',
    status: 'granted',
    legalBasis: 'consent',
    source: 'Web form',
    at: '2026-04-01T10:00:00.000Z',
    proofText: 'Ticked "Send me offers"',
    ...overrides,
  });

async function pushOne(user: keyof typeof ORG_USERS, collection: string, document: WireDoc, assumed?: WireDoc) {
  const reply = await pushAs(server.app, user, collection, [
    { newDocumentState: document, ...(assumed ? { assumedMasterState: assumed } : {}) },
  ]);
  expect(reply.status).toBe(200);
  return reply.body;
}

describe('consent on push (server, real Postgres)', () => {
  it('refuses an outbound email without a grant, naming the person and the field; nothing is stored', async () => {
    const reply = await pushOne('repA1', 'activities', email('m_1'));
    expect(reply.rejected).toEqual([
      {
        id: 'm_1',
        field: 'contactId',
        reason: 'Alice has not given consent to email: an outbound email to them is blocked until it is recorded',
      },
    ]);
    expect(await countRows(server.db, 'communications')).toBe(0);
  });

  it('accepts it once the grant is on the server; refuses bad consent records by field', async () => {
    const noProof = await pushOne('repA1', 'settings', consent('cs_bad', { proofText: undefined }));
    expect(noProof.rejected[0]).toMatchObject({ id: 'cs_bad', field: 'proofText' });
    const fax = await pushOne('repA1', 'settings', consent('cs_fax', { channel: 'fax' }));
    expect(fax.rejected[0]).toMatchObject({ id: 'cs_fax', field: 'channel' });
    const someoneElses = await pushOne('repA1', 'settings', consent('cs_b', { subjectId: 'c_b' }));
    expect(someoneElses.rejected).toHaveLength(1);
    expect(await countRows(server.db, 'consents')).toBe(0);

    expect((await pushOne('repA1', 'settings', consent('cs_1'))).rejected).toEqual([]);
    expect((await pushOne('repA1', 'activities', email('m_1'))).rejected).toEqual([]);
    expect(await countRows(server.db, 'communications')).toBe(1);
  });

  it('after a withdrawal refuses new outbound emails, also from an administrator, but not edits of old ones', async () => {
    const withdrawal = consent('cs_2', {
      status: 'withdrawn',
      at: '2026-04-03T08:00:00.000Z',
      proofText: undefined,
      source: 'Unsubscribe link',
    });
    expect((await pushOne('repA1', 'settings', withdrawal)).rejected).toEqual([]);
    const rep = await pushOne('repA1', 'activities', email('m_2'));
    expect(rep.rejected[0]).toEqual({
      id: 'm_2',
      field: 'contactId',
      reason: 'Alice withdrew consent to email on 2026-04-03: an outbound email to them is blocked',
    });
    const admin = await pushOne('admin', 'activities', email('m_3', { ownerId: ORG_USERS.admin.id }));
    expect(admin.rejected[0]).toMatchObject({ id: 'm_3', field: 'contactId' });

    // The email logged while consent was given may still be corrected.
    const old = email('m_1');
    const edited = { ...old, outcome: 'Opened', updatedAt: '2026-04-04T09:00:00.000Z' };
    expect((await pushOne('repA1', 'activities', edited, old)).rejected).toEqual([]);
    // …but not turned into a new send on a withdrawn channel: a draft becoming sent is checked.
    const draft = email('m_4', { status: 'draft' });
    expect((await pushOne('repA1', 'activities', draft)).rejected).toEqual([]);
    const sent = await pushOne('repA1', 'activities', { ...draft, status: 'sent' }, draft);
    expect(sent.rejected[0]).toMatchObject({ id: 'm_4', field: 'contactId' });
    // Inbound mail and outbound calls (no phone withdrawal) are never blocked.
    const inbound = await pushOne('repA1', 'activities', email('m_5', { direction: 'inbound', status: 'received' }));
    expect(inbound.rejected).toEqual([]);
    const call = await pushOne('repA1', 'activities', email('m_6', { type: 'call', status: 'completed' }));
    expect(call.rejected).toEqual([]);
    const stored = await server.db.query<{ id: string }>('SELECT id FROM communications ORDER BY id');
    expect(stored.rows.map((r) => r.id)).toEqual(['m_1', 'm_4', 'm_5', 'm_6']);
  });
});
