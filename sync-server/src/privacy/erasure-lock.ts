import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { contactEntity } from '../../../src-shared/entities/contact.entity';
import { leadEntity } from '../../../src-shared/entities/lead.entity';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Queryable } from '../db/database';
import { HttpError } from '../http/errors';
import { PERSON_REFS } from './person-refs';

/**
 * The lock that orders erasures and pushes (sync-server/README.md, "Erasure"). The push's guard
 * (erasure-guard.ts) looks erased ids up before the push's transaction, so without it a push could
 * race an erasure two ways: its transaction commits a new note about the person after the erasure
 * read what references them, or it starts after the erasure committed but with the guard's stale
 * answer. Either way the note would stay, live, about an erased person.
 *
 * An erasure takes this transaction-level advisory lock exclusively, first; every push transaction
 * takes it shared, first, then looks the batch's ids up again (`erasedSince`). So an erasure waits
 * for the pushes in flight (and its plan then sees what they wrote), and a push that waited for an
 * erasure sees it committed. Pushes only share it: they never wait for each other.
 * Postgres queues a shared request behind a waiting exclusive one, so a stream of pushes cannot
 * starve an erasure. Key next to the migration's and bootstrap's (7_240_113, 7_240_114).
 *
 * Every other server write (public API, GraphQL, automation, lead capture, tracking, e-mail status…)
 * gets the same from the row writer (sync/row-writer.ts), so no path can forget it: its first read
 * for update or write of a record the erasure can touch takes the lock shared, and each write of a
 * record about people is refused (`refuseErasedWrites`) if its id or a person it references is
 * erased. Taken at the first locking read, before the transaction's row locks, so a writer never
 * holds a row the erasure wants while it waits for the lock. Writes that strip data (the erasure,
 * retention, the guard's re-sends) say `erasing` and may touch erased rows.
 */
export const ERASURE_LOCK = 7_240_115;

/**
 * Transactions holding the lock, so it is asked for once per transaction. A lock taken inside a
 * savepoint is released by ROLLBACK TO SAVEPOINT: code that uses savepoints takes it before the
 * first one (automation.service.ts).
 */
const holding = new WeakSet<Queryable>();
/** Push transactions whose documents the erasure guard looked up again under the lock. */
const guarded = new WeakSet<Queryable>();
/** Transactions on a database migrated only up to a schema without erasures (tests of migrations). */
const withoutErasures = new WeakSet<Queryable>();

/** A Database itself runs each statement in its own transaction: a transaction-level lock ends with it. */
function isTransaction(q: Queryable): boolean {
  return typeof (q as { transaction?: unknown }).transaction !== 'function';
}

/** For the erasure's transaction: waits until no push is in a transaction, and keeps new ones out. */
export async function lockForErasure(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [ERASURE_LOCK]);
  holding.add(tx);
}

/** For a write transaction, before its first row lock: waits while an erasure is running. */
export async function lockAgainstErasure(tx: Queryable): Promise<void> {
  if (holding.has(tx)) return;
  const { rows } = await tx.query<{ erasable: boolean }>(
    `SELECT pg_advisory_xact_lock_shared($1), to_regclass('erased_records') IS NOT NULL AS erasable`,
    [ERASURE_LOCK],
  );
  if (!isTransaction(tx)) return;
  holding.add(tx);
  if (rows[0]?.erasable === false) withoutErasures.add(tx);
}

/** The push path: its guard has looked the batch's ids and references up under the lock (erasure-guard.ts). */
export function markGuarded(tx: Queryable): void {
  guarded.add(tx);
}

/** Records the erasure can touch (erasure.service.ts: not the team, settings or the audit trail). */
export function erasureTouches(entity: EntityDef): boolean {
  return entity !== auditLogEntity && entity.collection !== 'users' && entity.collection !== 'settings';
}

/** Records that can be an erased person or be about one: contacts, leads and what references them. */
const ABOUT_PEOPLE: ReadonlySet<EntityDef> = new Set<EntityDef>([
  contactEntity as EntityDef,
  leadEntity as EntityDef,
  ...PERSON_REFS.map((r) => r.entity),
]);

/** A server write of an erased record, or of one about an erased person: refused for good. */
export class ErasedRecordWrite extends HttpError {
  constructor(
    readonly id: string,
    field: string,
    erasedAt: Date,
  ) {
    super(
      409,
      `${field}: the person this record is about was erased on ${erasedAt.toISOString()} (GDPR erasure); it cannot be written again`,
      field,
    );
  }
}

/**
 * In a transaction that took `lockAgainstErasure` (so in a statement after it): throws
 * ErasedRecordWrite for the first document whose id, or a person it references, is erased.
 * Skipped for the push (its guard refuses those documents one by one) and without erasure tables.
 */
export async function refuseErasedWrites(
  tx: Queryable,
  entity: EntityDef,
  docs: readonly Readonly<Record<string, unknown>>[],
): Promise<void> {
  if (!ABOUT_PEOPLE.has(entity) || guarded.has(tx) || withoutErasures.has(tx) || docs.length === 0) return;
  const refs = PERSON_REFS.filter((r) => r.entity === entity);
  const ids = new Set<string>();
  for (const doc of docs) {
    ids.add(String(doc.id));
    for (const r of refs) if (typeof doc[r.field] === 'string') ids.add(doc[r.field] as string);
  }
  const { rows } = await tx.query<{ id: string; erased_at: Date }>(
    `SELECT r.id, s.erased_at FROM erased_records AS r JOIN erased_subjects AS s ON s.id = r.subject_id
     WHERE r.id = ANY($1::text[])`,
    [[...ids]],
  );
  if (rows.length === 0) return;
  const erased = new Map(rows.map((r) => [r.id, r.erased_at]));
  for (const doc of docs) {
    const id = String(doc.id);
    const own = erased.get(id);
    if (own) throw new ErasedRecordWrite(id, 'id', own);
    for (const r of refs) {
      const at = typeof doc[r.field] === 'string' ? erased.get(doc[r.field] as string) : undefined;
      if (at) throw new ErasedRecordWrite(id, r.field, at);
    }
  }
}

/** Thrown inside a push's transaction when a person it writes about was erased since its guard ran. */
export class ErasedMeanwhile extends Error {
  override readonly name = 'ErasedMeanwhile';
  constructor(readonly ids: readonly string[]) {
    super(`erased while the push was being checked: ${ids.join(', ')}`);
  }
}

/**
 * After `lockAgainstErasure` (a statement of its own: in READ COMMITTED the next statement's
 * snapshot is taken after the lock was granted, so it sees an erasure that just committed):
 * throws ErasedMeanwhile if any of `ids` is erased now but was not when the guard looked.
 */
export async function erasedSince(tx: Queryable, ids: readonly string[], known: ReadonlySet<string>): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM erased_records WHERE id = ANY($1::text[])', [ids]);
  const fresh = rows.map((r) => r.id).filter((id) => !known.has(id));
  if (fresh.length > 0) throw new ErasedMeanwhile(fresh);
}
