import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import { runRetention } from '../../sync-server/src/retention/retention-run';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, offlineDevice, syncDevice } from '../support/node-device-sync';
import { startTestServer, type TestServer } from '../support/sync-server';
import { doc, ORG_USERS, type OrgUser, pushAs, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';

/**
 * Retention end to end on real Postgres with two Node RxDB devices of the same rep: a dry run
 * reports and changes nothing; a real run deletes lost leads and anonymises old communications
 * through the row writer, audited; the online device loses them at its next pull, and so does the
 * device that was offline during the run, when it comes back. Old audit entries are pruned from the
 * chain's start and `verifyAuditChain` still passes, from the anchor; a moved anchor is caught.
 */

const COLLECTIONS: CollectionName[] = ['leads', 'activities', 'settings', 'audit'];
const REP = ORG_USERS.repA1.id;
const ADMIN = ORG_USERS.admin.id;
const by = { ownerId: REP, createdBy: REP, updatedBy: REP };
const admin = { ownerId: ADMIN, createdBy: ADMIN, updatedBy: ADMIN };
/** The run's clock: more than a year after the seeding (2026-04-01), so those audit entries are old. */
const RUN_AT = new Date('2027-06-01T00:00:00.000Z');
const RECENT = '2027-05-01T10:00:00.000Z';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_retention', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: async (_app, db) => {
      await seedOrg(db);
      await seed(db, 'leads', [
        doc('lead', 'l_lost_old', {
          ...by,
          status: 'lost',
          firstName: 'Olga',
          lastName: 'Old',
          email: 'olga@example.com',
        }),
        doc('lead', 'l_lost_new', { ...by, status: 'lost', updatedAt: RECENT }),
        doc('lead', 'l_open_old', { ...by, status: 'new' }),
      ]);
      await seed(db, 'activities', [
        doc('communication', 'm_old', {
          ...by,
          type: 'email',
          direction: 'inbound',
          subjectType: 'lead',
          subjectId: 'l_open_old',
          leadId: 'l_open_old',
          body: 'Please call me on +44 20 7946 0000',
          fromAddress: 'olga@example.com',
          occurredAt: '2026-03-01T10:00:00.000Z',
        }),
        doc('communication', 'm_new', {
          ...by,
          type: 'call',
          subjectType: 'lead',
          subjectId: 'l_open_old',
          occurredAt: RECENT,
        }),
      ]);
      await seed(db, 'settings', [
        doc('retentionPolicy', 'p_leads', {
          ...admin,
          name: 'Lost leads',
          target: 'lead',
          status: 'lost',
          age: 6,
          ageUnit: 'months',
          action: 'delete',
        }),
        doc('retentionPolicy', 'p_comms', {
          ...admin,
          name: 'Old mail',
          target: 'communication',
          age: 12,
          ageUnit: 'months',
          action: 'anonymise',
        }),
        doc('retentionPolicy', 'p_audit', {
          ...admin,
          name: 'Audit 1 year',
          target: 'auditLog',
          age: 1,
          ageUnit: 'years',
          action: 'delete',
        }),
      ]);
    },
  });
});
afterAll(async () => {
  await server?.close();
});

type Device = NodeDevice;
const devices: Device[] = [];
afterEach(async () => {
  await closeDevices(devices);
});

async function device(user: OrgUser, name: string): Promise<Device> {
  const userId = ORG_USERS[user].id;
  let seq = 0;
  const t = await openTestDb({
    collections: COLLECTIONS,
    actor: () => ({ userId, deviceId: name }),
    newId: () => `${name}-${++seq}`,
  });
  const d: Device = { t };
  devices.push(d);
  return d;
}

const sync = (d: Device) => syncDevice(server, d);
const offline = offlineDevice;

/** Everything a run could change: the records' rows and the audit trail. */
async function snapshot() {
  const rows = async (sql: string) => (await server.db.query(sql)).rows;
  return {
    leads: await rows('SELECT * FROM leads ORDER BY id'),
    communications: await rows('SELECT * FROM communications ORDER BY id'),
    // A dry run's own audit entry aside: it changes nothing else.
    audit: await rows(
      `SELECT id, seq::text FROM audit_log WHERE reason IS NULL OR reason NOT LIKE 'retention dry run%' ORDER BY seq`,
    ),
    anchor: await rows('SELECT seq::text FROM audit_chain_anchor'),
  };
}

const policy = (id: string, overrides: Record<string, unknown>): WireDoc =>
  doc('retentionPolicy', id, {
    ...admin,
    name: 'Bad',
    target: 'lead',
    age: 6,
    ageUnit: 'months',
    action: 'delete',
    ...overrides,
  });

describe('retention policies (server, real Postgres, two devices)', () => {
  it('refuses bad policies naming the field, and policies from anyone but an administrator', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ target: 'note', action: 'anonymise' }, 'action'],
      [{ target: 'auditLog', age: 6, ageUnit: 'months' }, 'age'],
      [{ status: 'won' }, 'status'],
      [{ target: 'contact', status: 'lost' }, 'status'],
      [{ age: 0 }, 'age'],
      [{ target: 'deal' }, 'target'],
      [{ action: 'archive' }, 'action'],
    ];
    const reply = await pushAs(
      server.app,
      'admin',
      'settings',
      bad.map(([overrides], i) => ({ newDocumentState: policy(`p_bad_${i}`, overrides) })),
    );
    expect(reply.body.rejected.map((r) => [r.id, r.field])).toEqual(bad.map(([, field], i) => [`p_bad_${i}`, field]));
    const rep = await pushAs(server.app, 'repA1', 'settings', [{ newDocumentState: policy('p_rep', { ...by }) }]);
    expect(rep.body.rejected).toHaveLength(1);
    const { rows } = await server.db.query('SELECT id FROM retention_policies WHERE id LIKE $1', ['p_bad%']);
    expect(rows).toEqual([]);
  });

  it('a dry run reports and changes nothing; a run reaches the online device and later the offline one', async () => {
    const online = await device('repA1', 'dev-online');
    const away = await device('repA1', 'dev-away');
    await sync(online);
    await sync(away);
    expect(await away.t.repos.lead.get('l_lost_old')).toBeDefined();
    expect((await away.t.repos.communication.get('m_old'))?.body).toMatch(/call me/);
    await offline(away);

    const before = await snapshot();
    const dry = await runRetention(server.db, { dryRun: true, trigger: 'command', now: () => RUN_AT });
    const byPolicy = Object.fromEntries(dry.policies.map((p) => [p.policyId, p]));
    expect(byPolicy.p_leads).toMatchObject({ matched: 1, applied: 0, sampleIds: ['l_lost_old'] });
    expect(byPolicy.p_comms).toMatchObject({ matched: 1, applied: 0, sampleIds: ['m_old'] });
    expect(byPolicy.p_audit?.matched).toBeGreaterThan(5);
    expect(byPolicy.p_audit?.sampleIds).toHaveLength(5);
    expect(await snapshot()).toEqual(before);
    // Audited all the same: when, and what each policy would delete or anonymise.
    const dryAudit = await server.db.query<{ at: Date; records: { id: string; changes: Record<string, unknown> }[] }>(
      'SELECT at, records FROM audit_log WHERE reason LIKE $1',
      [`retention dry run ${dry.id} (command): ${dry.policies.reduce((n, p) => n + p.matched, 0)} records would%`],
    );
    expect(dryAudit.rows).toHaveLength(1);
    expect(dryAudit.rows[0]?.at.toISOString()).toBe(RUN_AT.toISOString());
    const would = Object.fromEntries((dryAudit.rows[0]?.records ?? []).map((r) => [r.id, r.changes]));
    expect(would.p_leads).toMatchObject({ dryRun: [null, true], action: [null, 'delete'], wouldChange: [null, 1] });
    expect(would.p_audit?.wouldChange).toEqual([null, byPolicy.p_audit?.matched]);

    const run = await runRetention(server.db, { dryRun: false, trigger: 'command', now: () => RUN_AT });
    const applied = Object.fromEntries(run.policies.map((p) => [p.policyId, p.applied]));
    expect(applied).toEqual({ p_audit: byPolicy.p_audit?.matched, p_comms: 1, p_leads: 1 });
    expect(run.policies.every((p) => p.error === undefined)).toBe(true);

    const lead = (await server.db.query('SELECT * FROM leads WHERE id = $1', ['l_lost_old'])).rows[0];
    expect(lead).toMatchObject({
      sync_removed: true,
      is_deleted: true,
      first_name: null,
      email: null,
      last_name: 'Anonymised',
    });
    const mail = (await server.db.query('SELECT * FROM communications WHERE id = $1', ['m_old'])).rows[0];
    expect(mail).toMatchObject({ sync_removed: false, body: null, from_address: null, type: 'email' });
    // Kept: not lost, too recent, or not personal.
    const kept = await server.db.query<{ id: string }>('SELECT id FROM leads WHERE NOT sync_removed ORDER BY id');
    expect(kept.rows.map((r) => r.id)).toEqual(['l_b', 'l_lost_new', 'l_open_old']);
    // Audited, without copying the values removed.
    const entries = await server.db.query<{ records: unknown; reason: string }>(
      `SELECT records, reason FROM audit_log WHERE reason LIKE $1 ORDER BY seq`,
      [`%${run.id}%`],
    );
    expect(entries.rows.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(entries.rows)).not.toMatch(/olga|call me/i);
    const logged = await server.db.query('SELECT dry_run FROM retention_runs ORDER BY started_at, dry_run DESC');
    expect(logged.rows).toEqual([{ dry_run: true }, { dry_run: false }]);

    await sync(online);
    expect(await online.t.repos.lead.get('l_lost_old')).toBeUndefined();
    expect((await online.t.repos.communication.get('m_old'))?.body).toBeUndefined();
    expect(await online.t.repos.lead.get('l_lost_new')).toBeDefined();

    // The device that was offline during the run gets the deletion at its next pull.
    expect(await away.t.repos.lead.get('l_lost_old')).toBeDefined();
    await sync(away);
    expect(await away.t.repos.lead.get('l_lost_old')).toBeUndefined();
    expect((await away.t.repos.communication.get('m_old'))?.body).toBeUndefined();
    expect((await away.t.repos.communication.get('m_old'))?.fromAddress).toBeUndefined();

    // A third device edits the lost lead offline before the run: its edit cannot put the personal
    // data back into the removed row; it is refused with the reason and set aside on the device.
    const late = await device('repA1', 'dev-late');
    await sync(late);
    expect(await late.t.repos.lead.get('l_lost_new')).toBeDefined();
    await offline(late);
    await server.db.query(`UPDATE leads SET updated_at = '2026-01-01T00:00:00Z' WHERE id = 'l_lost_new'`);
    await runRetention(server.db, { dryRun: false, trigger: 'command', now: () => RUN_AT });
    await late.t.repos.lead.update('l_lost_new', { phone: '+44 20 7946 0999' });
    await sync(late);
    const removed = (await server.db.query('SELECT * FROM leads WHERE id = $1', ['l_lost_new'])).rows[0];
    expect(removed).toMatchObject({ sync_removed: true, phone: null });
    const refusal = late.sync?.rejected$.value ?? [];
    expect(refusal.map((r) => r.id)).toEqual(['l_lost_new']);
    expect(refusal[0]?.reason).toMatch(/removed with its personal data/);
    // Nor does the device keep its edited copy: the server wrote the tombstone again (a new txid),
    // so its next pull replaces the copy with it, phone number and all.
    await sync(late);
    expect(await late.t.repos.lead.get('l_lost_new')).toBeUndefined();
    const [copy] = await late.t.db.rx.leads.storageInstance.findDocumentsById(['l_lost_new'], true);
    expect(copy).toMatchObject({ _deleted: true, lastName: 'Anonymised' });
    expect(copy?.phone).toBeUndefined();

    // A second run finds nothing more to do.
    const again = await runRetention(server.db, { dryRun: true, trigger: 'command', now: () => RUN_AT });
    expect(again.policies.map((p) => [p.policyId, p.matched])).toEqual([
      ['p_audit', 0],
      ['p_comms', 0],
      ['p_leads', 0],
    ]);
  });

  it('audit pruning keeps `audit verify` passing from the anchor; a moved anchor or a middle delete is caught', async () => {
    const report = await verifyAuditChain(server.db);
    expect(report).toMatchObject({ ok: true });
    const anchor = (await server.db.query<{ seq: string }>('SELECT seq::text FROM audit_chain_anchor')).rows[0];
    expect(Number(anchor?.seq)).toBeGreaterThan(5);
    const first = (await server.db.query<{ seq: string }>('SELECT min(seq)::text AS seq FROM audit_log')).rows[0];
    expect(Number(first?.seq)).toBe(Number(anchor?.seq) + 1);

    // Only entries at or before the anchor may be deleted: the trail stays append-only after it.
    await expect(server.db.query('DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)')).rejects.toThrow(
      /append-only/,
    );
    // Moving the anchor by hand (to hide entries deleted from the start) breaks verify.
    await server.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await server.db.query(
      `UPDATE audit_chain_anchor SET seq = seq + 1, hash = (SELECT hash FROM audit_log WHERE seq = (SELECT min(seq) FROM audit_log))`,
    );
    await server.db.query('DELETE FROM audit_log WHERE seq = (SELECT min(seq) FROM audit_log)');
    await server.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    const broken = await verifyAuditChain(server.db);
    expect(broken).toMatchObject({ ok: false, broken: { problem: 'anchor' } });
  });
});
