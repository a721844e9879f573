import { type Condition, type Conditions, CUSTOM_FIELD_PREFIX, type WorkflowAction } from './workflow-definition';
import {
  crossed,
  type DateReachedParams,
  reachedAt,
  type ScoreCrossedParams,
  triggerParamsOf,
} from './workflow-triggers';

/**
 * Deciding what a workflow does for one record event, without doing it: the app or the server
 * applies the planned actions through its own write path (which validates and audits them), and
 * logs the run with its outcome. Pure, so every device and the server decide alike.
 */

type Rec = Readonly<Record<string, unknown>>;

export interface RecordEvent {
  readonly kind: 'created' | 'updated' | 'scheduled' | 'manual' | 'dateReached';
  readonly before?: Rec;
  readonly after: Rec;
}

export interface WorkflowLike {
  readonly id: string;
  readonly entityKind: string;
  readonly trigger: string;
  readonly conditions?: unknown;
  readonly actions: readonly WorkflowAction[];
  readonly active: boolean;
}

const DAY_MS = 86_400_000;

/** A field's value, `customFields.<key>` read from the record's custom field map. */
function valueAt(record: Rec | undefined, field: string): unknown {
  if (record === undefined) return undefined;
  if (!field.startsWith(CUSTOM_FIELD_PREFIX)) return record[field];
  const custom = record.customFields;
  return typeof custom === 'object' && custom !== null
    ? (custom as Rec)[field.slice(CUSTOM_FIELD_PREFIX.length)]
    : undefined;
}

function referencedFields(conditions: Conditions | undefined): string[] {
  return [...(conditions?.all ?? []), ...(conditions?.any ?? [])].map((c) => c.field);
}

/**
 * Whether the workflow's trigger matches the event (inactive workflows never fire). Given `now`, a
 * dateReached event also needs the record's date to be reached then (it may have moved since the
 * scheduler queued it).
 */
export function fires(workflow: WorkflowLike, event: RecordEvent, now?: Date): boolean {
  if (!workflow.active || event.after.kind !== workflow.entityKind) return false;
  const params = triggerParamsOf(workflow.conditions);
  switch (workflow.trigger) {
    case 'recordCreated':
      return event.kind === 'created';
    case 'recordUpdated':
      return event.kind === 'updated';
    case 'stageChanged':
      return (
        event.kind === 'updated' &&
        event.before?.stage !== event.after.stage &&
        (typeof params?.stage !== 'string' || event.after.stage === params.stage)
      );
    case 'fieldChanged': {
      if (event.kind !== 'updated') return false;
      // The trigger's own field when it names one; else (older definitions) any field its conditions read.
      const fields =
        typeof params?.field === 'string'
          ? [params.field]
          : referencedFields(workflow.conditions as Conditions | undefined);
      return fields.some((f) => JSON.stringify(valueAt(event.before, f)) !== JSON.stringify(valueAt(event.after, f)));
    }
    case 'scoreCrossed':
      return (
        event.kind === 'updated' &&
        params !== undefined &&
        crossed(params as unknown as ScoreCrossedParams, event.before, event.after)
      );
    case 'dateReached': {
      if (event.kind !== 'dateReached' || params === undefined) return false;
      if (now === undefined) return true;
      const at = reachedAt(params as unknown as DateReachedParams, event.after);
      return at !== undefined && at.getTime() <= now.getTime();
    }
    case 'scheduled':
      return event.kind === 'scheduled';
    case 'manual':
      return event.kind === 'manual';
    default:
      return false;
  }
}

const isSet = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

function comparable(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return Number.NaN;
}

function holds(condition: Condition, event: RecordEvent, now: Date): boolean {
  const value = valueAt(event.after, condition.field);
  const before = valueAt(event.before, condition.field);
  const target = condition.value;
  switch (condition.op) {
    case 'eq':
      return value === target;
    case 'neq':
      return value !== target;
    case 'in':
      return Array.isArray(target) && target.includes(value);
    case 'notIn':
      return Array.isArray(target) && !target.includes(value);
    case 'gt':
      return comparable(value) > comparable(target);
    case 'gte':
      return comparable(value) >= comparable(target);
    case 'lt':
      return comparable(value) < comparable(target);
    case 'lte':
      return comparable(value) <= comparable(target);
    case 'contains':
      return Array.isArray(value)
        ? value.includes(target)
        : typeof value === 'string' && typeof target === 'string' && value.toLowerCase().includes(target.toLowerCase());
    case 'isSet':
      return isSet(value);
    case 'isNotSet':
      return !isSet(value);
    case 'changed':
      return event.before !== undefined && JSON.stringify(before) !== JSON.stringify(value);
    case 'crossedAbove':
      return comparable(before) < comparable(target) && comparable(value) >= comparable(target);
    case 'crossedBelow':
      return comparable(before) >= comparable(target) && comparable(value) < comparable(target);
    case 'olderThanDays':
      return isSet(value) && now.getTime() - comparable(value) > Number(target) * DAY_MS;
    case 'withinDays':
      return isSet(value) && Math.abs(comparable(value) - now.getTime()) <= Number(target) * DAY_MS;
  }
}

/** All of `all` and, when given, at least one of `any`. No conditions: always. */
export function conditionsHold(conditions: Conditions | undefined, event: RecordEvent, now: Date): boolean {
  if (!conditions) return true;
  const all = conditions.all ?? [];
  const any = conditions.any ?? [];
  return all.every((c) => holds(c, event, now)) && (any.length === 0 || any.some((c) => holds(c, event, now)));
}

/** An action with its moment and target resolved, ready for the write path. */
export type PlannedAction =
  | {
      type: 'createTask';
      title: string;
      taskType: string;
      priority: string;
      dueAt: string;
      subjectType: string;
      subjectId: string;
      ownerId?: string;
    }
  | { type: 'assign'; recordId: string; ownerId: string }
  | { type: 'updateField'; recordId: string; field: string; value: unknown }
  | { type: 'addToList'; leadId: string; listId: string }
  | { type: 'notify'; userId?: string; message: string; recordId: string }
  | { type: 'webhook'; url: string; integrationId?: string; recordId: string; event: RecordEvent['kind'] };

export interface PlanContext {
  readonly now: Date;
  /** The next member of a group for round-robin assignment (the caller keeps the rotation). */
  readonly nextInGroup: (groupId: string) => string | undefined;
}

export type RunPlan =
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'planned'; readonly actions: readonly PlannedAction[]; readonly warnings: readonly string[] };

const SUBJECT_KINDS = new Set(['contact', 'company', 'lead', 'deal']);

export function planRun(workflow: WorkflowLike, event: RecordEvent, context: PlanContext): RunPlan {
  if (!fires(workflow, event, context.now)) return { outcome: 'skipped', reason: 'the trigger does not match' };
  if (!conditionsHold(workflow.conditions as Conditions | undefined, event, context.now)) {
    return { outcome: 'skipped', reason: 'the conditions do not hold' };
  }
  const record = event.after;
  const recordId = String(record.id);
  const warnings: string[] = [];
  const actions = workflow.actions.flatMap((action): PlannedAction[] => {
    switch (action.type) {
      case 'createTask':
        if (!SUBJECT_KINDS.has(String(record.kind))) {
          warnings.push(`createTask: a task cannot be about a ${String(record.kind)}`);
          return [];
        }
        return [
          {
            type: 'createTask',
            title: action.title,
            taskType: action.taskType ?? 'todo',
            priority: action.priority ?? 'normal',
            dueAt: new Date(context.now.getTime() + (action.dueInDays ?? 0) * DAY_MS).toISOString(),
            subjectType: String(record.kind),
            subjectId: recordId,
            ...(typeof record.ownerId === 'string' ? { ownerId: record.ownerId } : {}),
          },
        ];
      case 'assign':
        return [{ type: 'assign', recordId, ownerId: action.userId }];
      case 'assignRoundRobin': {
        const ownerId = context.nextInGroup(action.groupId);
        if (!ownerId) {
          warnings.push(`assignRoundRobin: group ${action.groupId} has no active member`);
          return [];
        }
        return [{ type: 'assign', recordId, ownerId }];
      }
      case 'updateField':
        return [{ type: 'updateField', recordId, field: action.field, value: action.value }];
      case 'addToList':
        return [{ type: 'addToList', leadId: recordId, listId: action.listId }];
      case 'notify':
        return [
          {
            type: 'notify',
            message: action.message,
            recordId,
            ...(action.userId
              ? { userId: action.userId }
              : typeof record.ownerId === 'string'
                ? { userId: record.ownerId }
                : {}),
          },
        ];
      case 'webhook':
        return [
          {
            type: 'webhook',
            url: action.url,
            recordId,
            event: event.kind,
            ...(action.integrationId ? { integrationId: action.integrationId } : {}),
          },
        ];
      default:
        // A stored definition from a newer version of the app: left for that version to run.
        warnings.push(`${(action as { type: string }).type}: not known to this version`);
        return [];
    }
  });
  return { outcome: 'planned', actions, warnings };
}
