import type { Conditions } from '../../../src-shared/automation/workflow-definition';
import {
  conditionsHold,
  fires,
  planRun,
  type RecordEvent,
  type WorkflowLike,
} from '../../../src-shared/automation/workflow-engine';
import { getEntity } from '../../../src-shared/entities/registry';
import { workflowEntity } from '../../../src-shared/entities/work.entity';
import type { Queryable } from '../db/database';
import { selectForUpdate } from '../sync/row-writer';
import { type AppliedAction, applyActions } from './apply-actions';
import { countRun } from './count-run';
import { takeTurn } from './round-robin';
import { queueWebhooks } from './webhooks';
import { workflowWriteProblems } from './workflow-validation';

/**
 * One job of the outbox, in the caller's transaction: the workflow as stored now, the record locked,
 * the plan (the shared engine's planRun, so the server decides as a device would), its actions
 * applied. Round-robin turns are taken only once the trigger and conditions hold, so a skipped run
 * never uses up a member's turn.
 */

export interface Job {
  id: string;
  workflow_id: string;
  entity_kind: string;
  record_id: string;
  event: 'created' | 'updated' | 'scheduled' | 'manual' | 'dateReached';
  period: string;
  before_doc: Record<string, unknown> | null;
  after_doc: Record<string, unknown>;
  attempts: number;
}

/** An action of the run as logged: a webhook call is queued, sent once the run has committed (webhooks.ts). */
export type RunAction = Omit<AppliedAction, 'result'> & { result: AppliedAction['result'] | 'queued' };

export interface JobResult {
  outcome: 'planned' | 'skipped';
  /** The workflow's `updatedAt` when it ran: the version of its definition. */
  version?: string;
  reason?: string;
  actions: RunAction[];
  committed: Map<string, string>;
}

/** A workflow whose stored definition this server cannot run (stored before validation, or by SQL): not retried. */
export class InvalidWorkflowError extends Error {
  override readonly name = 'InvalidWorkflowError';
}

const skipped = (reason: string): JobResult => ({ outcome: 'skipped', reason, actions: [], committed: new Map() });

function eventOf(job: Job, current: Record<string, unknown>): RecordEvent {
  // Jobs of the scheduler and of a request run on the record as it is now.
  if (job.event === 'scheduled' || job.event === 'manual' || job.event === 'dateReached') {
    return { kind: job.event, after: current };
  }
  return job.before_doc === null
    ? { kind: job.event, after: job.after_doc }
    : { kind: job.event, before: job.before_doc, after: job.after_doc };
}

export async function runJob(tx: Queryable, job: Job, now: Date, newId: () => string): Promise<JobResult> {
  // Locked first, before the record and the audit chain's head: a run writes the workflow last
  // (countRun), and a push of the workflow locks it before the head, so taking it here keeps one
  // lock order (workflow, record, head) and no cycle with such a push.
  const stored = await selectForUpdate(tx, workflowEntity, job.workflow_id);
  if (stored === undefined || stored._deleted === true || stored.isDeleted === true) {
    return skipped('the workflow was removed');
  }
  const version = String(stored.updatedAt);
  if (stored.active !== true) return { ...skipped('the workflow is not active'), version };
  const problems = workflowWriteProblems(stored);
  if (problems.length > 0) {
    throw new InvalidWorkflowError(
      `the workflow's definition is invalid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
    );
  }
  const definition = stored as unknown as WorkflowLike & { name: string; ownerId: string };
  // Run on request ("Run now on…"): whatever its trigger, the workflow's conditions and actions apply.
  const workflow = job.event === 'manual' ? { ...definition, trigger: 'manual' } : definition;
  const entity = getEntity(job.entity_kind);
  const current = await selectForUpdate(tx, entity, job.record_id);
  if (current === undefined || current._deleted === true || current.isDeleted === true) {
    return { ...skipped('the record was removed'), version };
  }
  const event = eventOf(job, current);
  const turns = new Map<string, string | undefined>();
  if (fires(workflow, event, now) && conditionsHold(workflow.conditions as Conditions | undefined, event, now)) {
    for (const action of workflow.actions) {
      if (action.type === 'assignRoundRobin' && !turns.has(action.groupId)) {
        turns.set(action.groupId, await takeTurn(tx, action.groupId));
      }
    }
  }
  const plan = planRun(workflow, event, { now, nextInGroup: (groupId) => turns.get(groupId) });
  if (plan.outcome === 'skipped') return { ...skipped(plan.reason), version };
  const runKey = [job.workflow_id, job.record_id, job.event, job.period, job.event === 'updated' ? job.id : ''].join(
    '|',
  );
  const applied = await applyActions(
    tx,
    {
      workflow: { id: workflow.id, name: workflow.name, ownerId: workflow.ownerId },
      entity,
      current,
      runKey,
      now,
      newId,
    },
    plan.actions,
  );
  const calls = plan.actions.flatMap((action, index) => (action.type === 'webhook' ? [{ index, action }] : []));
  await queueWebhooks(
    tx,
    { runKey, workflow: { id: workflow.id, name: workflow.name }, recordKind: entity.name, period: job.period, now },
    calls,
  );
  const actions = applied.actions.map(
    (a): RunAction =>
      a.type === 'webhook' ? { type: 'webhook', recordId: a.recordId ?? job.record_id, result: 'queued' } : a,
  );
  const counted = await countRun(tx, stored, now, newId);
  applied.committed.set(counted.collection, counted.txid);
  return {
    outcome: 'planned',
    version,
    ...(plan.warnings.length > 0 ? { reason: plan.warnings.join('; ') } : {}),
    actions,
    committed: applied.committed,
  };
}
