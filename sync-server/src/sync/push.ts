import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { workflowEntity } from '../../../src-shared/entities/work.entity';
import { type CollectionName, type EntityDef, withDerived } from '../../../src-shared/schema/define-entity';
import { validateRecord } from '../../../src-shared/schema/validate';
import type { PushRejection, PushRequest, PushResponse, PushRow, WireDoc } from '../../../src-shared/sync/protocol';
import { enqueueRecordEvents } from '../automation/outbox';
import { workflowWriteProblems } from '../automation/workflow-validation';
import type { Database, Queryable } from '../db/database';
import { dataColumnsOf, entityInCollection, tablesOf } from '../db/sync-schema';
import { enqueueIntegrationEvents } from '../integrations/webhook-outbox';
import { erasureGuard } from '../privacy/erasure-guard';
import { ErasedMeanwhile } from '../privacy/erasure-lock';
import { auditAuthorship } from './audit-authorship';
import { pushSizeCheck } from './document-size';
import {
  applyBatch,
  type BatchContext,
  type BatchItem,
  decideAudit,
  decideRecord,
  lockBatch,
  type Settled,
} from './push-batch';
import { resendRemoved } from './resend-removed';
import { fromDevice, nonCanonicalTimes } from './row-codec';
import { insertRow, kindHolding, selectForUpdate, updateRow } from './row-writer';
import { conflictAuditEntry, serverAuditEntry } from './server-audit';
import { authoredByCaller, heldByReason, writeGate } from './write-access';

/**
 * Push, set-based per batch (benchmark B5):
 * 1. every document is checked first; a refused one is named in `rejected` and never written (rule 6);
 * 2. the acceptable ones are applied in ONE transaction (`applyBatch`, push-batch.ts): their current
 *    rows locked (the lock sent first, the checks of 1. run while Postgres takes it), each decided in batch order, then written with one statement per table and their
 *    audit entries with one more, so rows, audit entries and cursor stamps commit together (rule 3);
 * 3. if that transaction fails (a value the database refuses, a constraint, a race lost three times),
 *    the batch falls back to one transaction per document, so one bad row never blocks the others.
 * Each of those transactions first waits out a running erasure and checks that nobody the batch
 * writes about was erased since the erasure guard looked; if someone was, the push starts over
 * with a fresh guard (privacy/erasure-lock.ts).
 *
 * Per document, against the current row (push-batch.ts `decideRecord`, used by both paths):
 * - the new state already is the current state → a replay: nothing written, no conflict (rule 2);
 * - a write the caller's role and scope do not allow → refused with the reason (write-access.ts);
 * - the assumed master state is missing or differs from the current state → conflict, the reply
 *   carries the current state for the device to merge;
 * - otherwise (or with no current row at all) → written.
 * The audit collection is insert-only: an entry that exists unchanged is a replay, a changed one
 * is refused.
 */

export interface PushContext extends BatchContext {
  /** Told when a batch falls back to one transaction per document; console.warn when absent. */
  warn?(details: Record<string, unknown>, message: string): void;
  /** MAX_DOCUMENT_BYTES (document-size.ts): a larger document is refused; 0 turns it off. */
  maxDocumentBytes?: number;
  /** The request body's size, when known: no document of a body within the limit is measured. */
  bodyBytes?: number;
}

export interface PushResult extends PushResponse {
  /** Documents written (replays and conflicts excluded). */
  written: number;
  /** The highest txid written, as a decimal string; '0' when nothing was. */
  txid: string;
}

/** A document the server refuses for good, with the field at fault. */
export class RejectedDocument extends Error {
  override readonly name = 'RejectedDocument';
  constructor(
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    super(field === undefined ? reason : `${field} ${reason}`);
  }
}

type Outcome = { kind: 'written'; txid: string } | { kind: 'unchanged' } | { kind: 'conflict'; current: WireDoc };

interface Checked {
  entity: EntityDef;
  doc: Record<string, unknown>;
  assumed: Record<string, unknown> | undefined;
}

function check(collection: CollectionName, row: PushRow): Checked {
  const sent = fromDevice(row.newDocumentState);
  const kind = String(sent.kind);
  const entity = entityInCollection(collection, kind);
  if (!entity) throw new RejectedDocument('kind', `"${kind}" is not stored in the ${collection} collection`);
  // Derived fields (a lead's scoreRank) are recomputed, never trusted: a device from before the
  // field sends none, and a wrong one would misplace the record in every device's index.
  const doc = withDerived(entity, sent);
  const { _deleted, ...record } = doc;
  const problems = validateRecord(entity, record);
  // A workflow's definition is data the registry cannot check: the automation's own rules.
  if (problems.length === 0 && entity === workflowEntity) problems.push(...workflowWriteProblems(doc));
  const first = problems[0];
  if (first) {
    const reason = problems.map((p) => `${p.field} ${p.problem}`).join('; ');
    throw new RejectedDocument(first.field, reason);
  }
  const [badTime] = nonCanonicalTimes(entity, record);
  if (badTime !== undefined) {
    throw new RejectedDocument(badTime, 'must be written as toISOString() does, e.g. 2026-01-31T09:30:00.000Z');
  }
  // Stamped too, so an older device's assumed state (without the field) still equals the row.
  const assumed =
    row.assumedMasterState === undefined ? undefined : withDerived(entity, fromDevice(row.assumedMasterState));
  return { entity, doc, assumed };
}

async function writeAuditEntry(tx: Queryable, entry: Record<string, unknown>): Promise<void> {
  await insertRow(tx, auditLogEntity, { ...entry, _deleted: false });
}

/** The batch's decision for one document, as the per-document path's outcome (a refusal thrown). */
function outcomeOf(decision: Settled | 'write'): Outcome | 'write' {
  if (decision === 'write') return 'write';
  if (decision.kind === 'rejected') throw new RejectedDocument(decision.rejection.field, decision.rejection.reason);
  if (decision.kind === 'written') throw new Error('a decision never says written');
  return decision;
}

async function applyAudit(tx: Queryable, checked: Checked, context: PushContext): Promise<Outcome> {
  const { entity, doc } = checked;
  const current = await selectForUpdate(tx, entity, String(doc.id));
  const gate = writeGate(context.access);
  const authorship = auditAuthorship(context.access, gate);
  await authorship.load(tx, [doc]);
  const outcome = outcomeOf(
    decideAudit(checked, current === undefined ? undefined : { entity, doc: current, stored: true }, gate, authorship),
  );
  if (outcome !== 'write') return outcome;
  return { kind: 'written', txid: await insertRow(tx, entity, doc) };
}

async function applyRecord(
  tx: Queryable,
  collection: CollectionName,
  sent: Checked,
  context: PushContext,
): Promise<Outcome> {
  const id = String(sent.doc.id);
  const current = await selectForUpdate(tx, sent.entity, id);
  const checked = authoredByCaller(context.access, sent, current !== undefined);
  const { entity, doc } = checked;
  const gate = writeGate(context.access);
  if (current === undefined) {
    const other = await kindHolding(
      tx,
      tablesOf(collection).filter((e) => e !== entity),
      id,
    );
    if (other !== undefined) throw new RejectedDocument('kind', await heldByReason(tx, gate, other, id));
  }
  await gate.load(tx, current === undefined ? [checked] : [checked, { entity, doc: current }]);
  const stamp = { id: context.newId(), at: context.now(), actorId: context.userId, collection };
  const outcome = outcomeOf(
    decideRecord(checked, current === undefined ? undefined : { entity, doc: current, stored: true }, gate),
  );
  if (outcome !== 'write') {
    if (outcome.kind === 'conflict' && current !== undefined) {
      await writeAuditEntry(tx, conflictAuditEntry(stamp, current, doc));
    }
    return outcome;
  }
  // With no row, whatever the device assumed (e.g. the server was restored from a backup): write it.
  const txid = current === undefined ? await insertRow(tx, entity, doc) : await updateRow(tx, entity, doc);
  const previous = current === undefined || current._deleted === true ? undefined : current;
  await writeAuditEntry(tx, serverAuditEntry(stamp, previous, doc));
  await enqueueRecordEvents(tx, [{ before: previous, after: doc }], stamp.at);
  await enqueueIntegrationEvents(tx, [{ before: previous, after: doc }], stamp.at);
  return { kind: 'written', txid };
}

/** SQLSTATEs worth another try: a concurrent insert of the same id, serialization failure, deadlock. */
const RETRYABLE = new Set(['23505', '40001', '40P01']);
const MAX_TRIES = 3;

interface PgError {
  code?: string;
  column?: string;
  message?: string;
}

function pgErrorOf(error: unknown): PgError {
  return typeof error === 'object' && error !== null ? (error as PgError) : {};
}

/** The field a database error names, e.g. a NOT NULL violation's column. */
function fieldOfColumn(entity: EntityDef, column: string | undefined): string | undefined {
  return column === undefined ? undefined : dataColumnsOf(entity).find((c) => c.column === column)?.name;
}

/** First in every push transaction: the erasure guard's re-check (erasure-guard.ts), if any. */
type Recheck = ((tx: Queryable) => Promise<void>) | undefined;

/** The per-document path: one transaction for one checked document, retried on a lost race. */
async function applyOne(
  db: Database,
  collection: CollectionName,
  checked: Checked,
  context: PushContext,
  recheck: Recheck,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await recheck?.(tx);
        return collection === 'audit'
          ? applyAudit(tx, checked, context)
          : applyRecord(tx, collection, checked, context);
      });
    } catch (error) {
      const pg = pgErrorOf(error);
      if (pg.code !== undefined && RETRYABLE.has(pg.code) && attempt < MAX_TRIES) continue;
      // Data exceptions (22) and integrity violations (23): the database refused this document's values.
      if (pg.code !== undefined && /^2[23]/.test(pg.code)) {
        throw new RejectedDocument(fieldOfColumn(checked.entity, pg.column), `refused by the database: ${pg.message}`);
      }
      throw error;
    }
  }
}

function rejectionOf(id: string, error: RejectedDocument): Settled {
  const rejection =
    error.field === undefined ? { id, reason: error.reason } : { id, field: error.field, reason: error.reason };
  return { kind: 'rejected', rejection };
}

/** The per-document path's shared state: its re-check, and whether one found a fresh erasure. */
interface Lanes {
  recheck: Recheck;
  erasedMeanwhile?: ErasedMeanwhile;
}

async function settle(
  db: Database,
  collection: CollectionName,
  checked: Checked,
  context: PushContext,
  lanes: Lanes,
): Promise<Settled> {
  try {
    return await applyOne(db, collection, checked, context, lanes.recheck);
  } catch (error) {
    if (error instanceof ErasedMeanwhile) {
      // Nothing of this document was written; the other lanes finish before the push starts over.
      lanes.erasedMeanwhile = error;
      return { kind: 'unchanged' };
    }
    if (!(error instanceof RejectedDocument)) throw error;
    return rejectionOf(String(checked.doc.id), error);
  }
}

/**
 * The fallback: documents as independent transactions, `db.parallelism` at a time (most of a
 * document's time is round trips). Rows with the same id stay in one lane, in batch order.
 */
async function perDocument(
  db: Database,
  collection: CollectionName,
  items: readonly Checked[],
  context: PushContext,
  shared: Lanes,
): Promise<Settled[]> {
  const lanes = new Map<string, number[]>();
  items.forEach((item, index) => {
    const id = String(item.doc.id);
    const lane = lanes.get(id);
    if (lane) lane.push(index);
    else lanes.set(id, [index]);
  });
  const queue = [...lanes.values()];
  const results: Settled[] = new Array(items.length);
  const worker = async () => {
    for (let lane = queue.shift(); lane !== undefined; lane = queue.shift()) {
      for (const index of lane) {
        const item = items[index];
        if (item) results[index] = await settle(db, collection, item, context, shared);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(db.parallelism, queue.length)) }, worker));
  return results;
}

/** An error of the batch's validation, which is no reason to fall back to one transaction per document. */
class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

/**
 * The batch in one transaction, retried on a lost race; undefined (after a warning) if it cannot
 * commit. `prepare` validates the batch (once, however many tries): it runs while Postgres locks the
 * rows of `ids`, the ids of every document sent, valid or not (a lock is all an invalid one gets).
 */
async function inOneTransaction(
  db: Database,
  collection: CollectionName,
  ids: readonly string[],
  prepare: () => readonly BatchItem[],
  context: PushContext,
  recheck: Recheck,
): Promise<Settled[] | undefined> {
  let items: readonly BatchItem[] | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await recheck?.(tx);
        const locking = lockBatch(tx, collection, ids);
        try {
          items = prepare();
        } catch (error) {
          await locking.catch(() => undefined);
          throw new CheckFailed('push: checking the batch failed', { cause: error });
        }
        return applyBatch(tx, collection, items, context, await locking);
      });
    } catch (error) {
      if (error instanceof CheckFailed) throw error.cause;
      if (error instanceof ErasedMeanwhile) throw error;
      const pg = pgErrorOf(error);
      if (pg.code !== undefined && RETRYABLE.has(pg.code) && attempt < MAX_TRIES) continue;
      const rows = items?.length ?? ids.length;
      const details = { collection, rows, code: pg.code, error: pg.message ?? String(error) };
      const message = 'push: the batch transaction failed; applying its documents one transaction each';
      if (context.warn) context.warn(details, message);
      else console.warn(message, details);
      return undefined;
    }
  }
}

/** Erasures that can commit between a push's guard and its transaction before it gives up. */
const MAX_GUARD_ROUNDS = 3;

export async function push(
  db: Database,
  collection: CollectionName,
  request: PushRequest,
  context: PushContext,
): Promise<PushResult> {
  for (let round = 1; ; round++) {
    try {
      return await pushOnce(db, collection, request, context);
    } catch (error) {
      if (!(error instanceof ErasedMeanwhile) || round >= MAX_GUARD_ROUNDS) throw error;
    }
  }
}

async function pushOnce(
  db: Database,
  collection: CollectionName,
  request: PushRequest,
  context: PushContext,
): Promise<PushResult> {
  const results: Settled[] = new Array(request.rows.length);
  const accepted: number[] = [];
  const items: Checked[] = [];
  // Writes that would bring an erased person back are refused for good (privacy/erasure-guard.ts).
  const guard = await erasureGuard(db, collection, request.rows, context);
  let checked = false;
  const tooLarge = pushSizeCheck(collection, context.maxDocumentBytes, context.bodyBytes);
  const prepare = () => {
    if (checked) return items;
    checked = true;
    request.rows.forEach((sent, index) => {
      const refusal = guard?.refused.get(index);
      if (refusal) {
        results[index] = { kind: 'rejected', rejection: refusal };
        return;
      }
      const row = guard?.replaced.get(index) ?? sent;
      const size = tooLarge?.(String(sent.newDocumentState.id), sent.newDocumentState);
      if (size !== undefined) {
        results[index] = { kind: 'rejected', rejection: { id: String(sent.newDocumentState.id), reason: size } };
        return;
      }
      try {
        items.push(check(collection, row));
        accepted.push(index);
      } catch (error) {
        if (!(error instanceof RejectedDocument)) throw error;
        results[index] = rejectionOf(row.newDocumentState.id, error);
      }
    });
    return items;
  };
  const ids = request.rows.map((row) => String(row.newDocumentState.id));
  const lanes: Lanes = { recheck: guard?.recheck };
  const settled =
    (await inOneTransaction(db, collection, ids, prepare, context, lanes.recheck)) ??
    (await perDocument(db, collection, prepare(), context, lanes));
  if (lanes.erasedMeanwhile) throw lanes.erasedMeanwhile;
  accepted.forEach((index, k) => {
    const outcome = settled[k];
    if (outcome) results[index] = outcome;
  });

  const conflicts: WireDoc[] = [];
  const rejected: PushRejection[] = [];
  // The erased rows the device is sent again (or tombstones of what it wrote about the person).
  const restamped = await guard?.afterwards();
  // Refused writes over removed rows: the tombstones again, so the devices drop their copies.
  const refusedRows =
    collection === 'audit'
      ? []
      : items.flatMap((item, k) =>
          settled[k]?.kind === 'rejected' ? [{ entity: item.entity, id: String(item.doc.id) }] : [],
        );
  const resent = await resendRemoved(db, refusedRows);
  let written = (restamped?.written ?? 0) + (resent?.written ?? 0);
  let txid = BigInt(restamped?.txid ?? '0');
  if (resent && BigInt(resent.txid) > txid) txid = BigInt(resent.txid);
  for (const result of results) {
    if (result.kind === 'written') {
      written++;
      if (BigInt(result.txid) > txid) txid = BigInt(result.txid);
    } else if (result.kind === 'conflict') conflicts.push(result.current);
    else if (result.kind === 'rejected') rejected.push(result.rejection);
  }
  return { conflicts, rejected, written, txid: txid.toString() };
}
