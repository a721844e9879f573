import { type CollectionName, type EntityDef, withDerived } from '../../../src-shared/schema/define-entity';
import { validateRecord } from '../../../src-shared/schema/validate';
import type { PushRejection, PushRow } from '../../../src-shared/sync/protocol';
import type { Database, Queryable } from '../db/database';
import { entityInCollection } from '../db/sync-schema';
import { insertRow, selectForUpdate, updateRow } from '../sync/row-writer';
import { erasedSince, lockAgainstErasure, markGuarded } from './erasure-lock';
import { redactedChanges, redactedRecords, removed } from './erasure-plan';
import { PERSON_REFS } from './subject';

/**
 * The push path's guard against bringing an erased person back (sync-server/README.md, "Erasure").
 * Before a batch is checked, its ids and the person references of its documents are looked up in
 * `erased_records` (one indexed query per batch). A document that is an erased record (an old
 * offline edit, a re-create with the same id) or that references an erased person (a note written
 * offline about them) is refused for good with the reason; the device sets it aside (rule 6).
 *
 * The device must also lose its local copy. RxDB counts a refused row as pushed, so the copy stays
 * unless a pull brings something newer. So after the batch, the guard writes for each refused id:
 * the erased row again, unchanged but with a new txid, so the device's next pull overwrites its edit
 * with the anonymised state; or, for a record the server never had, a stripped tombstone (and the id
 * joins erased_records), so the device's pull removes it.
 * Audit entries about erased records are not refused: the attempt is worth keeping, so they are
 * stored with their values redacted.
 *
 * The look-up runs before the push's transaction, so an erasure can commit in between: every push
 * transaction calls `recheck` first, which waits out a running erasure (erasure-lock.ts) and throws
 * ErasedMeanwhile if one of the ids looked up was erased since; the push then runs the guard again.
 */

export interface ErasureGuard {
  refused: ReadonlyMap<number, PushRejection>;
  /** The rows to check instead of the sent ones (audit entries redacted), by index. */
  replaced: ReadonlyMap<number, PushRow>;
  /** Writes the refused ids' current or tombstone states; the highest txid and how many, or undefined. */
  afterwards(): Promise<{ txid: string; written: number } | undefined>;
  /** First thing in each of the push's transactions: throws ErasedMeanwhile if the look-up is stale. */
  recheck(tx: Queryable): Promise<void>;
}

interface ErasedRow {
  id: string;
  erased_at: Date;
}

const LOOKUP = `SELECT r.id, s.erased_at FROM erased_records AS r JOIN erased_subjects AS s ON s.id = r.subject_id
WHERE r.id = ANY($1::text[])`;

function refsOf(entity: EntityDef | undefined, doc: Readonly<Record<string, unknown>>): [string, string][] {
  if (entity === undefined) return [];
  return PERSON_REFS.filter((r) => r.entity === entity)
    .map((r) => [r.field, doc[r.field]] as const)
    .filter((pair): pair is readonly [string, string] => typeof pair[1] === 'string')
    .map(([field, value]) => [field, value]);
}

/** Fields that can name a person: an entry whose changes set one to an erased id is about them. */
const REF_FIELDS = new Set(PERSON_REFS.map((r) => r.field));

function refValues(changes: unknown): string[] {
  if (typeof changes !== 'object' || changes === null) return [];
  return Object.entries(changes)
    .filter(([field]) => REF_FIELDS.has(field))
    .flatMap(([, pair]) => (Array.isArray(pair) ? pair : [pair]))
    .filter((v): v is string => typeof v === 'string');
}

/** The records an audit entry is about: its own, a batch's, and the people its changes point at. */
function auditIds(doc: Readonly<Record<string, unknown>>): string[] {
  const ids = [String(doc.entityId ?? ''), ...refValues(doc.changes)];
  if (Array.isArray(doc.records)) {
    for (const r of doc.records) {
      const record = (r ?? {}) as { id?: unknown; changes?: unknown };
      ids.push(String(record.id ?? ''), ...refValues(record.changes));
    }
  }
  return ids;
}

/** The erased ones of `ids`; undefined on a database migrated only up to a schema without erasures. */
async function lookUp(db: Database, ids: readonly string[]): Promise<ErasedRow[] | undefined> {
  try {
    return (await db.query<ErasedRow>(LOOKUP, [ids])).rows;
  } catch (error) {
    // Tests of earlier migrations: no erasures, and nothing for a transaction to look up again.
    if ((error as { code?: unknown }).code === '42P01') return undefined;
    throw error;
  }
}

function reasonOf(row: ErasedRow): string {
  return `the person this record is about was erased on ${row.erased_at.toISOString()} (GDPR erasure); it cannot be written again`;
}

export async function erasureGuard(
  db: Database,
  collection: CollectionName,
  rows: readonly PushRow[],
  context: { userId: string; now(): Date },
): Promise<ErasureGuard | undefined> {
  const audit = collection === 'audit';
  const wanted = new Set<string>();
  for (const row of rows) {
    const doc = row.newDocumentState as Record<string, unknown>;
    if (audit) for (const id of auditIds(doc)) wanted.add(id);
    else {
      wanted.add(String(doc.id));
      for (const [, id] of refsOf(entityInCollection(collection, String(doc.kind)), doc)) wanted.add(id);
    }
  }
  const found = await lookUp(db, [...wanted]);
  if (found === undefined) return undefined;
  const erased = new Map(found.map((r) => [r.id, r]));
  const ids = [...wanted];
  const recheck = async (tx: Queryable) => {
    await lockAgainstErasure(tx);
    await erasedSince(tx, ids, new Set(erased.keys()));
    markGuarded(tx);
  };
  if (found.length === 0)
    return { refused: new Map(), replaced: new Map(), afterwards: async () => undefined, recheck };
  const refused = new Map<number, PushRejection>();
  const replaced = new Map<number, PushRow>();
  const followUps: { entity: EntityDef; doc: Record<string, unknown>; subjectId: string }[] = [];
  rows.forEach((row, index) => {
    const doc = row.newDocumentState as Record<string, unknown>;
    if (audit) {
      const ids = new Set(auditIds(doc).filter((id) => erased.has(id)));
      if (ids.size === 0) return;
      const whole = ids.has(String(doc.entityId)) || refValues(doc.changes).some((id) => ids.has(id));
      const next = { ...doc } as Record<string, unknown>;
      if (next.changes !== undefined) next.changes = redactedChanges(next.changes, whole, []);
      if (Array.isArray(next.records)) {
        const about = new Set(ids);
        for (const r of next.records as { id?: unknown; changes?: unknown }[]) {
          if (refValues(r?.changes).some((id) => erased.has(id))) about.add(String(r?.id));
        }
        next.records = redactedRecords(next.records, about, []);
      }
      replaced.set(index, { newDocumentState: next as PushRow['newDocumentState'] });
      return;
    }
    const entity = entityInCollection(collection, String(doc.kind));
    const own = erased.get(String(doc.id));
    const ref = refsOf(entity, doc).find(([, id]) => erased.has(id));
    const hit = own ?? (ref ? erased.get(ref[1]) : undefined);
    if (hit === undefined) return;
    const field = own ? 'id' : ref?.[0];
    refused.set(index, { id: String(doc.id), ...(field ? { field } : {}), reason: reasonOf(hit) });
    if (entity) followUps.push({ entity, doc, subjectId: own ? String(doc.id) : (ref?.[1] ?? '') });
  });
  return {
    refused,
    replaced,
    afterwards: () => settle(db, followUps, context),
    recheck,
  };
}

async function settle(
  db: Database,
  followUps: readonly { entity: EntityDef; doc: Record<string, unknown>; subjectId: string }[],
  context: { userId: string; now(): Date },
): Promise<{ txid: string; written: number } | undefined> {
  if (followUps.length === 0) return undefined;
  return db.transaction(async (tx) => {
    let txid = '0';
    let written = 0;
    const stamp = { at: context.now().toISOString(), by: context.userId };
    for (const { entity, doc, subjectId } of followUps) {
      const current = await selectForUpdate(tx, entity, String(doc.id));
      if (current !== undefined) {
        txid = await updateRow(tx, entity, current, { erasing: true });
        written++;
        continue;
      }
      const tombstone = withDerived(entity, removed(entity, doc, stamp));
      const { _deleted, ...record } = tombstone;
      if (validateRecord(entity, record).length > 0) continue;
      txid = await insertRow(tx, entity, tombstone, { erasing: true });
      written++;
      const subject = await tx.query<{ subject_id: string }>('SELECT subject_id FROM erased_records WHERE id = $1', [
        subjectId,
      ]);
      await tx.query(
        'INSERT INTO erased_records (id, kind, subject_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
        [doc.id, entity.name, subject.rows[0]?.subject_id ?? subjectId],
      );
    }
    return { txid, written };
  });
}

/** For tests and the export: whether an id is an erased record. */
export async function isErased(db: Database, id: string): Promise<boolean> {
  const { rows } = await db.query(LOOKUP, [[id]]);
  return rows.length > 0;
}
