import { COLLECTION_ENTITIES, ENTITIES } from '../../../src-shared/entities/registry';
import type { CollectionName, EntityDef } from '../../../src-shared/schema/define-entity';
import { columnsOf, type ExtraColumn, indexNameOf, type PgColumn } from '../../../src-shared/schema/to-postgres';

/**
 * The replication columns the sync server adds to every entity table (DESIGN.md §4):
 * - `syncTxid`: the transaction that last wrote the row, the pull cursor. Every write sets it to
 *   `pg_current_xact_id()` explicitly (the default only covers rows inserted by hand).
 * - `syncRemoved`: RxDB's hard removal (`_deleted`), kept as a tombstone so pullers learn of it.
 * - `serverUpdatedAt`: when the server last wrote the row, for people and BI tools; never a cursor.
 */
export const SYNC_COLUMNS = [
  { name: 'syncTxid', pgType: 'xid8', notNull: true, default: 'pg_current_xact_id()' },
  { name: 'syncRemoved', pgType: 'boolean', notNull: true, default: 'false' },
  { name: 'serverUpdatedAt', pgType: 'timestamptz', notNull: true, default: 'now()' },
] as const satisfies readonly ExtraColumn[];

export const SYNC_OPTIONS = { extraColumns: SYNC_COLUMNS };

const SYNC_COLUMN_NAMES: ReadonlySet<string> = new Set(SYNC_COLUMNS.map((c) => c.name));

/** The columns holding a record's fields (the sync columns left out). */
export function dataColumnsOf(entity: EntityDef): PgColumn[] {
  return columnsOf(entity, SYNC_OPTIONS).filter((c) => !SYNC_COLUMN_NAMES.has(c.name));
}

/** `CREATE INDEX` on each table's pull cursor. */
export function cursorIndexes(registry: readonly EntityDef[] = ENTITIES): string[] {
  return registry
    .filter((e) => e.storage === 'document')
    .map(
      (e) =>
        `CREATE INDEX IF NOT EXISTS "${indexNameOf(e.table, ['sync_txid', 'id'])}" ON "${e.table}" (sync_txid, id)`,
    );
}

/** The entity tables behind a collection, in registry order. */
export function tablesOf(collection: CollectionName): EntityDef[] {
  return COLLECTION_ENTITIES[collection];
}

/** The entity of `kind` if it is stored in `collection`, else undefined. */
export function entityInCollection(collection: CollectionName, kind: string): EntityDef | undefined {
  return COLLECTION_ENTITIES[collection].find((e) => e.name === kind);
}

/** A table name quoted for SQL; names come from the registry, which `columnsOf` already checks. */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
