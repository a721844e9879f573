import { BehaviorSubject, firstValueFrom, NEVER } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LivePages,
  observeTotal,
  type PagedListOptions,
  type PageRow,
  type PageSource,
  type PagesSnapshot,
  pageOptions,
} from '../../../../src-renderer/ui/live-pages';
import { NEWEST_MAX } from '../../../../src-shared/schema/define-entity';
import { openTestDb, type TestDb } from '../../../support/local-db';
import { countContactReads, untilReads } from '../../../support/storage-reads';

type Contact = PageRow & { firstName: string; status: string; newest: number };

/** A LivePages whose latest snapshot the test can wait on. */
function openPages(t: TestDb, options: PagedListOptions, pageSize: number, countCap?: number, firstPageSize?: number) {
  let latest: PagesSnapshot<Contact> = { rows: undefined, hasMore: false, loading: true };
  const source = t.repos.contact as unknown as PageSource<Contact>;
  const pages = new LivePages<Contact>(
    source,
    options,
    pageSize,
    (s) => {
      latest = s;
    },
    countCap,
    firstPageSize,
  );
  const until = async (ok: (s: PagesSnapshot<Contact>) => boolean, what: string) => {
    const deadline = Date.now() + 5000;
    while (!ok(latest)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; rows: ${latest.rows?.length}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return latest.rows ?? [];
  };
  return { pages, until, latest: () => latest };
}

const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

describe('LivePages on a database', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  /** `count` contacts, three at a time in the same millisecond (ties on `newest`, told apart by id). */
  async function seed(count: number, extra: (i: number) => Record<string, unknown> = () => ({})) {
    const inputs = [];
    for (let i = 0; i < count; i++) {
      if (i % 3 === 0) t.tick();
      inputs.push({
        firstName: `C${i}`,
        createdAt: new Date(Date.parse('2026-10-01T00:00:00Z') + i - (i % 3)).toISOString(),
        ...extra(i),
      });
    }
    await t.repos.contact.bulkCreate(inputs as never);
  }

  /** The loaded rows are exactly the first rows of the whole list, each once. */
  async function expectPrefix(rows: readonly Contact[], options: { where?: Record<string, string> } = {}) {
    const all = await t.repos.contact.list(options);
    expect(new Set(ids(rows)).size).toBe(rows.length);
    expect(ids(rows)).toEqual(ids(all.slice(0, rows.length)));
  }

  it('pages are contiguous, with no duplicate or missing row, across inserts and deletes between pages', async () => {
    await seed(230);
    const { pages, until } = openPages(t, {}, 50);
    let rows = await until((s) => s.rows?.length === 50, 'the first page');
    await expectPrefix(rows);
    pages.loadMore();
    rows = await until((s) => s.rows?.length === 100, 'the second page');
    await expectPrefix(rows);
    pages.loadMore();
    rows = await until((s) => s.rows?.length === 150, 'the third page');
    await expectPrefix(rows);

    // A new contact lands at the top, in the first page; one created in the same millisecond as
    // the second page's 20th row lands inside that page, beside it by id. The last page keeps its
    // size: its last row moves on to the next page.
    t.tick(3_600_000);
    const newest = await t.repos.contact.create({ firstName: 'Newest' } as never);
    const inside = rows[69] as Contact;
    const tie = await t.repos.contact.create({ firstName: 'Tie', createdAt: String(inside.createdAt) } as never);
    rows = await until((s) => s.rows?.length === 152, 'the two inserts');
    expect(rows[0]?.id).toBe(newest.id);
    expect(ids(rows)).toContain(tie.id);
    await expectPrefix(rows);

    // Deleting the first page's last row (its bound) and a row of the second page.
    const bound = rows[50] as Contact;
    await t.repos.contact.softDelete(bound.id);
    await t.repos.contact.softDelete((rows[80] as Contact).id);
    rows = await until((s) => s.rows?.length === 150, 'the two deletes');
    expect(ids(rows)).not.toContain(bound.id);
    await expectPrefix(rows);

    for (let n = 0; n < 10 && pages.snapshot().hasMore; n++) {
      pages.loadMore();
      await until((s) => !s.loading, 'the next page');
    }
    rows = await until((s) => !s.hasMore, 'the end');
    expect(rows).toHaveLength(230);
    await expectPrefix(rows);
    pages.close();
  });

  it('a closed page reads its range with a limit, and reads it again when more rows are added to it than the limit allows', async () => {
    await seed(100, () => ({ status: 'active' }));
    const storage = t.db.rx.contacts.storageInstance;
    const query = storage.query.bind(storage);
    const limits: (number | undefined)[] = [];
    storage.query = async (prepared) => {
      limits.push(prepared.query.limit);
      return query(prepared);
    };
    const { pages, until } = openPages(t, { where: { status: 'active' } }, 20);
    await until((s) => s.rows?.length === 20, 'the first page');
    pages.loadMore();
    await until((s) => s.rows?.length === 40 && !s.loading, 'the second page');
    pages.loadMore();
    let rows = await until((s) => s.rows?.length === 60 && !s.loading, 'the third page');
    // Without a limit RxDB's storage walks a cursor, one IndexedDB request per row.
    expect(limits.every((limit) => typeof limit === 'number')).toBe(true);

    // 40 records created in the millisecond of a row of the closed second page: its range holds 60.
    const inside = rows[30] as Contact;
    const added = Array.from({ length: 40 }, (_, i) => ({
      firstName: `Added${i}`,
      status: 'active',
      createdAt: String(inside.createdAt),
    }));
    await t.repos.contact.bulkCreate(added as never);
    rows = await until((s) => s.rows?.length === 100, 'the added rows');
    await expectPrefix(rows, { where: { status: 'active' } });
    pages.close();
  });

  it('drops a row that an edit takes out of the filter, and merges a union of filters in list order', async () => {
    await seed(120, (i) => ({ status: (['active', 'inactive', 'bounced'] as const)[i % 3], ownerId: `user-${i % 2}` }));
    const where = [
      { ownerId: 'user-0', status: 'active' },
      { ownerId: 'user-0', status: 'inactive' },
      { ownerId: 'user-0', status: 'bounced' },
    ];
    const { pages, until } = openPages(t, { where }, 15);
    await until((s) => s.rows?.length === 15, 'the first page');
    pages.loadMore();
    let rows = await until((s) => s.rows?.length === 30, 'the second page');
    await expectPrefix(rows, { where: { ownerId: 'user-0' } });
    expect(await firstValueFrom(observeTotal(t.repos.contact as never, { where }))).toBe(60);

    // A row of the first page (a closed range); the last page would take in the next row instead.
    const moved = rows[5] as Contact;
    await t.repos.contact.update(moved.id, { status: 'archived' } as never);
    rows = await until((s) => s.rows?.length === 29, 'the edit');
    expect(ids(rows)).not.toContain(moved.id);
    const union = (await t.repos.contact.list({ where: { ownerId: 'user-0' } })).filter((c) => c.status !== 'archived');
    expect(ids(rows)).toEqual(ids(union.slice(0, 29)));
    pages.close();
  });

  it('counts the list only once its first page is there, and gives the count with the rows', async () => {
    await seed(90, (i) => ({ status: i % 3 === 0 ? 'inactive' : 'active' }));
    const storage = t.db.rx.contacts.storageInstance;
    const [query, count] = [storage.query.bind(storage), storage.count.bind(storage)];
    const events: string[] = [];
    storage.query = async (prepared) => {
      events.push('page asked');
      const result = await query(prepared);
      events.push('page read');
      return result;
    };
    storage.count = async (prepared) => {
      events.push('count asked');
      return count(prepared);
    };
    const { pages, until, latest } = openPages(t, { where: { status: 'active' } }, 20);
    await until((s) => s.rows?.length === 20, 'the first page');
    await until((s) => s.total !== undefined, 'the count');
    expect(latest().total).toBe(60);
    // A count walks the filter's whole index range: the page must not queue behind it.
    expect(events.slice(0, 3)).toEqual(['page asked', 'page read', 'count asked']);
    pages.close();
  });

  it('asks no count for a list closed soon after its first page (a filter switched again at once)', async () => {
    await seed(90, (i) => ({ status: i % 3 === 0 ? 'inactive' : 'active' }));
    const storage = t.db.rx.contacts.storageInstance;
    const count = storage.count.bind(storage);
    let counts = 0;
    storage.count = async (prepared) => {
      counts++;
      return count(prepared);
    };
    const quick = openPages(t, { where: { status: 'active' } }, 20);
    await quick.until((s) => s.rows?.length === 20, 'the first page');
    quick.pages.close();
    // The next filter's list stays open: its count comes, the closed one's never was asked.
    const next = openPages(t, { where: { status: 'inactive' } }, 20);
    await next.until((s) => s.total !== undefined, 'the next list count');
    expect(next.latest().total).toBe(30);
    expect(counts).toBe(1);
    next.pages.close();
  });

  it('counts at most cap + 1 keys per filter: exact below the cap, "cap+" above it', async () => {
    await seed(90, (i) => ({ status: i % 3 === 0 ? 'inactive' : 'active' }));
    const { IDBIndex } = await import('fake-indexeddb');
    const proto = IDBIndex.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const [getAllKeys, count] = [proto.getAllKeys, proto.count];
    const reads: unknown[] = [];
    proto.getAllKeys = function (this: unknown, ...args: unknown[]) {
      reads.push(args[1]);
      return getAllKeys?.apply(this, args);
    };
    proto.count = () => {
      throw new Error('an uncapped count walks the whole range');
    };
    try {
      const where = [{ status: 'active' }, { status: 'inactive' }];
      const capped = openPages(t, { where }, 20, 50);
      await capped.until((s) => s.total !== undefined, 'the capped count');
      expect(capped.latest()).toMatchObject({ total: 50, totalCapped: true });
      // Each filter's count read at most 51 keys, in one request.
      expect(reads).toEqual([51, 51]);
      capped.pages.close();

      const exact = openPages(t, { where }, 20, 100);
      await exact.until((s) => s.total !== undefined, 'the exact count');
      expect(exact.latest()).toMatchObject({ total: 90, totalCapped: false });
      // Still live: a new record is counted.
      await t.repos.contact.create({ firstName: 'New', status: 'active' } as never);
      await exact.until((s) => s.total === 91, 'the count after an insert');
      exact.pages.close();
    } finally {
      proto.getAllKeys = getAllKeys as never;
      proto.count = count as never;
    }
  });

  it('reads a page per page added, however many are loaded, each from an index range', async () => {
    await seed(400, () => ({ status: 'active' }));
    const reads = countContactReads(t);
    const pageSize = 40;
    const { pages, until } = openPages(t, { where: { status: 'active' } }, pageSize);
    await until((s) => s.rows?.length === pageSize, 'the first page');
    for (let n = 2; n <= 8; n++) {
      pages.loadMore();
      await until((s) => s.rows?.length === n * pageSize, `page ${n}`);
    }
    // Let the last closed page's range read land.
    for (let last = -1; last !== reads.length; ) {
      last = reads.length;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Every read is one page: the new page (40 and the up to 3 read again at its bound's instant);
    // a growing limit would read 320.
    expect(Math.max(...reads)).toBeLessThanOrEqual(pageSize + 5);
    // One read a page: a closed page keeps its query, which still holds its range (nothing was
    // added to it), where re-reading it as a range made two reads per page added. The ninth page
    // is read ahead of a loadMore.
    expect(reads.length).toBe(1 + 7 + 1);
    pages.close();

    const rows = await t.repos.contact.list({ where: { status: 'active' }, limit: 120 });
    const after = rows[39] as Contact;
    const upTo = rows[79] as Contact;
    for (const bounds of [
      { after, upTo },
      { after, limit: 42 },
    ]) {
      const plan = t.repos.contact.plan(pageOptions({ where: { status: 'active' } }, { status: 'active' }, bounds));
      // RxDB sees the keyset's $or; the index ends with (newest, id), so the storage reads one range.
      expect(plan).toMatchObject({ sortSatisfiedByIndex: true });
      expect(plan.index.slice(-2)).toEqual(['newest', 'id']);
    }
  });

  it('reads a smaller first page, and reads a closed page again only once rows added to it push its last row out', async () => {
    await seed(150, () => ({ status: 'active' }));
    const where = { status: 'active' };
    const reads = countContactReads(t);
    const { pages, until } = openPages(t, { where }, 40, undefined, 25);
    let rows = await until((s) => s.rows?.length === 25, 'the first page');
    expect(reads).toEqual([25]);
    expect(pages.snapshot().hasMore).toBe(true);
    pages.loadMore();
    rows = await until((s) => s.rows?.length === 65 && !s.loading, 'the second page');
    // The second page (and the third, read ahead): the first keeps its query, whose 25 rows are its whole range.
    await untilReads(reads, 3);
    expect(reads).toEqual([25, 40, 40]);
    await expectPrefix(rows, { where });

    // Two contacts created in the millisecond of the first page's 10th row: its query's 25 rows
    // end before its last row now, so it reads its range; the second page does not move.
    const inside = rows[9] as Contact;
    const secondPage = ids(rows.slice(25));
    const before = reads.length;
    const added = await t.repos.contact.bulkCreate([
      { firstName: 'In1', status: 'active', createdAt: String(inside.createdAt) },
      { firstName: 'In2', status: 'active', createdAt: String(inside.createdAt) },
    ] as never);
    expect(added.written).toBe(2);
    rows = await until((s) => s.rows?.length === 67, 'the added rows');
    // The first page's range: its 27 rows now (and those sharing its last row's millisecond).
    expect(Math.max(...reads.slice(before))).toBeGreaterThanOrEqual(27);
    await expectPrefix(rows, { where });
    expect(ids(rows.slice(27))).toEqual(secondPage);

    // A delete in the first page takes the next row in no page twice.
    await t.repos.contact.softDelete((rows[3] as Contact).id);
    rows = await until((s) => s.rows?.length === 66, 'the delete');
    await expectPrefix(rows, { where });
    pages.close();
  });

  it('reads the next page ahead once the user has scrolled, shows it at loadMore, and reads it again from a moved end', async () => {
    await seed(200, () => ({ status: 'active' }));
    const where = { status: 'active' };
    const reads = countContactReads(t);
    const { pages, until } = openPages(t, { where }, 30, undefined, 20);
    await until((s) => s.rows?.length === 20, 'the first page');
    await new Promise((r) => setTimeout(r, 50));
    // Only looked at: nothing read ahead.
    expect(reads).toEqual([20]);
    pages.loadMore();
    let rows = await until((s) => s.rows?.length === 50 && !s.loading, 'the second page');
    await untilReads(reads, 3);
    // Read ahead: shown at once, with no read.
    pages.loadMore();
    expect(pages.snapshot()).toMatchObject({ loading: false });
    expect(pages.snapshot().rows).toHaveLength(80);
    await untilReads(reads, 4);
    await expectPrefix(pages.snapshot().rows ?? [], { where });

    // A contact created in the millisecond of a row of the last page pushes that page's last row
    // out of it: the page read ahead started after that row, so it is read again from the new end.
    await until((s) => s.total !== undefined, 'the count');
    rows = pages.snapshot().rows ?? [];
    // Counted before the insert: its two reads (the page it lands in, then the page ahead from the
    // moved end) may both be done by the time the insert is seen, so counting from then raced.
    const readsBeforeInsert = reads.length;
    const inside = rows[60] as Contact;
    const late = await t.repos.contact.create({
      firstName: 'Late',
      status: 'active',
      createdAt: String(inside.createdAt),
    } as never);
    const pushedOut = rows[79] as Contact;
    await until((s) => ids(s.rows ?? []).includes(late.id) && !ids(s.rows ?? []).includes(pushedOut.id), 'the insert');
    await untilReads(reads, readsBeforeInsert + 2);
    pages.loadMore();
    rows = await until((s) => s.rows?.length === 110 && !s.loading, 'the fourth page');
    expect(ids(rows)).toContain(pushedOut.id);
    await expectPrefix(rows, { where });
    pages.close();
  });
});

describe('keyset paging on (newest, id)', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('pages 120 records of one millisecond without reading the shown ones again, each page one getAll', async () => {
    const at = '2026-10-01T00:00:00.000Z';
    await t.repos.contact.bulkCreate(
      Array.from({ length: 120 }, (_, i) => ({ firstName: `S${i}`, status: 'active', createdAt: at })) as never,
    );
    const all = await t.repos.contact.list({ where: { status: 'active' } });
    const reads = countContactReads(t);
    const { IDBIndex } = await import('fake-indexeddb');
    const proto = IDBIndex.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const openCursor = proto.openCursor;
    let cursors = 0;
    proto.openCursor = function (this: unknown, ...args: unknown[]) {
      cursors++;
      return openCursor?.apply(this, args);
    };
    try {
      const pageSize = 20;
      const { pages, until } = openPages(t, { where: { status: 'active' } }, pageSize);
      await until((s) => s.rows?.length === pageSize, 'the first page');
      for (let n = 2; n <= 4; n++) {
        pages.loadMore();
        await until((s) => s.rows?.length === n * pageSize && !s.loading, `page ${n}`);
      }
      const rows = await until((s) => s.rows?.length === 80, 'four pages');
      expect(ids(rows)).toEqual(ids(all.slice(0, 80)));
      // The open page reads its 20; a closed one its 20 and 16 past it. Paged on the millisecond
      // alone, page n read again the 20 * (n - 1) rows of that instant shown above it.
      expect(Math.max(...reads)).toBeLessThanOrEqual(pageSize + 16);
      expect(cursors).toBe(0);
      pages.close();
    } finally {
      proto.openCursor = openCursor as never;
    }
  });
});

describe('oldest-first paging on (newest, id)', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('pages 230 records of one millisecond, between others, with no skip or repeat and no shown row read again', async () => {
    const base = Date.parse('2026-10-01T00:00:00.000Z');
    const at = (ms: number) => new Date(base + ms).toISOString();
    // 40 records a millisecond apart on each side of 230 that share one millisecond.
    const inputs = [
      ...Array.from({ length: 40 }, (_, i) => ({ firstName: `A${i}`, createdAt: at(i) })),
      ...Array.from({ length: 230 }, (_, i) => ({ firstName: `S${i}`, createdAt: at(100) })),
      ...Array.from({ length: 40 }, (_, i) => ({ firstName: `B${i}`, createdAt: at(200 + i) })),
    ];
    await t.repos.contact.bulkCreate(inputs as never);
    const all = await t.repos.contact.list({ order: 'oldest' }); // RxDB's own read, sorted in memory
    expect(all).toHaveLength(310);
    const reads = countContactReads(t);
    // RxDB reads a descending order by walking the filter's whole range: 310 cursor steps a read.
    const { IDBCursor } = await import('fake-indexeddb');
    const cursorProto = IDBCursor.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const step = cursorProto.continue;
    let steps = 0;
    cursorProto.continue = function (this: unknown, ...args: unknown[]) {
      steps++;
      return step?.apply(this, args);
    };
    const pageSize = 20;
    const { pages, until, latest } = openPages(t, { order: 'oldest' }, pageSize);
    await until((s) => s.rows?.length === pageSize, 'the first page');
    for (let n = 2; latest().hasMore; n++) {
      pages.loadMore();
      await until((s) => !s.loading && (s.rows?.length ?? 0) >= Math.min(n * pageSize, 310), `page ${n}`);
    }
    const rows = latest().rows ?? [];
    expect(new Set(ids(rows)).size).toBe(rows.length);
    expect(ids(rows)).toEqual(ids(all));
    // An open page reads its 20, a closed one its 20 and 16 past it. Paged on the millisecond, a
    // page inside the shared one read again every row of it shown above (up to 230).
    expect(Math.max(...reads)).toBeLessThanOrEqual(pageSize + 16);
    // Backwards from the bound, a page's rows and one more at most, never the list again.
    expect(steps).toBeLessThanOrEqual(reads.length * (pageSize + 16 + 1));
    cursorProto.continue = step as never;
    pages.close();
  });

  it('shows a record added into the shared millisecond on the page whose range it falls in, once', async () => {
    const at = '2026-10-01T00:00:00.000Z';
    await t.repos.contact.bulkCreate(
      Array.from({ length: 60 }, (_, i) => ({
        id: `c-${String(i * 2).padStart(3, '0')}`,
        firstName: `S${i}`,
        createdAt: at,
      })) as never,
    );
    const { pages, until, latest } = openPages(t, { order: 'oldest' }, 20);
    await until((s) => s.rows?.length === 20, 'the first page');
    pages.loadMore();
    await until((s) => s.rows?.length === 40 && !s.loading, 'two pages');
    // Between the first page's rows (ids c-000 … c-038), and past the second page's last row.
    await t.repos.contact.create({ id: 'c-001', firstName: 'Late', createdAt: at } as never);
    await t.repos.contact.create({ id: 'c-099', firstName: 'Later', createdAt: at } as never);
    const rows = await until((s) => s.rows?.length === 41, 'the row added to the first page');
    expect(new Set(ids(rows)).size).toBe(41);
    expect(ids(rows).slice(0, 3)).toEqual(['c-000', 'c-001', 'c-002']);
    expect(ids(rows)).not.toContain('c-099');
    // The 20 rows left and `c-099` among them: a page and one row.
    for (let n = 3; n <= 4; n++) {
      pages.loadMore();
      await until((s) => s.rows?.length === Math.min(41 + (n - 2) * 20, 62) && !s.loading, `page ${n}`);
    }
    const more = latest().rows ?? [];
    expect(latest().hasMore).toBe(false);
    expect(ids(more).at(-1)).toBe('c-118');
    expect(ids(more)).toContain('c-099');
    expect(new Set(ids(more)).size).toBe(62);
    pages.close();
  });
});

describe('pageOptions', () => {
  const MAX = NEWEST_MAX;
  const row = (newest: number, id = 'x') => ({ id, newest });

  it('pages past (newest, id) of `after`, and up to `upTo` through a creation-time range that includes its millisecond', () => {
    // `after` was created at 2000 ms, `upTo` (further down, older) at 1000 ms.
    const opts = pageOptions({}, { status: 'active' }, { after: row(MAX - 2000, 'a'), upTo: row(MAX - 1000) });
    expect(opts).toEqual({
      where: { status: 'active' },
      after: { newest: MAX - 2000, id: 'a' },
      created: { from: new Date(1000).toISOString() },
    });
  });

  it('keeps the narrower of a caller’s own range and the page’s, and bounds `upTo` from the other side oldest first', () => {
    const created = { from: new Date(1500).toISOString(), before: new Date(1800).toISOString() };
    expect(pageOptions({ created }, {}, { after: row(MAX - 2000), limit: 5 })).toEqual({
      where: {},
      created,
      after: { newest: MAX - 2000, id: 'x' },
      limit: 5,
    });
    const narrower = pageOptions({ created }, {}, { upTo: row(MAX - 1700) }).created;
    expect(narrower).toEqual({ from: new Date(1700).toISOString(), before: created.before });
    // Oldest first, `after` is the same keyset bound, and `upTo` (later) the end of a creation range.
    const oldest = pageOptions({ order: 'oldest' }, {}, { after: row(MAX - 1000), upTo: row(MAX - 1700) });
    expect(oldest).toEqual({
      where: {},
      order: 'oldest',
      after: { newest: MAX - 1000, id: 'x' },
      created: { before: new Date(1701).toISOString() },
    });
  });

  it('refuses bounds for the score order, which the repository cannot range', () => {
    expect(() => pageOptions({ order: 'score' }, {}, { after: row(1) })).toThrow(/score/);
  });
});

describe('a record between two filters', () => {
  it('is shown once while the filter it leaves and the one it enters both hold it', () => {
    const row = (id: string, status: string, newest: number): Contact => ({ id, status, newest, firstName: id });
    const parts = new Map([
      ['lead', new BehaviorSubject<Contact[]>([row('a', 'lead', 1), row('b', 'lead', 2)])],
      ['customer', new BehaviorSubject<Contact[]>([row('c', 'customer', 3)])],
    ]);
    const source: PageSource<Contact> = {
      observe: (o) => parts.get(String((o.where as { status: string }).status)) ?? new BehaviorSubject<Contact[]>([]),
      observeCount: () => NEVER,
    };
    let latest: PagesSnapshot<Contact> | undefined;
    const pages = new LivePages<Contact>(source, { where: [{ status: 'lead' }, { status: 'customer' }] }, 10, (s) => {
      latest = s;
    });
    expect(latest?.rows?.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    // a becomes a customer: the customer query answers before the lead query drops it.
    parts.get('customer')?.next([row('a', 'customer', 1), row('c', 'customer', 3)]);
    expect(latest?.rows?.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    parts.get('lead')?.next([row('b', 'lead', 2)]);
    expect(latest?.rows?.map((r) => `${r.id}:${r.status}`)).toEqual(['a:customer', 'b:lead', 'c:customer']);
    pages.close();
  });
});
