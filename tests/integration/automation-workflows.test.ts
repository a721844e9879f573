import { describe, expect, it } from 'vitest';
import {
  leadDoc,
  NOW,
  ownerOf,
  ROUTE_LEADS,
  rows,
  startAutomation,
  tasksAbout,
  workflowDoc,
} from './automation-fixtures';
import { doc, ORG_USERS, pushAs, seed } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY).toISOString();
const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');

/** The demo's stalled-deal follow-up (src-shared/demo/records-settings.ts): Mondays 08:00 UTC. */
const STALLED_DEALS = {
  name: 'Follow up stalled deals',
  entityKind: 'deal',
  trigger: 'scheduled',
  conditions: {
    all: [
      { field: 'stage', op: 'notIn', value: ['closedWon', 'closedLost'] },
      { field: 'stageChangedAt', op: 'olderThanDays', value: 21 },
    ],
  },
  actions: [{ type: 'createTask', taskType: 'followUp', priority: 'high', title: 'Follow up on stalled deal' }],
  schedule: '0 8 * * 1',
  active: true,
};

describe('workflow definitions pushed to the server', () => {
  it.each([
    {
      what: 'an action without its group',
      change: { actions: [{ type: 'assignRoundRobin' }] },
      field: 'actions[0].groupId',
    },
    { what: 'an unknown action', change: { actions: [{ type: 'sendFax' }] }, field: 'actions[0].type' },
    {
      what: 'a condition on a field leads do not have',
      change: { conditions: { all: [{ field: 'shoeSize', op: 'eq', value: 'x' }] } },
      field: 'conditions.all[0].field',
    },
    {
      what: 'a condition with a value of the wrong type',
      change: { conditions: { all: [{ field: 'source', op: 'eq', value: 'carrierPigeon' }] } },
      field: 'conditions.all[0].value',
    },
    { what: 'no action', change: { actions: [] }, field: 'actions' },
    {
      what: 'a schedule that is not cron',
      change: { trigger: 'scheduled', schedule: 'every monday' },
      field: 'schedule',
    },
    { what: 'a schedule out of range', change: { trigger: 'scheduled', schedule: '0 99 * * 1' }, field: 'schedule' },
  ])('refuses $what, naming $field', async ({ change, field }) => {
    const h = await startAutomation(await postgres.open(), []);
    const bad = workflowDoc('wf_bad', { ...ROUTE_LEADS, ...change });
    const good = workflowDoc('wf_good', ROUTE_LEADS);
    const result = await pushAs(h.app, 'admin', 'settings', [{ newDocumentState: bad }, { newDocumentState: good }]);
    expect(result.status).toBe(200);
    expect(result.body.rejected).toEqual([expect.objectContaining({ id: 'wf_bad', field })]);
    expect(result.body.rejected[0]?.reason).toContain(field);
    // The good one of the same batch is stored; the bad one is not.
    expect(await rows(h.db, 'SELECT id FROM workflows ORDER BY id')).toEqual([{ id: 'wf_good' }]);
  });

  it('lets a workflow be deleted even if its stored definition is no longer valid', async () => {
    const h = await startAutomation(await postgres.open(), []);
    const removed = workflowDoc('wf_old', { ...ROUTE_LEADS, actions: [{ type: 'sendFax' }], isDeleted: true });
    const result = await pushAs(h.app, 'admin', 'settings', [{ newDocumentState: removed }]);
    expect(result.body.rejected).toEqual([]);
  });
});

describe('a run that fails', () => {
  it('is logged failed with the reason, leaves nothing half-written and is retried', async () => {
    // Setting an estimated value needs a currency (a rule of the lead): the run's write is refused.
    const workflow = workflowDoc('wf_value', {
      ...ROUTE_LEADS,
      name: 'Value inbound leads',
      actions: [
        { type: 'assignRoundRobin', groupId: 'g_a' },
        { type: 'updateField', field: 'estimatedValue', value: 1000 },
        { type: 'createTask', taskType: 'call', title: 'Call new inbound lead' },
      ],
    });
    const h = await startAutomation(await postgres.open(), [workflow]);
    const lead = leadDoc('l_fail', ORG_USERS.repA2.id);
    await pushAs(h.app, 'repA2', 'leads', [{ newDocumentState: lead }]);

    const [failed] = await h.worker().drain();
    expect(failed).toMatchObject({ outcome: 'failed' });
    expect(failed?.reason).toContain('currency');
    // Nothing of the run: owner as pushed, no value, no task, no turn taken, no audit entry.
    expect(await ownerOf(h.db, 'leads', 'l_fail')).toBe(ORG_USERS.repA2.id);
    expect(await rows(h.db, `SELECT estimated_value FROM leads WHERE id = 'l_fail'`)).toEqual([
      { estimated_value: null },
    ]);
    expect(await tasksAbout(h.db, 'l_fail')).toEqual([]);
    expect(await rows(h.db, 'SELECT * FROM automation_rotations WHERE turns > 0')).toEqual([]);
    expect(await rows(h.db, `SELECT 1 FROM audit_log WHERE device_id LIKE 'workflow:%'`)).toEqual([]);
    expect(
      await rows(h.db, `SELECT outcome, attempt FROM workflow_runs WHERE record_id = 'l_fail' ORDER BY id`),
    ).toEqual([{ outcome: 'failed', attempt: 1 }]);
    // Not retried before its delay.
    expect(await h.worker().drain()).toEqual([]);

    // The rep gives the lead a currency; the retry, once due, goes through.
    const withCurrency = { ...lead, currency: 'EUR', updatedAt: '2026-04-06T09:00:01.000Z' };
    const update = await pushAs(h.app, 'repA2', 'leads', [
      { newDocumentState: withCurrency, assumedMasterState: lead },
    ]);
    expect(update.body).toEqual({ conflicts: [], rejected: [] });
    h.clock.now = new Date(NOW.getTime() + 61_000);
    const [retried] = await h.worker().drain();
    expect(retried).toMatchObject({ outcome: 'planned' });
    expect(await rows(h.db, `SELECT estimated_value::float8 AS v, currency FROM leads WHERE id = 'l_fail'`)).toEqual([
      { v: 1000, currency: 'EUR' },
    ]);
    expect(await tasksAbout(h.db, 'l_fail')).toHaveLength(1);
    expect(
      await rows(h.db, `SELECT outcome, attempt FROM workflow_runs WHERE record_id = 'l_fail' ORDER BY id`),
    ).toEqual([
      { outcome: 'failed', attempt: 1 },
      { outcome: 'planned', attempt: 2 },
    ]);
  });

  it('gives up after the last attempt and leaves the job failed', async () => {
    const workflow = workflowDoc('wf_value', {
      ...ROUTE_LEADS,
      actions: [{ type: 'updateField', field: 'estimatedValue', value: 1000 }],
    });
    const h = await startAutomation(await postgres.open(), [workflow]);
    await pushAs(h.app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_never') }]);
    for (let attempt = 0; attempt < 5; attempt++) {
      h.clock.now = new Date(NOW.getTime() + attempt * DAY);
      expect(await h.worker().drain()).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    }
    h.clock.now = new Date(NOW.getTime() + 30 * DAY);
    expect(await h.worker().drain()).toEqual([]);
    expect(await rows(h.db, 'SELECT status, attempts FROM automation_jobs')).toEqual([
      { status: 'failed', attempts: 5 },
    ]);
  });
});

// PGlite migrates and seeds slowly on a loaded machine.
describe.each(BACKENDS)('the scheduled stalled-deal follow-up on $name', { timeout: 180_000 }, (backend) => {
  it('creates one follow-up task per stalled deal per period', async () => {
    const h = await startAutomation(await backend.open(), [workflowDoc('wf_stalled', STALLED_DEALS)]);
    const deal = (id: string, fields: Record<string, unknown>) =>
      doc('deal', id, {
        ownerId: ORG_USERS.repA1.id,
        createdBy: ORG_USERS.repA1.id,
        updatedBy: ORG_USERS.repA1.id,
        ...fields,
      });
    await seed(h.db, 'deals', [
      deal('d_stalled', { stage: 'proposal', stageChangedAt: daysAgo(30) }),
      deal('d_fresh', { stage: 'proposal', stageChangedAt: daysAgo(5) }),
      deal('d_won', { stage: 'closedWon', stageChangedAt: daysAgo(60), probability: 100, closedAt: daysAgo(60) }),
    ]);
    const worker = h.worker();
    // Monday 09:00: the 08:00 period is due.
    const first = await worker.tickAndDrain();
    expect(first.tick.expanded).toEqual([{ workflowId: 'wf_stalled', period: '2026-04-06T08:00:00.000Z', jobs: 1 }]);
    expect(first.jobs).toEqual([expect.objectContaining({ outcome: 'planned' })]);
    // Later the same week, and a second instance's tick: nothing more.
    h.clock.now = new Date(NOW.getTime() + 2 * DAY);
    expect((await h.worker().tickAndDrain()).tick.expanded).toEqual([]);
    expect(await tasksAbout(h.db, 'd_stalled')).toHaveLength(1);
    // The next Monday: one more.
    h.clock.now = new Date(NOW.getTime() + 7 * DAY);
    const next = await worker.tickAndDrain();
    expect(next.tick.expanded).toEqual([{ workflowId: 'wf_stalled', period: '2026-04-13T08:00:00.000Z', jobs: 1 }]);
    const tasks = await tasksAbout(h.db, 'd_stalled');
    expect(tasks).toHaveLength(2);
    expect(
      tasks.every((t) => t.type === 'followUp' && t.workflow_id === 'wf_stalled' && t.owner_id === ORG_USERS.repA1.id),
    ).toBe(true);
    expect(await tasksAbout(h.db, 'd_fresh')).toEqual([]);
    expect(await tasksAbout(h.db, 'd_won')).toEqual([]);
    expect(await tasksAbout(h.db, 'd_a1')).toEqual([]);
  });
});

describe('a workflow on an update (Postgres)', () => {
  it('runs when a pushed change moves a deal into the stage, not on other changes', async () => {
    const h = await startAutomation(await postgres.open(), [
      workflowDoc('wf_negotiation', {
        name: 'Prepare the negotiation',
        entityKind: 'deal',
        trigger: 'stageChanged',
        conditions: { all: [{ field: 'stage', op: 'eq', value: 'negotiation' }] },
        actions: [{ type: 'createTask', taskType: 'meeting', title: 'Book the negotiation call', dueInDays: 2 }],
        active: true,
      }),
    ]);
    const rep = ORG_USERS.repA1.id;
    const base = doc('deal', 'd_move', { ownerId: rep, createdBy: rep, updatedBy: rep, stage: 'proposal' });
    await pushAs(h.app, 'repA1', 'deals', [{ newDocumentState: base }]);
    const renamed = { ...base, name: 'Bigger deal', updatedAt: '2026-04-06T09:01:00.000Z' };
    await pushAs(h.app, 'repA1', 'deals', [{ newDocumentState: renamed, assumedMasterState: base }]);
    const moved = { ...renamed, stage: 'negotiation', updatedAt: '2026-04-06T09:02:00.000Z' };
    expect(
      (await pushAs(h.app, 'repA1', 'deals', [{ newDocumentState: moved, assumedMasterState: renamed }])).body,
    ).toEqual({
      conflicts: [],
      rejected: [],
    });
    const outcomes = await h.worker().drain();
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['planned', 'skipped']);
    const tasks = await tasksAbout(h.db, 'd_move');
    expect(tasks).toEqual([expect.objectContaining({ type: 'meeting', owner_id: rep, workflow_id: 'wf_negotiation' })]);
  });
});
