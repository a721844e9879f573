import {
  CONDITION_OPS,
  type ConditionOp,
  CUSTOM_FIELD_PREFIX,
  workflowProblems,
} from '../../../src-shared/automation/workflow-definition';
import { TRIGGER_TYPES, triggerParamsOf } from '../../../src-shared/automation/workflow-triggers';
import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import type { FieldProblem } from '../../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../../src-shared/schema/field';

/**
 * The structured workflow editor's model (components/WorkflowEditor.tsx): what the inputs hold, as
 * text, and the definition built from it. Problems are named by the definition's own paths
 * (`conditions.all[1].value`, `actions[0].groupId`, `conditions.trigger.threshold`): the paths the
 * shared validation (workflowProblems, the one the server runs on push) reports, so each shows
 * beside the input it is about.
 */

export type MatchMode = 'all' | 'any';

export interface ConditionRow {
  field: string;
  op: ConditionOp;
  /** The value as typed; a list (in, notIn) comma-separated. */
  value: string;
}

export const ACTION_KINDS = ['createTask', 'assign', 'updateField', 'addToList', 'notify', 'webhook'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** One action's inputs, flat: each kind reads its own (createTask: title, dueInDays…; webhook: url or integrationId). */
export interface ActionRow {
  type: ActionKind;
  title: string;
  taskType: string;
  priority: string;
  dueInDays: string;
  assignTo: 'user' | 'group';
  userId: string;
  groupId: string;
  field: string;
  value: string;
  listId: string;
  message: string;
  target: 'integration' | 'url';
  integrationId: string;
  url: string;
}

export interface WorkflowDraft {
  name: string;
  description: string;
  entityKind: string;
  trigger: string;
  schedule: string;
  /** Trigger parameters as typed: field, stage, threshold, direction, dateField, offsetDays. */
  params: Record<string, string>;
  match: MatchMode;
  conditions: ConditionRow[];
  actions: ActionRow[];
}

/** A custom field as the editor offers it (its definition's key, label and type). */
export interface CustomFieldChoice {
  key: string;
  label: string;
  fieldType: string;
  options?: readonly string[];
}

/** Where a webhook action sends to, by integration. */
export interface IntegrationChoice {
  id: string;
  endpointUrl?: string;
}

export interface DraftContext {
  customFields: readonly CustomFieldChoice[];
  integrations: readonly IntegrationChoice[];
}

export interface WorkflowDefinition {
  name: string;
  description?: string;
  entityKind: string;
  trigger: string;
  schedule?: string;
  conditions: Record<string, unknown> | null;
  actions: Record<string, unknown>[];
}

export const blankAction = (type: ActionKind = 'createTask'): ActionRow => ({
  type,
  title: '',
  taskType: 'todo',
  priority: 'normal',
  dueInDays: '',
  assignTo: 'user',
  userId: '',
  groupId: '',
  field: '',
  value: '',
  listId: '',
  message: '',
  target: 'url',
  integrationId: '',
  url: '',
});

export const blankDraft = (): WorkflowDraft => ({
  name: '',
  description: '',
  entityKind: 'lead',
  trigger: 'recordCreated',
  schedule: '',
  params: {},
  match: 'all',
  conditions: [],
  actions: [blankAction()],
});

/** Fields a condition can test: the kind's fields (not JSON, not internal) and its custom fields. */
const HIDDEN = new Set(['id', 'kind', 'isDeleted', 'customFields', 'createdBy', 'updatedBy']);

export interface FieldChoice {
  name: string;
  label: string;
  spec: FieldSpec;
}

function customSpec(def: CustomFieldChoice): FieldSpec {
  const type = (['number', 'boolean', 'date', 'select'] as const).includes(def.fieldType as never)
    ? def.fieldType
    : 'string';
  return type === 'select'
    ? { type: 'enum', label: def.label, values: [...(def.options ?? [])] }
    : { type: type as FieldSpec['type'], label: def.label };
}

export function conditionFields(kind: string, custom: readonly CustomFieldChoice[]): FieldChoice[] {
  if (!isEntityName(kind)) return [];
  const entity = getEntity(kind);
  const declared = Object.entries(entity.allFields as Record<string, FieldSpec>)
    .filter(([name, spec]) => !HIDDEN.has(name) && spec.type !== 'json' && !(name in (entity.derived ?? {})))
    .map(([name, spec]) => ({ name, label: spec.label ?? name, spec }));
  const customs = entity.customizable
    ? custom.map((def) => ({ name: `${CUSTOM_FIELD_PREFIX}${def.key}`, label: def.label, spec: customSpec(def) }))
    : [];
  return [...declared, ...customs];
}

/** Fields an updateField action may set: the kind's declared fields (the shared validation's rule). */
export function updatableFields(kind: string): FieldChoice[] {
  if (!isEntityName(kind)) return [];
  return Object.entries(getEntity(kind).fields as Record<string, FieldSpec>)
    .filter(([, spec]) => spec.type !== 'json')
    .map(([name, spec]) => ({ name, label: spec.label ?? name, spec }));
}

const NUMERIC = new Set(['integer', 'number', 'money', 'percent']);

/** The operators that make sense for a field's type (the validation refuses the others). */
export function opsFor(spec: FieldSpec | undefined): ConditionOp[] {
  if (!spec) return [...CONDITION_OPS];
  const presence: ConditionOp[] = ['isSet', 'isNotSet', 'changed'];
  if (NUMERIC.has(spec.type))
    return ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'crossedAbove', 'crossedBelow', ...presence];
  if (spec.type === 'date' || spec.type === 'datetime') return ['olderThanDays', 'withinDays', 'gt', 'lt', ...presence];
  if (spec.type === 'enum') return ['eq', 'neq', 'in', 'notIn', ...presence];
  if (spec.type === 'boolean') return ['eq', 'neq', 'changed'];
  if (spec.type === 'tags') return ['contains', ...presence];
  return ['eq', 'neq', 'contains', 'in', 'notIn', ...presence];
}

export const NO_VALUE: ReadonlySet<ConditionOp> = new Set(['isSet', 'isNotSet', 'changed']);
const LIST_OPS: ReadonlySet<ConditionOp> = new Set(['in', 'notIn']);
const DAY_OPS: ReadonlySet<ConditionOp> = new Set(['olderThanDays', 'withinDays']);

interface Typed {
  value?: unknown;
  problem?: string;
}

/** Text → a value of the field's type (a number for numbers, true/false, the text otherwise). */
function typed(spec: FieldSpec | undefined, text: string): Typed {
  const t = text.trim();
  if (spec && NUMERIC.has(spec.type)) {
    const n = Number(t);
    return t === '' || !Number.isFinite(n) ? { problem: 'must be a number' } : { value: n };
  }
  if (spec?.type === 'boolean') {
    return t === 'true' || t === 'false' ? { value: t === 'true' } : { problem: 'must be true or false' };
  }
  return t === '' ? { problem: 'must not be empty' } : { value: t };
}

function wholeNumber(text: string, problem = 'must be a whole number'): Typed {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? { value: Number(t) } : { problem };
}

function conditionValue(row: ConditionRow, spec: FieldSpec | undefined): Typed {
  if (NO_VALUE.has(row.op)) return {};
  if (DAY_OPS.has(row.op)) return wholeNumber(row.value, 'must be a whole number of days');
  if (LIST_OPS.has(row.op)) {
    const parts = row.value
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    if (parts.length === 0) return { problem: 'must be a non-empty list' };
    const values = parts.map((p) => typed(spec, p));
    const bad = values.find((v) => v.problem);
    return bad ? { problem: bad.problem } : { value: values.map((v) => v.value) };
  }
  if ((spec?.type === 'date' || spec?.type === 'datetime') && (row.op === 'gt' || row.op === 'lt')) {
    return typed(undefined, row.value);
  }
  return typed(spec, row.value);
}

function triggerParams(draft: WorkflowDraft, problems: FieldProblem[]): Record<string, unknown> | undefined {
  const p = draft.params;
  const at = (key: string) => `conditions.trigger.${key}`;
  switch (draft.trigger) {
    case 'fieldChanged':
      return p.field ? { field: p.field } : undefined;
    case 'stageChanged':
      return p.stage ? { stage: p.stage } : undefined;
    case 'scoreCrossed': {
      const threshold = typed({ type: 'number' }, p.threshold ?? '');
      if (threshold.problem) problems.push({ field: at('threshold'), problem: threshold.problem });
      return { field: p.field ?? '', threshold: threshold.value ?? 0, direction: p.direction ?? 'up' };
    }
    case 'dateReached': {
      const offset = wholeNumber(p.offsetDays ?? '0', 'must be a whole number of days');
      if (offset.problem) problems.push({ field: at('offsetDays'), problem: offset.problem });
      return { dateField: p.dateField ?? '', offsetDays: offset.value ?? 0 };
    }
    default:
      return undefined;
  }
}

function actionOf(
  row: ActionRow,
  path: string,
  kind: string,
  context: DraftContext,
  problems: FieldProblem[],
): Record<string, unknown> {
  switch (row.type) {
    case 'createTask': {
      const due =
        row.dueInDays.trim() === '' ? undefined : wholeNumber(row.dueInDays, 'must be a whole number of days');
      if (due?.problem) problems.push({ field: `${path}.dueInDays`, problem: due.problem });
      return {
        type: 'createTask',
        title: row.title.trim(),
        taskType: row.taskType,
        priority: row.priority,
        ...(due?.value !== undefined ? { dueInDays: due.value } : {}),
      };
    }
    case 'assign':
      return row.assignTo === 'group'
        ? { type: 'assignRoundRobin', groupId: row.groupId }
        : { type: 'assign', userId: row.userId };
    case 'updateField': {
      const spec = updatableFields(kind).find((f) => f.name === row.field)?.spec;
      const value = typed(spec, row.value);
      if (row.field && value.problem) problems.push({ field: `${path}.value`, problem: value.problem });
      return { type: 'updateField', field: row.field, value: value.value ?? null };
    }
    case 'addToList':
      return { type: 'addToList', listId: row.listId };
    case 'notify':
      return { type: 'notify', message: row.message.trim(), ...(row.userId ? { userId: row.userId } : {}) };
    case 'webhook': {
      if (row.target === 'url') return { type: 'webhook', url: row.url.trim() };
      const integration = context.integrations.find((i) => i.id === row.integrationId);
      if (!integration) problems.push({ field: `${path}.integrationId`, problem: 'choose an integration' });
      else if (!integration.endpointUrl) {
        problems.push({ field: `${path}.integrationId`, problem: 'has no endpoint URL: set one in Integrations' });
      }
      return { type: 'webhook', url: integration?.endpointUrl ?? '', integrationId: row.integrationId };
    }
  }
}

/**
 * The definition the draft describes and every problem of it: the inputs that are not of their
 * field's type, then what the shared validation finds (one problem per path, the first).
 */
export function buildDefinition(
  draft: WorkflowDraft,
  context: DraftContext,
): { definition: WorkflowDefinition; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (draft.name.trim() === '') problems.push({ field: 'name', problem: 'must not be empty' });
  if (draft.trigger === 'scheduled' && draft.schedule.trim() === '') {
    problems.push({ field: 'schedule', problem: 'is required for a scheduled workflow' });
  }
  const fields = conditionFields(draft.entityKind, context.customFields);
  const rows = draft.conditions.map((row, i) => {
    const spec = fields.find((f) => f.name === row.field)?.spec;
    const value = conditionValue(row, spec);
    if (value.problem) problems.push({ field: `conditions.${draft.match}[${i}].value`, problem: value.problem });
    return { field: row.field, op: row.op, ...(value.value !== undefined ? { value: value.value } : {}) };
  });
  const params = triggerParams(draft, problems);
  const conditions = {
    ...(params ? { trigger: params } : {}),
    ...(rows.length > 0 ? { [draft.match]: rows } : {}),
  };
  const actions = draft.actions.map((row, i) => actionOf(row, `actions[${i}]`, draft.entityKind, context, problems));
  const definition: WorkflowDefinition = {
    name: draft.name.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    entityKind: draft.entityKind,
    trigger: draft.trigger,
    ...(draft.trigger === 'scheduled' ? { schedule: draft.schedule.trim() } : {}),
    conditions: Object.keys(conditions).length > 0 ? conditions : null,
    actions,
  };
  // A webhook sent to an integration has no URL input: a problem of its URL is the integration's.
  const inputOf = (field: string) => {
    const m = /^actions\[(\d+)\]\.url$/.exec(field);
    const row = m ? draft.actions[Number(m[1])] : undefined;
    return row?.type === 'webhook' && row.target === 'integration' ? `actions[${m?.[1]}].integrationId` : field;
  };
  const seen = new Set(problems.map((p) => p.field));
  for (const p of workflowProblems({ ...definition, conditions: definition.conditions ?? undefined })) {
    const field = inputOf(p.field);
    if (!seen.has(field)) problems.push({ field, problem: p.problem });
    seen.add(field);
  }
  return { definition, problems };
}

const text = (v: unknown) => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v));

function actionRow(action: Record<string, unknown>): ActionRow {
  const row = blankAction();
  const s = (k: string) => text(action[k]);
  switch (action.type) {
    case 'createTask':
      return {
        ...row,
        title: s('title'),
        taskType: s('taskType') || 'todo',
        priority: s('priority') || 'normal',
        dueInDays: s('dueInDays'),
      };
    case 'assign':
      return { ...row, type: 'assign', assignTo: 'user', userId: s('userId') };
    case 'assignRoundRobin':
      return { ...row, type: 'assign', assignTo: 'group', groupId: s('groupId') };
    case 'updateField':
      return { ...row, type: 'updateField', field: s('field'), value: s('value') };
    case 'addToList':
      return { ...row, type: 'addToList', listId: s('listId') };
    case 'notify':
      return { ...row, type: 'notify', message: s('message'), userId: s('userId') };
    case 'webhook':
      return action.integrationId
        ? { ...row, type: 'webhook', target: 'integration', integrationId: s('integrationId'), url: s('url') }
        : { ...row, type: 'webhook', target: 'url', url: s('url') };
    default:
      return row;
  }
}

/** A stored workflow (or its JSON) as the editor's draft. */
export function draftOf(workflow: Readonly<Record<string, unknown>>): WorkflowDraft {
  const conditions = (workflow.conditions ?? {}) as { all?: unknown; any?: unknown };
  const match: MatchMode = Array.isArray(conditions.any) && !Array.isArray(conditions.all) ? 'any' : 'all';
  const list = Array.isArray(conditions[match]) ? (conditions[match] as Record<string, unknown>[]) : [];
  const params = Object.fromEntries(
    Object.entries(triggerParamsOf(workflow.conditions) ?? {}).map(([k, v]) => [k, text(v)]),
  );
  const trigger = String(workflow.trigger ?? 'recordCreated');
  return {
    name: text(workflow.name),
    description: text(workflow.description),
    entityKind: text(workflow.entityKind) || 'lead',
    trigger: (TRIGGER_TYPES as readonly string[]).includes(trigger) ? trigger : 'recordCreated',
    schedule: text(workflow.schedule),
    params,
    match,
    conditions: list.map((c) => ({ field: text(c.field), op: (c.op as ConditionOp) ?? 'eq', value: text(c.value) })),
    actions: Array.isArray(workflow.actions) ? (workflow.actions as Record<string, unknown>[]).map(actionRow) : [],
  };
}
