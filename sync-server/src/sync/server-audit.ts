import { auditEntry, diffRecord, type RecordChange } from '../../../src-shared/audit/audit-changes';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { validateRecord } from '../../../src-shared/schema/validate';

/** The device name of entries the server writes. */
export const SERVER_DEVICE = 'server';

export interface ServerAuditStamp {
  id: string;
  at: Date;
  actorId: string;
  collection: string;
}

/**
 * Entry shapes (actor, collection, kind, action) one batch has validated already. Entries of a shape
 * differ only in their id and time (the server's own generators), `entityId` (a validated record's id,
 * held to the same 40 characters) and `changes` (JSON of validated values), none of which the
 * validator can refuse once it accepted one of them; validating each cost ~20 µs a row (B5).
 */
export type CheckedShapes = Set<string>;

/**
 * The server's audit entry for one accepted write: `previous` is the row before (undefined if there
 * was none or it was a hard-removal tombstone), `next` the document written. Field-level changes
 * come from the same `diffRecord` the devices use, so both trails read alike.
 */
export function serverAuditEntry(
  stamp: ServerAuditStamp,
  previous: Readonly<Record<string, unknown>> | undefined,
  next: Readonly<Record<string, unknown>>,
  checked?: CheckedShapes,
): Record<string, unknown> {
  const removed = next._deleted === true;
  const change: RecordChange = diffRecord(previous, next, removed) ?? {
    // Only bookkeeping fields changed (updatedAt, newest): the row was still written, so say so.
    id: String(next.id),
    kind: String(next.kind),
    action: 'update',
    changes: {},
  };
  const entry = {
    ...auditEntry({ ...stamp, deviceId: SERVER_DEVICE }, [change]),
    source: 'server',
  };
  const shape = `${stamp.actorId}\u0000${stamp.collection}\u0000${change.kind}\u0000${change.action}`;
  if (checked?.has(shape)) return entry;
  const problems = validateRecord(auditLogEntity, entry);
  if (problems.length > 0) {
    // A bug of the server's, not the device's: refuse the write rather than store a bad entry.
    throw new Error(`server audit entry is invalid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
  }
  checked?.add(shape);
  return entry;
}

/**
 * The server's audit entry for a push it answered with a conflict: what the device proposed
 * against the current row (`changes`), nothing written. The device's merge arrives as a later write.
 */
export function conflictAuditEntry(
  stamp: ServerAuditStamp,
  current: Readonly<Record<string, unknown>>,
  proposed: Readonly<Record<string, unknown>>,
  checked?: CheckedShapes,
): Record<string, unknown> {
  return {
    ...serverAuditEntry(stamp, current._deleted === true ? undefined : current, proposed, checked),
    action: 'conflict',
    reason: 'the device changed an older state; the current state was returned for it to merge',
  };
}
