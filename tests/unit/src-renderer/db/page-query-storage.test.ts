import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('falls back to the cursor for orders the index cannot serve', async () => {
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
