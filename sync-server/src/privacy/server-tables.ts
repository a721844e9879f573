import { ENTITIES } from '../../../src-shared/entities/registry';
import type { Queryable } from '../db/database';
import { quoted } from '../db/sync-schema';

/**
 * The server's own tables (job queues, run and delivery logs, e-mail sends…) copy record values
 * too. Erasure replaces each mention of the person in their text and jsonb columns by "[erased]"
 * with regexp_replace, so a jsonb value keeps its shape (a marker is a plain value inside one JSON
 * string; the replacement holds no quote) and the code reading these tables keeps working.
 * Left alone: the registry's tables (erased through the row writer), the audit trail (redacted with
 * the chain's consent), the erasure's own tables, credentials and schema bookkeeping.
 */

const SKIPPED = new Set([
  ...ENTITIES.filter((e) => e.storage === 'document').map((e) => e.table),
  'audit_log',
  'audit_chain_head',
  'audit_redactions',
  'erased_subjects',
  'erased_records',
  'schema_migrations',
  'sync_meta',
  'file_blobs',
  'user_credentials',
  'refresh_tokens',
]);

/** A marker as a case-insensitive regular expression matching it literally. */
function literal(marker: string): string {
  return marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function scrubServerTables(tx: Queryable, markers: readonly string[]): Promise<number> {
  if (markers.length === 0) return 0;
  const { rows: columns } = await tx.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns AS c
      JOIN information_schema.tables AS t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'jsonb', 'character varying')
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const pattern = markers.map(literal).join('|');
  let count = 0;
  for (const c of columns) {
    if (SKIPPED.has(c.table_name)) continue;
    const column = quoted(c.column_name);
    const asText = c.data_type === 'jsonb' ? `${column}::text` : column;
    const replaced = `regexp_replace(${asText}, $1, '[erased]', 'gi')`;
    const { rows } = await tx.query(
      `UPDATE ${quoted(c.table_name)} SET ${column} = ${c.data_type === 'jsonb' ? `(${replaced})::jsonb` : replaced}
        WHERE ${asText} ~* $1 RETURNING 1`,
      [pattern],
    );
    count += rows.length;
  }
  return count;
}
