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

/** A row as `to_jsonb(t)` or `row_to_json(t)` gives it (the same values) → the document devices store, with `_deleted` from the tombstone. */
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

function strippedOnArrival(key: string, value: unknown): boolean {
  return value === null || value === undefined || SERVER_ONLY.has(key);
}

/**
 * The document a device sent, less what the server owns, and with null fields dropped (on the
 * wire, absent and null are the same; in Postgres both are NULL). `_deleted` is kept. A document
 * with nothing to drop (the usual one) is returned as it is, not copied: copying every pushed
 * document twice was a tenth of a push batch's garbage (B5).
 */
export function fromDevice(doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let dirty = false;
  for (const key in doc) {
    if (strippedOnArrival(key, doc[key])) {
      dirty = true;
      break;
    }
  }
  if (!dirty) return doc as Record<string, unknown>;
  const clean: Record<string, unknown> = {};
  for (const key in doc) {
    const value = doc[key];
    if (!strippedOnArrival(key, value)) clean[key] = value;
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

/** Plain JSON data (what JSON.parse and to_jsonb give): compared directly; anything else through canonicalJson. */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null || Array.isArray(value)) return true;
      const proto: unknown = Object.getPrototypeOf(value);
      return proto === Object.prototype || proto === null;
    }
    default:
      return false;
  }
}

/**
 * Whether two values print the same canonicalJson, without printing them: a push compares every
 * document with its row two or three times, and sorting keys into strings cost ~30 µs a row (B5).
 * Values outside plain JSON (a Date, NaN, an undefined array slot) take canonicalJson itself.
 */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isPlainJson(a) || !isPlainJson(b)) return canonicalJson(a) === canonicalJson(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // JSON drops keys whose value is undefined: count only the others on both sides.
  let count = 0;
  for (const key in x) {
    const value = x[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(y, key) || !jsonEqual(value, y[key])) return false;
    count++;
  }
  for (const key in y) if (y[key] !== undefined) count--;
  return count === 0;
}

/** Whether a top-level field takes part in the comparison (as `fromDevice` and the `{}` rule leave it). */
function compared(key: string, value: unknown): boolean {
  if (value === null || value === undefined || SERVER_ONLY.has(key) || key === '_deleted') return false;
  return !(key === CUSTOM_FIELDS && isEmptyObject(value));
}

/**
 * Whether two wire documents are the same state: deep-equal ignoring key order and server-only
 * fields, absent and null alike, an empty custom field map as absent, `_deleted` as a boolean.
 */
export function sameDoc(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  if ((a._deleted === true) !== (b._deleted === true)) return false;
  let count = 0;
  for (const key in a) {
    const value = a[key];
    if (!compared(key, value)) continue;
    if (!Object.hasOwn(b, key) || !jsonEqual(value, b[key])) return false;
    count++;
  }
  for (const key in b) if (compared(key, b[key])) count--;
  return count === 0;
}
