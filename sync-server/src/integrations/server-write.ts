import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { type EntityDef, NEWEST_MAX, withDerived } from '../../../src-shared/schema/define-entity';
import { validateRecord } from '../../../src-shared/schema/validate';
import { enqueueRecordEvents } from '../automation/outbox';
import type { Queryable } from '../db/database';
import { insertRow, updateRow } from '../sync/row-writer';
import { serverAuditEntry } from '../sync/server-audit';
import { enqueueIntegrationEvents } from './webhook-outbox';

/**
 * A record written by the integrations (a captured lead, a tracked click, an email's status) the
 * way a pushed one is: validated against the registry, through the push's row writer (so devices
 * pull it), with a server audit entry naming who and why, and the automation and webhook outboxes
 * fed in the same transaction, so workflows (lead routing) and webhooks see it as any other write.
 */

type Doc = Record<string, unknown>;

/** A write the registry refuses, naming the field. */
export class IntegrationWriteError extends Error {
  override readonly name = 'IntegrationWriteError';
  constructor(
    readonly kind: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${kind}.${field} ${problem}`);
  }
}

export interface WriteStamp {
  actorId: string;
  /** Where the write came from, in the audit trail's device column ('lead-capture', 'tracking-link', 'email'). */
  deviceId: string;
  reason: string;
  now: Date;
  newId(): string;
}

/** The system fields of a record the server creates. */
export function createdFields(id: string, kind: string, ownerId: string, actorId: string, now: Date): Doc {
  const at = now.toISOString();
  return {
    id,
    kind,
    ownerId,
    createdAt: at,
    updatedAt: at,
    createdBy: actorId,
    updatedBy: actorId,
    isDeleted: false,
    newest: NEWEST_MAX - now.getTime(),
  };
}

export function checkRecord(entity: EntityDef, doc: Readonly<Doc>): void {
  const { _deleted, ...record } = doc;
  const problem = validateRecord(entity, record)[0];
  if (problem) throw new IntegrationWriteError(entity.name, problem.field, problem.problem);
}

/** Writes `after` (a new record when `before` is undefined); the writing transaction's txid. */
export async function writeAudited(
  tx: Queryable,
  entity: EntityDef,
  before: Readonly<Doc> | undefined,
  after: Doc,
  stamp: WriteStamp,
): Promise<string> {
  const next = withDerived(entity, { ...after, _deleted: false });
  checkRecord(entity, next);
  const txid = before === undefined ? await insertRow(tx, entity, next) : await updateRow(tx, entity, next);
  const entry = serverAuditEntry(
    { id: stamp.newId(), at: stamp.now, actorId: stamp.actorId, collection: entity.collection ?? entity.name },
    before,
    next,
  );
  await insertRow(tx, auditLogEntity, {
    ...entry,
    deviceId: stamp.deviceId,
    reason: stamp.reason.slice(0, 500),
    _deleted: false,
  });
  const write = [{ before, after: next }];
  await enqueueRecordEvents(tx, write, stamp.now);
  await enqueueIntegrationEvents(tx, write, stamp.now);
  return txid;
}
