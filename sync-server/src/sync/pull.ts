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
 * and the statement reads at most `limit` rows per table.
 */

const START = { txid: '0', id: '' };

const sqlCache = new Map<CollectionName, string>();

export function pullSql(collection: CollectionName): string {
  let sql = sqlCache.get(collection);
  if (sql === undefined) {
    const parts = tablesOf(collection).map(
      (entity) => `(SELECT '${entity.name}'::text AS kind, t.sync_txid AS cursor_txid, t.id, to_jsonb(t) AS doc
   FROM ${quoted(entity.table)} AS t
   WHERE (t.sync_txid, t.id) > ($1::text::xid8, $2::text)
     AND t.sync_txid < pg_snapshot_xmin(pg_current_snapshot())
   ORDER BY t.sync_txid, t.id
   LIMIT $3::int)`,
    );
    sql = `SELECT page.kind, page.cursor_txid::text AS txid, page.id, page.doc
FROM (
  ${parts.join('\n  UNION ALL\n  ')}
) AS page
ORDER BY page.cursor_txid, page.id
LIMIT $3::int`;
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
