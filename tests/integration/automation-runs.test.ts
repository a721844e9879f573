import { describe, expect, it } from 'vitest';
import { dueReminders } from '../../src-renderer/features/reminders/due-reminders';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import { leadDoc, NOW, ROUTE_LEADS, rows, startAutomation, tasksAbout, workflowDoc } from './automation-fixtures';
import { ORG_USERS, pullAllAs, pushAs } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');

describe('a run stamps its workflow', () => {
  it('sets lastRunAt and runCount through the row writer, audited, and devices pull them', async () => {
    const workflow = workflowDoc('wf_route', ROUTE_LEADS);
    const h = await startAutomation(await postgres.open(), [workflow]);
    const { checkpoint } = await pullAllAs(h.app, h.db, 'admin', 'settings');
    await pushAs(h.app, 'repA1', 'leads', [
      { newDocumentState: leadDoc('l_1') },
      // Not from the website: the run is skipped, and a skipped run does not count.
      { newDocumentState: leadDoc('l_2', ORG_USERS.repA1.id, { source: 'referral' }) },
      { newDocumentState: leadDoc('l_3') },
    ]);
    const outcomes = await h.worker().drain();
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['planned', 'planned', 'skipped']);

    const [stored] = await rows<{ last_run_at: Date; run_count: number; updated_at: Date }>(
      h.db,
      `SELECT last_run_at, run_count, updated_at FROM workflows WHERE id = 'wf_route'`,
    );
    expect(stored?.run_count).toBe(2);
    expect(stored?.last_run_at.toISOString()).toBe(NOW.toISOString());
    // The definition's version (updatedAt) is unchanged by a counter.
    expect(stored?.updated_at.toISOString()).toBe(workflow.updatedAt);
    const versions = await rows<{ workflow_version: string }>(
      h.db,
      'SELECT DISTINCT workflow_version FROM workflow_runs',
    );
    expect(versions).toEqual([{ workflow_version: workflow.updatedAt }]);

    // One audit entry per counted run, attributed to the workflow.
    const entries = await rows<{ changes: unknown; device_id: string }>(
      h.db,
      `SELECT changes, device_id FROM audit_log WHERE entity_id = 'wf_route' AND device_id LIKE 'workflow:%' ORDER BY seq`,
    );
    expect(entries).toHaveLength(2);
    expect(JSON.stringify(entries[1]?.changes)).toContain('runCount');
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });

    // An administrator's device receives the counts by sync.
    const pulled = await pullAllAs(h.app, h.db, 'admin', 'settings', checkpoint);
    expect(pulled.documents.find((d) => d.id === 'wf_route')).toMatchObject({
      runCount: 2,
      lastRunAt: NOW.toISOString(),
    });
  });

  it('counts nothing for a run that failed (rolled back)', async () => {
    const workflow = workflowDoc('wf_bad_value', {
      ...ROUTE_LEADS,
      // A lead's estimated value needs a currency: the run's write is refused.
      actions: [{ type: 'updateField', field: 'estimatedValue', value: 1000 }],
    });
    const h = await startAutomation(await postgres.open(), [workflow]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_fail') }]);
    expect(await h.worker().drain()).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(await rows(h.db, `SELECT last_run_at, run_count FROM workflows`)).toEqual([
      { last_run_at: null, run_count: null },
    ]);
    expect(await rows(h.db, `SELECT 1 FROM audit_log WHERE device_id LIKE 'workflow:%'`)).toEqual([]);
  });
});

describe('the notify action', () => {
  const NOTIFY = {
    ...ROUTE_LEADS,
    name: 'Tell the manager about web leads',
    actions: [
      { type: 'notify', userId: ORG_USERS.mgrA.id, message: 'A new web lead arrived' },
      // No user: the record's owner is told.
      { type: 'notify', message: 'x'.repeat(300) },
    ],
  };

  it('gives the recipient a task reminding now, which their device pulls and the reminders show', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_notify', NOTIFY)]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_web') }]);
    expect(await h.worker().drain()).toEqual([expect.objectContaining({ outcome: 'planned' })]);
    const [run] = await rows<{ actions: { type: string; result: string; detail?: string }[] }>(
      h.db,
      `SELECT actions FROM workflow_runs WHERE record_id = 'l_web'`,
    );
    expect(run?.actions).toEqual([
      expect.objectContaining({ type: 'notify', result: 'written', detail: ORG_USERS.mgrA.id }),
      expect.objectContaining({ type: 'notify', result: 'written', detail: ORG_USERS.repA1.id }),
    ]);

    const manager = await pullAllAs(h.app, h.db, 'mgrA', 'tasks');
    const told = manager.documents.find((d) => d.workflowId === 'wf_notify' && d.ownerId === ORG_USERS.mgrA.id);
    expect(told).toMatchObject({
      title: 'A new web lead arrived',
      status: 'open',
      reminderAt: NOW.toISOString(),
      subjectType: 'lead',
      subjectId: 'l_web',
    });
    const reminders = dueReminders([told as never], new Date(NOW.getTime() + 1000), new Set());
    expect(reminders).toEqual([expect.objectContaining({ kind: 'reminder', title: 'A new web lead arrived' })]);

    // The rep gets theirs (a long message is cut for the title, whole in the description), not the manager's.
    const rep = await pullAllAs(h.app, h.db, 'repA1', 'tasks');
    const mine = rep.documents.filter((d) => d.workflowId === 'wf_notify');
    expect(mine).toHaveLength(1);
    expect(String(mine[0]?.title)).toHaveLength(200);
    expect(mine[0]?.description).toBe('x'.repeat(300));
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });

  it.each([
    { what: 'an empty message', action: { type: 'notify', message: '' }, field: 'actions[0].message' },
    {
      what: 'a message over 500 characters',
      action: { type: 'notify', message: 'x'.repeat(501) },
      field: 'actions[0].message',
    },
    {
      what: 'a recipient that is not an id',
      action: { type: 'notify', message: 'hi', userId: 42 },
      field: 'actions[0].userId',
    },
  ])('refuses a workflow with $what, naming $field', async ({ action, field }) => {
    const h = await startAutomation(await postgres.open(), []);
    const bad = workflowDoc('wf_bad', { ...NOTIFY, actions: [action] });
    const result = await pushAs(h.app, 'admin', 'settings', [{ newDocumentState: bad }]);
    expect(result.body.rejected).toEqual([expect.objectContaining({ id: 'wf_bad', field })]);
  });
});

describe('POST /automation/workflows/:id/run', () => {
  const admin: Record<string, string> = { 'x-user-id': ORG_USERS.admin.id };
  const runNow = (h: { app: import('fastify').FastifyInstance }, id: string, body: unknown, headers = admin) =>
    h.app.inject({ method: 'POST', url: `/automation/workflows/${id}/run`, headers, payload: body as object });

  it('runs a workflow on one record now, whatever its trigger, and answers with the logged run', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_route', ROUTE_LEADS)]);
    // The creation's job waits for the worker; an administrator runs the workflow on the lead now.
    await pushAs(h.app, 'mgrA', 'leads', [{ newDocumentState: leadDoc('l_ref', ORG_USERS.mgrA.id) }]);
    const reply = await runNow(h, 'wf_route', { recordId: 'l_ref' });
    expect(reply.statusCode).toBe(200);
    const { run } = reply.json() as { run: { event: string; outcome: string; recordId: string; attempt: number } };
    expect(run).toMatchObject({ event: 'manual', outcome: 'planned', recordId: 'l_ref', attempt: 1 });
    expect(await tasksAbout(h.db, 'l_ref')).toHaveLength(1);
    // A second request is a second run (its own period), not merged with the first.
    const again = await runNow(h, 'wf_route', { recordId: 'l_ref' });
    expect(again.json()).toMatchObject({ run: { outcome: 'planned' } });
    expect(await tasksAbout(h.db, 'l_ref')).toHaveLength(2);
    expect(await rows(h.db, `SELECT run_count FROM workflows WHERE id = 'wf_route'`)).toEqual([{ run_count: 2 }]);
    // The creation job is still queued for the worker, untouched by the manual runs.
    expect(await rows(h.db, `SELECT event, status FROM automation_jobs ORDER BY id`)).toEqual([
      { event: 'created', status: 'pending' },
      { event: 'manual', status: 'done' },
      { event: 'manual', status: 'done' },
    ]);
  });

  it.each([
    { what: 'no body field', body: {}, status: 400, field: 'recordId' },
    { what: 'an empty record id', body: { recordId: ' ' }, status: 400, field: 'recordId' },
    { what: 'a record id of the wrong type', body: { recordId: 7 }, status: 400, field: 'recordId' },
    { what: 'an over-long record id', body: { recordId: 'x'.repeat(41) }, status: 400, field: 'recordId' },
    { what: 'an unknown field', body: { recordId: 'l_1', force: true }, status: 400, field: 'force' },
    { what: 'a record that is not there', body: { recordId: 'l_nope' }, status: 404, field: 'recordId' },
    { what: 'a workflow that is not there', body: { recordId: 'l_1' }, id: 'wf_nope', status: 404, field: 'id' },
    { what: 'a malformed workflow id', body: { recordId: 'l_1' }, id: 'wf%20x', status: 400, field: 'id' },
    { what: 'a paused workflow', body: { recordId: 'l_1' }, id: 'wf_paused', status: 409, field: 'id' },
  ])('refuses $what ($status, naming $field) and queues nothing', async ({ body, id, status, field }) => {
    const h = await startAutomation(await postgres.open(), [
      workflowDoc('wf_route', ROUTE_LEADS),
      workflowDoc('wf_paused', { ...ROUTE_LEADS, active: false }),
    ]);
    await pushAs(h.app, 'mgrA', 'leads', [{ newDocumentState: leadDoc('l_1', ORG_USERS.mgrA.id) }]);
    const reply = await runNow(h, id ?? 'wf_route', body);
    expect(reply.statusCode).toBe(status);
    expect(reply.json()).toMatchObject({ field });
    expect(await rows(h.db, `SELECT event FROM automation_jobs WHERE event = 'manual'`)).toEqual([]);
  });

  it('is for those who may change workflows', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_route', ROUTE_LEADS)]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_1') }]);
    const reply = await runNow(h, 'wf_route', { recordId: 'l_1' }, { 'x-user-id': ORG_USERS.repA1.id });
    expect(reply.statusCode).toBe(403);
    expect(await rows(h.db, `SELECT event FROM automation_jobs WHERE event = 'manual'`)).toEqual([]);
  });
});
