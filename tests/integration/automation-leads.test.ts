import { describe, expect, it } from 'vitest';
import { leadDoc, ownerOf, ROUTE_LEADS, rows, startAutomation, tasksAbout, workflowDoc } from './automation-fixtures';
import { ORG_USERS, pullAllAs, pushAs } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/**
 * Lead assignment on the server: a lead pushed by a device is assigned round-robin within its group
 * and gets its call task once, whatever the pushes (twice, replayed, concurrent, several workers).
 */

// PGlite migrates and seeds slowly on a loaded machine.
describe.each(BACKENDS)('lead routing on $name', { timeout: 180_000 }, (backend) => {
  it('assigns an inbound lead round-robin and gives it a call task, which devices see after pull', async () => {
    const h = await startAutomation(await backend.open(), [workflowDoc('wf_route', ROUTE_LEADS)]);
    for (const id of ['l_1', 'l_2', 'l_3']) {
      const pushed = await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc(id) }]);
      expect(pushed.body).toEqual({ conflicts: [], rejected: [] });
    }
    // A lead the conditions leave out (a referral) is logged skipped and left alone.
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_ref', undefined, { source: 'referral' }) }]);

    const outcomes = await h.worker().drain();
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['planned', 'planned', 'planned', 'skipped']);
    // Team A's two members take turns (jobs run concurrently, so which lead gets which turn may vary).
    const owners = await Promise.all(['l_1', 'l_2', 'l_3'].map((id) => ownerOf(h.db, 'leads', id)));
    expect(owners.filter((o) => o === ORG_USERS.repA1.id)).toHaveLength(2);
    expect(owners.filter((o) => o === ORG_USERS.repA2.id)).toHaveLength(1);
    // The lead handed to the other rep (the others stay with the rep who pushed them).
    const moved = ['l_1', 'l_2', 'l_3'][owners.indexOf(ORG_USERS.repA2.id)] ?? 'none';
    // Each call task goes to the lead's new owner.
    for (const [i, id] of ['l_1', 'l_2', 'l_3'].entries()) {
      expect(await tasksAbout(h.db, id)).toEqual([
        expect.objectContaining({ owner_id: owners[i], workflow_id: 'wf_route', type: 'call' }),
      ]);
    }
    const [task] = await tasksAbout(h.db, moved);
    expect(await tasksAbout(h.db, 'l_ref')).toEqual([]);

    // The new owner's device pulls the lead and its task.
    const leads = await pullAllAs(h.app, h.db, 'repA2', 'leads');
    expect(leads.documents.map((d) => d.id)).toEqual([moved]);
    expect(leads.documents[0]).toMatchObject({ ownerId: ORG_USERS.repA2.id });
    const tasks = await pullAllAs(h.app, h.db, 'repA2', 'tasks');
    expect(tasks.documents).toEqual([
      expect.objectContaining({
        id: task?.id,
        subjectId: moved,
        workflowId: 'wf_route',
        status: 'open',
        title: 'Call new inbound lead',
      }),
    ]);

    // Every automated write is audited, naming the workflow.
    const audit = await rows<{
      entity_id: string;
      action: string;
      device_id: string;
      reason: string;
      actor_id: string;
    }>(
      h.db,
      `SELECT entity_id, action, device_id, reason, actor_id FROM audit_log WHERE device_id LIKE 'workflow:%' ORDER BY entity_id`,
    );
    expect(audit.filter((a) => a.entity_id === moved)).toEqual([
      {
        entity_id: moved,
        action: 'update',
        device_id: 'workflow:wf_route',
        reason: 'workflow "Route new inbound leads" (wf_route)',
        actor_id: ORG_USERS.admin.id,
      },
    ]);
    expect(audit.filter((a) => a.entity_id === task?.id)).toHaveLength(1);
    // A lead whose turn fell to the rep who pushed it needed no write, so has no entry.
    expect(audit.filter((a) => a.entity_id.startsWith('l_'))).toHaveLength(1);

    const runs = await rows<{ record_id: string; outcome: string; reason: string | null }>(
      h.db,
      'SELECT record_id, outcome, reason FROM workflow_runs ORDER BY record_id',
    );
    expect(runs).toEqual([
      { record_id: 'l_1', outcome: 'planned', reason: null },
      { record_id: 'l_2', outcome: 'planned', reason: null },
      { record_id: 'l_3', outcome: 'planned', reason: null },
      { record_id: 'l_ref', outcome: 'skipped', reason: 'the conditions do not hold' },
    ]);
  });

  it('runs once for a lead pushed twice, replayed and pushed by a second device', async () => {
    const h = await startAutomation(await backend.open(), [workflowDoc('wf_route', ROUTE_LEADS)]);
    const lead = leadDoc('l_once');
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: lead }]);
    await h.worker().drain();
    // The same push again (a replay), and another device's copy of the new lead made offline (a conflict).
    const replay = await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: lead }]);
    const other = await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: { ...lead, phone: '+1 555 0100' } }]);
    expect(replay.body.rejected).toEqual([]);
    expect(other.body.conflicts).toHaveLength(1);
    expect(await h.worker().drain()).toEqual([]);
    expect(await tasksAbout(h.db, 'l_once')).toHaveLength(1);
    expect(await rows(h.db, `SELECT 1 FROM workflow_runs WHERE record_id = 'l_once'`)).toHaveLength(1);
  });
});

describe('lead routing under concurrency (Postgres)', () => {
  const postgres = BACKENDS[0];
  if (!postgres) throw new Error('no Postgres backend');

  it('assigns a lead pushed by two devices at once exactly once, with one task, across two workers', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_route', ROUTE_LEADS)]);
    const lead = leadDoc('l_race');
    const pushes = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: i % 2 === 0 ? lead : { ...lead, jobTitle: `CTO ${i}` } }]),
      ),
    );
    expect(pushes.every((p) => p.status === 200 && p.body.rejected.length === 0)).toBe(true);
    expect(await rows(h.db, `SELECT 1 FROM automation_jobs WHERE record_id = 'l_race'`)).toHaveLength(1);
    // Two server instances' workers at once.
    const [a, b] = await Promise.all([h.worker().drain(), h.worker().drain()]);
    expect([...(a ?? []), ...(b ?? [])].map((o) => o.outcome)).toEqual(['planned']);
    expect(await tasksAbout(h.db, 'l_race')).toHaveLength(1);
    expect(await rows(h.db, 'SELECT turns FROM automation_rotations')).toEqual([{ turns: '1' }]);
  });

  it('spreads 10 leads pushed at once evenly over the group, every turn taken once', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_route', ROUTE_LEADS)]);
    const ids = Array.from({ length: 10 }, (_, i) => `l_rr_${i}`);
    await Promise.all(ids.map((id) => pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc(id) }])));
    const outcomes = (await Promise.all([h.worker().drain(), h.worker().drain(), h.worker().drain()])).flat();
    expect(outcomes).toHaveLength(10);
    expect(outcomes.every((o) => o.outcome === 'planned')).toBe(true);
    const owners = await rows<{ owner_id: string; n: number }>(
      h.db,
      'SELECT owner_id, count(*)::int AS n FROM leads WHERE id = ANY($1) GROUP BY owner_id ORDER BY owner_id',
      [ids],
    );
    expect(owners).toEqual([
      { owner_id: ORG_USERS.repA1.id, n: 5 },
      { owner_id: ORG_USERS.repA2.id, n: 5 },
    ]);
    const tasks = await rows<{ n: number }>(h.db, 'SELECT count(*)::int AS n FROM tasks WHERE subject_id = ANY($1)', [
      ids,
    ]);
    expect(tasks).toEqual([{ n: 10 }]);
    expect(await rows(h.db, 'SELECT turns FROM automation_rotations')).toEqual([{ turns: '10' }]);
  });
});

describe('assignment rules by territory and product interest (Postgres)', () => {
  const postgres = BACKENDS[0];
  if (!postgres) throw new Error('no Postgres backend');

  it('routes by country to a user and by a custom field to a group, leaving other leads alone', async () => {
    const h = await startAutomation(await postgres.open(), [
      workflowDoc('wf_dach', {
        name: 'DACH leads to Team B',
        entityKind: 'lead',
        trigger: 'recordCreated',
        conditions: { all: [{ field: 'country', op: 'in', value: ['Germany', 'Austria', 'Switzerland'] }] },
        actions: [{ type: 'assign', userId: ORG_USERS.repB.id }],
        active: true,
      }),
      workflowDoc('wf_storage', {
        name: 'Storage interest to Team A',
        entityKind: 'lead',
        trigger: 'recordCreated',
        conditions: {
          all: [
            { field: 'customFields.productInterest', op: 'eq', value: 'storage' },
            { field: 'country', op: 'notIn', value: ['Germany', 'Austria', 'Switzerland'] },
          ],
        },
        actions: [{ type: 'assignRoundRobin', groupId: 'g_a' }],
        active: true,
      }),
    ]);
    const leads = [
      leadDoc('l_de', ORG_USERS.repA1.id, { country: 'Germany', customFields: { productInterest: 'storage' } }),
      leadDoc('l_us', ORG_USERS.mgrA.id, { country: 'United States', customFields: { productInterest: 'storage' } }),
      leadDoc('l_fr', ORG_USERS.mgrA.id, { country: 'France', customFields: { productInterest: 'crm' } }),
    ];
    const pushed = await pushAs(
      h.app,
      'admin',
      'leads',
      leads.map((l) => ({ newDocumentState: l })),
    );
    expect(pushed.body).toEqual({ conflicts: [], rejected: [] });
    await h.worker().drain();
    expect(await ownerOf(h.db, 'leads', 'l_de')).toBe(ORG_USERS.repB.id);
    expect(await ownerOf(h.db, 'leads', 'l_us')).toBe(ORG_USERS.repA1.id);
    expect(await ownerOf(h.db, 'leads', 'l_fr')).toBe(ORG_USERS.mgrA.id);
    const runs = await rows<{ workflow_id: string; record_id: string; outcome: string }>(
      h.db,
      'SELECT workflow_id, record_id, outcome FROM workflow_runs ORDER BY workflow_id, record_id',
    );
    expect(runs).toEqual([
      { workflow_id: 'wf_dach', record_id: 'l_de', outcome: 'planned' },
      { workflow_id: 'wf_dach', record_id: 'l_fr', outcome: 'skipped' },
      { workflow_id: 'wf_dach', record_id: 'l_us', outcome: 'skipped' },
      { workflow_id: 'wf_storage', record_id: 'l_de', outcome: 'skipped' },
      { workflow_id: 'wf_storage', record_id: 'l_fr', outcome: 'skipped' },
      { workflow_id: 'wf_storage', record_id: 'l_us', outcome: 'planned' },
    ]);
  });
});

describe('the per-document fallback of a push (Postgres)', () => {
  const postgres = BACKENDS[0];
  if (!postgres) throw new Error('no Postgres backend');

  it('queues the run of each document it writes, and none for one the database refuses', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_route', ROUTE_LEADS)]);
    await h.db.query(`ALTER TABLE leads ADD CONSTRAINT no_boom CHECK (last_name IS DISTINCT FROM 'Boom')`);
    const pushed = await pushAs(h.app, 'repA1', 'leads', [
      { newDocumentState: leadDoc('l_ok') },
      { newDocumentState: leadDoc('l_boom', undefined, { lastName: 'Boom' }) },
    ]);
    expect(pushed.body.rejected).toEqual([expect.objectContaining({ id: 'l_boom' })]);
    expect(await rows(h.db, 'SELECT record_id FROM automation_jobs')).toEqual([{ record_id: 'l_ok' }]);
    await h.worker().drain();
    expect(await tasksAbout(h.db, 'l_ok')).toHaveLength(1);
    expect(await tasksAbout(h.db, 'l_boom')).toEqual([]);
  });
});
