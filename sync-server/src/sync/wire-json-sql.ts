import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { dataColumnsOf, quoted } from '../db/sync-schema';

/**
 * The wire document of a row as JSON text, built by Postgres: what `rowToWireDoc` (row-codec.ts)
 * makes of `to_jsonb(row)`, without the server parsing every row and printing it again. A pull of
 * 1,000 rows then passes 1,000 strings through (B4, B11). Same rules as the codec:
 * - keys are the registry's field names; an absent (NULL) field is left out (`concat_ws` skips NULLs,
 *   and `'"key":' || NULL` is NULL), never written as null; nested nulls inside JSON fields stay;
 * - timestamptz is printed as `toISOString()` does (UTC, milliseconds);
 * - an empty `customFields` map is left out;
 * - `_deleted` is the tombstone flag, or true for a removal the pull serves (`removedSql`).
 * Values go through `to_json`, so strings are escaped by Postgres's JSON printer. A test compares
 * this with the codec on a document of every entity with every optional field.
 */

/** Postgres refuses calls with more than 100 arguments; `concat_ws` takes the separator plus these. */
const CHUNK = 60;

function valueSql(alias: string, column: string, pgType: string, name: string): string {
  const ref = `${alias}.${quoted(column)}`;
  if (pgType === 'timestamptz') return `to_json(to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
  if (name === 'customFields') return `to_json(NULLIF(${ref}, '{}'::jsonb))`;
  return `to_json(${ref})`;
}

/** SQL for the JSON text of the row `alias` of `entity`; `removedSql` is a boolean expression. */
export function wireJsonSql(entity: EntityDef, alias: string, removedSql = 'false'): string {
  const members = dataColumnsOf(entity).map(
    (c) => `'${JSON.stringify(c.name)}:' || ${valueSql(alias, c.column, c.pgType, c.name)}::text`,
  );
  members.push(`'"_deleted":' || CASE WHEN ${alias}.sync_removed OR ${removedSql} THEN 'true' ELSE 'false' END`);
  const chunks: string[] = [];
  for (let i = 0; i < members.length; i += CHUNK) {
    // An empty chunk must be NULL, not '', or the outer concat_ws would write a stray comma.
    chunks.push(`NULLIF(concat_ws(',', ${members.slice(i, i + CHUNK).join(', ')}), '')`);
  }
  return `'{' || concat_ws(',', ${chunks.join(', ')}) || '}'`;
}
