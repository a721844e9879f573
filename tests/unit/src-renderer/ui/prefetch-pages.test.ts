import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListOptions } from '../../../../src-renderer/db/entity-repository';
import {
  LivePages,
  type PagedListOptions,
  type PageRow,
  type PageSource,
  type PagesSnapshot,
} from '../../../../src-renderer/ui/live-pages';
import { firstPageQueries, prefetchFirstPages, type Scheduler } from '../../../../src-renderer/ui/prefetch-pages';
import { openTestDb, type TestDb } from '../../../support/local-db';
import { countContactReads, until } from '../../../support/storage-reads';

type Contact = PageRow & { firstName: string; status: string };

const FIRST_PAGE = 20;
const STATUSES = ['active', 'inactive', 'bounced'] as const;

/** Runs each scheduled task on a later turn, as an idle callback would, and counts them. */
function soonScheduler(): { schedule: Scheduler; runs: () => number } {
  let runs = 0;
  return {
    schedule: (task) => {
      const timer = setTimeout(() => {
        runs++;
        task();
      }, 0);
      return () => clearTimeout(timer);
    },
    runs: () => runs,
  };
}

/** A LivePages on `options` with a FIRST_PAGE first page, and its first page's rows. */
async function firstPage(source: PageSource<Contact>, options: PagedListOptions): Promise<Contact[]> {
  let latest: PagesSnapshot<Contact> = { rows: undefined, hasMore: false, loading: true };
  const pages = new LivePages<Contact>(source, options, 50, (s) => (latest = s), undefined, FIRST_PAGE);
  await until(
    () => latest.rows !== undefined,
    () => 'the first page',
  );
  pages.close();
  return latest.rows ?? [];
}

describe('prefetchFirstPages', () => {
  let t: TestDb;
  let source: PageSource<Contact>;
  beforeEach(async () => {
    t = await openTestDb();
    source = t.repos.contact as unknown as PageSource<Contact>;
    const inputs = [];
    for (let i = 0; i < 90; i++) {
      t.tick();
      inputs.push({ firstName: `C${i}`, status: STATUSES[i % STATUSES.length] });
    }
    await t.repos.contact.bulkCreate(inputs as never);
  });
  afterEach(async () => {
    await t.close();
  });

  it('asks exactly the queries the list asks for its first page under each choice', async () => {
    const asked: ListOptions[] = [];
    const recording: PageSource<Contact> = {
      observe: (options) => {
        asked.push(options);
        return source.observe(options);
      },
      observeCount: (options, cap) => source.observeCount(options, cap),
    };
    const union: PagedListOptions = { where: [{ status: 'active' }, { status: 'bounced' }] };
    await firstPage(recording, union);
    expect(asked).toEqual(firstPageQueries(union, FIRST_PAGE));
    expect(asked).toHaveLength(2);
  });

  it('a choice read ahead shows its first page without a read; one not read ahead still reads', async () => {
    const choices = [{ where: { status: 'inactive' } }, { where: { status: 'bounced' } }];
    const { schedule, runs } = soonScheduler();
    const reads = countContactReads(t);
    prefetchFirstPages(source, choices, FIRST_PAGE, schedule);
    await until(
      () => reads.length === 2 && runs() === 3,
      () => 'both prefetches and the last schedule',
    );
    expect(reads).toEqual([FIRST_PAGE, FIRST_PAGE]);

    const before = reads.length;
    const inactive = await firstPage(source, { where: { status: 'inactive' } });
    expect(reads.length).toBe(before);
    expect(inactive.map((r) => r.id)).toEqual(
      (await t.repos.contact.list({ where: { status: 'inactive' }, limit: FIRST_PAGE })).map((r) => r.id),
    );
    // The control: "active" was not read ahead, so its first page is read now.
    await firstPage(source, { where: { status: 'active' } });
    expect(reads.length).toBe(before + 1);
  });

  it('a write after the prefetch is shown: the cached page is brought up to date, not shown stale', async () => {
    const { schedule } = soonScheduler();
    const reads = countContactReads(t);
    prefetchFirstPages(source, [{ where: { status: 'inactive' } }], FIRST_PAGE, schedule);
    await until(
      () => reads.length === 1,
      () => 'the prefetch',
    );
    t.tick(60_000);
    const created = await t.repos.contact.create({ firstName: 'Newest', status: 'inactive' } as never);
    const rows = await firstPage(source, { where: { status: 'inactive' } });
    expect(rows[0]?.id).toBe(created.id);
    expect(rows).toHaveLength(FIRST_PAGE);
  });

  it('cancelled, it reads nothing more: the next query scheduled is dropped', async () => {
    // Tasks run when the test says, so that "after the first read" is a point, not a race.
    const tasks: (() => void)[] = [];
    const schedule: Scheduler = (task) => {
      tasks.push(task);
      return () => tasks.splice(tasks.indexOf(task) >>> 0, 1);
    };
    const reads = countContactReads(t);
    const cancel = prefetchFirstPages(
      source,
      STATUSES.map((status) => ({ where: { status } })),
      FIRST_PAGE,
      schedule,
    );
    expect(tasks).toHaveLength(1);
    tasks.shift()?.();
    await until(
      () => reads.length === 1 && tasks.length === 1,
      () => `the first prefetch and the next scheduled (${reads.length} reads, ${tasks.length} tasks)`,
    );
    cancel();
    expect(tasks).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(reads).toHaveLength(1);
  });

  it('a choice the repository refuses (a filter on an encrypted field, an unknown value) is passed over', async () => {
    const { schedule, runs } = soonScheduler();
    const reads = countContactReads(t);
    const choices: PagedListOptions[] = [
      { where: { email: 'a@example.com' } },
      { where: { status: 'no-such-status' } },
      { where: { status: 'bounced' } },
    ];
    expect(() => t.repos.contact.observe({ where: { email: 'a@example.com' } })).toThrow(/email/);
    prefetchFirstPages(source, choices, FIRST_PAGE, schedule);
    await until(
      () => runs() === 4,
      () => 'every choice tried',
    );
    // The refused one reads nothing; the unknown value reads an empty page; bounced its first page.
    expect(reads).toEqual([0, FIRST_PAGE]);
  });
});
