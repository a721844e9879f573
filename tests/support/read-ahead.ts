import type { EntityRepository } from '../../src-renderer/db/entity-repository';
import { type PagedListOptions, type PageRow, type PagesSnapshot, wheresOf } from '../../src-renderer/ui/live-pages';
import type { Scheduler } from '../../src-renderer/ui/prefetch-pages';
import { openPages, PREFETCH_MAX, readAheadPages } from '../../src-renderer/ui/usePagedList';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import { until } from './storage-reads';

/** A list on screen: the rows of its first page, and its close (a switch closes the list it leaves). */
export interface ShownList {
  rows: PageRow[];
  close: () => void;
}

/** Opens a list as usePagedList does under `options` (its default page size) and waits for its first page. */
export async function showList<E extends EntityDef>(
  repo: EntityRepository<E>,
  options: PagedListOptions,
): Promise<ShownList> {
  let latest: PagesSnapshot<PageRow> = { rows: undefined, hasMore: false, loading: true };
  const pages = openPages(repo, options, 100, (snapshot) => (latest = snapshot));
  await until(
    () => latest.rows !== undefined,
    () => `the first page of ${JSON.stringify(options)}`,
  );
  return { rows: latest.rows ?? [], close: () => pages.close() };
}

/**
 * Reads ahead `choices` as usePrefetchedPages does once a list's rows are shown (readAheadPages),
 * each idle moment a later turn, and waits until every one read has answered.
 */
export async function readAhead<E extends EntityDef>(
  repo: EntityRepository<E>,
  choices: readonly PagedListOptions[],
): Promise<void> {
  let runs = 0;
  const schedule: Scheduler = (task) => {
    const timer = setTimeout(() => {
      runs++;
      task();
    }, 0);
    return () => clearTimeout(timer);
  };
  readAheadPages(repo, choices, undefined, schedule);
  // One run per query (a union's filters are one each), and the last finds none left.
  const expected = choices.slice(0, PREFETCH_MAX).reduce((n, choice) => n + wheresOf(choice).length, 0) + 1;
  await until(
    () => runs >= expected,
    () => `the read-ahead (${runs} of ${expected} idle moments)`,
  );
}
