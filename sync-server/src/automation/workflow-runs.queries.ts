import type { Queryable } from '../db/database';

/** One run of the run log (`workflow_runs`) as the API answers it: the Settings screen's run log. */
export interface WorkflowRun {
  id: string;
  workflowId: string;
  entityKind: string;
  recordId: string;
  event: string;
  period: string;
  outcome: 'planned' | 'skipped' | 'failed';
  reason: string | null;
  actions: unknown[];
  attempt: number;
  ranAt: string;
  /** The workflow's `updatedAt` when it ran; null when the run failed before reading it. */
  workflowVersion: string | null;
}

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
