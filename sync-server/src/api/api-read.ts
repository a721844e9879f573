import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { toSnakeCase } from '../../../src-shared/schema/to-postgres';
import { auditSubjectReadableSql } from '../audit/audit.service';
import { type Access, readScope } from '../auth/access';
import type { Queryable } from '../db/database';
import { quoted } from '../db/sync-schema';
import { HttpError } from '../http/errors';
import { rowToWireDoc } from '../sync/row-codec';
import { scopeSql } from '../sync/scope-sql';
import { encodeCursor, type ListQuery, listSql } from './api-query';

/**
 * The public API's reads: rows of one entity within the caller's read scope, filtered in SQL with
 * scope-sql.ts's condition (the one pulls use), so a row the key may not see never leaves the
 * database and a page is never short because of one. Hard-removed tombstones are never answered.
 */

export type ApiRecord = Record<string, unknown>;

/** `$1` is the caller ('own'), `$2` the caller and their team ('team'). */
const SCOPE_PARAMS = { own: '$1::text', team: '$2::text[]' };

function scopeParams(access: Access): [string, string[]] {
  const team = access.kind === 'user' ? [access.userId, ...access.actor.teamUserIds] : [access.userId];
  return [access.userId, team];
}

/** The conditions every read of `entity` carries; refuses an entity the caller may not read at all. */
function visible(entity: EntityDef, access: Access, alias: string): string[] {
  const scope = readScope(access, entity);
  if (scope === 'none') throw new HttpError(403, `this API key may not read ${entity.name} records`);
  const owners = scopeSql(entity, alias, scope, SCOPE_PARAMS);
  // An audit entry also needs its record in the caller's scope now, as GET /audit has it
  // (audit.service.ts): a record reassigned to another team takes its trail with it.
  const subject = entity === auditLogEntity ? auditSubjectReadableSql(access, alias, SCOPE_PARAMS) : undefined;
  const condition = [owners, subject].filter((c) => c !== undefined).join(' AND ') || undefined;
  // Postgres must learn the parameters' types even where the scope does not use them ('all').
  const typed = ['$1::text', '$2::text[]']
    .filter((param) => !condition?.includes(param))
    .map((param) => `${param} IS NOT NULL`);
  return [`NOT ${alias}.sync_removed`, ...(condition ? [condition] : []), ...typed];
}

/** What a record looks like to API clients: the stored document without the replication flag. */
export function publicRecord(doc: Record<string, unknown>): ApiRecord {
  const { _deleted, ...record } = doc;
  return record;
}

export interface Page {
  data: ApiRecord[];
  nextCursor: string | null;
}

export async function listRecords(db: Queryable, entity: EntityDef, access: Access, query: ListQuery): Promise<Page> {
  const built = listSql(entity, 't', query, 3);
  const where = [...visible(entity, access, 't'), ...built.where];
  const sql = `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t WHERE ${where.join(' AND ')}
ORDER BY ${built.orderBy} LIMIT ${query.limit + 1}`;
  const { rows } = await db.query<{ doc: Record<string, unknown> }>(sql, [...scopeParams(access), ...built.params]);
  const data = rows.slice(0, query.limit).map((r) => publicRecord(rowToWireDoc(entity, r.doc)));
  const last = data[data.length - 1];
  const sortKey = `${query.sort.descending ? '-' : ''}${query.sort.field}`;
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor(sortKey, last[query.sort.field], String(last.id)) : null;
  return { data, nextCursor };
}

/** One record by id, or undefined when it does not exist or lies outside the caller's scope. */
export async function getRecord(
  db: Queryable,
  entity: EntityDef,
  access: Access,
  id: string,
): Promise<ApiRecord | undefined> {
  const where = [...visible(entity, access, 't'), 't.id = $3::text'];
  const { rows } = await db.query<{ doc: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t WHERE ${where.join(' AND ')}`,
    [...scopeParams(access), id],
  );
  const row = rows[0];
  return row === undefined ? undefined : publicRecord(rowToWireDoc(entity, row.doc));
}

/** Records by id within scope (soft-deleted ones too, as `getRecord`): GraphQL's references, one query per batch. */
export async function recordsByIds(
  db: Queryable,
  entity: EntityDef,
  access: Access,
  ids: readonly string[],
): Promise<Map<string, ApiRecord>> {
  const found = new Map<string, ApiRecord>();
  if (ids.length === 0) return found;
  const where = [...visible(entity, access, 't'), 't.id = ANY($3::text[])'];
  const { rows } = await db.query<{ doc: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t WHERE ${where.join(' AND ')}`,
    [...scopeParams(access), [...new Set(ids)]],
  );
  for (const row of rows) {
    const record = publicRecord(rowToWireDoc(entity, row.doc));
    found.set(String(record.id), record);
  }
  return found;
}

/**
 * For each of `parents`, the first `limit` live records of `entity` whose `field` points to it,
 * within scope, oldest first: GraphQL's back references (`company.contacts`) for a whole batch of
 * parents in one query, each parent's page cut by a window function.
 */
export async function recordsByParent(
  db: Queryable,
  entity: EntityDef,
  access: Access,
  field: string,
  parents: readonly string[],
  limit: number,
): Promise<Map<string, ApiRecord[]>> {
  const found = new Map<string, ApiRecord[]>();
  if (parents.length === 0) return found;
  const column = `t.${quoted(toSnakeCase(field))}`;
  const where = [...visible(entity, access, 't'), 'NOT t.is_deleted', `${column} = ANY($3::text[])`];
  const { rows } = await db.query<{ doc: Record<string, unknown> }>(
    `SELECT s.doc FROM (
  SELECT to_jsonb(t) AS doc, row_number() OVER (PARTITION BY ${column} ORDER BY t.newest, t.id) AS n
  FROM ${quoted(entity.table)} AS t WHERE ${where.join(' AND ')}
) AS s WHERE s.n <= $4::int ORDER BY s.n`,
    [...scopeParams(access), [...new Set(parents)], limit],
  );
  for (const row of rows) {
    const record = publicRecord(rowToWireDoc(entity, row.doc));
    const parent = String(record[field]);
    const list = found.get(parent);
    if (list) list.push(record);
    else found.set(parent, [record]);
  }
  return found;
}
