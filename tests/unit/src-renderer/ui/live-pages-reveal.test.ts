import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LivePages,
  matchesOptions,
  type PagedListOptions,
  type PageRow,
  type PageSource,
  type PagesSnapshot,
} from '../../../../src-renderer/ui/live-pages';
import { openTestDb, type TestDb } from '../../../support/local-db';

type Contact = PageRow & { firstName: string; status: string; newest: number };

const ids = (rows: readonly { id: string }[] | undefined) => (rows ?? []).map((r) => r.id);

/** A LivePages over the test database's contacts whose snapshots the test can wait on. */
function openPages(t: TestDb, options: PagedListOptions, pageSize: number, firstPageSize: number) {
  let latest: PagesSnapshot<Contact> = { rows: undefined, hasMore: false, loading: true };
  const pages = new LivePages<Contact>(
    t.repos.contact as unknown as PageSource<Contact>,
    options,
    pageSize,
    (s) => {
      latest = s;
    },
    undefined,
    firstPageSize,
  );
  const until = async (ok: (s: PagesSnapshot<Contact>) => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!ok(latest)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; rows: ${latest.rows?.length}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return latest;
  };
  /** Lets reads that would follow (a page more) happen, then the latest snapshot. */
  const quiet = async () => {
    await new Promise((r) => setTimeout(r, 150));
    return latest;
  };
  return { pages, until, quiet };
}

describe('LivePages.reveal: a record opened by link far down a list', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  async function seed(count: number) {
    const inputs = [];
    for (let i = 0; i < count; i++) {
      inputs.push({
        firstName: `C${i}`,
        status: i % 4 === 0 ? 'inactive' : 'active',
        createdAt: new Date(Date.parse('2026-10-01T00:00:00Z') + i * 1000).toISOString(),
      });
    }
    await t.repos.contact.bulkCreate(inputs as never);
  }

  // Each list, and the repository query that lists all of it in the same order.
  it.each<[string, PagedListOptions, Parameters<TestDb['repos']['contact']['list']>[0]]>([
    ['every contact', {}, {}],
    ['one status', { where: { status: 'active' } }, { where: { status: 'active' } }],
    ['a union of two filters', { where: [{ status: 'active' }, { status: 'inactive' }] }, {}],
    ['oldest first', { order: 'oldest' }, { order: 'oldest' }],
  ])('reads on to its row, and at most a page past it: %s', async (_name, options, whole) => {
    await seed(200);
    const expected = await t.repos.contact.list(whole);
    expect(expected.length).toBeGreaterThan(120);
    const at = Math.floor(expected.length * 0.85);
    const target = expected[at] as unknown as Contact;
    const { pages, until, quiet } = openPages(t, options, 20, 15);
    // Asked at once, before the first page is read (the screen asks as it opens with the id).
    pages.reveal(target);
    const shown = await until((s) => ids(s.rows).includes(target.id), 'the revealed row');
    const rows = ids((await quiet()).rows);
    expect(rows).toEqual(ids(expected.slice(0, rows.length)));
    expect(rows.length).toBeGreaterThan(at);
    expect(rows.length).toBeLessThanOrEqual(at + 1 + 20);
    expect(shown.rows?.length).toBeGreaterThan(15);
    // Paging on from there as before.
    pages.loadMore();
    const more = await until((s) => !s.loading && (s.rows?.length ?? 0) > rows.length, 'a page more');
    expect(ids(more.rows)).toEqual(ids(expected.slice(0, more.rows?.length)));
    pages.close();
  });

  it('reads no further than the first page for a row on it, and stops when revealed nothing', async () => {
    await seed(120);
    const all = await t.repos.contact.list({});
    const { pages, until, quiet } = openPages(t, {}, 20, 15);
    await until((s) => s.rows !== undefined, 'the first page');
    pages.reveal(all[5] as unknown as Contact);
    expect((await quiet()).rows).toHaveLength(15);
    pages.reveal(undefined);
    expect((await quiet()).rows).toHaveLength(15);
    pages.close();
  });
});

describe('matchesOptions: whether a list shows a record', () => {
  const row = { id: 'c1', status: 'active', ownerId: 'u1', isDeleted: false, createdAt: '2026-10-01T00:00:00.000Z' };

  it.each<[string, PageRow, PagedListOptions, boolean]>([
    ['no filter', row, {}, true],
    ['its status', row, { where: { status: 'active' } }, true],
    ['another status', row, { where: { status: 'inactive' } }, false],
    ['every equality of one filter', row, { where: { status: 'active', ownerId: 'u1' } }, true],
    ['one equality off', row, { where: { status: 'active', ownerId: 'u2' } }, false],
    ['one filter of a union', row, { where: [{ ownerId: 'u2' }, { ownerId: 'u1', status: 'active' }] }, true],
    ['no filter of a union', row, { where: [{ ownerId: 'u2' }, { ownerId: 'u3' }] }, false],
    ['an empty union', row, { where: [] }, false],
    ['deleted', { ...row, isDeleted: true }, {}, false],
    ['deleted, with deleted rows', { ...row, isDeleted: true }, { includeDeleted: true }, true],
    ['a field it lacks', row, { where: { companyId: 'x' } }, false],
    ['a value of another type', row, { where: { status: 1 } }, false],
    ['created in range', row, { created: { from: '2026-09-30T00:00:00Z', before: '2026-10-02T00:00:00Z' } }, true],
    ['created at the range start', row, { created: { from: '2026-10-01T00:00:00Z' } }, true],
    ['created at the range end (excluded)', row, { created: { before: '2026-10-01T00:00:00Z' } }, false],
    ['created before the range', row, { created: { from: '2026-10-02T00:00:00Z' } }, false],
    ['no creation time, with a range', { ...row, createdAt: 'not a date' }, { created: { from: '2000-01-01' } }, false],
  ])('%s', (_name, record, options, expected) => {
    expect(matchesOptions(record, options)).toBe(expected);
  });
});
