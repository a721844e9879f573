import { createHash } from 'node:crypto';
import type { PlannedAction } from '../../../src-shared/automation/workflow-engine';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { SUBJECT_TYPES } from '../../../src-shared/entities/enums';
import { leadListEntity, leadListMemberEntity } from '../../../src-shared/entities/lead.entity';
import { taskEntity } from '../../../src-shared/entities/work.entity';
import { type EntityDef, NEWEST_MAX, withDerived } from '../../../src-shared/schema/define-entity';
import { validateRecord } from '../../../src-shared/schema/validate';
import type { Queryable } from '../db/database';
import { enqueueIntegrationEvents } from '../integrations/webhook-outbox';
import { sameDoc } from '../sync/row-codec';
import { insertRow, selectForUpdate, updateRow } from '../sync/row-writer';
import { serverAuditEntry } from '../sync/server-audit';

/**
 * A run's planned actions as server writes, through the push's own row writer and with a server
 * audit entry and the outgoing webhooks' deliveries per record (naming the workflow: device `workflow:<id>`, reason `workflow "<name>"`),
 * so devices receive the effects at their next pull, attributed to the workflow. All in the
 * caller's transaction: a write refused (a rule of the registry, the database) throws and the run
 * leaves nothing behind.
 *
 * The subject record is written once with every change of the run (assign, updateField); a task or
 * list membership gets an id derived from the run's key and the action's place, so even a run
 * somehow applied twice would fail on the key instead of writing a second task.
 */

type Doc = Record<string, unknown>;

export interface RunTarget {
  workflow: { id: string; name: string; ownerId: string };
  entity: EntityDef;
  /** The record as locked by the caller. */
  current: Readonly<Doc>;
  /** (workflow, record, event, period): what makes the derived ids unique. */
  runKey: string;
  now: Date;
  newId(): string;
}

export interface AppliedAction {
  type: PlannedAction['type'];
  /** What was written, or why nothing was. */
  result: 'written' | 'unchanged' | 'notSent';
  recordId?: string;
  detail?: string;
}

/** A write the registry refuses, naming the field. */
export class AutomationWriteError extends Error {
  override readonly name = 'AutomationWriteError';
  constructor(
    readonly kind: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${kind}.${field} ${problem}`);
  }
}

export interface ApplyResult {
  actions: AppliedAction[];
  /** The highest txid written per collection, for the change feed. */
  committed: Map<string, string>;
}

/** Every entity the automation writes is a document of its own collection. */
const collectionOf = (entity: EntityDef): string => entity.collection ?? entity.name;

function derivedId(prefix: string, runKey: string, index: number): string {
  return `${prefix}_${createHash('sha256').update(`${runKey}#${index}`).digest('hex').slice(0, 32)}`;
}

function assertValid(entity: EntityDef, doc: Readonly<Doc>): void {
  const { _deleted, ...record } = doc;
  const problem = validateRecord(entity, record)[0];
  if (problem) throw new AutomationWriteError(entity.name, problem.field, problem.problem);
}

async function audit(
  tx: Queryable,
  target: RunTarget,
  entity: EntityDef,
  before: Readonly<Doc> | undefined,
  after: Doc,
) {
  const stamp = {
    id: target.newId(),
    at: target.now,
    actorId: target.workflow.ownerId,
    collection: collectionOf(entity),
  };
  const entry = {
    ...serverAuditEntry(stamp, before, after),
    deviceId: `workflow:${target.workflow.id}`,
    reason: `workflow "${target.workflow.name}" (${target.workflow.id})`.slice(0, 500),
  };
  await insertRow(tx, auditLogEntity, { ...entry, _deleted: false });
  // Outgoing webhooks see a workflow's write as any other server write, in its transaction. The
  // automation outbox is not fed: a workflow's effects do not trigger workflows (no run loops).
  await enqueueIntegrationEvents(tx, [{ before, after }], target.now);
}

function baseFields(target: RunTarget, id: string, kind: string, ownerId: string): Doc {
  const at = target.now.toISOString();
  const actor = target.workflow.ownerId;
  return {
    id,
    kind,
    ownerId,
    createdAt: at,
    updatedAt: at,
    createdBy: actor,
    updatedBy: actor,
    isDeleted: false,
    newest: NEWEST_MAX - target.now.getTime(),
    _deleted: false,
  };
}

const SUBJECTS: ReadonlySet<string> = new Set(SUBJECT_TYPES);

/**
 * A notification is a task for its recipient, reminding now: tasks sync to the recipient's devices
 * (a task belongs to whom it is assigned), where the reminders show it as a toast and an OS
 * notification, and it stays in their task list until done, so nothing needs a new kind of record.
 * The recipient: the action's user, else the record's owner after this run, else the workflow's owner.
 */
function notificationTask(
  target: RunTarget,
  id: string,
  action: Extract<PlannedAction, { type: 'notify' }>,
  record: Readonly<Doc>,
): Doc {
  const ownerId =
    action.userId ?? (typeof record.ownerId === 'string' ? record.ownerId : undefined) ?? target.workflow.ownerId;
  const kind = String(record.kind);
  const at = target.now.toISOString();
  return withDerived(taskEntity, {
    ...baseFields(target, id, 'task', ownerId),
    // The message is up to 500 characters, a title 200: the whole of it is the description.
    title: action.message.length > 200 ? `${action.message.slice(0, 199)}…` : action.message,
    ...(action.message.length > 200 ? { description: action.message } : {}),
    type: 'todo',
    status: 'open',
    priority: 'normal',
    reminderAt: at,
    ...(SUBJECTS.has(kind) ? { subjectType: kind, subjectId: String(record.id) } : {}),
    workflowId: target.workflow.id,
  });
}

async function isMember(tx: Queryable, listId: string, leadId: string): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM "${leadListMemberEntity.table}"
WHERE lead_list_id = $1 AND lead_id = $2 AND NOT is_deleted AND NOT sync_removed LIMIT 1`,
    [listId, leadId],
  );
  return rows.length > 0;
}

export async function applyActions(
  tx: Queryable,
  target: RunTarget,
  planned: readonly PlannedAction[],
): Promise<ApplyResult> {
  const { entity, current } = target;
  const committed = new Map<string, string>();
  const note = (collection: string, txid: string) => {
    const previous = committed.get(collection);
    if (previous === undefined || BigInt(txid) > BigInt(previous)) committed.set(collection, txid);
  };
  const actions: AppliedAction[] = [];
  let next: Doc = { ...current };
  for (const action of planned) {
    if (action.type === 'assign') next.ownerId = action.ownerId;
    else if (action.type === 'updateField') next[action.field] = action.value;
  }
  const changed = !sameDoc(next, current);
  if (changed) {
    // A workflow may set a lead's score: its derived scoreRank follows.
    next = withDerived(entity, { ...next, updatedAt: target.now.toISOString(), updatedBy: target.workflow.ownerId });
    assertValid(entity, next);
    note(collectionOf(entity), await updateRow(tx, entity, next));
    await audit(tx, target, entity, current, next);
  }
  const recordId = String(current.id);
  for (const [index, action] of planned.entries()) {
    switch (action.type) {
      case 'assign':
      case 'updateField':
        actions.push({
          type: action.type,
          recordId,
          result: changed ? 'written' : 'unchanged',
          detail: action.type === 'assign' ? action.ownerId : action.field,
        });
        break;
      case 'createTask': {
        // The owner after this run's assignment: the task goes to whoever now has the record.
        const ownerId = typeof next.ownerId === 'string' ? next.ownerId : (action.ownerId ?? target.workflow.ownerId);
        const id = derivedId('wft', target.runKey, index);
        const task: Doc = withDerived(taskEntity, {
          ...baseFields(target, id, 'task', ownerId),
          title: action.title,
          type: action.taskType,
          status: 'open',
          priority: action.priority,
          dueAt: action.dueAt,
          subjectType: action.subjectType,
          subjectId: action.subjectId,
          workflowId: target.workflow.id,
        });
        assertValid(taskEntity, task);
        note(collectionOf(taskEntity), await insertRow(tx, taskEntity, task));
        await audit(tx, target, taskEntity, undefined, task);
        actions.push({ type: 'createTask', recordId: id, result: 'written' });
        break;
      }
      case 'addToList': {
        const id = derivedId('wfl', target.runKey, index);
        if (await selectForUpdate(tx, leadListMemberEntity, id)) {
          actions.push({ type: 'addToList', recordId: id, result: 'unchanged' });
          break;
        }
        // Locked so a list removed by a concurrent push cannot gain a member after it is gone.
        const list = await selectForUpdate(tx, leadListEntity, action.listId);
        if (list === undefined || list._deleted === true || list.isDeleted === true) {
          throw new AutomationWriteError(
            leadListMemberEntity.name,
            'leadListId',
            `names lead list "${action.listId}", which does not exist or was deleted`,
          );
        }
        // Another run (a later status change, say) already put the lead in: a list holds it once.
        if (await isMember(tx, action.listId, action.leadId)) {
          actions.push({
            type: 'addToList',
            recordId: action.leadId,
            result: 'unchanged',
            detail: 'already in the list',
          });
          break;
        }
        const member: Doc = withDerived(leadListMemberEntity, {
          ...baseFields(
            target,
            id,
            'leadListMember',
            typeof next.ownerId === 'string' ? next.ownerId : target.workflow.ownerId,
          ),
          leadListId: action.listId,
          leadId: action.leadId,
          addedAt: target.now.toISOString(),
        });
        assertValid(leadListMemberEntity, member);
        note(collectionOf(leadListMemberEntity), await insertRow(tx, leadListMemberEntity, member));
        await audit(tx, target, leadListMemberEntity, undefined, member);
        actions.push({ type: 'addToList', recordId: id, result: 'written' });
        break;
      }
      case 'notify': {
        const id = derivedId('wfn', target.runKey, index);
        const task = notificationTask(target, id, action, next);
        assertValid(taskEntity, task);
        note(collectionOf(taskEntity), await insertRow(tx, taskEntity, task));
        await audit(tx, target, taskEntity, undefined, task);
        actions.push({ type: 'notify', recordId: id, result: 'written', detail: String(task.ownerId) });
        break;
      }
      case 'webhook':
        // Queued by the caller (webhooks.ts) and sent once the run has committed.
        actions.push({ type: action.type, recordId, result: 'notSent', detail: 'queued for delivery' });
        break;
    }
  }
  return { actions, committed };
}
