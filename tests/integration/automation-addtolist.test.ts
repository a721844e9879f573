import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import { leadDoc, NOW, rows, startAutomation, workflowDoc } from './automation-fixtures';
import { doc, ORG_USERS, pushAs, seed } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/**
 * The addToList action and the fieldChanged trigger on real Postgres: a lead whose status changes
 * to qualified is put into a lead list, once, however often the change or its job is delivered;
 * a list that does not exist fails the run, logged, with nothing written.
 */

const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const qualifiedToList = (listId: string) => ({
  name: 'Nurture qualified leads',
  entityKind: 'lead',
  trigger: 'fieldChanged',
  conditions: { trigger: { field: 'status' }, all: [{ field: 'status', op: 'eq', value: 'qualified' }] },
  actions: [{ type: 'addToList', listId }],
  active: true,
});

const listDoc = (id: string) =>
  doc('leadList', id, {
    name: 'Qualified nurture',
    type: 'static',
    ownerId: ORG_USERS.admin.id,
    createdBy: ORG_USERS.admin.id,
    updatedBy: ORG_USERS.admin.id,
  });

const membersOf = (h: { db: Parameters<typeof rows>[0] }, leadId: string) =>
  rows<{ id: string; lead_list_id: string; is_deleted: boolean }>(
    h.db,
    'SELECT id, lead_list_id, is_deleted FROM lead_list_members WHERE lead_id = $1 ORDER BY id',
    [leadId],
  );

/** Creates the lead, then pushes its status change (a fieldChanged event on status). */
async function qualify(h: Awaited<ReturnType<typeof startAutomation>>, leadId: string) {
  const created = leadDoc(leadId, ORG_USERS.repA1.id, { status: 'new' });
  expect((await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: created }])).body).toEqual({
    conflicts: [],
    rejected: [],
  });
  const qualified = { ...created, status: 'qualified', updatedAt: at(1000) };
  const push = [{ newDocumentState: qualified, assumedMasterState: created }];
  expect((await pushAs(h.app, 'repA1', 'leads', push)).body).toEqual({ conflicts: [], rejected: [] });
  return { created, qualified, push };
}

describe('addToList on a fieldChanged trigger (Postgres)', () => {
  it('puts the lead into the list exactly once, whatever is delivered again', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_list', qualifiedToList('ll_nurture'))]);
    await seed(h.db, 'settings', [listDoc('ll_nurture')]);
    const { qualified, push } = await qualify(h, 'l_q');
    // A device retrying the same push (its answer was lost): the row is as pushed, no new change.
    await pushAs(h.app, 'repA1', 'leads', push);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: qualified, assumedMasterState: qualified }]);
    const jobs = await rows<{ id: string; before_doc: unknown; after_doc: unknown }>(
      h.db,
      `SELECT id::text AS id, before_doc, after_doc FROM automation_jobs WHERE workflow_id = 'wf_list'`,
    );
    expect(jobs).toHaveLength(1);

    expect(await h.worker().drain()).toEqual([expect.objectContaining({ outcome: 'planned' })]);
    const members = await membersOf(h, 'l_q');
    expect(members).toEqual([expect.objectContaining({ lead_list_id: 'll_nurture', is_deleted: false })]);
    const [run] = await rows<{ outcome: string; actions: { type: string; result: string; recordId?: string }[] }>(
      h.db,
      `SELECT outcome, actions FROM workflow_runs WHERE workflow_id = 'wf_list'`,
    );
    expect(run).toEqual({
      outcome: 'planned',
      actions: [expect.objectContaining({ type: 'addToList', result: 'written', recordId: members[0]?.id })],
    });

    // The same job delivered again (an instance re-runs it, e.g. after losing track of its commit):
    // the membership's id derives from the run, so the rerun finds it and writes nothing.
    // A done job drops its documents (automation.service.ts), so they are put back as delivered.
    await h.db.query(
      `UPDATE automation_jobs SET status = 'pending', done_at = NULL, before_doc = $2, after_doc = $3 WHERE id = $1`,
      [jobs[0]?.id, JSON.stringify(jobs[0]?.before_doc), JSON.stringify(jobs[0]?.after_doc)],
    );
    expect(await h.worker().drain()).toEqual([expect.objectContaining({ outcome: 'planned' })]);
    expect(await membersOf(h, 'l_q')).toEqual(members);
    const runs = await rows<{ actions: { type: string; result: string }[] }>(
      h.db,
      `SELECT actions FROM workflow_runs WHERE workflow_id = 'wf_list' ORDER BY id`,
    );
    expect(runs.map((r) => r.actions.map((a) => a.result))).toEqual([['written'], ['unchanged']]);

    // One audit entry for the membership, attributed to the workflow; the chain holds.
    expect(await rows(h.db, `SELECT device_id FROM audit_log WHERE entity_id = $1`, [members[0]?.id])).toEqual([
      { device_id: 'workflow:wf_list' },
    ]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });

  it('does not fire on a change of another field', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_list', qualifiedToList('ll_nurture'))]);
    await seed(h.db, 'settings', [listDoc('ll_nurture')]);
    const created = leadDoc('l_other', ORG_USERS.repA1.id, { status: 'qualified' });
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: created }]);
    const renamed = { ...created, lastName: 'Renamed', updatedAt: at(1000) };
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: renamed, assumedMasterState: created }]);
    await h.worker().drain();
    expect(await membersOf(h, 'l_other')).toEqual([]);
  });

  it('a later run for the same lead and list (a new status change) leaves its one membership', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_list', qualifiedToList('ll_nurture'))]);
    await seed(h.db, 'settings', [listDoc('ll_nurture')]);
    const { qualified } = await qualify(h, 'l_twice');
    await h.worker().drain();
    const members = await membersOf(h, 'l_twice');
    expect(members).toHaveLength(1);
    // Back to contacted, then qualified again: two new changes, one of them firing a new run.
    const contacted = { ...qualified, status: 'contacted', updatedAt: at(2000) };
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: contacted, assumedMasterState: qualified }]);
    const again = { ...contacted, status: 'qualified', updatedAt: at(3000) };
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: again, assumedMasterState: contacted }]);
    await h.worker().drain();
    expect(await membersOf(h, 'l_twice')).toEqual(members);
    const runs = await rows<{ actions: { type: string; result: string; detail?: string }[] }>(
      h.db,
      `SELECT actions FROM workflow_runs WHERE workflow_id = 'wf_list' AND outcome = 'planned' ORDER BY id`,
    );
    expect(runs.map((r) => r.actions.map((a) => a.result))).toEqual([['written'], ['unchanged']]);
    expect(runs[1]?.actions[0]?.detail).toBe('already in the list');
  });

  it('fails the run, logged with a clear reason, and writes nothing when the list does not exist', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_gone', qualifiedToList('ll_missing'))]);
    await qualify(h, 'l_m');
    const auditBefore = await rows(h.db, `SELECT count(*)::int AS n FROM audit_log`);

    expect(await h.worker().drain()).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(await membersOf(h, 'l_m')).toEqual([]);
    const [run] = await rows<{ outcome: string; reason: string }>(
      h.db,
      `SELECT outcome, reason FROM workflow_runs WHERE workflow_id = 'wf_gone'`,
    );
    expect(run?.outcome).toBe('failed');
    expect(run?.reason).toMatch(/ll_missing/);
    expect(run?.reason).toMatch(/list/i);
    expect(await rows(h.db, `SELECT count(*)::int AS n FROM audit_log`)).toEqual(auditBefore);
    expect(await rows(h.db, `SELECT last_run_at, run_count FROM workflows WHERE id = 'wf_gone'`)).toEqual([
      { last_run_at: null, run_count: null },
    ]);
  });
});
