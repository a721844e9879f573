import { crossed, type ScoreCrossedParams, triggerParamsOf } from '../../../src-shared/automation/workflow-triggers';
import type { Queryable } from '../db/database';

/**
 * The automation outbox's writing side, called by the push path inside the transaction that writes
 * the records (push-batch.ts `applyBatch`, push.ts `applyRecord`): a job per active workflow that a
 * written record may fire, committed with the record or not at all. Whether the workflow really
 * fires (its conditions) is decided when the job runs (worker.ts), on the record as it was written.
 *
 * Once only: a record's creation happens once (a second push of the same new record finds the row:
 * a replay or a conflict; two at once race on the primary key and the loser retries), and the job's
 * unique key (workflow, record, 'created') turns any second enqueue into nothing. A scoreCrossed
 * workflow is queued only by the write that crosses its threshold: a replayed push finds the row as
 * pushed (before = after), so it crosses nothing.
 */

type Doc = Readonly<Record<string, unknown>>;

export interface RecordWrite {
  /** The row before (undefined: it did not exist, or was a removal tombstone). */
  readonly before: Doc | undefined;
  readonly after: Doc;
}

/** Entity kinds a workflow may apply to (workflowEntity.entityKind). */
const AUTOMATABLE = new Set(['contact', 'company', 'lead', 'deal', 'task', 'communication']);

const TRIGGERS = {
  created: ['recordCreated'],
  updated: ['recordUpdated', 'fieldChanged', 'stageChanged', 'scoreCrossed'],
} as const;

interface JobRow {
  workflow_id: string;
  entity_kind: string;
  record_id: string;
  event: 'created' | 'updated';
  before_doc: Doc | null;
  after_doc: Doc;
}

/** The workflows a write of `$1`'s kinds may fire; also read by the push with the webhooks (webhook-outbox.ts `readListeners`). */
export const ACTIVE_WORKFLOWS = `SELECT id, entity_kind, trigger, conditions FROM workflows
WHERE active AND NOT is_deleted AND NOT sync_removed AND entity_kind = ANY($1::text[])`;

export interface ActiveWorkflow {
  id: string;
  entity_kind: string;
  trigger: string;
  conditions: unknown;
}

const INSERT_JOBS = `INSERT INTO automation_jobs (workflow_id, entity_kind, record_id, event, before_doc, after_doc, run_after)
SELECT j.workflow_id, j.entity_kind, j.record_id, j.event, j.before_doc, j.after_doc, $2::timestamptz
FROM jsonb_to_recordset($1::text::jsonb)
  AS j(workflow_id text, entity_kind text, record_id text, event text, before_doc jsonb, after_doc jsonb)
ON CONFLICT DO NOTHING`;

function crossesThreshold(conditions: unknown, write: RecordWrite): boolean {
  const params = triggerParamsOf(conditions);
  return params !== undefined && crossed(params as unknown as ScoreCrossedParams, write.before, write.after);
}

function liveWrites(writes: readonly RecordWrite[]): RecordWrite[] {
  return writes.filter(
    (w) => AUTOMATABLE.has(String(w.after.kind)) && w.after._deleted !== true && w.after.isDeleted !== true,
  );
}

/** The kinds of the writes a workflow may fire on: `ACTIVE_WORKFLOWS`'s parameter. */
export function automatableKinds(writes: readonly RecordWrite[]): string[] {
  return [...new Set(liveWrites(writes).map((w) => String(w.after.kind)))];
}

/**
 * Queues the jobs the writes call for; how many were asked for (a duplicate of a once-only job is
 * dropped). `active`: the workflows `ACTIVE_WORKFLOWS` returned for these writes' kinds in this
 * transaction, when the caller read them already.
 */
export async function enqueueRecordEvents(
  tx: Queryable,
  writes: readonly RecordWrite[],
  now: Date,
  active?: readonly ActiveWorkflow[],
): Promise<number> {
  const live = liveWrites(writes);
  if (live.length === 0) return 0;
  const workflows =
    active ??
    (await tx.query<ActiveWorkflow>(ACTIVE_WORKFLOWS, [[...new Set(live.map((w) => String(w.after.kind)))]])).rows;
  if (workflows.length === 0) return 0;
  const jobs: JobRow[] = [];
  for (const write of live) {
    const event = write.before === undefined ? 'created' : 'updated';
    const triggers: readonly string[] = TRIGGERS[event];
    for (const workflow of workflows) {
      if (workflow.entity_kind !== write.after.kind || !triggers.includes(workflow.trigger)) continue;
      // Only the write that crosses the threshold is queued, not every update past it (the run checks again).
      if (workflow.trigger === 'scoreCrossed' && !crossesThreshold(workflow.conditions, write)) continue;
      jobs.push({
        workflow_id: workflow.id,
        entity_kind: workflow.entity_kind,
        record_id: String(write.after.id),
        event,
        before_doc: write.before ?? null,
        after_doc: write.after,
      });
    }
  }
  if (jobs.length === 0) return 0;
  await tx.query(INSERT_JOBS, [JSON.stringify(jobs), now.toISOString()]);
  return jobs.length;
}
