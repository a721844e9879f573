import { getEntity } from '../../../src-shared/entities/registry';
import type { CollectionName } from '../../../src-shared/schema/define-entity';
import type { PullRequest, PullResponse, SyncCheckpoint, WireDoc } from '../../../src-shared/sync/protocol';
import type { Queryable } from '../db/database';
import { currentEpoch } from '../db/migrate';
import { quoted, tablesOf } from '../db/sync-schema';
import { rowToWireDoc } from './row-codec';

/**
 * Pull: the changes after a checkpoint, in (txid, id) order, across every table of the collection.
 *
 * Only rows whose writing transaction is below `pg_snapshot_xmin(pg_current_snapshot())` are served:
 * every transaction with a lower id has ended, so no row can later appear behind the cursor. A row
 * stamped by a transaction still running (even one that began before rows already served) waits
 * until it commits or rolls back. A plain sequence or `updated_at` cursor skips such rows for good
 * (DESIGN.md §4; the concurrency test shows both). The price: one long transaction anywhere on the
 * cluster holds every puller at its xid until it ends; pulls then return short pages, never wrong ones.
 *
 * Each table's part is ordered and limited, so each is an index range scan on (sync_txid, id)
 * and the statement reads at most `limit` keys per table.
 */

const START = { txid: '0', id: '' };

const sqlCache = new Map<CollectionName, string>();

/**
 * Two steps in one statement (one snapshot): first the page's keys, each table's part an index
 * range on (sync_txid, id) reading keys only; then each page row's document by primary key. Building
 * documents after the LIMIT matters: with them in the first step, Postgres may build to_jsonb for
 * every row past the checkpoint before sorting (measured: 180 ms instead of 30 ms for 1,000 of 10,000).
 */
export function pullSql(collection: CollectionName): string {
  let sql = sqlCache.get(collection);
  if (sql === undefined) {
    const tables = tablesOf(collection);
    const keys = tables.map(
      (entity) => `(SELECT '${entity.name}'::text AS kind, t.sync_txid, t.id
    FROM ${quoted(entity.table)} AS t
    WHERE (t.sync_txid, t.id) > ($1::text::xid8, $2::text)
      AND t.sync_txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY t.sync_txid, t.id
    LIMIT $3::int)`,
    );
    const documents = tables.map(
      (entity) => `SELECT page.kind, page.sync_txid, page.id, to_jsonb(t) AS doc
  FROM page JOIN ${quoted(entity.table)} AS t ON t.id = page.id
  WHERE page.kind = '${entity.name}'`,
    );
    sql = `WITH page AS MATERIALIZED (
  SELECT keys.kind, keys.sync_txid, keys.id FROM (
    ${keys.join('\n    UNION ALL\n    ')}
  ) AS keys
  ORDER BY keys.sync_txid, keys.id
  LIMIT $3::int
)
SELECT rows.kind, rows.sync_txid::text AS txid, rows.id, rows.doc FROM (
  ${documents.join('\n  UNION ALL\n  ')}
) AS rows
ORDER BY rows.sync_txid, rows.id`;
    sqlCache.set(collection, sql);
  }
  return sql;
}

interface PullRow {
  kind: string;
  txid: string;
  id: string;
  doc: Record<string, unknown>;
}

/** Where to continue: the device's checkpoint if it names this database's epoch, else the beginning (rule 9). */
function startOf(checkpoint: SyncCheckpoint | null, epoch: string): { txid: string; id: string } {
  return checkpoint !== null && checkpoint.epoch === epoch ? { txid: checkpoint.txid, id: checkpoint.id } : START;
}

export async function pull(db: Queryable, collection: CollectionName, request: PullRequest): Promise<PullResponse> {
  const epoch = await currentEpoch(db);
  const from = startOf(request.checkpoint, epoch);
  const { rows } = await db.query<PullRow>(pullSql(collection), [from.txid, from.id, request.limit]);
  const documents: WireDoc[] = rows.map((row) => rowToWireDoc(getEntity(row.kind), row.doc));
  const last = rows.at(-1);
  const at = last === undefined ? from : { txid: last.txid, id: last.id };
  return { documents, checkpoint: { epoch, ...at } };
}
