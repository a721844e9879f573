import type { Conditions } from '../../../src-shared/automation/workflow-definition';
import { conditionsHold } from '../../../src-shared/automation/workflow-engine';
import { getEntity } from '../../../src-shared/entities/registry';
import { workflowEntity } from '../../../src-shared/entities/work.entity';
import type { Database } from '../db/database';
import { quoted } from '../db/sync-schema';
import { rowToWireDoc } from '../sync/row-codec';
import { cronProblem, currentPeriod } from './schedule';

/**
 * The scheduler's tick: for each active scheduled workflow, its current period (the latest cron
 * occurrence, UTC) is expanded once into jobs, one per record its conditions hold for now; the
 * worker then runs them like any other job (and checks the conditions again on the record as it is
 * then). Once per (workflow, period): the period's row in `automation_schedule_periods` is taken in
 * the transaction that queues the jobs, so a second tick, on this instance or another, finds it and
 * does nothing; and the jobs' own unique key (workflow, record, 'scheduled', period) holds too.
 */

const SCHEDULED = `SELECT to_jsonb(t) AS doc FROM workflows t
WHERE t.active AND NOT t.is_deleted AND NOT t.sync_removed AND t.trigger = 'scheduled'`;

const INSERT_JOBS = `INSERT INTO automation_jobs (workflow_id, entity_kind, record_id, event, period, after_doc, run_after)
SELECT $1, $2, j.id, 'scheduled', $3, j.doc, $4::timestamptz
FROM jsonb_to_recordset($5::text::jsonb) AS j(id text, doc jsonb)
ON CONFLICT DO NOTHING`;

export interface TickReport {
  /** Workflows whose period was expanded by this tick. */
  expanded: { workflowId: string; period: string; jobs: number }[];
  /** Workflows with a schedule this server cannot read (rejected on push; stored before or by SQL). */
  invalid: { workflowId: string; problem: string }[];
}

export async function scheduleTick(db: Database, now: Date): Promise<TickReport> {
  const report: TickReport = { expanded: [], invalid: [] };
  const { rows } = await db.query<{ doc: Record<string, unknown> }>(SCHEDULED);
  for (const row of rows) {
    const workflow = rowToWireDoc(workflowEntity, row.doc);
    const schedule = typeof workflow.schedule === 'string' ? workflow.schedule : '';
    const problem = cronProblem(schedule);
    if (problem) {
      report.invalid.push({ workflowId: workflow.id, problem: `schedule ${problem}` });
      continue;
    }
    const period = currentPeriod(schedule, now);
    // Most ticks find the period done: a read, without a write transaction (and its xid) every poll.
    const done = await db.query('SELECT 1 FROM automation_schedule_periods WHERE workflow_id = $1 AND period = $2', [
      workflow.id,
      period,
    ]);
    if (done.rows.length > 0) continue;
    const jobs = await db.transaction(async (tx) => {
      const taken = await tx.query(
        `INSERT INTO automation_schedule_periods (workflow_id, period, jobs, expanded_at) VALUES ($1, $2, 0, $3)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [workflow.id, period, now.toISOString()],
      );
      if (taken.rows.length === 0) return undefined;
      const entity = getEntity(String(workflow.entityKind));
      const records = await tx.query<{ doc: Record<string, unknown> }>(
        `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} t WHERE NOT t.is_deleted AND NOT t.sync_removed`,
      );
      const due = records.rows
        .map((r) => rowToWireDoc(entity, r.doc))
        .filter((doc) =>
          conditionsHold(workflow.conditions as Conditions | undefined, { kind: 'scheduled', after: doc }, now),
        );
      if (due.length > 0) {
        await tx.query(INSERT_JOBS, [
          workflow.id,
          entity.name,
          period,
          now.toISOString(),
          JSON.stringify(due.map((doc) => ({ id: doc.id, doc }))),
        ]);
      }
      await tx.query('UPDATE automation_schedule_periods SET jobs = $3 WHERE workflow_id = $1 AND period = $2', [
        workflow.id,
        period,
        due.length,
      ]);
      return due.length;
    });
    if (jobs !== undefined) report.expanded.push({ workflowId: workflow.id, period, jobs });
  }
  return report;
}
