import { z } from 'zod';
import { getEntity } from '../entities/registry';
import type { FieldProblem } from '../schema/define-entity';
import type { FieldSpec } from '../schema/field';
import { type TriggerParams, triggerProblems } from './workflow-triggers';

/**
 * What a workflow's `conditions` and `actions` JSON may hold, checked against the registry: a
 * condition must name a field of the workflow's entity and compare it with a value of that field's
 * type; an action must be one the engine knows, with what it needs. Every problem names its path
 * (e.g. `conditions.all[1].value`), so the editor can show it beside the input.
 */

export const CONDITION_OPS = [
  'eq',
  'neq',
  'in',
  'notIn',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'isSet',
  'isNotSet',
  'changed',
  'crossedAbove',
  'crossedBelow',
  'olderThanDays',
  'withinDays',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export interface Condition {
  readonly field: string;
  readonly op: ConditionOp;
  readonly value?: unknown;
}

export interface Conditions {
  readonly all?: readonly Condition[];
  readonly any?: readonly Condition[];
  /** The trigger's parameters (workflow-triggers.ts), e.g. a scoreCrossed trigger's threshold. */
  readonly trigger?: TriggerParams;
}

export type WorkflowAction =
  | {
      type: 'createTask';
      title: string;
      taskType?: string;
      priority?: 'low' | 'normal' | 'high' | 'urgent';
      dueInDays?: number;
    }
  | { type: 'assign'; userId: string }
  | { type: 'assignRoundRobin'; groupId: string }
  | { type: 'updateField'; field: string; value: unknown }
  | { type: 'addToList'; listId: string }
  | { type: 'notify'; message: string; userId?: string }
  | { type: 'webhook'; url: string; integrationId?: string };

const id = z.string().min(1, { error: 'must not be empty' }).max(40, { error: 'must be at most 40 characters' });

const actionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('createTask'),
      title: z.string().min(1, { error: 'must not be empty' }).max(200),
      taskType: z.enum(['call', 'email', 'meeting', 'todo', 'followUp', 'demo']).optional(),
      priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
      dueInDays: z.number().int({ error: 'must be a whole number' }).min(0).max(365).optional(),
    }),
    z.strictObject({ type: z.literal('assign'), userId: id }),
    z.strictObject({ type: z.literal('assignRoundRobin'), groupId: id }),
    z.strictObject({ type: z.literal('updateField'), field: z.string().min(1), value: z.unknown() }),
    z.strictObject({ type: z.literal('addToList'), listId: id }),
    z.strictObject({ type: z.literal('notify'), message: z.string().min(1).max(500), userId: id.optional() }),
    z.strictObject({
      type: z.literal('webhook'),
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      integrationId: id.optional(),
    }),
  ],
  { error: 'must be one of createTask, assign, assignRoundRobin, updateField, addToList, notify, webhook' },
);

const conditionSchema = z.strictObject({
  field: z.string().min(1, { error: 'must name a field' }),
  op: z.enum(CONDITION_OPS, { error: `must be one of ${CONDITION_OPS.join(', ')}` }),
  value: z.unknown().optional(),
});

const conditionsSchema = z.strictObject({
  all: z.array(conditionSchema).max(20).optional(),
  any: z.array(conditionSchema).max(20).optional(),
  // Checked by triggerProblems, against the workflow's trigger type.
  trigger: z.unknown().optional(),
});

const pathOf = (base: string, path: readonly PropertyKey[]) =>
  path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), base);

function zodProblems(base: string, error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: pathOf(base, issue.path), problem: issue.message }));
}

const NEEDS_NO_VALUE = new Set<ConditionOp>(['isSet', 'isNotSet', 'changed']);
const NUMERIC_OPS = new Set<ConditionOp>(['gt', 'gte', 'lt', 'lte', 'crossedAbove', 'crossedBelow']);
const DAY_OPS = new Set<ConditionOp>(['olderThanDays', 'withinDays']);
const NUMERIC_TYPES = new Set<FieldSpec['type']>(['integer', 'number', 'money', 'percent']);

/** Whether `value` could be stored in `field` (enums by their values, numbers as numbers…). */
function valueProblem(field: FieldSpec, value: unknown): string | undefined {
  if (field.type === 'enum') {
    return typeof value === 'string' && field.values?.includes(value)
      ? undefined
      : `must be one of ${(field.values ?? []).join(', ')}`;
  }
  if (NUMERIC_TYPES.has(field.type))
    return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
  if (field.type === 'boolean') return typeof value === 'boolean' ? undefined : 'must be true or false';
  if (field.type === 'tags') return typeof value === 'string' ? undefined : 'must be a tag (text)';
  return typeof value === 'string' ? undefined : 'must be text';
}

/** A condition on a custom field names it `customFields.<key>` (its key as customField.key allows). */
export const CUSTOM_FIELD_PREFIX = 'customFields.';
const CUSTOM_KEY = /^[a-z][a-zA-Z0-9_]{0,59}$/;
const isScalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * A custom field's definition is a record of the organisation, not of the registry: its value is
 * checked for being one a custom field can hold (text, number, true/false), not against its type.
 */
function customConditionProblems(entityName: string, path: string, condition: Condition, key: string): FieldProblem[] {
  const entity = getEntity(entityName);
  if (!entity.customizable) return [{ field: `${path}.field`, problem: `${entity.plural} have no custom fields` }];
  if (!CUSTOM_KEY.test(key)) return [{ field: `${path}.field`, problem: `"${key}" is not a custom field key` }];
  const value = condition.value;
  if (NEEDS_NO_VALUE.has(condition.op)) {
    return value === undefined ? [] : [{ field: `${path}.value`, problem: `must be left out for ${condition.op}` }];
  }
  if (DAY_OPS.has(condition.op) || NUMERIC_OPS.has(condition.op)) {
    return typeof value === 'number' || (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
      ? []
      : [{ field: `${path}.value`, problem: 'must be a number or a date' }];
  }
  if (condition.op === 'in' || condition.op === 'notIn') {
    if (!Array.isArray(value) || value.length === 0)
      return [{ field: `${path}.value`, problem: 'must be a non-empty list' }];
    return value.flatMap((v, i) => (isScalar(v) ? [] : [{ field: `${path}.value[${i}]`, problem: 'must be a value' }]));
  }
  return isScalar(value) ? [] : [{ field: `${path}.value`, problem: 'must be text, a number or true/false' }];
}

function conditionProblems(entityName: string, path: string, condition: Condition): FieldProblem[] {
  if (condition.field.startsWith(CUSTOM_FIELD_PREFIX)) {
    return customConditionProblems(entityName, path, condition, condition.field.slice(CUSTOM_FIELD_PREFIX.length));
  }
  const entity = getEntity(entityName);
  const field = entity.allFields[condition.field] as FieldSpec | undefined;
  if (!field) return [{ field: `${path}.field`, problem: `"${condition.field}" is not a field of ${entity.label}` }];
  const value = condition.value;
  if (NEEDS_NO_VALUE.has(condition.op)) {
    return value === undefined ? [] : [{ field: `${path}.value`, problem: `must be left out for ${condition.op}` }];
  }
  if (DAY_OPS.has(condition.op)) {
    if (field.type !== 'date' && field.type !== 'datetime')
      return [
        { field: `${path}.op`, problem: `${condition.op} needs a date field; ${condition.field} is ${field.type}` },
      ];
    return typeof value === 'number' && Number.isInteger(value) && value >= 0
      ? []
      : [{ field: `${path}.value`, problem: 'must be a whole number of days' }];
  }
  if (
    NUMERIC_OPS.has(condition.op) &&
    !NUMERIC_TYPES.has(field.type) &&
    field.type !== 'date' &&
    field.type !== 'datetime'
  ) {
    return [
      {
        field: `${path}.op`,
        problem: `${condition.op} needs a number or date field; ${condition.field} is ${field.type}`,
      },
    ];
  }
  if (condition.op === 'in' || condition.op === 'notIn') {
    if (!Array.isArray(value) || value.length === 0)
      return [{ field: `${path}.value`, problem: 'must be a non-empty list' }];
    return value.flatMap((v, i) => {
      const problem = valueProblem(field, v);
      return problem ? [{ field: `${path}.value[${i}]`, problem }] : [];
    });
  }
  if ((field.type === 'date' || field.type === 'datetime') && NUMERIC_OPS.has(condition.op)) {
    return typeof value === 'string' && !Number.isNaN(Date.parse(value))
      ? []
      : [{ field: `${path}.value`, problem: 'must be a date' }];
  }
  const problem = valueProblem(field, value);
  return problem ? [{ field: `${path}.value`, problem }] : [];
}

export interface WorkflowShape {
  readonly entityKind: string;
  readonly trigger: string;
  readonly conditions?: unknown;
  readonly actions: unknown;
}

/** Every problem of a workflow's conditions and actions, each naming its path; [] when it is valid. */
export function workflowProblems(workflow: WorkflowShape): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const params =
    typeof workflow.conditions === 'object' && workflow.conditions !== null
      ? (workflow.conditions as { trigger?: unknown }).trigger
      : undefined;
  problems.push(...triggerProblems(workflow.entityKind, workflow.trigger, params));
  if (workflow.conditions !== undefined) {
    const parsed = conditionsSchema.safeParse(workflow.conditions);
    if (!parsed.success) problems.push(...zodProblems('conditions', parsed.error));
    else {
      for (const group of ['all', 'any'] as const) {
        for (const [i, c] of (parsed.data[group] ?? []).entries()) {
          problems.push(...conditionProblems(workflow.entityKind, `conditions.${group}[${i}]`, c));
        }
      }
    }
  }
  const actions = z
    .array(actionSchema)
    .min(1, { error: 'needs at least one action' })
    .max(10)
    .safeParse(workflow.actions);
  if (!actions.success) problems.push(...zodProblems('actions', actions.error));
  else {
    const entity = getEntity(workflow.entityKind);
    actions.data.forEach((action, i) => {
      if (action.type === 'updateField') {
        const field = entity.fields[action.field] as FieldSpec | undefined;
        if (!field)
          problems.push({
            field: `actions[${i}].field`,
            problem: `"${action.field}" is not a field of ${entity.label}`,
          });
        else {
          const problem = valueProblem(field, action.value);
          if (problem) problems.push({ field: `actions[${i}].value`, problem });
        }
      }
      if ((action.type === 'assign' || action.type === 'assignRoundRobin') && entity.owner !== 'assigned') {
        problems.push({ field: `actions[${i}].type`, problem: `${entity.plural} cannot be assigned` });
      }
      if (action.type === 'addToList' && workflow.entityKind !== 'lead') {
        problems.push({ field: `actions[${i}].type`, problem: 'only leads can be added to a lead list' });
      }
    });
  }
  const usesChange = (workflow.conditions as Conditions | undefined)?.all?.some((c) =>
    ['changed', 'crossedAbove', 'crossedBelow'].includes(c.op),
  );
  if (
    usesChange &&
    workflow.trigger !== 'recordUpdated' &&
    workflow.trigger !== 'fieldChanged' &&
    workflow.trigger !== 'stageChanged' &&
    workflow.trigger !== 'scoreCrossed'
  ) {
    problems.push({ field: 'trigger', problem: 'a condition on a change needs an update trigger' });
  }
  return problems;
}
