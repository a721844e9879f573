import { getEntity, isEntityName } from '../../../src-shared/entities/registry';

/** The rules of a workflow in words, for people reading its configuration (the JSON stays the source). */
export interface RulesInWords {
  /** 'all' (every condition must hold) or 'any'. */
  match: 'all' | 'any';
  conditions: string[];
  actions: string[];
}

const OPS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  contains: 'contains',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
  changed: 'changed',
};

/** `paidAds` → `paid ads`, `createTask` → `Create task`. */
export function words(name: string, capital = false): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return capital ? spaced.charAt(0).toUpperCase() + spaced.slice(1) : spaced;
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => valueText(v)).join(', ');
  if (typeof value === 'string') return words(value);
  return JSON.stringify(value);
}

function fieldText(kind: string, field: string): string {
  const spec = isEntityName(kind) ? getEntity(kind).allFields[field] : undefined;
  return spec?.label ?? words(field, true);
}

function conditionText(kind: string, condition: unknown): string {
  if (typeof condition !== 'object' || condition === null) return JSON.stringify(condition);
  const { field, op, value } = condition as { field?: string; op?: string; value?: unknown };
  if (typeof field !== 'string' || typeof op !== 'string') return JSON.stringify(condition);
  if (op === 'olderThanDays') return `${fieldText(kind, field)} more than ${valueText(value)} days ago`;
  const verb = OPS[op] ?? words(op);
  return value === undefined
    ? `${fieldText(kind, field)} ${verb}`
    : `${fieldText(kind, field)} ${verb} ${valueText(value)}`;
}

function actionText(action: unknown): string {
  if (typeof action !== 'object' || action === null) return JSON.stringify(action);
  const { type, ...rest } = action as Record<string, unknown>;
  const details = Object.entries(rest)
    .filter(([k]) => !k.endsWith('Id'))
    .map(
      ([k, v]) =>
        `${words(k)} ${typeof v === 'string' && k !== 'title' ? words(v) : typeof v === 'string' ? `“${v}”` : JSON.stringify(v)}`,
    );
  return [
    typeof type === 'string' ? words(type, true) : 'Unknown action',
    ...(details.length ? [`(${details.join(', ')})`] : []),
  ].join(' ');
}

/** The trigger with its parameters in words: "score rises to 70 or above", "7 days before expected close". */
export function triggerText(kind: string, trigger: string, conditions: unknown): string {
  const params =
    (typeof conditions === 'object' && conditions !== null
      ? (conditions as { trigger?: Record<string, unknown> }).trigger
      : undefined) ?? {};
  const field = (name: unknown) => (typeof name === 'string' ? fieldText(kind, name).toLowerCase() : 'a field');
  switch (trigger) {
    case 'scoreCrossed':
      return `${field(params.field)} ${params.direction === 'down' ? 'falls below' : 'rises to'} ${String(params.threshold)}${params.direction === 'down' ? '' : ' or above'}`;
    case 'dateReached': {
      const days = Number(params.offsetDays ?? 0);
      const when =
        days === 0 ? 'on' : `${Math.abs(days)} day${Math.abs(days) === 1 ? '' : 's'} ${days < 0 ? 'before' : 'after'}`;
      return `${when} ${field(params.dateField)}`;
    }
    case 'fieldChanged':
      return typeof params.field === 'string' ? `${field(params.field)} changes` : words(trigger);
    case 'stageChanged':
      return typeof params.stage === 'string' ? `the stage changes to ${words(params.stage)}` : words(trigger);
    default:
      return words(trigger);
  }
}

/** The conditions (`{ all | any: [ { field, op, value } ] }`) and actions (`[ { type, … } ]`) of a workflow in words. */
export function rulesInWords(kind: string, conditions: unknown, actions: unknown): RulesInWords {
  const c = (conditions ?? {}) as { all?: unknown; any?: unknown };
  const match = Array.isArray(c.any) && !Array.isArray(c.all) ? 'any' : 'all';
  const list = (match === 'any' ? c.any : c.all) as unknown;
  return {
    match,
    conditions: Array.isArray(list) ? list.map((x) => conditionText(kind, x)) : [],
    actions: Array.isArray(actions) ? actions.map(actionText) : [],
  };
}
