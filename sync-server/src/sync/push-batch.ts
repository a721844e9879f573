import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import type { CollectionName, EntityDef } from '../../../src-shared/schema/define-entity';
import type { PushRejection, WireDoc } from '../../../src-shared/sync/protocol';
import type { Access } from '../auth/access';
import { enqueueRecordEvents } from '../automation/outbox';
import type { Queryable } from '../db/database';
import { tablesOf } from '../db/sync-schema';
import { enqueueIntegrationEvents, readListeners } from '../integrations/webhook-outbox';
import { type AuditAuthorship, auditAuthorship } from './audit-authorship';
import { sameDoc } from './row-codec';
import { insertRows, selectManyForUpdate, updateRows } from './row-writer';
import { type CheckedShapes, conflictAuditEntry, type ServerAuditStamp, serverAuditEntry } from './server-audit';
import { authoredByCaller, type WriteGate, writeGate } from './write-access';

/**
 * The set-based push of one batch, inside ONE transaction the caller opens (rule 3 holds for every
 * document of it at once: rows, audit entries and cursor stamps commit together):
 * 1. lock the current rows of the batch's ids, one `id = ANY($1) FOR UPDATE` per table of the collection
 *    (`lockBatch`, sent before the batch is validated so that both run at once);
 * 2. decide per document in JS, in batch order (a later row with the same id sees the earlier one's state);
 * 3. write the accepted documents' final states, one INSERT and one UPDATE per table, and all their
 *    server audit entries (and one per conflict found) in one INSERT.
 * The documents were validated before; what is decided here is permission (write-access.ts),
 * conflict, replay, kind and the audit collection's insert-only rule. Any database error fails the whole batch: the caller retries it or
 * falls back to one transaction per document.
 */

export interface BatchItem {
  entity: EntityDef;
  doc: Record<string, unknown>;
  assumed: Record<string, unknown> | undefined;
}

export type Settled =
  | { kind: 'written'; txid: string }
  | { kind: 'unchanged' }
  | { kind: 'conflict'; current: WireDoc }
  | { kind: 'rejected'; rejection: PushRejection };

export interface BatchContext {
  userId: string;
  /** What the caller may write and read (auth/access.ts). */
  access: Access;
  now(): Date;
  newId(): string;
}

/** Where an id stands during the batch: its table, its latest state, whether its row exists in the database. */
export interface IdState {
  entity: EntityDef;
  doc: Record<string, unknown>;
  stored: boolean;
}

function rejected(id: string, field: string | undefined, reason: string): Settled {
  return { kind: 'rejected', rejection: field === undefined ? { id, reason } : { id, field, reason } };
}

/** A refusal of the gate as the document's rejection. */
function refused(
  id: string,
  gate: WriteGate,
  entity: EntityDef,
  before: IdState['doc'] | undefined,
  after: IdState['doc'],
) {
  const decision = gate.mayWrite(entity, before, after);
  return decision.allowed ? undefined : rejected(id, decision.field, decision.reason);
}

/**
 * Decides one record document against the id's current state: a replay changes nothing; a write
 * the caller may not make is refused (before any conflict, so a conflict answer never carries a
 * record the caller may not see); a stale base is a conflict; the rest is written.
 */
export function decideRecord(item: BatchItem, state: IdState | undefined, gate: WriteGate): Settled | 'write' {
  const id = String(item.doc.id);
  if (state === undefined) return refused(id, gate, item.entity, undefined, item.doc) ?? 'write';
  if (state.entity !== item.entity) {
    // Named only to a caller who may see it: another team's id says no more than that it is taken.
    const reason = gate.mayRead(state.entity, state.doc)
      ? `record ${id} is a ${state.entity.name}; a record's kind never changes`
      : `id ${id} is taken`;
    return rejected(id, 'kind', reason);
  }
  if (sameDoc(item.doc, state.doc)) return { kind: 'unchanged' };
  const refusal = refused(id, gate, item.entity, state.doc, item.doc);
  if (refusal) return refusal;
  if (item.assumed === undefined || !sameDoc(item.assumed, state.doc)) {
    if (!gate.mayRead(state.entity, state.doc)) {
      return rejected(
        id,
        undefined,
        'the record has changed and is no longer visible to you; your change was not applied',
      );
    }
    return { kind: 'conflict', current: state.doc as WireDoc };
  }
  return 'write';
}

/**
 * The audit collection is insert-only: an entry that exists unchanged is a replay, a changed one is
 * refused; a new one must be the caller's own account of their writes (audit-authorship.ts).
 */
export function decideAudit(
  item: BatchItem,
  state: IdState | undefined,
  gate: WriteGate,
  authorship: AuditAuthorship,
): Settled | 'write' {
  const id = String(item.doc.id);
  if (state !== undefined) {
    if (sameDoc(item.doc, state.doc)) return { kind: 'unchanged' };
    return rejected(id, undefined, 'audit entries are immutable: this one exists with other values');
  }
  if (item.doc._deleted === true) return rejected(id, '_deleted', 'audit entries cannot be removed');
  const problem = authorship.problemOf(item.doc);
  if (problem) return rejected(id, problem.field, problem.reason);
  return refused(id, gate, item.entity, undefined, item.doc) ?? 'write';
}

async function insertAuditEntries(tx: Queryable, entries: readonly Record<string, unknown>[]): Promise<void> {
  if (entries.length === 0) return;
  const result = await insertRows(tx, auditLogEntity, entries);
  if (result.n !== entries.length) throw new Error(`audit_log: wrote ${result.n} of ${entries.length} entries`);
}

function stampOf(context: BatchContext, collection: CollectionName): ServerAuditStamp {
  return { id: context.newId(), at: context.now(), actorId: context.userId, collection };
}

/**
 * Locks the current rows of `ids` in every table of the collection, in id order so that two batches
 * sharing ids wait for each other instead of deadlocking; their states by id. The first statement
 * is sent before this returns, so the caller can validate the batch while Postgres locks.
 */
export async function lockBatch(
  tx: Queryable,
  collection: CollectionName,
  ids: readonly string[],
): Promise<Map<string, IdState>> {
  const sorted = [...new Set(ids)].sort();
  const states = new Map<string, IdState>();
  for (const entity of tablesOf(collection)) {
    for (const [id, doc] of await selectManyForUpdate(tx, entity, sorted)) {
      if (!states.has(id)) states.set(id, { entity, doc, stored: true });
    }
  }
  return states;
}

/**
 * Applies the batch in `tx`; one outcome per item, in order. `locked` holds the rows `lockBatch`
 * locked for (at least) the items' ids.
 */
export async function applyBatch(
  tx: Queryable,
  collection: CollectionName,
  items: readonly BatchItem[],
  context: BatchContext,
  locked: ReadonlyMap<string, IdState>,
): Promise<Settled[]> {
  if (items.length === 0) return [];
  const states = new Map<string, IdState>();
  for (const item of items) {
    const id = String(item.doc.id);
    const state = locked.get(id);
    if (state !== undefined) states.set(id, state);
  }

  const gate = writeGate(context.access);
  await gate.load(tx, [...items, ...[...states.values()].map((s) => ({ entity: s.entity, doc: s.doc }))]);

  const audit = collection === 'audit';
  const authorship = auditAuthorship(context.access, gate);
  if (audit)
    await authorship.load(
      tx,
      items.map((item) => item.doc),
    );
  const results: Settled[] = [];
  const writtenAt: number[] = [];
  // What each server audit entry records, in batch order; built once the row writes are on their way.
  const changes: (
    | { conflict: true; before: IdState['doc']; after: IdState['doc'] }
    | { conflict: false; before: IdState['doc'] | undefined; after: IdState['doc'] }
  )[] = [];
  for (const sent of items) {
    const id = String(sent.doc.id);
    const state = states.get(id);
    const item = audit ? sent : authoredByCaller(context.access, sent, state !== undefined);
    const decision = audit ? decideAudit(item, state, gate, authorship) : decideRecord(item, state, gate);
    if (decision !== 'write') {
      if (decision.kind === 'conflict' && state) changes.push({ before: state.doc, after: item.doc, conflict: true });
      results.push(decision);
      continue;
    }
    writtenAt.push(results.length);
    results.push({ kind: 'written', txid: '0' });
    if (!audit) {
      const before = state === undefined || state.doc._deleted === true ? undefined : state.doc;
      changes.push({ before, after: item.doc, conflict: false });
    }
    states.set(id, { entity: item.entity, doc: item.doc, stored: state?.stored ?? false });
  }

  // Each written id once, in its final state: a statement may not touch the same row twice.
  const finals = new Map<string, IdState>();
  for (const index of writtenAt) {
    const id = String(items[index]?.doc.id);
    const state = states.get(id);
    if (state) finals.set(id, state);
  }
  // One statement at a time on the transaction's connection (node-postgres deprecates queueing
  // them), but the first is sent before the audit entries are built, so JS builds them while
  // Postgres runs the row writes, most of the batch's time in the database.
  const writing = (async () => {
    let txid = '0';
    for (const entity of tablesOf(collection)) {
      const mine = [...finals.values()].filter((s) => s.entity === entity);
      for (const [stored, write] of [
        [false, insertRows],
        [true, updateRows],
      ] as const) {
        const docs = mine.filter((s) => s.stored === stored).map((s) => s.doc);
        if (docs.length === 0) continue;
        const result = await write(tx, entity, docs);
        if (result.n !== docs.length) {
          throw new Error(
            `${entity.table}: wrote ${result.n} of ${docs.length} rows; the batch is retried per document`,
          );
        }
        txid = result.txid;
      }
    }
    return txid;
  })();
  let entries: Record<string, unknown>[];
  try {
    const checked: CheckedShapes = new Set();
    entries = changes.map((change) => {
      const stamp = stampOf(context, collection);
      // No `_deleted`: the statement reads an absent one as false.
      return change.conflict
        ? conflictAuditEntry(stamp, change.before, change.after, checked)
        : serverAuditEntry(stamp, change.before, change.after, checked);
    });
  } catch (error) {
    // Let the writes already sent settle, so none rejects unobserved; the transaction rolls back.
    await writing.catch(() => undefined);
    throw error;
  }
  const txid = await writing;
  await insertAuditEntries(tx, entries);
  const writes = changes.filter((c) => !c.conflict);
  if (writes.length > 0) {
    const listeners = await readListeners(tx, writes);
    // The automation outbox, in the same transaction: a workflow run is never lost to a crash (automation/outbox.ts).
    await enqueueRecordEvents(tx, writes, context.now(), listeners.workflows);
    // Outgoing webhooks too: once per write the server makes, whichever device pushed it (integrations/webhook-outbox.ts).
    await enqueueIntegrationEvents(tx, writes, context.now(), listeners.webhooks);
  }
  for (const index of writtenAt) results[index] = { kind: 'written', txid };
  return results;
}
