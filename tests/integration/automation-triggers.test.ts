import { describe, expect, it } from 'vitest';
import { leadDoc, NOW, rows, startAutomation, tasksAbout, workflowDoc } from './automation-fixtures';
import { doc, ORG_USERS, pushAs, seed } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/** The scoreCrossed and dateReached triggers (workflow-triggers.ts) run on the server, each exactly once. */

const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const HOT_LEADS = {
  name: 'Call leads that turn hot',
  entityKind: 'lead',
  trigger: 'scoreCrossed',
  conditions: { trigger: { field: 'score', threshold: 70, direction: 'up' } },
  actions: [{ type: 'createTask', taskType: 'call', title: 'Call the hot lead' }],
  active: true,
};

const CLOSING_SOON = {
  name: 'Prepare deals closing in a week',
  entityKind: 'deal',
  trigger: 'dateReached',
  conditions: {
    trigger: { dateField: 'expectedCloseDate', offsetDays: -7 },
    all: [{ field: 'stage', op: 'notIn', value: ['closedWon', 'closedLost'] }],
  },
  actions: [{ type: 'createTask', taskType: 'todo', title: 'Prepare the close' }],
  active: true,
  // The version: dates reached since the start of this day count.
  updatedAt: '2026-04-05T12:00:00.000Z',
};

describe('scoreCrossed on Postgres', () => {
  it('runs once when the score crosses the threshold, not on updates above it, whichever worker drains', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_hot', HOT_LEADS)]);
    const rep = 'repA1';
    let current = leadDoc('l_warm', ORG_USERS.repA1.id, { score: 50 });
    await pushAs(h.app, rep, 'leads', [{ newDocumentState: current }]);
    for (const [i, score] of [60, 75, 90, 80].entries()) {
      const next = { ...current, score, updatedAt: at((i + 1) * 1000) };
      const result = await pushAs(h.app, rep, 'leads', [{ newDocumentState: next, assumedMasterState: current }]);
      expect(result.body).toEqual({ conflicts: [], rejected: [] });
      current = next;
    }
    // The crossing write pushed again (a device retrying): it finds the row as pushed and crosses nothing.
    await pushAs(h.app, rep, 'leads', [{ newDocumentState: current, assumedMasterState: current }]);
    expect(await rows(h.db, `SELECT event FROM automation_jobs WHERE workflow_id = 'wf_hot'`)).toEqual([
      { event: 'updated' },
    ]);
    // Two instances' workers drain at once: the job is claimed by one of them.
    const [a, b] = await Promise.all([h.worker().drain(), h.worker().drain()]);
    expect([...(a ?? []), ...(b ?? [])]).toEqual([expect.objectContaining({ outcome: 'planned' })]);
    expect(await tasksAbout(h.db, 'l_warm')).toEqual([
      expect.objectContaining({ title: 'Call the hot lead', type: 'call', workflow_id: 'wf_hot' }),
    ]);
    // Down below the threshold and back up: a new crossing, a second run.
    for (const [i, score] of [40, 71].entries()) {
      const next = { ...current, score, updatedAt: at((i + 10) * 1000) };
      await pushAs(h.app, rep, 'leads', [{ newDocumentState: next, assumedMasterState: current }]);
      current = next;
    }
    await h.worker().drain();
    expect(await tasksAbout(h.db, 'l_warm')).toHaveLength(2);
    expect(
      await rows(h.db, `SELECT outcome, workflow_version FROM workflow_runs WHERE workflow_id = 'wf_hot' ORDER BY id`),
    ).toEqual([
      { outcome: 'planned', workflow_version: expect.any(String) },
      { outcome: 'planned', workflow_version: expect.any(String) },
    ]);
  });
});

// PGlite (the desktop's embedded server) migrates and seeds slowly on a loaded machine.
describe.each(BACKENDS)('dateReached on $name', { timeout: 180_000 }, (backend) => {
  it('runs once per record and version when the date is reached, on however many instances and ticks', async () => {
    const h = await startAutomation(await backend.open(), [workflowDoc('wf_close', CLOSING_SOON)]);
    const rep = ORG_USERS.repA1.id;
    const deal = (id: string, fields: Record<string, unknown>) =>
      doc('deal', id, { ownerId: rep, createdBy: rep, updatedBy: rep, stage: 'proposal', ...fields });
    await seed(h.db, 'deals', [
      // NOW is 2026-04-06 09:00: a week before the 13th is reached; before the 14th is not yet.
      deal('d_due', { expectedCloseDate: '2026-04-13' }),
      deal('d_later', { expectedCloseDate: '2026-04-14' }),
      // Reached long before the workflow's version: not fired for.
      deal('d_past', { expectedCloseDate: '2026-01-10' }),
      deal('d_won', { expectedCloseDate: '2026-04-12', stage: 'closedWon', probability: 100, closedAt: at(-DAY) }),
      deal('d_none', {}),
    ]);
    // Two instances tick and drain at once, then tick again.
    const [a, b] = await Promise.all([h.worker().tickAndDrain(), h.worker().tickAndDrain()]);
    const queued = [...(a?.tick.dateReached ?? []), ...(b?.tick.dateReached ?? [])].reduce((n, r) => n + r.jobs, 0);
    expect(queued).toBe(1);
    expect((await h.worker().tickAndDrain()).tick.dateReached).toEqual([]);
    expect(await tasksAbout(h.db, 'd_due')).toEqual([
      expect.objectContaining({ title: 'Prepare the close', workflow_id: 'wf_close' }),
    ]);
    for (const id of ['d_later', 'd_past', 'd_won', 'd_none']) expect(await tasksAbout(h.db, id)).toEqual([]);

    // A day later the 14th's week is reached: that deal, and only it.
    h.clock.now = new Date(NOW.getTime() + DAY);
    const later = await h.worker().tickAndDrain();
    expect(later.tick.dateReached).toEqual([{ workflowId: 'wf_close', version: CLOSING_SOON.updatedAt, jobs: 1 }]);
    expect(await tasksAbout(h.db, 'd_later')).toHaveLength(1);
    expect(await tasksAbout(h.db, 'd_due')).toHaveLength(1);
    expect(
      await rows(
        h.db,
        `SELECT record_id, event, outcome FROM workflow_runs WHERE workflow_id = 'wf_close' ORDER BY id`,
      ),
    ).toEqual([
      { record_id: 'd_due', event: 'dateReached', outcome: 'planned' },
      { record_id: 'd_later', event: 'dateReached', outcome: 'planned' },
    ]);
  });
});

describe('dateReached definitions pushed to the server', () => {
  it('refuses one without its date field, naming the field', async () => {
    const h = await startAutomation(await postgres.open(), []);
    const bad = workflowDoc('wf_bad', {
      ...CLOSING_SOON,
      conditions: { trigger: { dateField: 'name', offsetDays: 0 } },
    });
    const result = await pushAs(h.app, 'admin', 'settings', [{ newDocumentState: bad }]);
    expect(result.body.rejected).toEqual([
      expect.objectContaining({ id: 'wf_bad', field: 'conditions.trigger.dateField' }),
    ]);
  });
});
