import { describe, expect, it } from 'vitest';
import { AutomationWorker } from '../../sync-server/src/automation/automation.service';
import { ChangeFeed } from '../../sync-server/src/sync/change-feed';
import { leadDoc, ROUTE_LEADS, rows, workflowDoc } from './automation-fixtures';
import { ORG_USERS, pushAs, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';
import { BACKENDS, startServer } from './sync-server-fixtures';

const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('createApp({ automation })', () => {
  it('runs the worker while the app is up: a pushed lead is routed without anyone draining by hand', async () => {
    const db = await postgres.open();
    const feed = new ChangeFeed();
    const events = new Set<string>();
    feed.subscribe((event) => events.add(event.collection));
    const app = await startServer(db, {
      authenticate: scopedHeaderAuthenticate,
      now: () => new Date(),
      automation: { pollMs: 20 },
      feed,
    });
    await seedOrg(db);
    await seed(db, 'settings', [workflowDoc('wf_route', ROUTE_LEADS)]);
    await app.ready();
    await pushAs(app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_live') }]);
    await until(async () => (await rows(db, `SELECT 1 FROM tasks WHERE subject_id = 'l_live'`)).length === 1);
    // Devices are woken for the automation's writes as for a push (the task is written by no one else).
    await until(async () => events.has('tasks'));
    expect(await rows(db, `SELECT outcome FROM workflow_runs WHERE record_id = 'l_live'`)).toEqual([
      { outcome: 'planned' },
    ]);
    // The done job keeps no copy of the record.
    expect(await rows(db, `SELECT status, before_doc, after_doc FROM automation_jobs`)).toEqual([
      { status: 'done', before_doc: null, after_doc: {} },
    ]);
    await app.close();
  });

  it('is off by default', async () => {
    const db = await postgres.open();
    const app = await startServer(db, { authenticate: scopedHeaderAuthenticate });
    await seedOrg(db);
    await seed(db, 'settings', [workflowDoc('wf_route', ROUTE_LEADS)]);
    await app.ready();
    await pushAs(app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_queued') }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Queued for whichever instance runs the worker, not run.
    expect(await rows(db, `SELECT status FROM automation_jobs`)).toEqual([{ status: 'pending' }]);
  });
});

describe('GET /automation/runs', () => {
  it('lists the runs, newest first, to administrators only', async () => {
    const db = await postgres.open();
    const app = await startServer(db, { authenticate: scopedHeaderAuthenticate });
    await seedOrg(db);
    await seed(db, 'settings', [workflowDoc('wf_route', ROUTE_LEADS)]);
    await pushAs(app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_1') }]);
    await pushAs(app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_2', undefined, { source: 'referral' }) }]);
    await new AutomationWorker({ db, concurrency: 1 }).drain();

    const get = (url: string, user: string) => app.inject({ method: 'GET', url, headers: { 'x-user-id': user } });
    const admin = await get('/automation/runs?workflowId=wf_route', ORG_USERS.admin.id);
    expect(admin.statusCode).toBe(200);
    const runs = admin.json().runs as { recordId: string; outcome: string; ranAt: string; actions: unknown[] }[];
    expect(runs.map((r) => [r.recordId, r.outcome])).toEqual([
      ['l_2', 'skipped'],
      ['l_1', 'planned'],
    ]);
    expect(runs[1]?.actions).toEqual([
      expect.objectContaining({ type: 'assign', result: 'unchanged' }),
      expect.objectContaining({ type: 'createTask', result: 'written' }),
    ]);
    expect(runs[0]).toMatchObject({ workflowVersion: '2026-03-01T09:30:00.120Z' });
    expect(runs[0]?.ranAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    expect((await get('/automation/runs', ORG_USERS.repA1.id)).statusCode).toBe(403);
    const bad = await get('/automation/runs?limit=100000', ORG_USERS.admin.id);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'limit' });
  });
});

describe('failed jobs for an administrator', () => {
  it('lists them with the reason and retries one once its cause is fixed', async () => {
    const db = await postgres.open();
    const app = await startServer(db, { authenticate: scopedHeaderAuthenticate });
    await seedOrg(db);
    await seed(db, 'settings', [
      workflowDoc('wf_value', {
        ...ROUTE_LEADS,
        actions: [{ type: 'updateField', field: 'estimatedValue', value: 10 }],
      }),
    ]);
    await pushAs(app, 'repA1', 'leads', [{ newDocumentState: leadDoc('l_stuck') }]);
    const worker = new AutomationWorker({ db, maxAttempts: 1 });
    expect(await worker.drain()).toEqual([expect.objectContaining({ outcome: 'failed' })]);

    const admin = { 'x-user-id': ORG_USERS.admin.id };
    const listed = await app.inject({ method: 'GET', url: '/automation/jobs', headers: admin });
    const [job] = listed.json().jobs as { id: string; recordId: string; status: string; lastError: string }[];
    expect(job).toMatchObject({ recordId: 'l_stuck', status: 'failed' });
    expect(job?.lastError).toContain('currency');
    const rep = { 'x-user-id': ORG_USERS.repA1.id };
    expect(
      (await app.inject({ method: 'POST', url: `/automation/jobs/${job?.id}/retry`, headers: rep })).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'POST', url: '/automation/jobs/x1/retry', headers: admin })).json(),
    ).toMatchObject({
      field: 'id',
    });

    // The lead gets its currency; the retry goes through.
    await db.query(`UPDATE leads SET currency = 'EUR' WHERE id = 'l_stuck'`);
    const retried = await app.inject({ method: 'POST', url: `/automation/jobs/${job?.id}/retry`, headers: admin });
    expect(retried.json()).toEqual({ id: job?.id, status: 'pending' });
    expect(await worker.drain()).toEqual([expect.objectContaining({ outcome: 'planned' })]);
    expect(
      (await app.inject({ method: 'POST', url: `/automation/jobs/${job?.id}/retry`, headers: admin })).statusCode,
    ).toBe(404);
  });
});
