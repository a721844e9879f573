import { NEWEST_MAX } from '../schema/define-entity';

export type AuditAction = 'insert' | 'update' | 'delete' | 'restore' | 'purge' | 'merge' | 'conflict';

/** `{ field: [before, after] }`; a missing side is null. */
export type FieldChanges = Record<string, [unknown, unknown]>;

export interface RecordChange {
  id: string;
  kind: string;
  action: AuditAction;
  changes: FieldChanges;
}

/** Bookkeeping that changes on every write and says nothing a reader of the trail needs. */
const IGNORED = new Set(['updatedAt', 'updatedBy', 'newest']);

function isInternal(key: string): boolean {
  return key.startsWith('_') || IGNORED.has(key);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function allFields(record: Record<string, unknown>, side: 0 | 1): FieldChanges {
  const changes: FieldChanges = {};
  for (const [key, value] of Object.entries(record)) {
    if (!isInternal(key) && value !== undefined) changes[key] = side === 0 ? [value, null] : [null, value];
  }
  return changes;
}

export interface DiffOptions {
  /** RxDB's write context, which tells a conflict merge from a user's update. */
  context?: string;
  /**
   * Leave an insert's values out of the entry. For bulk inserts: the values are the record's own
   * first state, which the record and the later entries' before-values rebuild (a removal always
   * keeps them), and copying them would double the bytes a 100k import writes.
   */
  omitInsertValues?: boolean;
}

/**
 * The field-level change between two states of a record (`previous` undefined for an insert,
 * `removed` for a hard removal). Returns undefined when nothing a reader cares about changed.
 */
export function diffRecord(
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
  removed: boolean,
  options: DiffOptions = {},
): RecordChange | undefined {
  const id = String(next.id);
  const kind = String(next.kind ?? previous?.kind ?? '');
  if (removed) return { id, kind, action: 'purge', changes: previous ? allFields(previous, 0) : {} };
  if (!previous) return { id, kind, action: 'insert', changes: options.omitInsertValues ? {} : allFields(next, 1) };
  const changes: FieldChanges = {};
  for (const key of new Set([...Object.keys(previous), ...Object.keys(next)])) {
    if (isInternal(key)) continue;
    if (!same(previous[key], next[key])) changes[key] = [previous[key] ?? null, next[key] ?? null];
  }
  if (Object.keys(changes).length === 0) return undefined;
  let action: AuditAction = options.context?.startsWith('replication-up-write-conflict') ? 'merge' : 'update';
  if (previous.isDeleted === false && next.isDeleted === true) action = 'delete';
  if (previous.isDeleted === true && next.isDeleted === false) action = 'restore';
  return { id, kind, action, changes };
}

export interface AuditStamp {
  id: string;
  at: Date;
  actorId: string;
  deviceId: string;
  collection: string;
}

/** Most record changes one batch entry holds, so no audit document grows without bound. */
export const AUDIT_BATCH_SIZE = 250;

/** The audit document for one or more record changes of a single write. */
export function auditEntry(stamp: AuditStamp, records: readonly RecordChange[]): Record<string, unknown> {
  const first = records[0];
  if (!first) throw new Error('auditEntry needs at least one record change');
  const at = stamp.at.toISOString();
  const single = records.length === 1;
  return {
    id: stamp.id,
    kind: 'auditLog',
    ownerId: stamp.actorId,
    createdAt: at,
    updatedAt: at,
    createdBy: stamp.actorId,
    updatedBy: stamp.actorId,
    isDeleted: false,
    newest: NEWEST_MAX - stamp.at.getTime(),
    at,
    actorId: stamp.actorId,
    deviceId: stamp.deviceId,
    source: 'local',
    action: single ? first.action : 'batch',
    collectionName: stamp.collection,
    entityKind: first.kind,
    entityId: first.id,
    recordCount: records.length,
    ...(single ? { changes: first.changes } : { records }),
  };
}

/**
 * A batch entry narrowed to the changes of the records in `ids`, so that one record's (or one
 * person's) trail shows no other record: its `records`, `recordCount`, and `entityId`/`entityKind`
 * of the first record left. Other entries come back as they are; a batch that lists none of them
 * comes back with no records (callers asked for entries that list them: see `listsAny`).
 */
export function narrowBatchEntry<T extends Record<string, unknown>>(entry: T, ids: ReadonlySet<string>): T {
  if (entry.action !== 'batch' || !Array.isArray(entry.records)) return entry;
  const records = (entry.records as Array<Record<string, unknown>>).filter((r) => ids.has(String(r.id)));
  const first = records[0];
  return {
    ...entry,
    records,
    recordCount: Math.max(1, records.length),
    ...(first ? { entityId: String(first.id), entityKind: String(first.kind) } : {}),
  };
}

/** Whether a batch entry lists a change of any record in `ids`. */
export function listsAny(entry: Readonly<Record<string, unknown>>, ids: ReadonlySet<string>): boolean {
  return (
    entry.action === 'batch' &&
    Array.isArray(entry.records) &&
    (entry.records as Array<Record<string, unknown>>).some((r) => ids.has(String(r.id)))
  );
}
