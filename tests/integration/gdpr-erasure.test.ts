import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, offlineDevice, syncDevice } from '../support/node-device-sync';
import { startTestServer, type TestServer } from '../support/sync-server';
import { FILE_SHA, markedValues, PERSON, seedPerson } from './gdpr-fixtures';
import { ORG_USERS, type OrgUser, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * Erasure as two devices live it (RxDB clients against the real server on Postgres): rep A1's
 * device B goes offline and edits the person; the administrator erases them from device A; B comes
 * back. B's copy must end anonymised, its old edit refused for good with the reason and absent from
 * the server, no table may hold a personal value of theirs, and the audit chain must still verify.
 */

const COLLECTIONS: CollectionName[] = ['contacts', 'leads', 'deals', 'activities', 'tasks', 'research', 'audit'];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_gdpr', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: async (_app, db) => {
      await seedOrg(db);
      await seedPerson(db);
    },
  });
});

type Device = NodeDevice;
const devices: Device[] = [];

afterAll(async () => {
  await closeDevices(devices);
  await server?.close();
});

async function device(user: OrgUser): Promise<Device> {
  const userId = ORG_USERS[user].id;
  let seq = 0;
  const t = await openTestDb({
    collections: COLLECTIONS,
    actor: () => ({ userId, deviceId: `dev-${userId}` }),
    newId: () => `${userId}-${++seq}`,
  });
  const d: Device = { t };
  devices.push(d);
  return d;
}

const sync = (d: Device) => syncDevice(server, d);
const offline = offlineDevice;

async function erase(user: OrgUser, kind: string, id: string, body: unknown) {
  const response = await fetch(`${server.url}/privacy/subjects/${kind}/${id}/erase`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user-id': ORG_USERS[user].id },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Waits until `check` passes: the device's pull after the refusal lands a moment later. */
async function eventually(check: () => Promise<void>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('erasure reaches every device', () => {
  it('anonymises the person on an offline device, refuses its old edit, leaves no personal value and keeps the chain valid', async () => {
    const admin = await device('admin');
    const rep = await device('repA1');
    await sync(admin);
    await sync(rep);
    expect((await rep.t.repos.contact.get(PERSON.id))?.email).toBe(PERSON.email);
    expect(await rep.t.repos.note.get('n_gdpr')).toBeDefined();

    // B offline: edits the person and writes a new note about them.
    await offline(rep);
    await rep.t.repos.contact.update(PERSON.id, { lastName: 'Quixmore-Offline', phone: '+44 7700 900461' });
    const note = await rep.t.repos.note.create({
      subjectType: 'contact',
      subjectId: PERSON.id,
      body: 'Zorblatt called back about the Quixmore contract',
      noteType: 'call',
      pinned: false,
    });

    const erased = await erase('admin', 'contact', PERSON.id, { reason: 'Art. 17 request of 2026-11-01, ticket 4711' });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ anonymised: 2, filesDeleted: 1 });
    expect(Number(erased.body.removed)).toBeGreaterThanOrEqual(8);
    expect(Number(erased.body.auditRedacted)).toBeGreaterThan(0);

    // A (online) gets the anonymised person at its next pull.
    await sync(admin);
    const onA = await admin.t.repos.contact.get(PERSON.id);
    expect(onA?.firstName).toBe('[erased]');
    expect(onA?.email).toBeUndefined();
    expect(await admin.t.repos.note.get('n_gdpr')).toBeUndefined();

    // B reconnects: its edit and its note are refused for good, with the reason.
    await sync(rep);
    await eventually(async () => {
      await sync(rep);
      const local = await rep.t.repos.contact.get(PERSON.id);
      expect(local?.firstName).toBe('[erased]');
      expect(local?.lastName).toBeUndefined();
      expect(local?.phone).toBeUndefined();
      expect(await rep.t.repos.note.get(note.id)).toBeUndefined();
      expect(await rep.t.repos.note.get('n_gdpr')).toBeUndefined();
      expect(await rep.t.repos.lead.get(PERSON.leadId).then((l) => l?.email)).toBeUndefined();
    });
    const rejected = rep.sync?.rejected$.value ?? [];
    const byId = new Map(rejected.map((r) => [r.id, r]));
    expect(byId.get(PERSON.id)).toMatchObject({ collection: 'contacts', field: 'id' });
    expect(byId.get(PERSON.id)?.reason).toMatch(/was erased on .*cannot be written again/);
    expect(byId.get(note.id)).toMatchObject({ collection: 'activities', field: 'subjectId' });

    // Nothing of the person anywhere on the server: every column of every table.
    expect(await markedValues(server.db)).toEqual([]);
    const { rows: files } = await server.db.query('SELECT 1 FROM file_blobs WHERE sha256 = $1', [FILE_SHA]);
    expect(files).toHaveLength(0);
    // Another person mentioned beside them keeps their data.
    const { rows: research } = await server.db.query<{ summary: string }>(
      `SELECT summary FROM company_research WHERE id = 'cr_gdpr'`,
    );
    expect(research[0]?.summary).toBe('Decision maker: [erased], procurement. Also Bernadette Okafor.');
    const { rows: other } = await server.db.query<{ email: string }>(`SELECT email FROM contacts WHERE id = 'c_other'`);
    expect(other[0]?.email).toBe('b.okafor@example.test');

    // The chain verifies, redactions included; the erasure is audited (who, when, why).
    const report = await verifyAuditChain(server.db);
    expect(report).toMatchObject({ ok: true });
    const { rows: entries } = await server.db.query<{ actor_id: string; action: string; reason: string }>(
      `SELECT actor_id, action, reason FROM audit_log WHERE entity_id = $1 AND reason LIKE 'erasure%'`,
      [PERSON.id],
    );
    expect(entries).toEqual([
      {
        actor_id: ORG_USERS.admin.id,
        action: 'purge',
        reason: 'erasure (GDPR Art. 17): Art. 17 request of 2026-11-01, ticket 4711',
      },
    ]);
    // B's own audit entries of the refused edit reached the server, their values redacted.
    const { rows: attempts } = await server.db.query<{ changes: Record<string, unknown> }>(
      `SELECT changes FROM audit_log WHERE entity_id = $1 AND actor_id = $2 AND source = 'local'`,
      [PERSON.id, ORG_USERS.repA1.id],
    );
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts[0]?.changes.lastName).toEqual(['[redacted]', '[redacted]']);

    // A re-create with the same id, from any device, is refused.
    const recreated = await fetch(`${server.url}/sync/contacts/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user-id': ORG_USERS.admin.id },
      body: JSON.stringify({
        rows: [
          {
            newDocumentState: {
              id: PERSON.id,
              kind: 'contact',
              ownerId: ORG_USERS.admin.id,
              createdAt: '2026-11-02T00:00:00.000Z',
              updatedAt: '2026-11-02T00:00:00.000Z',
              createdBy: ORG_USERS.admin.id,
              updatedBy: ORG_USERS.admin.id,
              isDeleted: false,
              newest: 1,
              firstName: 'Zorblatt',
              status: 'active',
              doNotContact: false,
              _deleted: false,
            },
          },
        ],
      }),
    });
    const answer = (await recreated.json()) as { rejected: { id: string; reason: string }[] };
    expect(answer.rejected.map((r) => r.id)).toEqual([PERSON.id]);
    expect(await markedValues(server.db)).toEqual([]);
  });
});
