import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentSizeProblem } from '../../../../sync-server/src/sync/document-size';

/**
 * The size limit decides as the exact count would (JSON.stringify's UTF-8 bytes against the limit),
 * whatever shortcut it takes for documents that plainly fit.
 */
const exact = (doc: unknown, max: number) => Buffer.byteLength(JSON.stringify(doc) ?? '', 'utf8') > max;

describe('documentSizeProblem', () => {
  it('refuses a document one byte over the limit and names its size, accepts one at the limit', () => {
    const doc = { id: 'n1', body: 'x'.repeat(100) };
    const bytes = Buffer.byteLength(JSON.stringify(doc));
    expect(documentSizeProblem('activities', 'n1', doc, bytes)).toBeUndefined();
    expect(documentSizeProblem('activities', 'n1', doc, bytes - 1)).toBe(
      `document n1 of the activities collection is ${bytes} bytes of JSON; the limit is ${bytes - 1} (MAX_DOCUMENT_BYTES)`,
    );
  });

  it('counts escapes and multi-byte characters as printed: control characters, quotes, emoji', () => {
    const body = '\u0001"\\é😀'.repeat(20);
    const doc = { id: 'n2', nested: { list: [body, null, 1.5e-300, true], empty: {} } };
    const bytes = Buffer.byteLength(JSON.stringify(doc));
    expect(documentSizeProblem('activities', 'n2', doc, bytes)).toBeUndefined();
    expect(documentSizeProblem('activities', 'n2', doc, bytes - 1)).toContain(`is ${bytes} bytes`);
  });

  it('prints what is not plain JSON (a Date) to measure it', () => {
    const doc = { id: 'n3', at: new Date(0), skipped: undefined };
    const bytes = Buffer.byteLength(JSON.stringify(doc));
    expect(documentSizeProblem('activities', 'n3', doc, bytes)).toBeUndefined();
    expect(documentSizeProblem('activities', 'n3', doc, bytes - 1)).toContain(`is ${bytes} bytes`);
  });

  it('agrees with the exact count on any JSON value and limit', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 4000 }), (value, max) => {
        const doc = { id: 'x', value };
        expect(documentSizeProblem('activities', 'x', doc, max) !== undefined).toBe(exact(doc, max));
      }),
      { numRuns: 2000 },
    );
  });

  it('is off with a limit of 0', () => {
    expect(documentSizeProblem('activities', 'n4', { id: 'n4', body: 'x'.repeat(1000) }, 0)).toBeUndefined();
  });
});
