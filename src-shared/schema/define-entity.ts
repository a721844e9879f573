import { type FieldSpec, type FieldValue, f } from './field';

/** The RxDB collections entities are grouped into (RxDB's open-source build allows 13 per realm). */
export const COLLECTIONS = [
  'users',
  'settings',
  'companies',
  'contacts',
  'leads',
  'deals',
  'activities',
  'tasks',
  'content',
  'research',
  'audit',
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

/**
 * Who owns a record, for the permission scopes (own/team/all):
 * - `assigned`: `ownerId` is the assigned rep and may be changed by those allowed to assign;
 * - `creator`: `ownerId` is whoever created it;
 * - `admin`: organisation settings, writable by admins only;
 * - `parent`: inherits the scope of the record its `parentField` points to.
 */
export type OwnerRule = 'assigned' | 'creator' | 'admin' | 'parent';

export interface EntityInput {
  name: string;
  label: string;
  plural: string;
  description: string;
  /** Postgres table (snake_case plural). */
  table: string;
  /** The RxDB collection holding its documents; none for embedded entities. */
  collection?: CollectionName;
  /** Bump on any change to fields or indexes; the version test enforces it. */
  version: number;
  owner: OwnerRule;
  parentField?: string;
  /** Fields that make the record's display name, in order. */
  display: readonly string[];
  /** Records carry a `customFields` map validated against CustomField definitions. */
  customizable?: boolean;
  /**
   * `embedded`: stored inside other records rather than as documents of its own (custom field
   * values live in their record's `customFields`); Postgres exposes it as a view.
   */
  storage?: 'document' | 'embedded';
  fields: Record<string, FieldSpec>;
  /**
   * Compound indexes, equality fields first, sort field (`newest`) last. In a collection shared by
   * several kinds each index is prefixed with `kind`; its fields must be required for this kind.
   */
  indexes?: readonly (readonly string[])[];
  /** Cross-field rules the per-field validation cannot express. */
  rules?: readonly EntityRule[];
  /**
   * Stored fields computed from the record's other fields (e.g. an inverted score an ascending index
   * can list highest first). Not in `fields`, so forms, columns and exports never show them;
   * callers never give them: every writer (repository, server push, automation) recomputes them with
   * `withDerived`, so a device that predates one, or lies about one, cannot misplace a record.
   */
  derived?: Record<string, DerivedField>;
}

/** A stored field whose value is a function of the record (see `EntityInput.derived`). */
export interface DerivedField {
  field: FieldSpec;
  from: (record: Readonly<Record<string, unknown>>) => string | number | boolean;
}

/** A rule returns the problems it finds, each naming a field. */
export type EntityRule = (record: Readonly<Record<string, unknown>>) => readonly FieldProblem[];

export interface FieldProblem {
  field: string;
  problem: string;
}

/** Upper bound of a lead's score; `scoreRank` is SCORE_MAX − score, so an ascending index lists highest first. */
export const SCORE_MAX = 100;

/**
 * The orders a list can be served in, each the trailing fields of the indexes that serve it
 * (ascending; `oldest` is `newest` read backwards). An entity offers an order when it stores its fields.
 */
export const LIST_ORDERS = {
  newest: ['newest'],
  score: ['scoreRank', 'newest'],
} as const satisfies Record<string, readonly string[]>;
export type ListOrderName = keyof typeof LIST_ORDERS;

/** Fields that are the sort part of an index: every document of the kind must have them. */
export const SORT_FIELDS: ReadonlySet<string> = new Set(Object.values(LIST_ORDERS).flat());

/** Upper bound of `newest`, the inverted creation time that lets an ascending index list newest first. */
export const NEWEST_MAX = 10_000_000_000_000;

export const baseFields = {
  id: f.string({ required: true, maxLength: 40, label: 'ID' }),
  kind: f.string({ required: true, maxLength: 40, label: 'Kind' }),
  ownerId: f.ref('user', { required: true, label: 'Owner' }),
  createdAt: f.datetime({ required: true, label: 'Created' }),
  updatedAt: f.datetime({ required: true, label: 'Updated' }),
  createdBy: f.ref('user', { required: true, label: 'Created by' }),
  updatedBy: f.ref('user', { required: true, label: 'Updated by' }),
  isDeleted: f.boolean({ required: true, label: 'Deleted' }),
  deletedAt: f.datetime({ label: 'Deleted at' }),
  newest: f.integer({ required: true, min: 0, max: NEWEST_MAX, label: 'Newest-first key' }),
} as const;

export type BaseFieldName = keyof typeof baseFields;

/** Fields the repository stamps; callers never supply them. */
export const SYSTEM_FIELDS: readonly BaseFieldName[] = [
  'id',
  'kind',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'isDeleted',
  'deletedAt',
  'newest',
];

export type CustomFieldValues = Record<string, string | number | boolean>;

export interface EntityDef<I extends EntityInput = EntityInput> extends EntityInput {
  readonly fields: I['fields'];
  readonly storage: 'document' | 'embedded';
  /** Declared fields plus the base fields, in declaration order. */
  readonly allFields: Record<string, FieldSpec>;
}

/** The record with its derived fields recomputed from its other fields (a new object). */
export function withDerived<T extends Record<string, unknown>>(entity: EntityInput, record: T): T {
  if (!entity.derived) return record;
  const next: Record<string, unknown> = { ...record };
  for (const [name, derived] of Object.entries(entity.derived)) next[name] = derived.from(record);
  return next as T;
}

/** Names of the entity's derived fields. */
export function derivedFieldNames(entity: EntityInput): string[] {
  return Object.keys(entity.derived ?? {});
}

export function defineEntity<const I extends EntityInput>(input: I): EntityDef<I> & I {
  if ((input.storage ?? 'document') === 'document' && !input.collection) {
    throw new Error(`${input.name}: a document entity needs a collection`);
  }
  const derived = Object.fromEntries(Object.entries(input.derived ?? {}).map(([name, d]) => [name, d.field]));
  for (const name of [...Object.keys(input.fields), ...Object.keys(derived)]) {
    if (name in baseFields || name === 'customFields') {
      throw new Error(`${input.name}.${name}: collides with a base field`);
    }
  }
  for (const [name, field] of Object.entries(derived)) {
    if (name in input.fields) throw new Error(`${input.name}.${name}: declared both as a field and as derived`);
    if (!field.required) throw new Error(`${input.name}.${name}: a derived field is always stored, so required`);
  }
  return {
    ...input,
    storage: input.storage ?? 'document',
    allFields: { ...baseFields, ...input.fields, ...derived },
  };
}

type RequiredKeys<F> = { [K in keyof F]: F[K] extends { required: true } ? K : never }[keyof F];
type OptionalKeys<F> = Exclude<keyof F, RequiredKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type FieldsRecord<F> = { -readonly [K in RequiredKeys<F>]: FieldValue<F[K]> } & {
  -readonly [K in OptionalKeys<F>]?: FieldValue<F[K]>;
};

/** The stored shape of an entity's records, derived from its declaration. */
export type EntityRecord<E extends { name: string; fields: Record<string, FieldSpec> }> = Simplify<
  Omit<FieldsRecord<typeof baseFields>, 'kind'> & { kind: E['name'] } & FieldsRecord<E['fields']> & {
      customFields?: CustomFieldValues;
    }
>;

type DefaultedKeys<F> = { [K in keyof F]: F[K] extends { default: unknown } ? K : never }[keyof F];

/** What a caller supplies to create a record: declared fields (defaulted ones optional), optionally an owner. */
export type EntityInputOf<E extends { name: string; fields: Record<string, FieldSpec> }> = Simplify<
  Omit<FieldsRecord<E['fields']>, DefaultedKeys<E['fields']>> &
    Partial<Pick<FieldsRecord<E['fields']>, DefaultedKeys<E['fields']> & keyof FieldsRecord<E['fields']>>> & {
      ownerId?: string;
      id?: string;
      /** Only imports give this: the record's original creation time. */
      createdAt?: string;
      /** With createdAt, when the record was last written before it came here (the demo's history). */
      updatedAt?: string;
      customFields?: CustomFieldValues;
    }
>;

/** A change to an existing record: any declared field, `null` clears an optional one. */
export type EntityPatchOf<E extends { name: string; fields: Record<string, FieldSpec> }> = Simplify<
  { -readonly [K in keyof E['fields']]?: FieldValue<E['fields'][K]> | null } & {
    ownerId?: string;
    customFields?: CustomFieldValues;
  }
>;
