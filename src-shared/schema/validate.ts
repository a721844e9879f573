import { z } from 'zod';
import type { EntityDef, FieldProblem } from './define-entity';
import { type FieldSpec, maxLengthOf } from './field';
import { ValidationError } from './validation-error';

/** The subset of a CustomField definition the validator needs. */
export interface CustomFieldDef {
  key: string;
  label: string;
  fieldType: string;
  options?: readonly string[];
  required: boolean;
  active: boolean;
}

const PHONE = /^\+?[0-9 ().\-/x]{3,40}$/;
const CURRENCY = /^[A-Z]{3}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function stringOf(field: FieldSpec): z.ZodString {
  const max = maxLengthOf(field) ?? 200;
  let s = z.string({ error: 'must be text' }).max(max, { error: `must be at most ${max} characters` });
  if (field.required && field.type !== 'text') s = s.min(1, { error: 'must not be empty' });
  return s;
}

function numberOf(field: FieldSpec, integer: boolean): z.ZodNumber {
  let n = z.number({ error: 'must be a number' });
  if (integer) n = n.int({ error: 'must be a whole number' });
  const min = field.min ?? (field.type === 'percent' ? 0 : undefined);
  const max = field.max ?? (field.type === 'percent' ? 100 : undefined);
  if (min !== undefined) n = n.min(min, { error: `must be at least ${min}` });
  if (max !== undefined) n = n.max(max, { error: `must be at most ${max}` });
  return n;
}

function fieldSchema(field: FieldSpec): z.ZodType {
  switch (field.type) {
    case 'string':
    case 'text':
    case 'ref':
      return stringOf(field);
    case 'email':
      return z.email({ error: 'must be a valid email address' }).max(254, { error: 'must be at most 254 characters' });
    case 'url':
      return z
        .url({ protocol: /^https?$/, error: 'must be a valid http(s) URL' })
        .max(2048, { error: 'must be at most 2048 characters' });
    case 'phone':
      return z.string({ error: 'must be text' }).regex(PHONE, { error: 'must be a valid phone number' });
    case 'currency':
      return z
        .string({ error: 'must be text' })
        .regex(CURRENCY, { error: 'must be a 3-letter currency code like USD' });
    case 'enum':
      return z.enum(field.values as [string, ...string[]], {
        error: `must be one of ${(field.values ?? []).join(', ')}`,
      });
    case 'integer':
    case 'money':
      return numberOf(field, true);
    case 'number':
    case 'percent':
      return numberOf(field, false);
    case 'boolean':
      return z.boolean({ error: 'must be true or false' });
    case 'date':
      return z.iso.date({ error: 'must be a date like 2026-01-31' });
    case 'datetime':
      // Exactly as Date#toISOString writes it: timestamptz keeps no offset and Postgres returns
      // milliseconds, so any other spelling would come back from the server changed and conflict forever.
      return z
        .string({ error: 'must be text' })
        .regex(ISO_INSTANT, { error: 'must be a UTC date-time like 2026-01-31T09:30:00.000Z' })
        .refine((v) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v, {
          error: 'must be a real UTC date-time like 2026-01-31T09:30:00.000Z',
        });
    case 'tags':
      return z
        .array(z.string({ error: 'must be text' }).min(1).max(100, { error: 'must be at most 100 characters' }), {
          error: 'must be a list of text values',
        })
        .max(100, { error: 'must have at most 100 items' });
    case 'json':
      return z.json({ error: 'must be JSON data' });
  }
}

const customValue = z.union([z.string().max(10_000), z.number(), z.boolean()], {
  error: 'custom field values must be text, numbers or true/false',
});

function buildSchema(entity: EntityDef): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(entity.allFields)) {
    const schema = fieldSchema(field);
    // A derived field is stamped by every writer (withDerived); a record built without it is still
    // whole, and one that carries it must carry the value its fields imply (derivedProblems).
    shape[name] = field.required && !entity.derived?.[name] ? schema : schema.optional();
  }
  shape.kind = z.literal(entity.name, { error: `must be "${entity.name}"` });
  if (entity.customizable) shape.customFields = z.record(z.string(), customValue).optional();
  return z.strictObject(shape, { error: 'must be an object' });
}

const cache = new WeakMap<EntityDef, z.ZodType>();

function schemaOf(entity: EntityDef): z.ZodType {
  let schema = cache.get(entity);
  if (!schema) {
    schema = buildSchema(entity);
    cache.set(entity, schema);
  }
  return schema;
}

function valueAt(record: unknown, path: readonly PropertyKey[]): unknown {
  let value = record;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value;
}

function problemsOf(error: z.ZodError, entity: EntityDef, record: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ field: key, problem: `is not a field of ${entity.label}` });
      continue;
    }
    const field = issue.path.map(String).join('.') || '(record)';
    // zod omits the input from issues, so look the value up to tell "missing" from "wrong".
    const missing = issue.path.length > 0 && valueAt(record, issue.path) === undefined;
    problems.push({ field, problem: missing ? 'is required' : issue.message });
  }
  return problems;
}

function checkCustomFields(
  values: Record<string, unknown> | undefined,
  defs: readonly CustomFieldDef[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const active = new Map(defs.filter((d) => d.active).map((d) => [d.key, d]));
  for (const [key, value] of Object.entries(values ?? {})) {
    const def = active.get(key);
    const field = `customFields.${key}`;
    if (!def) {
      problems.push({ field, problem: 'is not a defined custom field' });
      continue;
    }
    const problem = customValueProblem(def, value);
    if (problem) problems.push({ field, problem });
  }
  for (const def of active.values()) {
    if (def.required && (values?.[def.key] === undefined || values[def.key] === '')) {
      problems.push({ field: `customFields.${def.key}`, problem: `(${def.label}) is required` });
    }
  }
  return problems;
}

function customValueProblem(def: CustomFieldDef, value: unknown): string | undefined {
  switch (def.fieldType) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'must be a whole number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && def.options?.includes(value)
        ? undefined
        : `must be one of ${(def.options ?? []).join(', ')}`;
    default: {
      const schema = fieldSchema({ type: def.fieldType as FieldSpec['type'], maxLength: 10_000 });
      const result = schema.safeParse(value);
      return result.success ? undefined : (result.error.issues[0]?.message ?? 'is invalid');
    }
  }
}

export interface ValidateOptions {
  /** Custom field definitions of this entity; when given, `customFields` is checked against them. */
  customFields?: readonly CustomFieldDef[];
}

/** Problems with a complete stored record, each naming its field; empty when valid. */
export function validateRecord(entity: EntityDef, record: unknown, options: ValidateOptions = {}): FieldProblem[] {
  const result = schemaOf(entity).safeParse(record);
  if (!result.success) {
    const problems = problemsOf(result.error, entity, record);
    return [...problems, ...alsoWrong(entity, record, options, problems)];
  }
  const doc = record as Record<string, unknown>;
  const problems = (entity.rules ?? []).flatMap((rule) => rule(doc));
  for (const [name, derived] of Object.entries(entity.derived ?? {})) {
    const expected = derived.from(doc);
    if (doc[name] !== undefined && doc[name] !== expected) {
      problems.push({
        field: name,
        problem: `must be ${JSON.stringify(expected)}, derived from the record's other fields`,
      });
    }
  }
  if (options.customFields) {
    problems.push(...checkCustomFields(doc.customFields as Record<string, unknown> | undefined, options.customFields));
  }
  return problems;
}

/**
 * Beside its fields' problems, what a record the schema refused breaks of the rules and custom
 * fields, so a form names every problem on the first save. Only on fields not already named; a
 * rule that read a field already named, or cannot read the record as it is (it expects valid
 * types), says nothing: a deal whose stage is no stage is not told its close date must be empty.
 */
function alsoWrong(
  entity: EntityDef,
  record: unknown,
  options: ValidateOptions,
  named: readonly FieldProblem[],
): FieldProblem[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return [];
  const doc = record as Record<string, unknown>;
  const wrong = new Set(named.map((p) => p.field.split('.')[0]));
  const found: FieldProblem[] = [];
  for (const rule of entity.rules ?? []) {
    const read = new Set<string>();
    const watched = new Proxy(doc, {
      get(target, key, receiver) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key, receiver);
      },
    });
    try {
      const problems = rule(watched);
      if (![...read].some((field) => wrong.has(field))) found.push(...problems);
    } catch {
      // Left for the save after the types are fixed.
    }
  }
  const values = doc.customFields;
  if (options.customFields && typeof values === 'object' && values !== null && !Array.isArray(values)) {
    found.push(...checkCustomFields(values as Record<string, unknown>, options.customFields));
  }
  return found.filter((p) => !wrong.has(p.field.split('.')[0]));
}

export function assertValid(entity: EntityDef, record: unknown, options?: ValidateOptions, index?: number): void {
  const problems = validateRecord(entity, record, options);
  if (problems.length > 0) throw new ValidationError(entity.name, problems, index);
}
