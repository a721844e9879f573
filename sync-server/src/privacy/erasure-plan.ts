import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { FieldSpec } from '../../../src-shared/schema/field';

/**
 * What erasure does to one document, as pure functions (the service, erasure.service.ts, finds the
 * documents and writes the results through the row writer):
 * - `anonymised`: the person's own row stays (deals, counts and the pipeline keep their shape) but
 *   keeps only what cannot identify anyone: ids and references, enums, numbers, booleans and dates.
 *   Every string, text, e-mail, phone, URL, tag list, JSON value and custom field goes; a required
 *   string becomes the placeholder.
 * - `removed`: a record about the person (note, communication, activity, social profile…) becomes a
 *   hard-removal tombstone (`_deleted`) with the same values as `anonymised`, because RxDB keeps a
 *   removed document's fields on the device: a tombstone with the old body would leave it there.
 * - `scrubbed`: a record that merely mentions the person (a deal named after them) keeps its values,
 *   but any string containing one of the person's values is replaced by the placeholder.
 * Audit values are redacted by `redactedValue`.
 */

export const ERASED = '[erased]';
export const REDACTED = '[redacted]';

/** Field types whose values are free text or personal by nature. */
const TEXTUAL: ReadonlySet<FieldSpec['type']> = new Set(['string', 'text', 'email', 'url', 'phone', 'tags', 'json']);

const IDENTIFYING: ReadonlySet<FieldSpec['type']> = new Set(['email', 'phone', 'url']);

/** Base fields every document keeps as they are (the writer stamps updatedAt/updatedBy itself). */
const KEPT = new Set(['id', 'kind', 'ownerId', 'createdAt', 'createdBy', 'isDeleted', 'deletedAt', 'newest']);

function stripped(entity: EntityDef, doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(doc)) {
    if (value === undefined || value === null) continue;
    if (KEPT.has(name) || name === '_deleted') {
      out[name] = value;
      continue;
    }
    const field = entity.allFields[name];
    // Not a field of the entity (customFields, derived fields): custom fields go, derived ones are recomputed.
    if (field === undefined) {
      if (name !== 'customFields' && entity.derived?.[name] !== undefined) out[name] = value;
      continue;
    }
    if (field.pii === true || TEXTUAL.has(field.type)) {
      if (field.required === true) out[name] = field.type === 'tags' ? [] : placeholderOf(field);
      continue;
    }
    out[name] = value;
  }
  return out;
}

function placeholderOf(field: FieldSpec): unknown {
  switch (field.type) {
    case 'email':
      return 'erased@erased.invalid';
    case 'url':
      return 'https://erased.invalid/';
    case 'phone':
      return '+00000000';
    case 'json':
      return {};
    default:
      return ERASED;
  }
}

export interface Stamp {
  at: string;
  by: string;
}

export function anonymised(entity: EntityDef, doc: Readonly<Record<string, unknown>>, stamp: Stamp) {
  return { ...stripped(entity, doc), updatedAt: stamp.at, updatedBy: stamp.by, _deleted: false };
}

export function removed(entity: EntityDef, doc: Readonly<Record<string, unknown>>, stamp: Stamp) {
  return {
    ...stripped(entity, doc),
    isDeleted: true,
    deletedAt: doc.deletedAt ?? stamp.at,
    updatedAt: stamp.at,
    updatedBy: stamp.by,
    _deleted: true,
  };
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `text` contains one of the markers (case-insensitively). */
export function mentions(text: string, markers: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return markers.some((m) => lower.includes(m));
}

/** The value with every string that mentions a marker replaced by `placeholder`, deeply. */
export function scrubValue(value: unknown, markers: readonly string[], placeholder: string): unknown {
  if (typeof value === 'string') {
    if (!mentions(value, markers)) return value;
    // Longest first, so a full name goes before the first name inside it.
    const sorted = [...markers].sort((a, b) => b.length - a.length);
    return value.replace(new RegExp(sorted.map(literal).join('|'), 'gi'), placeholder);
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, markers, placeholder));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, markers, placeholder)]));
  }
  return value;
}

/** The document with its mentions of the person replaced; undefined if it mentions none. */
export function scrubbed(
  doc: Readonly<Record<string, unknown>>,
  markers: readonly string[],
  stamp: Stamp,
): Record<string, unknown> | undefined {
  if (markers.length === 0 || !mentions(JSON.stringify(doc), markers)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(doc)) {
    out[name] = name === 'id' || name === 'kind' ? value : scrubValue(value, markers, ERASED);
  }
  return { ...out, updatedAt: stamp.at, updatedBy: stamp.by };
}

/**
 * The strings that identify the person, lower-cased, for finding mentions anywhere: their e-mail
 * addresses, phone numbers and profile URLs (personal fields of those types) and their full name.
 * Not their first or last name alone, city or postcode: "Smith" or "London" would erase other
 * people's data (namePartsOf covers the records that reference the person).
 */
export function markersOf(entity: EntityDef, doc: Readonly<Record<string, unknown>>): string[] {
  const values = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim().length >= 4) values.add(v.trim().toLowerCase());
  };
  for (const [name, field] of Object.entries(entity.allFields)) {
    if (field.pii !== true || !IDENTIFYING.has(field.type)) continue;
    const value = doc[name];
    if (Array.isArray(value)) value.forEach(add);
    else add(value);
  }
  const full = [doc.firstName, doc.lastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
  add(full);
  return [...values];
}

/**
 * The person's first and last name on their own (3 characters or more): too common to search the
 * whole database for ("Smith"), but removed from records that reference the person (a deal named
 * after them) and from those records' audit entries.
 */
export function namePartsOf(doc: Readonly<Record<string, unknown>>): string[] {
  return [doc.firstName, doc.lastName]
    .filter((v): v is string => typeof v === 'string' && v.trim().length >= 3)
    .map((v) => v.trim().toLowerCase());
}

/**
 * An audit entry's `changes` map (`{ field: [before, after] }`) with its values redacted: every
 * value of a record that was erased, or only the ones mentioning the person for another record.
 */
export function redactedChanges(changes: unknown, whole: boolean, markers: readonly string[]): unknown {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return changes;
  const out: Record<string, unknown> = {};
  for (const [field, pair] of Object.entries(changes)) {
    if (!whole) out[field] = scrubValue(pair, markers, REDACTED);
    else out[field] = Array.isArray(pair) ? pair.map((v) => (v === null ? null : REDACTED)) : REDACTED;
  }
  return out;
}

/** A batch entry's `records` (`[{ id, kind, action, changes }]`) with the erased records' values redacted. */
export function redactedRecords(records: unknown, erased: ReadonlySet<string>, markers: readonly string[]): unknown {
  if (!Array.isArray(records)) return records;
  return records.map((r: unknown) => {
    if (typeof r !== 'object' || r === null) return r;
    const record = r as Record<string, unknown>;
    const whole = erased.has(String(record.id));
    return { ...record, changes: redactedChanges(record.changes, whole, markers) };
  });
}

/** `%marker%` LIKE patterns, with LIKE's wildcards escaped. */
export function likePatterns(markers: readonly string[]): string[] {
  return markers.map((m) => `%${m.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}
