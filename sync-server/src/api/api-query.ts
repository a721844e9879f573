import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { FieldSpec, FieldType } from '../../../src-shared/schema/field';
import type { PgColumn } from '../../../src-shared/schema/to-postgres';
import { dataColumnsOf, quoted } from '../db/sync-schema';
import { HttpError } from '../http/errors';

/**
 * A list request of the public API, from its query string, checked against the registry: equality
 * on any scalar field, ranges on dates and numbers, a sort on an indexed field, and an opaque cursor
 * (keyset pagination on the sort value and the id: no duplicates or gaps while pages are read,
 * unlike an offset). Every problem is a 400 naming the parameter.
 */

export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 100;
export const RANGE_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;
type RangeOperator = (typeof RANGE_OPERATORS)[number];
const SQL_OPERATOR: Record<RangeOperator | 'eq', string> = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

const RANGE_TYPES: ReadonlySet<FieldType> = new Set(['integer', 'number', 'money', 'percent', 'date', 'datetime']);
const UNFILTERABLE: ReadonlySet<FieldType> = new Set(['tags', 'json']);

export interface Condition {
  field: string;
  operator: RangeOperator | 'eq';
  value: string | number | boolean;
}

export interface ListQuery {
  limit: number;
  sort: { field: string; descending: boolean };
  conditions: Condition[];
  after?: { value: string | number | boolean; id: string };
}

/** Fields a list can be filtered by (scalars): the OpenAPI document and GraphQL list them too. */
export function filterableFields(entity: EntityDef): [string, FieldSpec][] {
  return Object.entries(entity.allFields).filter(([, field]) => !UNFILTERABLE.has(field.type));
}

export const isRangeField = (field: FieldSpec) => RANGE_TYPES.has(field.type);

/** Fields a list can be sorted by: the id and the required fields of the entity's indexes. */
export function sortableFields(entity: EntityDef): string[] {
  const indexed = new Set(['id', 'newest', ...(entity.indexes ?? []).flat()]);
  return [...indexed].filter((name) => name === 'id' || entity.allFields[name]?.required === true);
}

/** A query-string value as the field's type, or a 400 naming the parameter. */
export function parseValue(param: string, field: FieldSpec, raw: string): string | number | boolean {
  switch (field.type) {
    case 'integer':
    case 'money': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isSafeInteger(n)) throw new HttpError(400, `${param} must be an integer`, param);
      return n;
    }
    case 'number':
    case 'percent': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new HttpError(400, `${param} must be a number`, param);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new HttpError(400, `${param} must be true or false`, param);
      return raw === 'true';
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) {
        throw new HttpError(400, `${param} must be a date, YYYY-MM-DD`, param);
      }
      return raw;
    case 'datetime': {
      const at = Date.parse(raw);
      if (Number.isNaN(at)) throw new HttpError(400, `${param} must be an ISO 8601 date-time`, param);
      return new Date(at).toISOString();
    }
    case 'enum':
      if (!field.values?.includes(raw)) {
        throw new HttpError(400, `${param} must be one of ${field.values?.join(', ')}`, param);
      }
      return raw;
    default:
      return raw;
  }
}

const PARAM = /^([A-Za-z][A-Za-z0-9]*)(?:\[([a-z]+)\])?$/;

function parseCursor(raw: string, entity: EntityDef, sortKey: string): ListQuery['after'] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new HttpError(400, 'cursor is not a cursor this API gave', 'cursor');
  }
  if (!Array.isArray(decoded) || decoded.length !== 3 || typeof decoded[2] !== 'string') {
    throw new HttpError(400, 'cursor is not a cursor this API gave', 'cursor');
  }
  const [sort, value, id] = decoded as [unknown, unknown, string];
  if (sort !== sortKey) throw new HttpError(400, `cursor was given for sort=${String(sort)}, not ${sortKey}`, 'cursor');
  const field = sortKey.replace(/^-/, '');
  if (field === 'id') return { value: id, id };
  const spec = entity.allFields[field];
  if (spec === undefined || !['string', 'number', 'boolean'].includes(typeof value)) {
    throw new HttpError(400, 'cursor is not a cursor this API gave', 'cursor');
  }
  return { value: parseValue('cursor', spec, String(value)), id };
}

export function encodeCursor(sortKey: string, value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, value ?? null, id])).toString('base64url');
}

/** The list query of a request's query string; unknown parameters and fields are refused. */
export function parseListQuery(entity: EntityDef, query: Readonly<Record<string, unknown>>): ListQuery {
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new HttpError(400, `${name} may be given once`, name);
    return value;
  };
  const limitRaw = single('limit');
  const limit = limitRaw === undefined ? DEFAULT_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new HttpError(400, `limit must be an integer from 1 to ${MAX_LIMIT}`, 'limit');
  }
  const sortKey = single('sort') ?? 'newest';
  const sortField = sortKey.replace(/^-/, '');
  if (!sortableFields(entity).includes(sortField)) {
    throw new HttpError(400, `sort must be one of ${sortableFields(entity).join(', ')} (- for descending)`, 'sort');
  }
  const cursor = single('cursor');
  const conditions: Condition[] = [];
  for (const [param, raw] of Object.entries(query)) {
    if (param === 'limit' || param === 'sort' || param === 'cursor') continue;
    const match = PARAM.exec(param);
    const name = match?.[1] ?? param;
    const field = match ? entity.allFields[name] : undefined;
    if (field === undefined || UNFILTERABLE.has(field.type)) {
      throw new HttpError(400, `${param} is not a filterable field of ${entity.label}`, param);
    }
    const operator = (match?.[2] ?? 'eq') as RangeOperator | 'eq';
    if (operator !== 'eq' && !(RANGE_OPERATORS as readonly string[]).includes(operator)) {
      throw new HttpError(400, `${param}: the operator must be one of ${RANGE_OPERATORS.join(', ')}`, param);
    }
    if (operator !== 'eq' && !RANGE_TYPES.has(field.type)) {
      throw new HttpError(400, `${param}: ranges apply to dates and numbers only`, param);
    }
    if (typeof raw !== 'string') throw new HttpError(400, `${param} may be given once`, param);
    conditions.push({ field: name, operator, value: parseValue(param, field, raw) });
  }
  const listQuery: ListQuery = { limit, sort: { field: sortField, descending: sortKey.startsWith('-') }, conditions };
  if (cursor !== undefined) {
    const after = parseCursor(cursor, entity, sortKey);
    if (after) listQuery.after = after;
  }
  return listQuery;
}

/** SQL pieces of a list query over `alias`, its parameters numbered from `first`. */
export function listSql(
  entity: EntityDef,
  alias: string,
  query: ListQuery,
  first: number,
): { where: string[]; orderBy: string; params: unknown[] } {
  const columns = new Map<string, PgColumn>(dataColumnsOf(entity).map((c) => [c.name, c]));
  const params: unknown[] = [];
  const param = (value: unknown, type: string) => {
    params.push(value);
    return `$${first + params.length - 1}::${type}`;
  };
  const col = (name: string) => {
    const column = columns.get(name);
    if (!column) throw new Error(`${entity.name}.${name} has no column`);
    return { sql: `${alias}.${quoted(column.column)}`, type: column.pgType };
  };
  const where = query.conditions.map((c) => {
    const { sql, type } = col(c.field);
    return `${sql} ${SQL_OPERATOR[c.operator]} ${param(c.value, type)}`;
  });
  if (!query.conditions.some((c) => c.field === 'isDeleted')) where.push(`NOT ${alias}.is_deleted`);
  const direction = query.sort.descending ? 'DESC' : 'ASC';
  const id = `${alias}.id`;
  if (query.sort.field === 'id') {
    if (query.after) where.push(`${id} ${query.sort.descending ? '<' : '>'} ${param(query.after.id, 'text')}`);
    return { where, orderBy: `${id} ${direction}`, params };
  }
  const sort = col(query.sort.field);
  if (query.after) {
    const comparison = query.sort.descending ? '<' : '>';
    where.push(
      `(${sort.sql}, ${id}) ${comparison} (${param(query.after.value, sort.type)}, ${param(query.after.id, 'text')})`,
    );
  }
  return { where, orderBy: `${sort.sql} ${direction}, ${id} ${direction}`, params };
}
