import type { CollectionName } from '../../../src-shared/schema/define-entity';

/**
 * The per-document size limit (MAX_DOCUMENT_BYTES, README "Security and privacy"): the body limit
 * (app.ts) and the batch limit (MAX_PUSH_ROWS) bound a request, not a record, so one device could
 * still store a multi-megabyte note that every device of the team then pulls and holds. A document
 * whose JSON is larger is refused on its own: named with its collection, id and size, set aside by
 * the device (rule 6) while the rest of its batch is written. The public API refuses the same.
 */

export const DEFAULT_MAX_DOCUMENT_BYTES = 256 * 1024;

/** Bytes a JSON string of `length` UTF-16 units can take at most: 6 for an escaped one (\u001f), 2 quotes. */
const stringBound = (length: number) => length * 6 + 2;

/**
 * An upper bound of the UTF-8 bytes of `JSON.stringify(value)`, counted only until it passes
 * `budget`; Infinity for anything but plain JSON data (a Date, a function: printed to be sure).
 * A walk without printing: stringifying every document of a large push batch only to find it
 * small cost a tenth of its validation and half a megabyte of garbage (B5).
 */
function jsonBytesAtMost(value: unknown, budget: number): number {
  switch (typeof value) {
    case 'string':
      return stringBound(value.length);
    case 'number':
      return 24; // -1.2345678901234567e-308, the longest a double prints
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      let bytes = 2;
      if (Array.isArray(value)) {
        for (const item of value) {
          bytes += jsonBytesAtMost(item ?? null, budget - bytes) + 1;
          if (bytes > budget) return bytes;
        }
        return bytes;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return Number.POSITIVE_INFINITY;
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        bytes += stringBound(key.length) + 2 + jsonBytesAtMost(item, budget - bytes);
        if (bytes > budget) return bytes;
      }
      return bytes;
    }
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** Why `doc` is too large, naming the collection, id and size; undefined when it fits or `maxBytes` is 0 (off). */
export function documentSizeProblem(
  collection: CollectionName,
  id: string,
  doc: unknown,
  maxBytes: number,
): string | undefined {
  if (maxBytes <= 0) return undefined;
  if (jsonBytesAtMost(doc, maxBytes) <= maxBytes) return undefined;
  const json = JSON.stringify(doc) ?? '';
  // Only a text that could be too large is counted byte by byte.
  if (json.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= maxBytes) return undefined;
  return `document ${id.slice(0, 80)} of the ${collection} collection is ${bytes} bytes of JSON; the limit is ${maxBytes} (MAX_DOCUMENT_BYTES)`;
}

/**
 * The push's check, or undefined when no document of the request can be too large: a body no
 * larger than the limit (its Content-Length, which the body parser holds it to) holds no document
 * that is, so the usual small push measures nothing.
 */
export function pushSizeCheck(
  collection: CollectionName,
  maxBytes: number | undefined,
  bodyBytes: number | undefined,
): ((id: string, doc: unknown) => string | undefined) | undefined {
  const max = maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  if (max <= 0 || (bodyBytes !== undefined && bodyBytes <= max)) return undefined;
  return (id, doc) => documentSizeProblem(collection, id, doc, max);
}
