import { narrowBatchEntry } from '../../../src-shared/audit/audit-changes';
import type { Scope } from '../../../src-shared/auth/permissions';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { ENTITIES } from '../../../src-shared/entities/registry';
import { type EntityDef, NEWEST_MAX } from '../../../src-shared/schema/define-entity';
import type { WireDoc } from '../../../src-shared/sync/protocol';
import { type Access, readScope } from '../auth/access';
import type { Database } from '../db/database';
import { quoted } from '../db/sync-schema';
import { HttpError } from '../http/errors';
import { type ScopeParams, scopeSql } from '../sync/scope-sql';
import { wireJsonSql } from '../sync/wire-json-sql';
import type { AuditQuery } from './audit-query';

/**
 * The server's audit trail as a caller may read it (PROTOCOL.md, "Audit trail"). An entry is
 * readable when BOTH hold:
 * - the caller may read the record it is about, in the same scope a pull serves it (scope-sql.ts,
 *   a child record by its parent's owner). With an 'own' or 'team' scope the record must be on the
 *   server, not removed, and in scope NOW: a record reassigned away or purged takes its entries
 *   with it. With 'all' (an administrator) no record is needed: the trail of a purged record stays;
 * - the auditLog entity's own read scope covers the entry's owner, its author (built-in roles:
 *   manager 'team', rep 'own').
 * A batch entry (one per chunk of a bulk write) is about many records: one record's trail includes
 * it when it lists that record, narrowed to that record's change (the other records' changes are
 * not the caller's to see); the global log includes it only when the caller reads every kind it
 * lists in full ('all').
 */

export interface AuditPage {
  /** Newest first, in the wire shape of the device's audit collection. */
  entries: WireDoc[];
  /** Where the next (older) page starts; null on the last page. */
  next: { before: string; beforeId: string } | null;
}

/** The entities an audit entry can be about: every document entity with a table but the log itself. */
const SUBJECTS: readonly EntityDef[] = ENTITIES.filter(
  (e) => e.storage === 'document' && e.name !== auditLogEntity.name,
);

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** Whose records 'own' and 'team' cover, each added as a parameter on first use (Postgres refuses untyped unused ones). */
function scopeParams(access: Access, params: Params): () => ScopeParams {
  let own: string | undefined;
  let team: string | undefined;
  const lazy: ScopeParams = {
    get own() {
      own ??= params.add(access.userId, 'text');
      return own;
    },
    get team() {
      team ??= params.add(
        access.kind === 'user' ? [access.userId, ...access.actor.teamUserIds] : [access.userId],
        'text[]',
      );
      return team;
    },
  };
  return () => lazy;
}

/**
 * True for the record (kind, id) when the caller may read it: a CASE on the kind, so that each entry
 * costs one primary-key lookup of its own kind's table (an OR of EXISTS per kind made Postgres hash
 * whole tables for every query).
 */
function recordReadableSql(
  access: Access,
  kinds: readonly EntityDef[],
  kindSql: string,
  idSql: string,
  scopes: () => ScopeParams,
): string {
  const branches: string[] = [];
  let full = 0;
  for (const entity of kinds) {
    const scope: Scope = readScope(access, entity);
    if (scope === 'none') continue;
    if (scope === 'all') {
      full++;
      branches.push(`WHEN '${entity.name}' THEN true`);
      continue;
    }
    // `subject`, not `t`: the public API reads the log itself as `t` (api-read.ts).
    const inScope = scopeSql(entity, 'subject', scope, scopes());
    branches.push(`WHEN '${entity.name}' THEN EXISTS (SELECT 1 FROM ${quoted(entity.table)} AS subject
      WHERE subject.id = ${idSql} AND NOT subject.sync_removed AND ${inScope})`);
  }
  // Every subject kind read in full: any entry, including one about a kind no longer registered.
  if (full === SUBJECTS.length && kinds === SUBJECTS) return 'true';
  return branches.length === 0 ? 'false' : `(CASE ${kindSql}\n    ${branches.join('\n    ')}\n    ELSE false END)`;
}

/** Kinds read in full ('all'), for the global log's batch entries. */
function fullKinds(access: Access): string[] {
  return SUBJECTS.filter((e) => readScope(access, e) === 'all').map((e) => e.name);
}

/** A batch entry of the global log (`alias`): only for a caller who reads every kind it lists in full. */
function batchReadableSql(access: Access, alias: string): string {
  const full = fullKinds(access);
  // No kind in full: no batch. (`NOT IN (NULL)` is never true, so such a list let every batch through.)
  if (full.length === 0) return 'false';
  return `NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${alias}.records) AS r
      WHERE r->>'kind' IS NULL OR r->>'kind' NOT IN (${full.map((k) => `'${k}'`).join(', ')}))`;
}

/**
 * True for the audit entries (`alias`) of the global log whose record the caller may read (the
 * first rule above; the author rule is the auditLog entity's own scope, which the caller adds), so
 * that the public API's reads of `auditLog` (api-read.ts) show what `GET /audit` shows and no more.
 */
export function auditSubjectReadableSql(access: Access, alias: string, scopes: ScopeParams): string {
  const record = recordReadableSql(access, SUBJECTS, `${alias}.entity_kind`, `${alias}.entity_id`, () => scopes);
  return `((${alias}.action <> 'batch' AND ${record}) OR (${alias}.action = 'batch' AND ${batchReadableSql(access, alias)}))`;
}

function newestOf(date: Date): number {
  return NEWEST_MAX - date.getTime();
}

function statement(access: Access, query: AuditQuery): { sql: string; values: unknown[] } {
  const params = new Params();
  const scopes = scopeParams(access, params);
  const kinds = query.entityKind === undefined ? SUBJECTS : SUBJECTS.filter((e) => e.name === query.entityKind);
  // `is_deleted = false` (always so: entries are never deleted) lets the global log walk the
  // `is_deleted+newest` index newest first and stop at the LIMIT.
  const where: string[] = ['a.is_deleted = false', 'NOT a.sync_removed'];
  const author = scopeSql(auditLogEntity, 'a', readScope(access, auditLogEntity), scopes());
  if (author !== undefined) where.push(author);
  if (query.action) where.push(`a.action = ${params.add(query.action, 'text')}`);
  if (query.actorId) where.push(`a.actor_id = ${params.add(query.actorId, 'text')}`);
  // `newest` is the inverted time (NEWEST_MAX - ms): the last column of every audit index.
  if (query.from) where.push(`a.newest <= ${params.add(newestOf(query.from), 'bigint')}`);
  if (query.before) {
    const newest = params.add(newestOf(query.before), 'bigint');
    where.push(
      query.beforeId === undefined
        ? `a.newest > ${newest}`
        : `(a.newest > ${newest} OR (a.newest = ${newest} AND a.id < ${params.add(query.beforeId, 'text')}))`,
    );
  }
  let about: string;
  if (query.entityId !== undefined) {
    const id = params.add(query.entityId, 'text');
    const own = `(a.entity_id = ${id} AND a.action <> 'batch' AND ${recordReadableSql(access, kinds, 'a.entity_kind', 'a.entity_id', scopes)})`;
    // Batch entries that list the record: found through the `action+newest` index (few: one per
    // chunk of a bulk write), then their `records` searched.
    const listed = `(a.action = 'batch' AND EXISTS (SELECT 1 FROM jsonb_array_elements(a.records) AS r
      WHERE r->>'id' = ${id} AND ${recordReadableSql(access, kinds, "r->>'kind'", "r->>'id'", scopes)}))`;
    about = `(${own} OR ${listed})`;
  } else {
    const kindFilter =
      query.entityKind === undefined ? '' : ` AND a.entity_kind = ${params.add(query.entityKind, 'text')}`;
    const batch = `(a.action = 'batch'${kindFilter} AND ${batchReadableSql(access, 'a')})`;
    about = `((a.action <> 'batch' AND ${recordReadableSql(access, kinds, 'a.entity_kind', 'a.entity_id', scopes)}) OR ${batch})`;
  }
  where.push(about);
  const limit = params.add(query.limit + 1, 'int');
  const sql = `SELECT a.id, ${wireJsonSql(auditLogEntity, 'a')} AS doc
FROM ${quoted(auditLogEntity.table)} AS a
WHERE ${where.join('\n  AND ')}
ORDER BY a.newest, a.id DESC
LIMIT ${limit}`;
  return { sql, values: params.values };
}

export async function readAudit(db: Database, access: Access, query: AuditQuery): Promise<AuditPage> {
  if (readScope(access, auditLogEntity) === 'none') {
    throw new HttpError(403, 'your role may not read the audit log');
  }
  const { sql, values } = statement(access, query);
  // The scope's CASE holds a sub-query per entity kind, which Postgres prices high enough to JIT-compile
  // the statement: seconds of compiling for milliseconds of work (measured: 2.7 s of JIT, 13 ms of
  // execution over 100k entries). https://www.postgresql.org/docs/current/jit-decision.html
  const { rows } = await db.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    return tx.query<{ id: string; doc: string }>(sql, values);
  });
  const page = rows.slice(0, query.limit).map((row) => {
    const entry = JSON.parse(row.doc) as WireDoc;
    // A batch entry narrowed to the record's change: a record's trail shows no other record.
    return query.entityId === undefined ? entry : narrowBatchEntry(entry, new Set([query.entityId]));
  });
  const last = page[page.length - 1];
  const next =
    rows.length > query.limit && last !== undefined ? { before: String(last.at), beforeId: String(last.id) } : null;
  return { entries: page, next };
}
