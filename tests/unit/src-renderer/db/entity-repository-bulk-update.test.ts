import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

type BatchRecord = { id: string; action: string; changes: Record<string, [unknown, unknown]> };

/** Audit entries written after `since` entries, flattened to one row per record. */
async function auditedSince(since: number): Promise<{ entries: number; records: BatchRecord[] }> {
  const docs = await t.db.rx.audit.find({ sort: [{ newest: 'desc' }, { id: 'asc' }] }).exec();
  const fresh = docs.slice(since).map((d) => d.toJSON() as unknown as Record<string, unknown>);
  const records = fresh.flatMap((e) =>
    e.action === 'batch'
      ? (e.records as BatchRecord[])
      : [{ id: String(e.entityId), action: String(e.action), changes: (e.changes ?? {}) as BatchRecord['changes'] }],
  );
  return { entries: fresh.length, records };
}

/** Every record the IndexedDB factory holds, as raw JSON text (what lands on disk). */
async function rawText(factory: IDBFactory): Promise<string> {
  const out: string[] = [];
  for (const info of await factory.databases()) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(String(info.name));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store, 'readonly').objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      out.push(JSON.stringify(rows));
    }
    db.close();
  }
  return out.join('\n');
}

describe('EntityRepository.bulkUpdate', () => {
  it('patches many records in one audited write, stamping time and actor and the derived fields', async () => {
    const a = await t.repos.lead.create({ lastName: 'A', source: 'referral', status: 'new' });
    const b = await t.repos.lead.create({ lastName: 'B', source: 'website', status: 'new' });
    const before = await t.db.rx.audit.count().exec();
    t.tick(5000);
    const result = await t.repos.lead.bulkUpdate([
      { id: a.id, patch: { score: 80, rating: 'hot' } },
      { id: b.id, patch: { score: 20, rating: 'cold' } },
    ]);
    expect(result).toEqual({ written: [a.id, b.id], rejected: [], missing: [] });
    const after = await t.repos.lead.require(a.id);
    expect(after).toMatchObject({ score: 80, rating: 'hot', lastName: 'A', updatedBy: 'user-rep-1' });
    expect(after.updatedAt).toBe('2026-11-01T09:00:05.000Z');
    expect((after as Record<string, unknown>).scoreRank).toBe(20);
    expect((await t.repos.lead.require(b.id)).score).toBe(20);

    // One storage write: one audit entry listing both records with their before and after.
    const audit = await auditedSince(before);
    expect(audit.entries).toBe(1);
    expect(audit.records.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(audit.records.find((r) => r.id === a.id)?.changes.score).toEqual([0, 80]);
  });

  it('encrypts personal fields as any write does, and reads them back', async () => {
    const factory = new IDBFactory();
    const own = await openTestDb({
      indexedDB: { indexedDB: factory, IDBKeyRange },
      collections: ['contacts', 'audit'],
    });
    try {
      const c = await own.repos.contact.create({ firstName: 'Ada', email: 'ada@example.com' });
      await own.repos.contact.bulkUpdate([{ id: c.id, patch: { email: 'ada@marker-q7.dev', jobTitle: 'CTO' } }]);
      expect(await own.repos.contact.require(c.id)).toMatchObject({ email: 'ada@marker-q7.dev', jobTitle: 'CTO' });
      expect(await rawText(factory)).toContain('CTO');
      expect(await rawText(factory)).not.toContain('marker-q7');
    } finally {
      await own.close();
    }
  });

  it('rejects the whole call for a patch that sets a system field, naming the field and its position', async () => {
    const a = await t.repos.lead.create({ lastName: 'A', source: 'referral', status: 'new' });
    const call = t.repos.lead.bulkUpdate([
      { id: a.id, patch: { score: 50 } },
      { id: a.id, patch: { updatedAt: '2020-01-01T00:00:00.000Z' } as never },
    ]);
    await expect(call).rejects.toThrow(ValidationError);
    await expect(call).rejects.toThrow('lead #2: updatedAt is set by the system');
    expect((await t.repos.lead.require(a.id)).score).toBe(0);
    await expect(
      t.repos.lead.bulkUpdate([
        { id: a.id, patch: { score: 1 } },
        { id: a.id, patch: { score: 2 } },
      ]),
    ).rejects.toThrow(`lead #2: id "${a.id}" is given twice`);
  });

  it('leaves a record that would not validate as it was, lists it with why, and writes the rest', async () => {
    const a = await t.repos.lead.create({ lastName: 'A', source: 'referral', status: 'new' });
    const b = await t.repos.lead.create({ lastName: 'B', source: 'website', status: 'new' });
    const result = await t.repos.lead.bulkUpdate([
      { id: a.id, patch: { score: 400 } },
      { id: b.id, patch: { score: 40 } },
      { id: 'lead-nope', patch: { score: 40 } },
    ]);
    expect(result.written).toEqual([b.id]);
    expect(result.missing).toEqual(['lead-nope']);
    expect(result.rejected.map((r) => r.id)).toEqual([a.id]);
    expect(result.rejected[0]?.error.problems[0]?.field).toBe('score');
    expect((await t.repos.lead.require(a.id)).score).toBe(0);
    expect((await t.repos.lead.require(b.id)).score).toBe(40);
  });

  it('re-applies a patch on the latest state of a record another write changed since it was read', async () => {
    const a = await t.repos.lead.create({ lastName: 'A', source: 'referral', status: 'new' });
    const storage = t.db.rx.leads.storageInstance;
    const original = storage.bulkWrite.bind(storage);
    // Another write lands between the bulk update's read and its write (another tab, a pull).
    storage.bulkWrite = async (rows, context) => {
      if (context === 'entity-repository-bulk-update') {
        storage.bulkWrite = original;
        await t.repos.lead.update(a.id, { lastName: 'Changed meanwhile' });
      }
      return original(rows, context);
    };
    const result = await t.repos.lead.bulkUpdate([{ id: a.id, patch: { score: 70 } }]);
    expect(result.written).toEqual([a.id]);
    expect(await t.repos.lead.require(a.id)).toMatchObject({ lastName: 'Changed meanwhile', score: 70 });
  });

  it('does not patch a record of another kind in the same collection', async () => {
    const a = await t.repos.lead.create({ lastName: 'A', source: 'referral', status: 'new' });
    const list = await t.repos.leadList.create({ name: 'Hot' });
    const result = await t.repos.lead.bulkUpdate([
      { id: list.id, patch: { score: 10 } },
      { id: a.id, patch: { score: 10 } },
    ]);
    expect(result).toEqual({ written: [a.id], rejected: [], missing: [list.id] });
  });
});
