import type { WorkflowRun } from '../../../src-shared/automation/workflow-run';
import type { Queryable } from '../db/database';

/** The select list that reads a `workflow_runs` row as a WorkflowRun. */
const RUN_COLUMNS = `id::text AS "id", workflow_id AS "workflowId", entity_kind AS "entityKind", record_id AS "recordId",
  event, period, outcome, reason, actions, attempt,
  to_char(ran_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "ranAt", workflow_version AS "workflowVersion"`;

const RUNS = `SELECT ${RUN_COLUMNS}
FROM workflow_runs
WHERE ($1::text IS NULL OR workflow_id = $1) AND ($2::text IS NULL OR record_id = $2)
ORDER BY id DESC LIMIT $3`;

const RUN_OF_JOB = `SELECT ${RUN_COLUMNS}
FROM workflow_runs WHERE job_id = $1::bigint ORDER BY id DESC LIMIT 1`;

/** The newest runs, of one workflow and/or one record when given. */
export async function listRuns(
  db: Queryable,
  filter: { workflowId?: string; recordId?: string; limit: number },
): Promise<WorkflowRun[]> {
  const { rows } = await db.query<WorkflowRun>(RUNS, [
    filter.workflowId ?? null,
    filter.recordId ?? null,
    filter.limit,
  ]);
  return rows;
}

/** The last logged run of an outbox job, if it has run. */
export async function lastRunOfJob(db: Queryable, jobId: string): Promise<WorkflowRun | undefined> {
  return (await db.query<WorkflowRun>(RUN_OF_JOB, [jobId])).rows[0];
}
