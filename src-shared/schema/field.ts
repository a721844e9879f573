/**
 * Field declarations: the vocabulary every entity is written in. A field is plain data so that the
 * TS type, RxDB schema, validator, Postgres column and export column are all derived from it.
 */
export type FieldType =
  | 'string'
  | 'text'
  | 'email'
  | 'url'
  | 'phone'
  | 'enum'
  | 'integer'
  | 'number'
  | 'money'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'ref'
  | 'currency'
  | 'tags'
  | 'json';

export interface FieldOptions {
  label?: string;
  required?: boolean;
  /**
   * Personal data: erased by GDPR requests, redacted from audit values on erasure, and encrypted in
   * the local database (to-rx-schema.ts `encrypted`), so it can be neither indexed nor queried there.
   */
  pii?: boolean;
  /**
   * Not personal data itself but holds copies of it (an audit entry's before/after values):
   * encrypted in the local database like `pii`, not erased as a field of its own.
   */
  holdsPii?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  description?: string;
  /** Value filled in on create when the caller gives none. */
  default?: string | number | boolean;
}

export interface FieldSpec extends FieldOptions {
  type: FieldType;
  values?: readonly string[];
  /** Entity name a `ref` points to. */
  ref?: string;
  /** For `money`: the sibling field holding the ISO currency code. */
  currencyField?: string;
}

type Req<O> = O extends { required: true } ? { required: true } : { required?: false };
type Def<O> = O extends { default: infer D } ? { default: D } : unknown;
type Spec<T extends FieldType, O, Extra = unknown> = { type: T } & Req<O> & Def<O> & Extra & FieldSpec;

function make<T extends FieldType, O extends FieldOptions, Extra extends object>(
  type: T,
  options: O | undefined,
  extra: Extra,
): Spec<T, O, Extra> {
  return { ...(options ?? {}), ...extra, type } as Spec<T, O, Extra>;
}

/** Field builders; `const` generics keep enum values and `required` as literal types. */
export const f = {
  string: <const O extends FieldOptions>(o?: O) => make('string', o, {}),
  text: <const O extends FieldOptions>(o?: O) => make('text', o, {}),
  email: <const O extends FieldOptions>(o?: O) => make('email', o, {}),
  url: <const O extends FieldOptions>(o?: O) => make('url', o, {}),
  phone: <const O extends FieldOptions>(o?: O) => make('phone', o, {}),
  enum: <const V extends readonly string[], const O extends FieldOptions>(values: V, o?: O) =>
    make('enum', o, { values }),
  integer: <const O extends FieldOptions>(o?: O) => make('integer', o, {}),
  number: <const O extends FieldOptions>(o?: O) => make('number', o, {}),
  /** Integer minor units (cents) of the currency named by `currencyField`. */
  money: <const O extends FieldOptions>(currencyField: string, o?: O) => make('money', o, { currencyField }),
  percent: <const O extends FieldOptions>(o?: O) => make('percent', o, {}),
  boolean: <const O extends FieldOptions>(o?: O) => make('boolean', o, {}),
  /** Calendar date, `YYYY-MM-DD`. */
  date: <const O extends FieldOptions>(o?: O) => make('date', o, {}),
  /** Instant, ISO 8601 with offset. */
  datetime: <const O extends FieldOptions>(o?: O) => make('datetime', o, {}),
  ref: <const O extends FieldOptions>(ref: string, o?: O) => make('ref', o, { ref }),
  currency: <const O extends FieldOptions>(o?: O) => make('currency', o, {}),
  tags: <const O extends FieldOptions>(o?: O) => make('tags', o, {}),
  json: <const O extends FieldOptions>(o?: O) => make('json', o, {}),
};

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// `values?` rather than `values: infer`: builders intersect with FieldSpec, whose optional
// `values` would otherwise widen every enum to string.
export type FieldValue<F> = F extends { type: 'enum'; values?: readonly string[] }
  ? NonNullable<F['values']>[number]
  : F extends { type: 'integer' | 'number' | 'money' | 'percent' }
    ? number
    : F extends { type: 'boolean' }
      ? boolean
      : F extends { type: 'tags' }
        ? string[]
        : F extends { type: 'json' }
          ? JsonValue
          : string;

/** Default maximum lengths, so every string has a bound (RxDB indexes and Postgres both want one). */
export const DEFAULT_MAX_LENGTH: Partial<Record<FieldType, number>> = {
  string: 200,
  text: 20_000,
  email: 254,
  url: 2048,
  phone: 40,
  ref: 40,
  currency: 3,
  date: 10,
  datetime: 40,
};

export function maxLengthOf(field: FieldSpec): number | undefined {
  if (field.maxLength !== undefined) return field.maxLength;
  if (field.type === 'enum') return Math.max(...(field.values ?? ['']).map((v) => v.length), 1);
  return DEFAULT_MAX_LENGTH[field.type];
}
