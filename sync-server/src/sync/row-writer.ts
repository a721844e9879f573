import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { Queryable } from '../db/database';
import { dataColumnsOf, quoted } from '../db/sync-schema';
import { erasureTouches, lockAgainstErasure, refuseErasedWrites } from '../privacy/erasure-lock';
import { rowToWireDoc, wireDocToRow } from './row-codec';

/**
 * The SQL that reads and writes one entity row. Every write stamps `sync_txid` with the writing
 * transaction and `server_updated_at` with its time (rule 1: the server orders changes), and takes
 * the record's values from ONE jsonb parameter through `jsonb_populate_record`, so each column gets
 * its own type's input function and no value is formatted by hand.
 *
 * The `…Many` forms do the same for a whole push batch: one statement per table locks the batch's
 * current rows, one inserts the new rows and one updates the others, each taking a JSON array of the
 * wire documents themselves through `json_to_recordset`, whose column list names each field as the
 * document does and gives it its column's type (the same input functions `jsonb_populate_record`
 * uses). So a batch is sent as `JSON.stringify(docs)`, without first copying every document into
 * a row object keyed by column (B5: a copy per row and per audit entry). The mapping is
 * `wireDocToRow`'s: an absent field is NULL, an absent custom field map `{}`, `_deleted` the tombstone.
 *
 * Every locking read and write of a record an erasure can touch first takes the erasure lock shared
 * (once per transaction), and every write of a record about people is refused if it is erased or
 * references an erased person (privacy/erasure-lock.ts): so each server write path, the public
 * API, automation and lead capture included, is ordered against erasures without calling anything.
 */

/** A write that strips personal data (the erasure, retention, the erasure guard's re-sends) may touch erased records. */
export interface WriteOptions {
  erasing?: boolean;
}

async function beforeWrite(
  tx: Queryable,
  entity: EntityDef,
  docs: readonly Readonly<Record<string, unknown>>[],
  options: WriteOptions,
): Promise<void> {
  if (!erasureTouches(entity)) return;
  await lockAgainstErasure(tx);
  if (options.erasing !== true) await refuseErasedWrites(tx, entity, docs);
}

interface Statements {
  select: string;
  insert: string;
  update: string;
  selectMany: string;
  insertMany: string;
  updateMany: string;
}

const cache = new WeakMap<EntityDef, Statements>();

function statementsOf(entity: EntityDef): Statements {
  let statements = cache.get(entity);
  if (!statements) {
    const table = quoted(entity.table);
    const columns = [...dataColumnsOf(entity).map((c) => quoted(c.column)), 'sync_removed'];
    const record = `jsonb_populate_record(NULL::${table}, $1::text::jsonb) AS r`;
    const fields = dataColumnsOf(entity);
    const definition = [...fields.map((c) => `${quoted(c.name)} ${c.pgType}`), '"_deleted" boolean'].join(', ');
    // json, not jsonb: the batch is read once, field by field, without first being built into a
    // jsonb value (sorted keys, deduplicated) that is then taken apart again. Each field still goes
    // through its column type's input function, jsonb columns included (B5: ~20% of parsing a batch).
    const records = `json_to_recordset($1::text::json) AS r(${definition})`;
    const values = [
      ...fields.map((c) =>
        c.name === 'customFields' ? `COALESCE(r."customFields", '{}'::jsonb)` : `r.${quoted(c.name)}`,
      ),
      'COALESCE(r."_deleted", false)',
    ];
    statements = {
      // row_to_json, not to_jsonb: the same JSON values (each column through the same printer),
      // written straight as text instead of built as jsonb and printed again (B5: ~40% of the read).
      select: `SELECT row_to_json(t) AS doc FROM ${table} AS t WHERE t.id = $1 FOR UPDATE`,
      insert: `INSERT INTO ${table} (${columns.join(', ')}, sync_txid, server_updated_at)
SELECT ${columns.map((c) => `r.${c}`).join(', ')}, pg_current_xact_id(), now() FROM ${record}
RETURNING sync_txid::text AS txid`,
      update: `UPDATE ${table} AS t SET ${columns.map((c) => `${c} = r.${c}`).join(', ')},
  sync_txid = pg_current_xact_id(), server_updated_at = now()
FROM ${record} WHERE t.id = $2
RETURNING t.sync_txid::text AS txid`,
      // Locked in id order, so two batches sharing ids wait for each other instead of deadlocking.
      selectMany: `SELECT row_to_json(t) AS doc FROM ${table} AS t WHERE t.id = ANY($1::text[]) ORDER BY t.id FOR UPDATE`,
      insertMany: `WITH w AS (INSERT INTO ${table} (${columns.join(', ')}, sync_txid, server_updated_at)
SELECT ${values.join(', ')}, pg_current_xact_id(), now() FROM ${records}
RETURNING 1)
SELECT count(*)::int AS n, pg_current_xact_id()::text AS txid FROM w`,
      updateMany: `WITH w AS (UPDATE ${table} AS t SET ${columns.map((c, i) => `${c} = ${values[i]}`).join(', ')},
  sync_txid = pg_current_xact_id(), server_updated_at = now()
FROM ${records} WHERE t.id = r."id"
RETURNING 1)
SELECT count(*)::int AS n, pg_current_xact_id()::text AS txid FROM w`,
    };
    cache.set(entity, statements);
  }
  return statements;
}

/** The current row as a wire document, locked until the transaction ends; undefined if there is none. */
export async function selectForUpdate(
  tx: Queryable,
  entity: EntityDef,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  if (erasureTouches(entity)) await lockAgainstErasure(tx);
  const { rows } = await tx.query<{ doc: Record<string, unknown> }>(statementsOf(entity).select, [id]);
  const row = rows[0];
  return row === undefined ? undefined : rowToWireDoc(entity, row.doc);
}

/** Inserts the document's row; returns the txid it is stamped with. */
export async function insertRow(
  tx: Queryable,
  entity: EntityDef,
  doc: Readonly<Record<string, unknown>>,
  options: WriteOptions = {},
) {
  await beforeWrite(tx, entity, [doc], options);
  const { rows } = await tx.query<{ txid: string }>(statementsOf(entity).insert, [
    JSON.stringify(wireDocToRow(entity, doc)),
  ]);
  return rows[0]?.txid ?? '0';
}

/** Replaces the row's values with the document's; returns the txid it is stamped with. */
export async function updateRow(
  tx: Queryable,
  entity: EntityDef,
  doc: Readonly<Record<string, unknown>>,
  options: WriteOptions = {},
) {
  await beforeWrite(tx, entity, [doc], options);
  const { rows } = await tx.query<{ txid: string }>(statementsOf(entity).update, [
    JSON.stringify(wireDocToRow(entity, doc)),
    doc.id,
  ]);
  return rows[0]?.txid ?? '0';
}

/** Which other table of the collection already holds `id` (a record's kind never changes). */
export async function kindHolding(
  tx: Queryable,
  others: readonly EntityDef[],
  id: string,
): Promise<string | undefined> {
  if (others.length === 0) return undefined;
  const sql = others
    .map((e) => `SELECT '${e.name}'::text AS kind FROM ${quoted(e.table)} WHERE id = $1`)
    .join(' UNION ALL ');
  const { rows } = await tx.query<{ kind: string }>(`${sql} LIMIT 1`, [id]);
  return rows[0]?.kind;
}

/** The current rows of `ids` as wire documents by id, locked until the transaction ends. */
export async function selectManyForUpdate(
  tx: Queryable,
  entity: EntityDef,
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  if (ids.length === 0) return found;
  if (erasureTouches(entity)) await lockAgainstErasure(tx);
  const { rows } = await tx.query<{ doc: Record<string, unknown> }>(statementsOf(entity).selectMany, [ids]);
  for (const row of rows) {
    const doc = rowToWireDoc(entity, row.doc);
    found.set(doc.id, doc);
  }
  return found;
}

async function writeMany(
  tx: Queryable,
  entity: EntityDef,
  sql: string,
  docs: readonly Readonly<Record<string, unknown>>[],
): Promise<{ n: number; txid: string }> {
  if (docs.length === 0) return { n: 0, txid: '0' };
  await beforeWrite(tx, entity, docs, {});
  const { rows } = await tx.query<{ n: number; txid: string }>(sql, [JSON.stringify(docs)]);
  return rows[0] ?? { n: 0, txid: '0' };
}

/**
 * Inserts the documents' rows in one statement; returns how many were inserted. No ON CONFLICT:
 * a row another transaction inserted since the batch looked must fail the batch (23505, retried),
 * never be overwritten without a conflict check.
 */
export function insertRows(tx: Queryable, entity: EntityDef, docs: readonly Readonly<Record<string, unknown>>[]) {
  return writeMany(tx, entity, statementsOf(entity).insertMany, docs);
}

/** Replaces the rows of the documents' ids (locked beforehand) in one statement; returns how many and the txid. */
export function updateRows(tx: Queryable, entity: EntityDef, docs: readonly Readonly<Record<string, unknown>>[]) {
  return writeMany(tx, entity, statementsOf(entity).updateMany, docs);
}
