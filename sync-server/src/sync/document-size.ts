import type { CollectionName } from '../../../src-shared/schema/define-entity';

/**
 * The per-document size limit (MAX_DOCUMENT_BYTES, README "Security and privacy"): the body limit
 * (app.ts) and the batch limit (MAX_PUSH_ROWS) bound a request, not a record, so one device could
 * still store a multi-megabyte note that every device of the team then pulls and holds. A document
 * whose JSON is larger is refused on its own: named with its collection, id and size, set aside by
 * the device (rule 6) while the rest of its batch is written. The public API refuses the same.
 */

export const DEFAULT_MAX_DOCUMENT_BYTES = 256 * 1024;

/** Why `doc` is too large, naming the collection, id and size; undefined when it fits or `maxBytes` is 0 (off). */
export function documentSizeProblem(
  collection: CollectionName,
  id: string,
  doc: unknown,
  maxBytes: number,
): string | undefined {
  if (maxBytes <= 0) return undefined;
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
