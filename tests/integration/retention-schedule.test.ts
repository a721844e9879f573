import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionScheduler } from '../../sync-server/src/retention/retention-scheduler';
import { startTestServer, type TestServer } from '../support/sync-server';
import { doc, ORG_USERS, scopedHeaderAuthenticate, seed, seedOrg } from './sync-scope-fixtures';
import { post } from './sync-server-fixtures';

/**
 * Retention on demand from the app (administrators only, strict bodies) and on the server's
 * schedule: once per cron period, whichever instance claims it first.
 */

const ADMIN = ORG_USERS.admin.id;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_retention_sched', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: async (_app, db) => {
      await seedOrg(db);
      await seed(db, 'settings', [
        doc('retentionPolicy', 'p_lost', {
          ownerId: ADMIN,
          createdBy: ADMIN,
          updatedBy: ADMIN,
          name: 'Lost leads',
          target: 'lead',
          status: 'lost',
          age: 6,
          ageUnit: 'months',
          action: 'delete',
        }),
      ]);
    },
  });
});
afterAll(async () => {
  await server?.close();
});

const as = (user: keyof typeof ORG_USERS) => ({ 'x-user-id': ORG_USERS[user].id });

describe('retention from the app and on a schedule', () => {
  it('lets administrators only run it and read the runs; a bad body is refused naming the field', async () => {
    const rep = await server.app.inject({ method: 'GET', url: '/retention/runs', headers: as('repA1') });
    expect(rep.statusCode).toBe(403);
    const repRun = await post(server.app, '/retention/run', { dryRun: true }, as('repA1'));
    expect(repRun.status).toBe(403);
    const bad = await post<{ error: string }>(server.app, '/retention/run', { dryRun: 'yes' }, as('admin'));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/dryRun/);

    const run = await post<{ run: { dryRun: boolean; actorId: string; policies: { policyId: string }[] } }>(
      server.app,
      '/retention/run',
      { dryRun: true },
      as('admin'),
    );
    expect(run.status).toBe(200);
    expect(run.body.run).toMatchObject({ dryRun: true, actorId: ADMIN, policies: [{ policyId: 'p_lost' }] });
    const runs = await server.app.inject({ method: 'GET', url: '/retention/runs?limit=5', headers: as('admin') });
    expect(runs.statusCode).toBe(200);
    expect(runs.json()).toMatchObject({ runs: [{ dryRun: true, trigger: 'app', actorId: ADMIN }] });
    // The dry run is audited: who asked, when, and what the policy would delete.
    const { rows } = await server.db.query<{ actor_id: string; action: string; changes: unknown; reason: string }>(
      `SELECT actor_id, action, changes, reason FROM audit_log WHERE reason LIKE 'retention dry run%'`,
    );
    expect(rows).toEqual([
      {
        actor_id: ADMIN,
        action: 'purge',
        changes: expect.objectContaining({
          dryRun: [null, true],
          policy: [null, 'Lost leads'],
          action: [null, 'delete'],
          wouldChange: [null, expect.any(Number)],
        }),
        reason: expect.stringMatching(
          /^retention dry run ret_\w+ \(app\): \d+ records would be deleted or anonymised; nothing was changed$/,
        ),
      },
    ]);
  });

  it('runs once per period, on one instance of several', async () => {
    const now = () => new Date('2027-01-10T03:05:00.000Z');
    const a = new RetentionScheduler({ db: server.db, schedule: '0 3 * * *', now });
    const b = new RetentionScheduler({ db: server.db, schedule: '0 3 * * *', now });
    const ran = await Promise.all([a.runDue(), b.runDue()]);
    expect(ran.sort()).toEqual([false, true]);
    expect(await a.runDue()).toBe(false);
    const next = new RetentionScheduler({ db: server.db, now: () => new Date('2027-01-11T03:00:00.000Z') });
    expect(await next.runDue()).toBe(true);
    const { rows } = await server.db.query(`SELECT trigger FROM retention_runs WHERE trigger = 'schedule'`);
    expect(rows).toHaveLength(2);
    expect(() => new RetentionScheduler({ db: server.db, schedule: 'nightly' })).toThrow(/RETENTION_SCHEDULE/);
  });
});
