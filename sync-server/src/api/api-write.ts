import { randomUUID } from 'node:crypto';
import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { workflowEntity } from '../../../src-shared/entities/work.entity';
import {
  type CollectionName,
  derivedFieldNames,
  type EntityDef,
  NEWEST_MAX,
  SYSTEM_FIELDS,
  withDerived,
} from '../../../src-shared/schema/define-entity';
import { validateRecord } from '../../../src-shared/schema/validate';
import { enqueueRecordEvents } from '../automation/outbox';
import { workflowWriteProblems } from '../automation/workflow-validation';
import type { Database, Queryable } from '../db/database';
import { tablesOf } from '../db/sync-schema';
import { HttpError } from '../http/errors';
import { enqueueIntegrationEvents } from '../integrations/webhook-outbox';
import { DEFAULT_MAX_DOCUMENT_BYTES, documentSizeProblem } from '../sync/document-size';
import { insertRow, kindHolding, selectForUpdate, updateRow } from '../sync/row-writer';
import { serverAuditEntry } from '../sync/server-audit';
import { heldByReason, writeGate } from '../sync/write-access';
import type { ApiCaller } from './api-access';
import { type ApiRecord, publicRecord } from './api-read';

/**
 * The public API's writes, through the same pieces as a device's push (push.ts `applyRecord`): the
 * registry's validation, write-access.ts's gate, row-writer.ts's statements stamping the cursor, a
 * server audit entry and the automation outbox, all in one transaction. So devices pull what a key
 * wrote, workflows fire on it, and the audit entry names the key (`deviceId: api-key:<id>`).
 * Deletes are soft (`isDeleted`), as in the app.
 */

export interface WriteContext {
  now: () => Date;
  newId: () => string;
  /** Told what committed, so that devices waiting on the stream pull it. */
  committed: (collection: CollectionName, txid: string) => void;
  /** MAX_DOCUMENT_BYTES (sync/document-size.ts); the default when absent, 0 turns it off. */
  maxDocumentBytes?: number;
}

export interface Written {
  record: ApiRecord;
  status: 200 | 201;
}

/** Fields a client never gives: the server stamps them (and `_deleted`, the replication flag). */
const STAMPED = new Set<string>([...SYSTEM_FIELDS, '_deleted']);

function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'the body must be a JSON object of the record’s fields');
  }
  return body as Record<string, unknown>;
}

/** Refuses fields the server sets or derives; unknown fields are refused by the registry's validation. */
function refuseStamped(entity: EntityDef, body: Record<string, unknown>): void {
  const derived = new Set(derivedFieldNames(entity));
  for (const key of Object.keys(body)) {
    if (STAMPED.has(key) || derived.has(key)) {
      throw new HttpError(400, `${key} is set by the server, not by the client`, key);
    }
  }
}

/** Datetimes as the devices store them (`toISOString()`), so a device's copy equals the row. */
function canonicalTimes(entity: EntityDef, record: Record<string, unknown>): Record<string, unknown> {
  const next = { ...record };
  for (const [name, field] of Object.entries(entity.allFields)) {
    const value = next[name];
    if (field.type !== 'datetime' || typeof value !== 'string') continue;
    const at = Date.parse(value);
    if (!Number.isNaN(at) && /^\d{4}-\d{2}-\d{2}T/.test(value)) next[name] = new Date(at).toISOString();
  }
  return next;
}

/** A record larger than the per-document limit, as the push refuses it: 413 naming collection, id and size. */
function checkSize(collection: CollectionName, record: Record<string, unknown>, context: WriteContext): void {
  const max = context.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const problem = documentSizeProblem(collection, String(record.id), record, max);
  if (problem !== undefined) throw new HttpError(413, problem);
}

function checkValid(entity: EntityDef, record: Record<string, unknown>): void {
  const problems = validateRecord(entity, record);
  if (problems.length === 0 && entity === workflowEntity) problems.push(...workflowWriteProblems(record));
  const first = problems[0];
  if (first) {
    throw new HttpError(422, problems.map((p) => `${p.field} ${p.problem}`).join('; '), first.field);
  }
}

async function audit(
  tx: Queryable,
  caller: ApiCaller,
  context: WriteContext,
  collection: CollectionName,
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
): Promise<void> {
  const stamp = { id: context.newId(), at: context.now(), actorId: caller.key.userId, collection };
  const entry = {
    ...serverAuditEntry(stamp, previous, next),
    deviceId: `api-key:${caller.key.id}`,
    reason: `public API, key "${caller.key.name}"`.slice(0, 500),
  };
  await insertRow(tx, auditLogEntity, { ...entry, _deleted: false });
  await enqueueRecordEvents(tx, [{ before: previous, after: next }], stamp.at);
  await enqueueIntegrationEvents(tx, [{ before: previous, after: next }], stamp.at);
}

function collectionOf(entity: EntityDef): CollectionName {
  if (entity.collection === undefined || entity === auditLogEntity) {
    throw new HttpError(405, `${entity.name} records cannot be written through the API`);
  }
  return entity.collection;
}

/** Creates a record from the client's fields; the id is the client's if given, else a new one. */
export async function createRecord(
  db: Database,
  entity: EntityDef,
  caller: ApiCaller,
  body: unknown,
  context: WriteContext,
): Promise<Written> {
  const collection = collectionOf(entity);
  const input = bodyOf(body);
  const { id: givenId, ...fields } = input;
  refuseStamped(entity, fields);
  const at = context.now();
  const defaults = Object.fromEntries(
    Object.entries(entity.fields).flatMap(([name, field]) =>
      field.default === undefined ? [] : [[name, field.default]],
    ),
  );
  const id = givenId ?? `api_${randomUUID().replaceAll('-', '')}`;
  const user = caller.key.userId;
  const record = withDerived(
    entity,
    canonicalTimes(entity, {
      ...defaults,
      ownerId: user,
      ...fields,
      id,
      kind: entity.name,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      createdBy: user,
      updatedBy: user,
      isDeleted: false,
      newest: NEWEST_MAX - at.getTime(),
    }),
  );
  checkValid(entity, record);
  checkSize(collection, record, context);
  const doc = { ...record, _deleted: false };
  const txid = await db.transaction(async (tx) => {
    if ((await selectForUpdate(tx, entity, String(id))) !== undefined) {
      throw new HttpError(409, `a ${entity.name} with id ${String(id)} exists already`, 'id');
    }
    const other = await kindHolding(
      tx,
      tablesOf(collection).filter((e) => e !== entity),
      String(id),
    );
    const gate = writeGate(caller.access);
    if (other !== undefined) throw new HttpError(409, await heldByReason(tx, gate, other, String(id)), 'id');
    await gate.load(tx, [{ entity, doc }]);
    refuseUnless(gate.mayWrite(entity, undefined, doc));
    const written = await insertRow(tx, entity, doc);
    await audit(tx, caller, context, collection, undefined, doc);
    return written;
  });
  context.committed(collection, txid);
  return { record: publicRecord(doc), status: 201 };
}

function refuseUnless(decision: { allowed: boolean; field?: string; reason?: string }): void {
  if (!decision.allowed) throw new HttpError(403, decision.reason ?? 'not allowed', decision.field);
}

/**
 * Changes a record: `change` turns the current record into the next (a patch, or the soft delete).
 * A record outside the key's read scope is answered 404, as if it did not exist.
 */
export async function changeRecord(
  db: Database,
  entity: EntityDef,
  caller: ApiCaller,
  id: string,
  change: (current: Record<string, unknown>) => Record<string, unknown>,
  context: WriteContext,
): Promise<Written> {
  const collection = collectionOf(entity);
  const { txid, doc } = await db.transaction(async (tx) => {
    const current = await selectForUpdate(tx, entity, id);
    const gate = writeGate(caller.access);
    if (current !== undefined) await gate.load(tx, [{ entity, doc: current }]);
    if (current === undefined || current._deleted === true || !gate.mayRead(entity, current)) {
      throw new HttpError(404, `no ${entity.name} ${id.slice(0, 60)}`, 'id');
    }
    const changed = change(current);
    // Deleting a deleted record again writes nothing (DELETE is idempotent).
    if (changed === current) return { txid: undefined, doc: current };
    const at = context.now();
    const next: Record<string, unknown> = withDerived(entity, {
      ...changed,
      updatedAt: at.toISOString(),
      updatedBy: caller.key.userId,
    });
    const { _deleted, ...record } = next;
    checkValid(entity, record);
    checkSize(collection, record, context);
    const after = { ...record, _deleted: false };
    await gate.load(tx, [{ entity, doc: after }]);
    refuseUnless(gate.mayWrite(entity, current, after));
    const written = await updateRow(tx, entity, after);
    await audit(tx, caller, context, collection, current, after);
    return { txid: written, doc: after };
  });
  if (txid !== undefined) context.committed(collection, txid);
  return { record: publicRecord(doc), status: 200 };
}

/** A patch's change: the given fields set, `null` clearing one. */
export function patchOf(
  entity: EntityDef,
  body: unknown,
): (current: Record<string, unknown>) => Record<string, unknown> {
  const patch = bodyOf(body);
  refuseStamped(entity, patch);
  if (Object.keys(patch).length === 0) throw new HttpError(400, 'the patch changes no field');
  return (current) => {
    const next: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(canonicalTimes(entity, patch))) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
    return next;
  };
}

/** The soft delete: the record stays, marked deleted, as the app deletes. */
export function softDelete(now: () => Date) {
  return (current: Record<string, unknown>) =>
    current.isDeleted === true ? current : { ...current, isDeleted: true, deletedAt: now().toISOString() };
}
