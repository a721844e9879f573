import { z } from 'zod';
import { getEntity, isEntityName } from '../entities/registry';
import type { FieldProblem } from '../schema/define-entity';
import type { FieldSpec } from '../schema/field';

/**
 * A workflow's trigger types and their parameters. The parameters live in the workflow's
 * `conditions` JSON under `trigger` (e.g. `{ "trigger": { "field": "score", "threshold": 70,
 * "direction": "up" }, "all": [...] }`): the JSON column is the open part of the definition, so a
 * new trigger type needs no new column and no device schema change, and devices on the previous
 * version keep syncing workflows. A definition stored before these parameters existed has none and
 * runs as it did (fieldChanged watches its conditions' fields, stageChanged any stage change).
 */

export const TRIGGER_TYPES = [
  'recordCreated',
  'recordUpdated',
  'fieldChanged',
  'stageChanged',
  'scoreCrossed',
  'dateReached',
  'scheduled',
  'manual',
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export interface FieldChangedParams {
  readonly field?: string;
}
export interface StageChangedParams {
  readonly stage?: string;
}
export interface ScoreCrossedParams {
  readonly field: string;
  readonly threshold: number;
  readonly direction: 'up' | 'down';
}
export interface DateReachedParams {
  readonly dateField: string;
  /** Days after the date (negative: before it) at which it counts as reached. */
  readonly offsetDays: number;
}
export type TriggerParams = FieldChangedParams | StageChangedParams | ScoreCrossedParams | DateReachedParams;

/** Kinds whose numeric fields a scoreCrossed trigger may watch (a lead's score, a deal's probability). */
export const SCORE_KINDS: readonly string[] = ['lead', 'deal'];
const NUMERIC = new Set<FieldSpec['type']>(['integer', 'number', 'percent', 'money']);
const DATES = new Set<FieldSpec['type']>(['date', 'datetime']);

const fieldName = z.string({ error: 'must name a field' }).min(1, { error: 'must name a field' });
const PARAMS = {
  fieldChanged: z.strictObject({ field: fieldName.optional() }),
  stageChanged: z.strictObject({ stage: z.string().min(1, { error: 'must name a stage' }).optional() }),
  scoreCrossed: z.strictObject({
    field: fieldName,
    threshold: z.number({ error: 'must be a number' }).refine(Number.isFinite, { error: 'must be a number' }),
    direction: z.enum(['up', 'down'], { error: 'must be up or down' }),
  }),
  dateReached: z.strictObject({
    dateField: fieldName,
    offsetDays: z
      .number({ error: 'must be a whole number of days' })
      .int({ error: 'must be a whole number of days' })
      .min(-365, { error: 'must be at least -365' })
      .max(365, { error: 'must be at most 365' }),
  }),
} as const;

type WithParams = keyof typeof PARAMS;
const takesParams = (trigger: string): trigger is WithParams => trigger in PARAMS;
const REQUIRED: ReadonlySet<string> = new Set(['scoreCrossed', 'dateReached']);

/** The fields of `kind` a trigger parameter may name: numeric for scoreCrossed, dates for dateReached. */
export function triggerFieldsOf(kind: string, type: 'numeric' | 'date'): string[] {
  if (!isEntityName(kind)) return [];
  const wanted = type === 'numeric' ? NUMERIC : DATES;
  const fields: Readonly<Record<string, FieldSpec>> = getEntity(kind).fields;
  return Object.entries(fields)
    .filter(([, spec]) => wanted.has(spec.type))
    .map(([name]) => name);
}

const at = (path: readonly PropertyKey[]) =>
  path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), 'conditions.trigger');

/** Every problem of a workflow's trigger and its parameters (`conditions.trigger`), each naming its path. */
export function triggerProblems(entityKind: string, trigger: string, params: unknown): FieldProblem[] {
  if (!(TRIGGER_TYPES as readonly string[]).includes(trigger)) {
    return [{ field: 'trigger', problem: `must be one of ${TRIGGER_TYPES.join(', ')}` }];
  }
  if (!takesParams(trigger)) {
    return params === undefined ? [] : [{ field: 'conditions.trigger', problem: `must be left out for ${trigger}` }];
  }
  if (params === undefined) {
    return REQUIRED.has(trigger) ? [{ field: 'conditions.trigger', problem: `is required for ${trigger}` }] : [];
  }
  const parsed = PARAMS[trigger].safeParse(params);
  if (!parsed.success) return parsed.error.issues.map((i) => ({ field: at(i.path), problem: i.message }));
  if (!isEntityName(entityKind)) return [];
  const entity = getEntity(entityKind);
  const data = parsed.data as Record<string, unknown>;
  const fields: Readonly<Record<string, FieldSpec | undefined>> = entity.fields;
  const spec = (name: unknown) => (typeof name === 'string' ? fields[name] : undefined);
  const notAField = (key: string) => ({
    field: `conditions.trigger.${key}`,
    problem: `"${String(data[key])}" is not a field of ${entity.label}`,
  });
  switch (trigger) {
    case 'fieldChanged': {
      // Any field a condition may test (its owner, its dates…), as a condition names them.
      const all: Readonly<Record<string, FieldSpec | undefined>> = entity.allFields;
      return data.field === undefined || all[String(data.field)] ? [] : [notAField('field')];
    }
    case 'stageChanged': {
      const stage = spec('stage');
      if (!stage) return [{ field: 'trigger', problem: `${entity.plural} have no stage` }];
      return data.stage === undefined || stage.values?.includes(String(data.stage))
        ? []
        : [{ field: 'conditions.trigger.stage', problem: `must be one of ${(stage.values ?? []).join(', ')}` }];
    }
    case 'scoreCrossed': {
      if (!SCORE_KINDS.includes(entityKind)) {
        return [{ field: 'entityKind', problem: 'scoreCrossed applies to leads and deals' }];
      }
      const field = spec(data.field);
      if (!field) return [notAField('field')];
      if (!NUMERIC.has(field.type)) return [{ field: 'conditions.trigger.field', problem: `must be a number field` }];
      const threshold = Number(data.threshold);
      if ((field.min !== undefined && threshold < field.min) || (field.max !== undefined && threshold > field.max)) {
        return [
          {
            field: 'conditions.trigger.threshold',
            problem: `must be between ${field.min ?? '…'} and ${field.max ?? '…'}`,
          },
        ];
      }
      return [];
    }
    case 'dateReached': {
      const field = spec(data.dateField);
      if (!field) return [notAField('dateField')];
      return DATES.has(field.type) ? [] : [{ field: 'conditions.trigger.dateField', problem: 'must be a date field' }];
    }
  }
}

const numberOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Whether a change of the watched value crosses the threshold: from below it to at or above it
 * (up), or from at or above it to below it (down). Only an update crosses: a record created past the
 * threshold has not crossed it (recordCreated with a condition covers that), and an update that
 * leaves the value on the same side never fires, however often it repeats.
 */
export function crossed(
  params: ScoreCrossedParams,
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): boolean {
  const from = numberOf(before?.[params.field]);
  const to = numberOf(after[params.field]);
  if (from === undefined || to === undefined) return false;
  return params.direction === 'up'
    ? from < params.threshold && to >= params.threshold
    : from >= params.threshold && to < params.threshold;
}

const DAY_MS = 86_400_000;

/** When the record's date counts as reached (its date, midnight UTC for a day, plus the offset); undefined without one. */
export function reachedAt(params: DateReachedParams, record: Readonly<Record<string, unknown>>): Date | undefined {
  const value = record[params.dateField];
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
  return Number.isNaN(time) ? undefined : new Date(time + params.offsetDays * DAY_MS);
}

/** The trigger's parameters as stored in `conditions.trigger`, if any. */
export function triggerParamsOf(conditions: unknown): Record<string, unknown> | undefined {
  if (typeof conditions !== 'object' || conditions === null) return undefined;
  const params = (conditions as { trigger?: unknown }).trigger;
  return typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : undefined;
}
