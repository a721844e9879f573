import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { WRITERS } from '../../src-main/services/export/export-service';
import { auditLogEntity } from '../../src-shared/entities/audit.entity';
import { getEntity, isEntityName } from '../../src-shared/entities/registry';
import { AUDIT_EXPORT_COLUMNS, exportAuditEntry } from '../../src-shared/export/export-audit';
import { exportRow, type NameLookup } from '../../src-shared/export/export-cells';
import {
  type ColumnSource,
  CUSTOM_PREFIX,
  ExportError,
  type ExportFormat,
  exportColumnsFor,
  isExportFormat,
} from '../../src-shared/export/export-columns';
import { EXPORT_CHUNK_ROWS, type ExportMeta } from '../../src-shared/export/export-meta';
import { type EntityDef, NEWEST_MAX } from '../../src-shared/schema/define-entity';
import { displayName } from '../../src-shared/schema/display-name';
import { type CustomFieldDef, validateRecord } from '../../src-shared/schema/validate';
import { readAudit } from '../../sync-server/src/audit/audit.service';
import { parseAuditQuery } from '../../sync-server/src/audit/audit-query';
import { type Access, loadAccess } from '../../sync-server/src/auth/access';
import type { Database, Queryable } from '../../sync-server/src/db/database';
import { dataColumnsOf, quoted } from '../../sync-server/src/db/sync-schema';
import { HttpError } from '../../sync-server/src/http/errors';
import { rowToWireDoc } from '../../sync-server/src/sync/row-codec';
import { insertRow } from '../../sync-server/src/sync/row-writer';
import { writeGate } from '../../sync-server/src/sync/write-access';
import { resolveActor, type ServerActor } from './server-actor';

/**
 * An export from the sync server's database, for `npm run crm -- export`: the records the `--as`
 * user may read, filtered by `field=value`, pages of rows by id through the same cells
 * (src-shared/export) and streaming file writers the desktop app uses (src-main/services/export),
 * into a hidden part file renamed over `--out` when complete. Audited like the app's exports.
 */

export interface ServerExportOptions {
  readonly entity: string;
  readonly format: ExportFormat;
  readonly out: string;
  /** `field=value` filters, all of which a record must meet. */
  readonly where: readonly string[];
  /** Fields to export, in order; default: the entity's declared fields, owner, created, custom fields. */
  readonly columns?: readonly string[];
  readonly asEmail?: string;
  readonly now?: () => Date;
  readonly pageSize?: number;
}

export interface ServerExportResult {
  readonly actor: ServerActor;
  readonly path: string;
  readonly rows: number;
}

type Plain = Record<string, unknown>;

async function customDefsOf(db: Queryable, entity: EntityDef): Promise<CustomFieldDef[]> {
  if (!entity.customizable) return [];
  const { rows } = await db.query<{ doc: Plain }>(
    `SELECT to_jsonb(t) AS doc FROM custom_fields t
      WHERE t.entity_kind = $1 AND t.active AND NOT t.is_deleted AND NOT t.sync_removed ORDER BY t.position, t.id`,
    [entity.name],
  );
  return rows.map((r) => rowToWireDoc(getEntity('customField'), r.doc) as unknown as CustomFieldDef);
}

export function defaultColumns(entity: EntityDef, defs: readonly CustomFieldDef[]): string[] {
  const declared = Object.entries(entity.fields)
    .filter(([, spec]) => spec.type !== 'json')
    .map(([name]) => name);
  return [...declared, 'ownerId', 'createdAt', ...defs.map((d) => `${CUSTOM_PREFIX}${d.key}`)];
}

interface Filter {
  readonly field: string;
  readonly column: string;
  readonly value: string;
}

/** `--where field=value` → a column to compare as text; an unknown field is refused by name. */
function filtersOf(entity: EntityDef, where: readonly string[]): Filter[] {
  const columns = new Map(dataColumnsOf(entity).map((c) => [c.name, c.column]));
  return where.map((clause) => {
    const at = clause.indexOf('=');
    if (at <= 0) throw new ExportError('--where', `"${clause}" is not field=value`);
    const field = clause.slice(0, at).trim();
    const column = columns.get(field);
    if (column === undefined || field === 'customFields')
      throw new ExportError(`--where ${field}`, `is not a field of ${entity.label}`);
    return { field, column, value: clause.slice(at + 1) };
  });
}

/** Names for reference cells (a company's name, an owner's), fetched per page for the ids on it. */
function referenceNames(db: Queryable, sources: readonly ColumnSource[]) {
  const refs = sources.filter((s) => s.field.type === 'ref' && s.field.ref !== undefined);
  const names = new Map<string, string>();
  const lookup: NameLookup = (entity, id) => names.get(`${entity}\u0000${id}`);
  async function load(records: readonly Plain[]) {
    const wanted = new Map<string, Set<string>>();
    for (const source of refs) {
      for (const record of records) {
        // A polymorphic reference (a note's or a task's record) names its entity in subjectType.
        const target = source.field.ref === '*' ? record.subjectType : source.field.ref;
        const id = record[source.column.key];
        if (typeof target !== 'string' || !isEntityName(target)) continue;
        if (typeof id === 'string' && !names.has(`${target}\u0000${id}`)) {
          const set = wanted.get(target) ?? new Set<string>();
          set.add(id);
          wanted.set(target, set);
        }
      }
    }
    for (const [target, ids] of wanted) {
      const entity = getEntity(target);
      const { rows } = await db.query<{ doc: Plain }>(
        `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} t WHERE t.id = ANY($1::text[])`,
        [[...ids]],
      );
      for (const row of rows) {
        const doc = rowToWireDoc(entity, row.doc);
        names.set(`${target}\u0000${doc.id}`, displayName(entity, doc));
      }
    }
  }
  return { lookup, load };
}

/**
 * The readable, live records of the entity matching the filters, a page at a time, newest first as
 * the app's lists show them: by `newest` (the inverted creation time every table has, and indexes
 * after is_deleted), then id, paged by that pair. By id alone, as before, a file's rows came in no
 * order a person could see (random ids).
 */
async function* pages(db: Queryable, entity: EntityDef, filters: readonly Filter[], access: Access, size: number) {
  const gate = writeGate(access);
  const conditions = filters.map((f, i) => `t.${quoted(f.column)}::text = $${i + 3}`);
  const sql = `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} t
    WHERE NOT t.sync_removed AND NOT t.is_deleted AND (t.newest, t.id) > ($1::bigint, $2::text)
    ${conditions.map((c) => `AND ${c}`).join(' ')}
    ORDER BY t.newest, t.id LIMIT ${size}`;
  let after: [string, string] = ['-1', ''];
  for (;;) {
    const { rows } = await db.query<{ doc: Plain }>(sql, [...after, ...filters.map((f) => f.value)]);
    if (rows.length === 0) return;
    const docs = rows.map((r) => rowToWireDoc(entity, r.doc) as Plain);
    const last = docs[docs.length - 1];
    after = [String(last?.newest), String(last?.id)];
    await gate.load(
      db,
      docs.map((doc) => ({ entity, doc })),
    );
    yield docs.filter((doc) => gate.mayRead(entity, doc));
    if (rows.length < size) return;
  }
}

/** The audit trail's pages cap (GET /audit's largest page). */
const AUDIT_PAGE_MAX = 500;

/**
 * `--where` for the audit trail: the filters of `GET /audit` (entityId, entityKind, action, actorId,
 * from, before), checked by the same parser, so a bad one is refused naming it.
 */
function auditFiltersOf(where: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const clause of where) {
    const at = clause.indexOf('=');
    if (at <= 0) throw new ExportError('--where', `"${clause}" is not field=value`);
    const field = clause.slice(0, at).trim();
    if (field === 'limit' || field === 'beforeId')
      throw new ExportError(`--where ${field}`, 'is not a filter of the audit log');
    if (field in params) throw new ExportError(`--where ${field}`, 'is given twice');
    params[field] = clause.slice(at + 1);
  }
  try {
    parseAuditQuery(params);
  } catch (error) {
    if (error instanceof HttpError) throw new ExportError(`--where ${error.field ?? ''}`.trim(), error.message);
    throw error;
  }
  return params;
}

/** The audit entries the actor may read (readAudit's scope), newest first, a page at a time. */
async function* auditPages(db: Database, params: Record<string, string>, access: Access, size: number) {
  let query = parseAuditQuery({ ...params, limit: String(Math.min(size, AUDIT_PAGE_MAX)) });
  for (;;) {
    const page = await readAudit(db, access, query);
    yield page.entries as Plain[];
    if (page.next === null) return;
    query = { ...query, before: new Date(page.next.before), beforeId: page.next.beforeId };
  }
}

/**
 * `--out` as the file to write, checked before any record is read: a missing folder or a folder
 * given as the file is named (it failed after the whole export, naming the hidden part file), an
 * extension of another format is refused (a PDF saved as x.csv), and a name without one gets the
 * format's, as the app's save dialog does.
 */
export function exportPath(out: string, format: ExportFormat): string {
  const given = resolve(out);
  const ext = extname(given).slice(1).toLowerCase();
  if (isExportFormat(ext) && ext !== format)
    throw new ExportError('--out', `ends in .${ext} but --format is ${format}`);
  const isFolder = (p: string) => existsSync(p) && statSync(p).isDirectory();
  if (isFolder(given)) throw new ExportError('--out', `${given} is a folder: name the file to write in it`);
  const path = ext === '' ? `${given}.${format}` : given;
  if (isFolder(path)) throw new ExportError('--out', `${path} is a folder: name the file to write in it`);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new ExportError('--out', `cannot write ${path}: the folder ${folder} does not exist`);
  return path;
}

/** A failure to open or write the part file, named by the file the user asked for. */
function writeFailure(path: string, error: Error): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'permission denied'
      : code === 'ENOSPC'
        ? 'the disk is full'
        : code === 'ENOENT'
          ? 'its folder does not exist'
          : error.message;
  return new Error(`cannot write ${path}: ${reason}`, { cause: error });
}

export async function exportFromServer(db: Database, options: ServerExportOptions): Promise<ServerExportResult> {
  const path = exportPath(options.out, options.format);
  const entity = getEntity(options.entity);
  if (!entity.collection) throw new ExportError('entity', `${entity.name} is not exported as records`);
  const actor = await resolveActor(db, options.asEmail);
  const access = await loadAccess(db, { userId: actor.id });
  const defs = await customDefsOf(db, entity);
  const sources = exportColumnsFor(
    entity,
    options.columns ?? (entity === auditLogEntity ? AUDIT_EXPORT_COLUMNS : defaultColumns(entity, defs)),
    defs,
  );
  const audit = entity === auditLogEntity;
  const auditParams = audit ? auditFiltersOf(options.where) : {};
  const filters: Filter[] = audit
    ? Object.entries(auditParams).map(([field, value]) => ({ field, column: field, value }))
    : filtersOf(entity, options.where);
  const now = options.now ?? (() => new Date());
  const exportedAt = now().toISOString();
  const meta: ExportMeta = {
    format: options.format,
    title: entity.plural,
    entity: entity.name,
    filters: filters.map((f) => ({ label: entity.allFields[f.field]?.label ?? f.field, value: f.value })),
    // Straight from the server: the data is as current as the server is.
    asOf: exportedAt,
    exportedAt,
    sections: [{ name: entity.plural, columns: sources.map((s) => s.column) }],
  };
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID()}.part`);
  const stream = createWriteStream(temp, { flags: 'wx' });
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = writeFailure(path, error);
  });
  const writer = WRITERS[options.format](stream, meta);
  const names = referenceNames(db, sources);
  let rows = 0;
  let firstId: string | undefined;
  try {
    // The file opens (or says why it cannot) before any record is read or written to it.
    if (stream.pending) await Promise.race([once(stream, 'open'), once(stream, 'close')]);
    if (failure) throw failure;
    const size = options.pageSize ?? EXPORT_CHUNK_ROWS;
    const source = audit ? auditPages(db, auditParams, access, size) : pages(db, entity, filters, access, size);
    for await (const page of source) {
      if (failure) throw failure;
      await names.load(page);
      firstId ??= page[0]?.id as string | undefined;
      await writer.write({ section: 0, rows: page.map((record) => exportRow(sources, record, names.lookup)) });
      rows += page.length;
    }
    await writer.end();
    if (failure) throw failure;
    await rename(temp, path).catch((error: Error) => {
      throw writeFailure(path, error);
    });
  } catch (error) {
    stream.destroy();
    await rm(temp, { force: true });
    // A write after the file failed throws its own error ("write after destroyed"): the cause is the file's.
    throw failure ?? error;
  }
  await auditExport(db, {
    entity,
    actor,
    at: now(),
    facts: { format: options.format, rows, firstId: firstId ?? 'none', filters: meta.filters },
  });
  return { actor, path, rows };
}

async function auditExport(
  db: Database,
  input: {
    entity: EntityDef;
    actor: ServerActor;
    at: Date;
    facts: { format: ExportFormat; rows: number; firstId: string; filters: ExportMeta['filters'] };
  },
): Promise<void> {
  const at = input.at.toISOString();
  const entry = {
    ...exportAuditEntry({
      format: input.facts.format,
      entity: input.entity.name,
      collectionName: input.entity.collection ?? input.entity.name,
      title: input.entity.plural,
      rowCount: input.facts.rows,
      firstId: input.facts.firstId,
      filters: input.facts.filters,
      at,
      actorId: input.actor.id,
      deviceId: 'server',
    }),
    id: `srv_${randomUUID().replaceAll('-', '')}`,
    kind: 'auditLog',
    ownerId: input.actor.id,
    createdAt: at,
    updatedAt: at,
    createdBy: input.actor.id,
    updatedBy: input.actor.id,
    isDeleted: false,
    newest: NEWEST_MAX - input.at.getTime(),
    source: 'server',
  };
  const problems = validateRecord(auditLogEntity, entry);
  if (problems.length > 0)
    throw new Error(`export audit entry is invalid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
  await db.transaction((tx) => insertRow(tx, auditLogEntity, { ...entry, _deleted: false }));
}
