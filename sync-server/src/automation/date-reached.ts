import type { Conditions } from '../../../src-shared/automation/workflow-definition';
import { conditionsHold } from '../../../src-shared/automation/workflow-engine';
import { type DateReachedParams, triggerProblems } from '../../../src-shared/automation/workflow-triggers';
import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import { workflowEntity } from '../../../src-shared/entities/work.entity';
import type { FieldSpec } from '../../../src-shared/schema/field';
import { toSnakeCase } from '../../../src-shared/schema/to-postgres';
import type { Database } from '../db/database';
import { quoted } from '../db/sync-schema';
import { rowToWireDoc } from '../sync/row-codec';

/**
 * dateReached workflows: a tick queues a job per record whose date (plus the workflow's offset) has
 * been reached, once per (workflow, record, version): the job's key is (workflow, record,
 * 'dateReached', the workflow's `updatedAt`), which the once-only index makes unique, so a second
 * tick, on this instance or another, queues nothing for a record already queued (and a job left
 * failed is not queued again). Dates reached since the start of the UTC day the version was saved
 * count: a new or edited workflow does not fire for every record whose date passed long ago, and a
 * server that was down catches up on the dates it missed.
 */

const DATE_REACHED = `SELECT to_jsonb(t) AS doc FROM workflows t
WHERE t.active AND NOT t.is_deleted AND NOT t.sync_removed AND t.trigger = 'dateReached'`;

const INSERT_JOBS = `INSERT INTO automation_jobs (workflow_id, entity_kind, record_id, event, period, after_doc, run_after)
SELECT $1, $2, j.id, 'dateReached', $3, j.doc, $4::timestamptz
FROM jsonb_to_recordset($5::text::jsonb) AS j(id text, doc jsonb)
ON CONFLICT DO NOTHING`;

export interface DateReachedReport {
  workflowId: string;
  version: string;
  jobs: number;
}

const DAY_MS = 86_400_000;

/** The moment a row's date is reached, in SQL: a day at midnight UTC, a time as is; plus the offset ($4 days). */
function reachedSql(column: string, type: string): string {
  const at = type === 'date' ? `(t.${column}::timestamp AT TIME ZONE 'UTC')` : `t.${column}`;
  return `(${at} + make_interval(days => $4::int))`;
}

export async function dateReachedTick(db: Database, now: Date): Promise<DateReachedReport[]> {
  const reports: DateReachedReport[] = [];
  const { rows } = await db.query<{ doc: Record<string, unknown> }>(DATE_REACHED);
  for (const row of rows) {
    const workflow = rowToWireDoc(workflowEntity, row.doc);
    const kind = String(workflow.entityKind);
    const params = (workflow.conditions as Conditions | undefined)?.trigger as DateReachedParams | undefined;
    // One stored before validation (or by SQL) is left to the run, which logs why it cannot run.
    if (!isEntityName(kind) || triggerProblems(kind, 'dateReached', params).length > 0 || params === undefined)
      continue;
    const entity = getEntity(kind);
    const spec = (entity.fields as Readonly<Record<string, FieldSpec | undefined>>)[params.dateField];
    if (spec === undefined) continue;
    const version = String(workflow.updatedAt);
    const since = new Date(Math.floor(Date.parse(version) / DAY_MS) * DAY_MS);
    const reached = reachedSql(quoted(toSnakeCase(params.dateField)), spec.type);
    const found = await db.query<{ doc: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} t
       WHERE NOT t.is_deleted AND NOT t.sync_removed AND ${reached} <= $1::timestamptz AND ${reached} >= $2::timestamptz
         AND NOT EXISTS (SELECT 1 FROM automation_jobs j
           WHERE j.workflow_id = $3 AND j.record_id = t.id AND j.event = 'dateReached' AND j.period = $5)`,
      [now.toISOString(), since.toISOString(), workflow.id, params.offsetDays, version],
    );
    const due = found.rows
      .map((r) => rowToWireDoc(entity, r.doc))
      .filter((doc) =>
        conditionsHold(workflow.conditions as Conditions | undefined, { kind: 'dateReached', after: doc }, now),
      );
    if (due.length === 0) continue;
    const inserted = await db.query(`${INSERT_JOBS} RETURNING 1`, [
      workflow.id,
      entity.name,
      version,
      now.toISOString(),
      JSON.stringify(due.map((doc) => ({ id: doc.id, doc }))),
    ]);
    reports.push({ workflowId: workflow.id, version, jobs: inserted.rows.length });
  }
  return reports;
}
