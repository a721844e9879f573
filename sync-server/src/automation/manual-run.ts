import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { WorkflowRun } from '../../../src-shared/automation/workflow-run';
import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import type { Database } from '../db/database';
import { quoted } from '../db/sync-schema';
import { HttpError } from '../http/errors';
import { parseBody } from '../sync/routes';
import { type AutomationOptions, AutomationWorker } from './automation.service';
import { lastRunOfJob } from './workflow-runs.queries';

/**
 * `POST /automation/workflows/:id/run` with `{ recordId }`: runs a workflow on one record now
 * ("Run now on…" in Settings → Workflows), whatever its trigger. Queued as a job of the outbox (event
 * 'manual', a period of its own) and run at once through the worker's own path (claim, savepoint,
 * retries, the run log), so a manual run is logged, counted and retried like any other; the answer
 * is the logged run. A paused or removed workflow and a record that is not there are refused with the
 * field named.
 */

export const manualRunBody = z.strictObject({
  recordId: z.string().trim().min(1, 'is required').max(40, 'is at most 40 characters'),
});

const ID = /^[A-Za-z0-9_-]{1,40}$/;

const QUEUE = `INSERT INTO automation_jobs (workflow_id, entity_kind, record_id, event, period, after_doc, run_after)
VALUES ($1, $2, $3, 'manual', $4, '{}'::jsonb, $5::timestamptz) RETURNING id::text AS id`;

interface StoredWorkflow {
  entity_kind: string;
  active: boolean;
  is_deleted: boolean;
  sync_removed: boolean;
}

export async function runWorkflowNow(
  db: Database,
  params: { workflowId: unknown; body: unknown },
  worker: Pick<AutomationOptions, 'now' | 'newId' | 'onCommitted' | 'onError'>,
): Promise<{ jobId: string; status: 'pending' } | { jobId: string; run: WorkflowRun }> {
  const workflowId = String(params.workflowId ?? '');
  if (!ID.test(workflowId)) throw new HttpError(400, 'id: must be a workflow id', 'id');
  const { recordId } = parseBody(manualRunBody, params.body);
  const workflow = (
    await db.query<StoredWorkflow>(
      'SELECT entity_kind, active, is_deleted, sync_removed FROM workflows WHERE id = $1',
      [workflowId],
    )
  ).rows[0];
  if (workflow === undefined || workflow.is_deleted || workflow.sync_removed) {
    throw new HttpError(404, `no workflow ${workflowId}`, 'id');
  }
  if (!workflow.active) throw new HttpError(409, 'the workflow is paused: activate it to run it', 'id');
  if (!isEntityName(workflow.entity_kind)) throw new HttpError(409, 'the workflow applies to no known kind', 'id');
  const entity = getEntity(workflow.entity_kind);
  const record = await db.query(
    `SELECT 1 FROM ${quoted(entity.table)} WHERE id = $1 AND NOT is_deleted AND NOT sync_removed`,
    [recordId],
  );
  if (record.rows.length === 0) {
    throw new HttpError(404, `recordId: no ${entity.label.toLowerCase()} ${recordId}`, 'recordId');
  }
  const now = (worker.now ?? (() => new Date()))();
  const period = `manual:${now.toISOString()}:${randomUUID()}`;
  const queued = await db.query<{ id: string }>(QUEUE, [workflowId, entity.name, recordId, period, now.toISOString()]);
  const jobId = queued.rows[0]?.id;
  if (jobId === undefined) throw new Error('the manual run was not queued');
  // A worker of this request: the timer-driven one may claim the job first (SKIP LOCKED); either way one run.
  await new AutomationWorker({ db, ...worker }).runNext(jobId);
  const run = await lastRunOfJob(db, jobId);
  return run === undefined ? { jobId, status: 'pending' } : { jobId, run };
}
