import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installRangeGets } from '../../../../src-renderer/db/page-query-storage';
import { openTestDb, type TestDb } from '../../../support/local-db';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  const inputs = Array.from({ length: 300 }, (_, i) => ({
    firstName: `P${i}`,
    ownerId: `owner-${i % 3}`,
    status: (['active', 'inactive', 'bounced'] as const)[i % 5 === 0 ? 1 : i % 7 === 0 ? 2 : 0],
    // Equal creation times for some, so the id tie-break matters.
    createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 1000).toISOString(),
  }));
  await t.repos.contact.bulkCreate(inputs);
  for (const i of [3, 30, 33]) await t.repos.contact.softDelete(`id-${String(i + 1).padStart(6, '0')}`);
});
afterAll(async () => {
  await t.close();
});

describe('page queries served by getAll', () => {
  it.each([
    [{ ownerId: 'owner-1', status: 'active' }, 0, 10],
    [{ ownerId: 'owner-1', status: 'active' }, 10, 25],
    [{ ownerId: 'owner-2', status: 'inactive' }, 0, 50],
    [{ status: 'bounced' }, 2, 5],
    [{}, 0, 40],
    [{}, 280, 50],
    [{ ownerId: 'nobody', status: 'active' }, 0, 10],
  ])('%j skip %i limit %i equals the cursor path', async (where, skip, limit) => {
    const all = await t.repos.contact.list({ where }); // no limit: RxDB's own cursor path
    const page = await t.repos.contact.list({ where, skip, limit }); // fast path
    expect(page.map((c) => c.id)).toEqual(all.slice(skip, skip + limit).map((c) => c.id));
    expect(page).toEqual(all.slice(skip, skip + limit));
  });

  it.each([
    [{ ownerId: 'owner-1', status: 'active' }, 7, 10],
    [{ status: 'inactive' }, 0, 5],
    [{}, 12, 40],
    [{}, 296, 10],
  ])(
    '%j after row %i, limit %i: the rows past (newest, id) in list order, ties at one instant included',
    async (where, at, limit) => {
      const all = await t.repos.contact.list({ where });
      const last = all[at] as { id: string; newest: number };
      // Records come in pairs of one creation time: a bound inside a pair keeps its partner.
      const page = await t.repos.contact.list({ where, after: { newest: last.newest, id: last.id }, limit });
      expect(page.map((c) => c.id)).toEqual(all.slice(at + 1, at + 1 + limit).map((c) => c.id));
      const plan = t.repos.contact.plan({ where, after: { newest: last.newest, id: last.id }, limit });
      expect(plan.index.slice(-2)).toEqual(['newest', 'id']);
    },
  );

  it.each([
    [{ ownerId: 'owner-1', status: 'active' }, 0, 10],
    [{ ownerId: 'owner-1', status: 'active' }, 10, 25],
    [{ status: 'bounced' }, 2, 5],
    [{}, 0, 41],
    [{}, 280, 50],
    [{ ownerId: 'nobody', status: 'active' }, 0, 10],
  ])('%j oldest first, skip %i limit %i, equals RxDB’s read of the whole range', async (where, skip, limit) => {
    const all = await t.repos.contact.list({ where, order: 'oldest' }); // no limit: RxDB reads and sorts
    const page = await t.repos.contact.list({ where, order: 'oldest', skip, limit }); // read backwards
    expect(page.map((c) => c.id)).toEqual(all.slice(skip, skip + limit).map((c) => c.id));
    expect(page).toEqual(all.slice(skip, skip + limit));
  });

  it.each([
    [{ ownerId: 'owner-1', status: 'active' }, 6, 10],
    [{ status: 'inactive' }, 0, 5],
    [{}, 12, 40],
    [{}, 13, 40],
    [{}, 295, 10],
  ])(
    '%j oldest first after row %i, limit %i: the rest of its instant by id, then older… newer ones',
    async (where, at, limit) => {
      const all = await t.repos.contact.list({ where, order: 'oldest' });
      const last = all[at] as { id: string; newest: number };
      const page = await t.repos.contact.list({
        where,
        order: 'oldest',
        after: { newest: last.newest, id: last.id },
        limit,
      });
      expect(page.map((c) => c.id)).toEqual(all.slice(at + 1, at + 1 + limit).map((c) => c.id));
    },
  );

  it('refuses a keyset bound in the score order or without a numeric newest, naming `after`', async () => {
    const after = { newest: 1, id: 'id-000001' };
    await expect(t.repos.lead.list({ order: 'score', after })).rejects.toThrow(/after/);
    await expect(t.repos.contact.list({ after: { newest: '1' as never, id: 'x' } })).rejects.toThrow(/after/);
  });

  it('reads oldest first backwards from the index: the earliest records, ties by id ascending', async () => {
    const oldest = await t.repos.contact.list({ order: 'oldest', limit: 3 });
    const all = await t.repos.contact.list();
    const times = all.map((c) => c.createdAt).sort();
    expect(oldest.map((c) => c.createdAt)).toEqual(times.slice(0, 3));
    expect(oldest.map((c) => c.id)).toEqual(['id-000001', 'id-000002', 'id-000003']);
  });

  it('excludes soft-deleted records from pages', async () => {
    const ids = (await t.repos.contact.list({ limit: 500 })).map((c) => c.id);
    expect(ids).toHaveLength(297);
    expect(ids).not.toContain('id-000004');
  });
});

describe('bulkGet through the key-range probe', () => {
  it('answers every mix of present, missing, repeated and crowded keys as one get per key does', async () => {
    const open = async (withProbe: boolean) => {
      const db = new Dexie(`range-get-${withProbe}`, { indexedDB: new IDBFactory(), IDBKeyRange });
      if (withProbe) installRangeGets(db);
      db.version(1).stores({ docs: 'id', seq: '++n' });
      await db.open();
      return db;
    };
    const [plain, probed] = await Promise.all([open(false), open(true)]);
    // Every third of k-0000..k-0599 stored, plus a dense run k-1000..k-1099.
    const stored = [
      ...Array.from({ length: 200 }, (_, i) => `k-${String(i * 3).padStart(4, '0')}`),
      ...Array.from({ length: 100 }, (_, i) => `k-${1000 + i}`),
    ];
    for (const db of [plain, probed]) {
      await db.table('docs').bulkPut(stored.map((id) => ({ id, v: id.length })));
      await db.table('seq').bulkAdd(Array.from({ length: 40 }, (_, i) => ({ i })));
    }
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const key = (n: number) => `k-${String(n).padStart(4, '0')}`;
    const cases: (string | number)[][] = [
      [],
      ['k-0000'],
      Array.from({ length: 50 }, (_, i) => key(i)), // sparse range: some present
      Array.from({ length: 50 }, (_, i) => key(700 + i)), // nothing stored there
      Array.from({ length: 100 }, (_, i) => key(1000 + i)), // every key of the range asked: one getAll
      Array.from({ length: 30 }, (_, i) => key(1099 - i * 2)), // crowded range: falls back
      [...Array.from({ length: 20 }, (_, i) => key(i * 3)), key(0), key(3), 'zz', 'a'], // repeats, edges
      Array.from({ length: 20 }, (_, i) => i), // not strings: falls back
    ];
    for (let r = 0; r < 40; r++) cases.push(Array.from({ length: 16 + rand(120) }, () => key(rand(1200))));
    for (const keys of cases) {
      const [a, b] = await Promise.all([plain.table('docs').bulkGet(keys), probed.table('docs').bulkGet(keys)]);
      expect(b).toEqual(a);
    }
    const seqKeys = Array.from({ length: 30 }, (_, i) => i + 5);
    expect(await probed.table('seq').bulkGet(seqKeys)).toEqual(await plain.table('seq').bulkGet(seqKeys));
    // Inside a read-write transaction, after a write of the same transaction.
    for (const db of [plain, probed]) {
      await db.transaction('rw', db.table('docs'), async () => {
        await db.table('docs').put({ id: 'k-0701', v: 1 });
        const got = await db.table('docs').bulkGet(Array.from({ length: 20 }, (_, i) => key(700 + i)));
        expect(got.filter(Boolean)).toEqual([{ id: 'k-0701', v: 1 }]);
      });
    }
    plain.close();
    probed.close();
  });
});
