import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { type PgColumn, toSnakeCase } from '../../../src-shared/schema/to-postgres';
import type { WireDoc } from '../../../src-shared/sync/protocol';
import { dataColumnsOf, SYNC_COLUMNS } from '../db/sync-schema';

/**
 * Rows ↔ wire documents. Rows are read as `to_jsonb(t)`, so every value arrives as JSON whatever the
 * driver (node-postgres and PGlite parse column types differently; jsonb both parse with JSON.parse),
 * and written with `jsonb_populate_record`, so a document crosses the boundary as one JSON value.
 *
 * The mapping must be the identity on valid documents, or a device's copy and the server's differ
 * and every later push conflicts. Three things Postgres would change are normalised here:
 * - timestamptz comes back as `2026-03-01T10:00:00+00:00`: printed as the devices store it,
 *   `toISOString()` (UTC, milliseconds). The push refuses any other spelling (see `nonCanonicalTimes`).
 * - an absent optional field is NULL: dropped again (absent, never null).
 * - `custom_fields` is NOT NULL DEFAULT '{}' in the registry's DDL: an empty map is read back as absent,
 *   and `sameDoc` counts `{}` and absent as equal.
 */

interface Codec {
  columns: PgColumn[];
  times: PgColumn[];
}

const codecs = new WeakMap<EntityDef, Codec>();

function codecOf(entity: EntityDef): Codec {
  let codec = codecs.get(entity);
  if (!codec) {
    const columns = dataColumnsOf(entity);
    codec = { columns, times: columns.filter((c) => c.pgType === 'timestamptz') };
    codecs.set(entity, codec);
  }
  return codec;
}

const CUSTOM_FIELDS = 'customFields';

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** A row as `to_jsonb(t)` gives it → the document devices store, with `_deleted` from the tombstone. */
export function rowToWireDoc(entity: EntityDef, row: Readonly<Record<string, unknown>>): WireDoc {
  const doc: Record<string, unknown> = {};
  for (const c of codecOf(entity).columns) {
    const value = row[c.column];
    if (value === null || value === undefined) continue;
    if (c.name === CUSTOM_FIELDS && isEmptyObject(value)) continue;
    doc[c.name] = c.pgType === 'timestamptz' ? new Date(value as string).toISOString() : value;
  }
  doc._deleted = row.sync_removed === true;
  return doc as WireDoc;
}

/**
 * A (validated) document → the JSON object `jsonb_populate_record` turns into the entity's row.
 * Only data columns and `sync_removed`; the server stamps the other sync columns itself.
 */
export function wireDocToRow(entity: EntityDef, doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of codecOf(entity).columns) {
    const value = doc[c.name];
    if (value !== null && value !== undefined) row[c.column] = value;
    else if (c.name === CUSTOM_FIELDS) row[c.column] = {};
  }
  row.sync_removed = doc._deleted === true;
  return row;
}

/** Keys RxDB or the server own: never taken from a device (rule 8). */
const SERVER_ONLY = new Set<string>([
  '_rev',
  '_meta',
  '_attachments',
  ...SYNC_COLUMNS.flatMap((c) => [c.name, toSnakeCase(c.name)]),
]);

/**
 * The document a device sent, less what the server owns, and with null fields dropped (on the
 * wire, absent and null are the same; in Postgres both are NULL). `_deleted` is kept.
 */
export function fromDevice(doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (SERVER_ONLY.has(key) || value === null || value === undefined) continue;
    clean[key] = value;
  }
  return clean;
}

/** Datetime fields a document spells otherwise than `toISOString()`: they would come back changed. */
export function nonCanonicalTimes(entity: EntityDef, doc: Readonly<Record<string, unknown>>): string[] {
  return codecOf(entity)
    .times.filter((c) => {
      const value = doc[c.name];
      if (typeof value !== 'string') return false;
      const time = Date.parse(value);
      return Number.isNaN(time) || new Date(time).toISOString() !== value;
    })
    .map((c) => c.name);
}

/** JSON with object keys sorted at every level: equal for documents equal up to key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

function comparable(doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const clean = fromDevice(doc);
  if (isEmptyObject(clean[CUSTOM_FIELDS])) delete clean[CUSTOM_FIELDS];
  clean._deleted = clean._deleted === true;
  return clean;
}

/** Whether two wire documents are the same state: deep-equal ignoring key order and server-only fields. */
export function sameDoc(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return canonicalJson(comparable(a)) === canonicalJson(comparable(b));
}
