import { ENTITIES } from '../entities/registry';
import { type BaseFieldName, baseFields, type EntityDef } from './define-entity';
import { type FieldSpec, maxLengthOf } from './field';

/**
 * Postgres DDL derived from the entity registry: one table per document entity, one view per
 * embedded entity. No table or column is named by hand (bar `custom_fields`, which `defineEntity`
 * reserves); the contract test compares a migrated database's information_schema with `columnsOf`.
 *
 * No foreign keys: offline clients push a parent and its children in any order (a task may reach
 * the server before the contact it is about), and soft deletes keep references dangling on purpose.
 * Referential integrity is the validator's and the repositories' job, not the database's.
 */

/** The Postgres types fields map to; the SQL spelling accepted by Postgres 15 and 18 alike. */
export type PgType =
  | 'text'
  | 'integer'
  | 'bigint'
  | 'double precision'
  | 'boolean'
  | 'date'
  | 'timestamptz'
  | 'text[]'
  | 'jsonb'
  | 'xid8';

/** `information_schema.columns.udt_name` of each type, for contract tests. */
export const PG_UDT_NAME: Record<PgType, string> = {
  text: 'text',
  integer: 'int4',
  bigint: 'int8',
  'double precision': 'float8',
  boolean: 'bool',
  date: 'date',
  timestamptz: 'timestamptz',
  'text[]': '_text',
  jsonb: 'jsonb',
  xid8: 'xid8',
};

export interface PgColumn {
  /** Field name in the registry (camelCase). */
  name: string;
  /** Column name: `toSnakeCase(name)`. */
  column: string;
  pgType: PgType;
  notNull: boolean;
}

/** A column the caller adds to every table, e.g. the sync server's replication sequence. */
export interface ExtraColumn {
  /** camelCase, like a field; the column is `toSnakeCase(name)`. */
  name: string;
  pgType: PgType;
  notNull?: boolean;
  /** SQL expression, inserted verbatim after DEFAULT. */
  default?: string;
}

export interface PostgresOptions {
  /** Appended to every document table (not to views). */
  extraColumns?: readonly ExtraColumn[];
}

/** A declaration Postgres cannot represent, named by entity and field. */
export class PostgresSchemaError extends Error {
  override readonly name = 'PostgresSchemaError';
  constructor(
    readonly entity: string,
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    super(`${field === undefined ? entity : `${entity}.${field}`}: ${reason}`);
  }
}

/** The one naming rule: `firstName` → `first_name`, `addressLine1` → `address_line1`, `URLPath` → `url_path`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

// Postgres truncates longer names silently: a declared table or column that long is an error,
// a derived index name is shortened by `indexNameOf`.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;

function ident(name: string, entity: string, field?: string): string {
  if (!IDENTIFIER.test(name)) throw new PostgresSchemaError(entity, field, `"${name}" is not a valid Postgres name`);
  // Quoted so that columns such as `position` or `trigger` never meet a keyword.
  return `"${name}"`;
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function pgTypeOf(field: FieldSpec): PgType {
  switch (field.type) {
    case 'string':
    case 'text':
    case 'email':
    case 'url':
    case 'phone':
    case 'ref':
    case 'enum':
    case 'currency':
      return 'text';
    case 'integer': {
      const fits = field.min !== undefined && field.max !== undefined && field.min >= INT4_MIN && field.max <= INT4_MAX;
      return fits ? 'integer' : 'bigint';
    }
    case 'money':
      // Minor units; amounts have no upper bound, so int4's 21 million dollars is not enough.
      return 'bigint';
    case 'number':
    case 'percent':
      // Not numeric(p,s): node-postgres returns numeric as a string and the scale would round
      // what the client stored, so the server's copy would differ from the client's.
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamptz';
    case 'tags':
      return 'text[]';
    case 'json':
      return 'jsonb';
  }
}

function checksOf(column: string, field: FieldSpec): string[] {
  switch (field.type) {
    case 'enum':
      return [`${column} IN (${(field.values ?? []).map(literal).join(', ')})`];
    case 'currency':
      return [`${column} ~ '^[A-Z]{3}$'`];
    case 'string':
    case 'text':
    case 'email':
    case 'url':
    case 'phone':
    case 'ref': {
      const max = maxLengthOf(field);
      return max === undefined ? [] : [`char_length(${column}) <= ${max}`];
    }
    default:
      return [];
  }
}

function isCustomizable(entity: EntityDef): boolean {
  return entity.customizable === true;
}

/** The map of custom field values on customizable records (the name `defineEntity` reserves). */
const CUSTOM_FIELDS: PgColumn = { name: 'customFields', column: 'custom_fields', pgType: 'jsonb', notNull: true };

/** Base fields this file treats specially; typed, so renaming one fails the typecheck here. */
const BASE = {
  id: 'id',
  kind: 'kind',
  ownerId: 'ownerId',
  updatedAt: 'updatedAt',
  isDeleted: 'isDeleted',
} as const satisfies Record<string, BaseFieldName>;

/** Base fields an embedded entity's view takes from the record that holds it. */
const INHERITED_FIELDS = [BASE.ownerId, BASE.updatedAt];

function fieldsOf(entity: EntityDef): [string, FieldSpec][] {
  if (entity.storage === 'embedded') {
    return [...Object.entries(entity.fields), ...INHERITED_FIELDS.map((n): [string, FieldSpec] => [n, baseFields[n]])];
  }
  return Object.entries(entity.allFields);
}

/** The columns of an entity's table or view, in order, with the field each comes from. */
export function columnsOf(entity: EntityDef, options: PostgresOptions = {}): PgColumn[] {
  const columns: PgColumn[] = fieldsOf(entity).map(([name, field]) => ({
    name,
    column: toSnakeCase(name),
    pgType: pgTypeOf(field),
    notNull: field.required === true,
  }));
  if (entity.storage === 'document') {
    if (isCustomizable(entity)) {
      columns.push({ ...CUSTOM_FIELDS });
    }
    for (const extra of options.extraColumns ?? []) {
      columns.push({
        name: extra.name,
        column: toSnakeCase(extra.name),
        pgType: extra.pgType,
        notNull: !!extra.notNull,
      });
    }
  }
  const seen = new Map<string, string>();
  for (const c of columns) {
    ident(c.column, entity.name, c.name);
    const other = seen.get(c.column);
    if (other !== undefined) {
      throw new PostgresSchemaError(entity.name, c.name, `column "${c.column}" is also ${other}`);
    }
    seen.set(c.column, c.name);
  }
  return columns;
}

function columnSql(entity: EntityDef, c: PgColumn, options: PostgresOptions): string {
  const col = ident(c.column, entity.name, c.name);
  const parts = [col, c.pgType];
  if (c.name === BASE.id) parts.push('PRIMARY KEY');
  else if (c.notNull) parts.push('NOT NULL');
  const field = entity.allFields[c.name];
  // A table holds one kind, as the validator's `kind: z.literal(entity.name)` does.
  const checks = c.name === BASE.kind ? [`${col} = ${literal(entity.name)}`] : field ? checksOf(col, field) : [];
  if (c.name === CUSTOM_FIELDS.name) {
    parts.push(`DEFAULT '{}'`);
    // jsonb_each in the custom_field_values view fails on anything but an object.
    checks.push(`jsonb_typeof(${col}) = 'object'`);
  }
  const extra = options.extraColumns?.find((e) => e.name === c.name);
  if (!field && extra?.default !== undefined) parts.push(`DEFAULT ${extra.default}`);
  for (const check of checks) parts.push(`CHECK (${check})`);
  return parts.join(' ');
}

function requireDocument(entity: EntityDef): void {
  if (entity.storage !== 'document') {
    throw new PostgresSchemaError(entity.name, undefined, `is ${entity.storage}, so it is a view, not a table`);
  }
}

/** `CREATE TABLE IF NOT EXISTS` for a document entity. */
export function toPostgresTable(entity: EntityDef, options: PostgresOptions = {}): string {
  requireDocument(entity);
  const lines = columnsOf(entity, options).map((c) => `  ${columnSql(entity, c, options)}`);
  return `CREATE TABLE IF NOT EXISTS ${ident(entity.table, entity.name)} (\n${lines.join(',\n')}\n)`;
}

/** FNV-1a, 32 bits: a short, stable suffix for names that must be shortened. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/**
 * `<table>_<columns>_idx`; past Postgres's 63 characters, cut and suffixed with a hash of the full
 * name, because Postgres would truncate it silently and `IF NOT EXISTS` would then skip a colliding index.
 */
export function indexNameOf(table: string, columns: readonly string[]): string {
  const full = `${table}_${columns.join('_')}_idx`;
  return full.length <= 63 ? full : `${full.slice(0, 54).replace(/_+$/, '')}_${shortHash(full)}`;
}

/** `CREATE INDEX IF NOT EXISTS` for each declared index. */
export function toPostgresIndexes(entity: EntityDef): string[] {
  requireDocument(entity);
  return (entity.indexes ?? []).map((index) => {
    for (const name of index) {
      if (!(name in entity.allFields)) throw new PostgresSchemaError(entity.name, name, 'indexed but not declared');
    }
    const columns = index.map(toSnakeCase);
    const name = ident(indexNameOf(entity.table, columns), entity.name);
    const list = columns.map((c) => ident(c, entity.name)).join(', ');
    return `CREATE INDEX IF NOT EXISTS ${name} ON ${ident(entity.table, entity.name)} (${list})`;
  });
}

const recordColumn = (name: BaseFieldName) => `t.${ident(toSnakeCase(name), 'customFieldValue', name)}`;

/** Where each column of `custom_field_values` comes from, in one customizable table `t`. */
const CUSTOM_FIELD_VALUE_SOURCES: Record<string, (source: EntityDef) => string> = {
  entityKind: (source) => `${literal(source.name)}::text`,
  recordId: () => recordColumn(BASE.id),
  key: () => 'v."key"',
  value: () => 'v."value"',
  [BASE.ownerId]: () => recordColumn(BASE.ownerId),
  [BASE.updatedAt]: () => recordColumn(BASE.updatedAt),
};

/** The view over an embedded entity; today only custom field values, unpacked from `custom_fields`. */
export function toPostgresView(entity: EntityDef, registry: readonly EntityDef[] = ENTITIES): string {
  if (entity.name !== 'customFieldValue') {
    throw new PostgresSchemaError(entity.name, undefined, 'no view is defined for this embedded entity');
  }
  const columns = columnsOf(entity);
  const select = (source: EntityDef) =>
    columns.map((c) => {
      const expression = CUSTOM_FIELD_VALUE_SOURCES[c.name];
      if (!expression) throw new PostgresSchemaError(entity.name, c.name, 'has no source column in the view');
      return `${expression(source)} AS ${ident(c.column, entity.name, c.name)}`;
    });
  const sources = registry.filter((e) => e.storage === 'document' && isCustomizable(e));
  if (sources.length === 0) throw new PostgresSchemaError(entity.name, undefined, 'no customizable entity to read');
  const values = `jsonb_each(t.${ident(CUSTOM_FIELDS.column, entity.name)})`;
  // Values of soft-deleted records are left out: the view has no column to tell them apart.
  const branches = sources.map(
    (source) =>
      `SELECT ${select(source).join(', ')}\n` +
      `FROM ${ident(source.table, source.name)} AS t CROSS JOIN LATERAL ${values} AS v\n` +
      `WHERE NOT ${recordColumn(BASE.isDeleted)}`,
  );
  return `CREATE OR REPLACE VIEW ${ident(entity.table, entity.name)} AS\n${branches.join('\nUNION ALL\n')}`;
}

/** Every statement, tables (with their indexes) before views; each is idempotent. */
export function toPostgresDDL(options: PostgresOptions = {}, registry: readonly EntityDef[] = ENTITIES): string[] {
  const documents = registry.filter((e) => e.storage === 'document');
  const embedded = registry.filter((e) => e.storage === 'embedded');
  return [
    ...documents.flatMap((e) => [toPostgresTable(e, options), ...toPostgresIndexes(e)]),
    ...embedded.map((e) => toPostgresView(e, registry)),
  ];
}

/** The statements as one SQL script, e.g. the body of a migration file. */
export function toPostgresScript(options: PostgresOptions = {}, registry: readonly EntityDef[] = ENTITIES): string {
  return `${toPostgresDDL(options, registry).join(';\n\n')};\n`;
}
