import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../sync-server/src/audit/audit-chain';
import type { Database } from '../../sync-server/src/db/database';
import { leadDoc, ROUTE_LEADS, rows, startAutomation, tasksAbout, workflowDoc } from './automation-fixtures';
import { ORG_USERS, pushAs } from './sync-scope-fixtures';
import { BACKENDS } from './sync-server-fixtures';

/**
 * The audit chain serialises audit inserts (the head row is locked until commit), so a run and any
 * writer that takes the head before a row the run holds can deadlock; Postgres then aborts one of
 * them (40P01). The run must be the one to try again, at once, without losing or doubling anything.
 */

const postgres = BACKENDS[0];
if (!postgres) throw new Error('no Postgres backend');

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sessions of this database waiting for a lock (a row's, the chain head's). */
async function waitingForLocks(db: Database): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return row?.n ?? 0;
}

describe('automation beside the audit chain', () => {
  it('retries a run that Postgres aborted as a deadlock victim, leaving one complete run', async () => {
    const h = await startAutomation(await postgres.open(), [workflowDoc('wf_route', ROUTE_LEADS)]);
    // The manager's lead: the round-robin hands it to a rep, so the run writes the lead.
    await pushAs(h.app, 'mgrA', 'leads', [{ newDocumentState: leadDoc('l_dl', ORG_USERS.mgrA.id) }]);

    const deadlocks = async () =>
      (
        await rows<{ n: number }>(
          h.db,
          'SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()',
        )
      )[0]?.n ?? 0;
    const before = await deadlocks();
    // Another writer takes the chain's head first (as an audit insert does) and then wants the lead.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let headTaken!: () => void;
    const taken = new Promise<void>((resolve) => {
      headTaken = resolve;
    });
    const other = h.db.transaction(async (tx) => {
      // This side never detects the deadlock first: the run is the victim Postgres picks.
      await tx.query(`SET LOCAL deadlock_timeout = '20s'`);
      await tx.query('SELECT seq FROM audit_chain_head FOR UPDATE');
      headTaken();
      await released;
      await tx.query(`SELECT id FROM leads WHERE id = 'l_dl' FOR UPDATE`);
    });
    await taken;
    const drained = h.worker().drain();
    // The run has locked the lead and waits for the head; now the cycle closes.
    await until(async () => (await waitingForLocks(h.db)) > 0);
    release();
    const [outcome] = await drained;
    await other;

    // Postgres did detect the deadlock (its statistics are flushed a moment after the abort).
    await until(async () => (await deadlocks()) > before, 10_000);
    expect(outcome).toMatchObject({ outcome: 'planned' });
    // One run logged, on its first attempt: the deadlock was retried in place, not logged as a failure.
    expect(await rows(h.db, `SELECT outcome, attempt FROM workflow_runs WHERE record_id = 'l_dl'`)).toEqual([
      { outcome: 'planned', attempt: 1 },
    ]);
    expect(await rows(h.db, `SELECT status, attempts FROM automation_jobs`)).toEqual([{ status: 'done', attempts: 1 }]);
    // Everything of the run once: the assignment, the task, the turn, the audit entries.
    expect(await tasksAbout(h.db, 'l_dl')).toHaveLength(1);
    expect(await rows(h.db, `SELECT turns::int AS turns FROM automation_rotations WHERE group_id = 'g_a'`)).toEqual([
      { turns: 1 },
    ]);
    const owner = await rows<{ owner_id: string }>(h.db, `SELECT owner_id FROM leads WHERE id = 'l_dl'`);
    expect([ORG_USERS.repA1.id, ORG_USERS.repA2.id]).toContain(owner[0]?.owner_id);
    const audited = await rows<{ entity_id: string }>(
      h.db,
      `SELECT entity_id FROM audit_log WHERE device_id = 'workflow:wf_route' ORDER BY seq`,
    );
    // The lead (assigned), its task, the workflow's count.
    expect(audited.map((a) => a.entity_id).sort()).toEqual(
      ['l_dl', 'wf_route', (await tasksAbout(h.db, 'l_dl'))[0]?.id].sort(),
    );
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });

  it('runs jobs while devices push edits of the same leads, losing and doubling nothing', async () => {
    const workflow = workflowDoc('wf_route', ROUTE_LEADS);
    const h = await startAutomation(await postgres.open(), [workflow]);
    const leads = Array.from({ length: 12 }, (_, i) => leadDoc(`l_c${i}`));
    await pushAs(
      h.app,
      'repA1',
      'leads',
      leads.map((lead) => ({ newDocumentState: lead })),
    );

    // Two workers drain while the manager pushes an edit of every lead, one push per lead, all at once.
    // The team's manager: a run may have assigned the lead to the other rep meanwhile.
    const edits = leads.map((lead, i) =>
      pushAs(h.app, 'mgrA', 'leads', [
        {
          newDocumentState: { ...lead, industry: `Industry ${i}`, updatedAt: '2026-04-06T09:00:05.000Z' },
          assumedMasterState: lead,
        },
      ]),
    );
    // And the administrator edits the workflow's description meanwhile (a run writes its counts).
    for (let i = 0; i < 3; i++) {
      edits.push(
        pushAs(h.app, 'admin', 'settings', [
          {
            newDocumentState: { ...workflow, description: `Edit ${i}`, updatedAt: `2026-04-06T09:00:0${i + 1}.000Z` },
            assumedMasterState: workflow,
          },
        ]),
      );
    }
    const workers = [h.worker(), h.worker()];
    const [drained] = await Promise.all([Promise.all(workers.map((w) => w.drain())), Promise.all(edits)]);
    const outcomes = drained.flat();
    // Edits that conflicted with a run's write come back as conflicts (a device would merge); none is refused.
    for (const edit of await Promise.all(edits)) expect(edit.body.rejected).toEqual([]);
    // Jobs queued by the edits (recordUpdated: none for this workflow) and by the creations, all run.
    for (;;) {
      const more = await h.worker().drain();
      if (more.length === 0) break;
      outcomes.push(...more);
    }

    expect(outcomes.filter((o) => o.outcome === 'failed')).toEqual([]);
    expect(await rows(h.db, `SELECT count(*)::int AS n FROM automation_jobs WHERE status <> 'done'`)).toEqual([
      { n: 0 },
    ]);
    for (const lead of leads) expect(await tasksAbout(h.db, lead.id)).toHaveLength(1);
    expect(await rows(h.db, `SELECT outcome, count(*)::int AS n FROM workflow_runs GROUP BY outcome`)).toEqual([
      { outcome: 'planned', n: leads.length },
    ]);
    expect(await rows(h.db, `SELECT turns::int AS turns FROM automation_rotations`)).toEqual([{ turns: leads.length }]);
    expect(await rows(h.db, `SELECT run_count FROM workflows`)).toEqual([{ run_count: leads.length }]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });
});
