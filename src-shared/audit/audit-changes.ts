import { NEWEST_MAX } from '../schema/define-entity';

export type AuditAction = 'insert' | 'update' | 'delete' | 'restore' | 'purge' | 'merge';

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

/**
 * The field-level change between two states of a record (`previous` undefined for an insert,
 * `removed` for a hard removal). Returns undefined when nothing a reader cares about changed.
 */
export function diffRecord(
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
  removed: boolean,
  context?: string,
): RecordChange | undefined {
  const id = String(next.id);
  const kind = String(next.kind ?? previous?.kind ?? '');
  if (removed) return { id, kind, action: 'purge', changes: {} };
  const changes: FieldChanges = {};
  if (!previous) {
    for (const [key, value] of Object.entries(next)) {
      if (!isInternal(key) && value !== undefined) changes[key] = [null, value];
    }
    return { id, kind, action: 'insert', changes };
  }
  for (const key of new Set([...Object.keys(previous), ...Object.keys(next)])) {
    if (isInternal(key)) continue;
    if (!same(previous[key], next[key])) changes[key] = [previous[key] ?? null, next[key] ?? null];
  }
  if (Object.keys(changes).length === 0) return undefined;
  let action: AuditAction = context?.startsWith('replication-up-write-conflict') ? 'merge' : 'update';
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
