import { describe, expect, it } from 'vitest';
import { getEntity } from '../../../../src-shared/entities/registry';
import { validateRecord } from '../../../../src-shared/schema/validate';
import { dataColumnsOf } from '../../../../sync-server/src/db/sync-schema';
import {
  canonicalJson,
  fromDevice,
  nonCanonicalTimes,
  rowToWireDoc,
  sameDoc,
  wireDocToRow,
} from '../../../../sync-server/src/sync/row-codec';
import { DOCUMENT_ENTITIES, fullDoc, sampleDoc } from '../../../integration/sync-server-fixtures';

/** How Postgres's to_jsonb prints a timestamptz in a UTC session: `+00:00`, trailing zeros of the fraction dropped. */
function postgresTime(iso: string): string {
  const [seconds, fraction = ''] = iso.replace('Z', '').split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${seconds}${trimmed === '' ? '' : `.${trimmed}`}+00:00`;
}

/** What `to_jsonb(t)` returns for the row `jsonb_populate_record` made of `row`. */
function asStored(entity: (typeof DOCUMENT_ENTITIES)[number], row: Record<string, unknown>): Record<string, unknown> {
  const stored: Record<string, unknown> = { sync_txid: '812', server_updated_at: '2026-03-02T08:00:00.123456+00:00' };
  for (const c of dataColumnsOf(entity)) {
    const value = row[c.column] ?? null;
    stored[c.column] = c.pgType === 'timestamptz' && typeof value === 'string' ? postgresTime(value) : value;
  }
  stored.sync_removed = row.sync_removed;
  return stored;
}

describe('row codec', () => {
  it.each(DOCUMENT_ENTITIES.map((e) => [e.name, e] as const))('round-trips a full %s document', (_name, entity) => {
    const doc = fullDoc(entity, 'id_1');
    const { _deleted, ...record } = doc;
    expect(validateRecord(entity, record)).toEqual([]);
    const back = rowToWireDoc(entity, asStored(entity, wireDocToRow(entity, doc)));
    expect(canonicalJson(back)).toBe(canonicalJson(doc));
  });

  it('keeps the timestamp spelling devices store and never sends sync columns', () => {
    const entity = getEntity('contact');
    const back = rowToWireDoc(entity, asStored(entity, wireDocToRow(entity, sampleDoc(entity, 'c1'))));
    expect(back.createdAt).toBe('2026-03-01T09:30:00.120Z');
    expect(Object.keys(back).filter((k) => /sync|server/i.test(k))).toEqual([]);
  });

  it('maps the tombstone to _deleted and drops null columns', () => {
    const entity = getEntity('task');
    const row = asStored(entity, wireDocToRow(entity, { ...sampleDoc(entity, 't1'), _deleted: true }));
    const back = rowToWireDoc(entity, row);
    expect(back._deleted).toBe(true);
    expect(Object.values(back)).not.toContain(null);
  });

  it('writes an absent custom field map as {} (NOT NULL) and reads {} back as absent', () => {
    const entity = getEntity('contact');
    const row = wireDocToRow(entity, sampleDoc(entity, 'c1'));
    expect(row.custom_fields).toEqual({});
    expect(rowToWireDoc(entity, asStored(entity, row))).not.toHaveProperty('customFields');
  });

  it('takes nothing the server owns from a device (rule 8)', () => {
    const clean = fromDevice({
      id: 'c1',
      kind: 'contact',
      _deleted: false,
      _rev: '3-abc',
      _meta: { lwt: 1 },
      _attachments: {},
      syncTxid: '999',
      sync_txid: '999',
      syncRemoved: true,
      serverUpdatedAt: AT_NOON,
      server_updated_at: AT_NOON,
      nickname: null,
    });
    expect(clean).toEqual({ id: 'c1', kind: 'contact', _deleted: false });
  });

  it('compares documents ignoring key order, server-only fields and an empty custom field map', () => {
    const a = { id: 'c1', kind: 'contact', _deleted: false, tags: ['x'], json: { a: 1, b: 2 } };
    const b = {
      json: { b: 2, a: 1 },
      tags: ['x'],
      kind: 'contact',
      id: 'c1',
      _deleted: false,
      _rev: '9',
      customFields: {},
    };
    expect(sameDoc(a, b)).toBe(true);
    expect(sameDoc(a, { ...b, tags: ['x', 'y'] })).toBe(false);
    expect(sameDoc(a, { ...b, _deleted: true })).toBe(false);
  });

  it('names datetime fields not spelled as toISOString() does', () => {
    const entity = getEntity('contact');
    const doc = sampleDoc(entity, 'c1');
    expect(nonCanonicalTimes(entity, doc)).toEqual([]);
    expect(nonCanonicalTimes(entity, { ...doc, createdAt: '2026-03-01T09:30:00Z' })).toEqual(['createdAt']);
    expect(nonCanonicalTimes(entity, { ...doc, updatedAt: '2026-03-01T10:30:00.000+01:00' })).toEqual(['updatedAt']);
    expect(nonCanonicalTimes(entity, { ...doc, updatedAt: '2026-03-01T09:30:00.123456Z' })).toEqual(['updatedAt']);
  });
});

const AT_NOON = '2026-03-01T12:00:00.000Z';
