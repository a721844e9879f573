import { randomUUID } from 'node:crypto';
import { getEntity } from '../../src-shared/entities/registry';
import { matchColumns } from '../../src-shared/import/column-mapping';
import { companyLookup, type ImportEntityName, indexExisting } from '../../src-shared/import/dedupe-keys';
import {
  columnOf,
  type ImportPlan,
  type ImportTable,
  type PlannedRow,
  planImport,
  type RowProblem,
} from '../../src-shared/import/import-plan';
import { userLookup } from '../../src-shared/import/owner-lookup';
import { type EntityDef, NEWEST_MAX, withDerived } from '../../src-shared/schema/define-entity';
import { type CustomFieldDef, validateRecord } from '../../src-shared/schema/validate';
import type { WireDoc } from '../../src-shared/sync/protocol';
import { loadAccess } from '../../sync-server/src/auth/access';
import type { Database, Queryable } from '../../sync-server/src/db/database';
import { quoted } from '../../sync-server/src/db/sync-schema';
import { push } from '../../sync-server/src/sync/push';
import { rowToWireDoc } from '../../sync-server/src/sync/row-codec';
import { resolveActor, type ServerActor } from './server-actor';
import { batchTagOf, recordImport } from './server-import-journal';

/**
 * An import into the sync server's database, for `npm run crm -- import`: the file is planned with
 * the devices' own code (column mapping, conversion, dedupe: src-shared/import), every record is
 * built and validated as a device's repository would (custom fields included), and written through
 * the server's push path as the `--as` user, so the writes are permission-checked, audited and
 * stamped with the sync cursor (devices pull them), each record whole or not at all.
 */

export interface ServerImportOptions {
  readonly entity: ImportEntityName;
  readonly table: ImportTable;
  readonly fileName: string;
  readonly asEmail?: string;
  readonly onDuplicate: 'update' | 'skip';
  readonly dryRun: boolean;
  /** Columns that match no field are left out instead of refusing the file. */
  readonly ignoreUnknownColumns: boolean;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** Records per push transaction. */
  readonly batchSize?: number;
}

export interface ServerImportResult {
  readonly actor: ServerActor;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
  /** Every problem, by row and column, in row order. */
  readonly problems: RowProblem[];
  /** Skipped rows and why (duplicates, existing records). */
  readonly skippedRows: { row: number; reason: string }[];
  /** Headers that match no field (left out with ignoreUnknownColumns). */
  readonly unmapped: string[];
  /** The import's batch, for `import undo <batchId>` (recorded only when something was written). */
  readonly batchId: string;
  readonly batchTag: string;
}

/** The file cannot be imported as it is (no row written): columns that match no field, no header. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
}

type Plain = Record<string, unknown>;

async function liveRecords(db: Queryable, entity: EntityDef): Promise<WireDoc[]> {
  const { rows } = await db.query<{ doc: Plain }>(
    `SELECT to_jsonb(t) AS doc FROM ${quoted(entity.table)} AS t WHERE NOT t.sync_removed AND NOT t.is_deleted`,
  );
  return rows.map((r) => rowToWireDoc(entity, r.doc));
}

async function customFieldDefs(db: Queryable, entity: EntityDef): Promise<CustomFieldDef[]> {
  if (!entity.customizable) return [];
  const defs = await liveRecords(db, getEntity('customField'));
  return defs.filter((d) => d.entityKind === entity.name) as unknown as CustomFieldDef[];
}

function stamped(entity: EntityDef, values: Plain, actorId: string, at: string, id: string): Plain {
  const doc: Plain = {};
  for (const [name, field] of Object.entries(entity.fields)) if (field.default !== undefined) doc[name] = field.default;
  Object.assign(doc, values, {
    id,
    kind: entity.name,
    ownerId: values.ownerId ?? actorId,
    createdAt: at,
    updatedAt: at,
    createdBy: actorId,
    updatedBy: actorId,
    isDeleted: false,
    newest: NEWEST_MAX - Date.parse(at),
  });
  return withDerived(entity, doc);
}

function updated(entity: EntityDef, current: Plain, values: Plain, actorId: string, at: string): Plain {
  const { _deleted, ...rest } = current;
  return withDerived(entity, { ...rest, ...values, updatedAt: at, updatedBy: actorId });
}

function failRow(row: PlannedRow, problems: RowProblem[]): void {
  row.action = 'error';
  row.problems.push(...problems);
}

/** A field-level problem of the finished record, named by the column it came from. */
function fieldProblem(table: ImportTable, mapping: readonly (string | undefined)[], row: number, entity: EntityDef) {
  return (p: { field: string; problem: string }): RowProblem => {
    const column = columnOf(table.headers, mapping, p.field);
    const label = entity.allFields[p.field]?.label ?? p.field;
    return { row, column, field: p.field, problem: column ? p.problem : `${label} ${p.problem} (no column gives it)` };
  };
}

interface Prepared {
  row: PlannedRow;
  doc: Plain;
  assumed?: Plain;
}

export async function importToServer(db: Database, options: ServerImportOptions): Promise<ServerImportResult> {
  const entity = getEntity(options.entity);
  const { table } = options;
  if (table.headers.length === 0) throw new ImportFileError(`${options.fileName} has no header row`);
  const actor = await resolveActor(db, options.asEmail);
  const access = await loadAccess(db, { userId: actor.id });
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => `imp_${randomUUID().replaceAll('-', '')}`);

  const customDefs = await customFieldDefs(db, entity);
  const users = userLookup(await liveRecords(db, getEntity('user')));
  const matches = matchColumns(table.headers, entity, customDefs);
  const unmapped = matches.filter((m) => m.field === undefined && m.header.trim() !== '').map((m) => m.header);
  if (unmapped.length > 0 && !options.ignoreUnknownColumns) {
    throw new ImportFileError(
      `column${unmapped.length > 1 ? 's' : ''} ${unmapped.map((h) => `"${h}"`).join(', ')} of ${options.fileName} ` +
        `match${unmapped.length > 1 ? '' : 'es'} no field of ${entity.label} ` +
        '(rename the header, or pass --ignore-unknown-columns to leave them out); nothing was imported',
    );
  }
  const mapping = matches.map((m) => m.field);
  const existingRecords = await liveRecords(db, entity);
  const byId = new Map(existingRecords.map((r) => [r.id, r as Plain]));
  const hasCompanyRef = Object.values(entity.fields).some((f) => f.type === 'ref' && f.ref === 'company');
  const stored = hasCompanyRef ? companyLookup(await liveRecords(db, getEntity('company'))) : () => undefined;
  // A company file may name a parent that a row of the same file creates: each row's id is chosen
  // up front, and a name the database does not know is looked up among the file's rows.
  const rowIds = table.rows.map(() => newId());
  const inFile = entity.name === 'company' ? fileCompanies(table, mapping, rowIds) : () => undefined;
  const findCompany = (text: string) => stored(text) ?? inFile(text);
  const source = entity.fields.source;
  const plan: ImportPlan = planImport(table, {
    entity,
    mapping,
    onDuplicate: options.onDuplicate,
    existing: indexExisting(entity.name, existingRecords),
    resolveRef: (ref, text) => (ref === 'company' ? findCompany(text) : ref === 'user' ? users(text) : undefined),
    defaults: source?.values?.includes('import') ? { source: 'import' } : {},
    customFields: customDefs,
  });

  const at = now().toISOString();
  const batchId = at.slice(0, 16).replace(/[-:T]/g, '') + newId().slice(-6);
  const tag = batchTagOf(batchId);
  const prepared: Prepared[] = [];
  for (const row of plan.rows) {
    if (row.action !== 'create' && row.action !== 'update') continue;
    const tags = [...new Set([...(Array.isArray(row.values.tags) ? (row.values.tags as string[]) : []), tag])];
    let doc: Plain;
    let assumed: Plain | undefined;
    if (row.action === 'create') {
      const id = rowIds[row.row - 2] ?? newId();
      doc = stamped(entity, { ...row.values, ...(entity.fields.tags ? { tags } : {}) }, actor.id, at, id);
    } else {
      const current = byId.get(row.existingId ?? '');
      if (!current) {
        failRow(row, [{ row: row.row, column: '', problem: 'the record to update no longer exists' }]);
        continue;
      }
      const values = { ...row.values };
      if (values.customFields) values.customFields = { ...(current.customFields as Plain), ...values.customFields };
      doc = updated(entity, current, values, actor.id, at);
      assumed = current;
    }
    const problems = validateRecord(entity, doc, { customFields: customDefs });
    if (problems.length > 0) failRow(row, problems.map(fieldProblem(table, mapping, row.row, entity)));
    else prepared.push({ row, doc, ...(assumed ? { assumed } : {}) });
  }

  refuseOrphans(entity, prepared, rowIds);
  if (!options.dryRun) {
    await write(db, entity, prepared, { access, actor, now, table, mapping });
    // Rows refused while writing became errors; what is left was written, and is what undo reverts.
    const done = prepared.filter((p) => p.row.action === 'create' || p.row.action === 'update');
    if (done.length > 0) {
      await recordImport(db, {
        entity,
        batchId,
        fileName: options.fileName,
        actorId: actor.id,
        at: new Date(at),
        created: done.filter((p) => p.row.action === 'create').map((p) => String(p.doc.id)),
        updated: done.flatMap((p) => (p.assumed ? [{ previous: p.assumed, next: p.doc }] : [])),
      });
    }
  }

  const count = (action: PlannedRow['action']) => plan.rows.filter((r) => r.action === action).length;
  return {
    actor,
    created: count('create'),
    updated: count('update'),
    skipped: count('skip'),
    failed: count('error'),
    problems: plan.rows.flatMap((r) => r.problems),
    skippedRows: plan.rows
      .filter((r) => r.action === 'skip' && r.reason !== undefined && r.reason !== 'empty row')
      .map((r) => ({ row: r.row, reason: r.reason ?? '' })),
    unmapped,
    batchId,
    batchTag: tag,
  };
}

/** The file's own companies by name and domain → the id their row will get. */
function fileCompanies(table: ImportTable, mapping: readonly (string | undefined)[], ids: readonly string[]) {
  const nameAt = mapping.indexOf('name');
  const domainAt = mapping.indexOf('domain');
  return companyLookup(
    table.rows.map((cells, i) => ({
      id: ids[i],
      ...(nameAt >= 0 ? { name: cells[nameAt] } : {}),
      ...(domainAt >= 0 ? { domain: cells[domainAt] } : {}),
    })),
  );
}

/** A row whose parent is a row of the file that is not being written would point at nothing: refused. */
function refuseOrphans(entity: EntityDef, prepared: Prepared[], rowIds: readonly string[]): void {
  if (entity.name !== 'company') return;
  const written = new Set(prepared.map((p) => String(p.doc.id)));
  const fileRow = new Map(rowIds.map((id, i) => [id, i + 2]));
  for (let i = prepared.length - 1; i >= 0; i--) {
    const { row, doc } = prepared[i] as Prepared;
    const parent = doc.parentCompanyId;
    const parentRow = typeof parent === 'string' ? fileRow.get(parent) : undefined;
    if (parentRow === undefined || written.has(String(parent))) continue;
    failRow(row, [
      { row: row.row, column: '', field: 'parentCompanyId', problem: `its parent (row ${parentRow}) is not imported` },
    ]);
    prepared.splice(i, 1);
  }
}

interface WriteContext {
  access: Awaited<ReturnType<typeof loadAccess>>;
  actor: ServerActor;
  now: () => Date;
  table: ImportTable;
  mapping: readonly (string | undefined)[];
}

/** Pushes the prepared records a batch at a time; a refused or conflicting record becomes its row's error. */
async function write(db: Database, entity: EntityDef, prepared: readonly Prepared[], context: WriteContext) {
  const collection = entity.collection;
  if (!collection) throw new Error(`${entity.name} is not stored as documents`);
  const size = 500;
  for (let start = 0; start < prepared.length; start += size) {
    const batch = prepared.slice(start, start + size);
    const result = await push(
      db,
      collection,
      {
        rows: batch.map((p) => ({
          newDocumentState: p.doc as WireDoc,
          ...(p.assumed ? { assumedMasterState: p.assumed as WireDoc } : {}),
        })),
      },
      {
        userId: context.actor.id,
        access: context.access,
        now: context.now,
        newId: () => `srv_${randomUUID().replaceAll('-', '')}`,
        warn: () => {},
      },
    );
    const byId = new Map(batch.map((p) => [String(p.doc.id), p.row]));
    for (const rejection of result.rejected) {
      const row = byId.get(rejection.id);
      if (!row) continue;
      const problem = fieldProblem(context.table, context.mapping, row.row, entity);
      failRow(row, [
        rejection.field === undefined
          ? { row: row.row, column: '', problem: rejection.reason }
          : problem({ field: rejection.field, problem: rejection.reason }),
      ]);
    }
    for (const conflict of result.conflicts) {
      const row = byId.get(conflict.id);
      if (row) {
        failRow(row, [
          { row: row.row, column: '', problem: 'the record changed on the server while importing; import again' },
        ]);
      }
    }
  }
}
