import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Observable } from 'rxjs';
import type { EntityDef, EntityRecord } from '../../src-shared/schema/define-entity';
import type { EntityRepository, ListOptions } from '../db/entity-repository';
import {
  LivePages,
  matchesOptions,
  type PagedListOptions,
  type PageRow,
  type PageSource,
  type PagesSnapshot,
} from './live-pages';
import { firstPageQueries, prefetchFirstPages, type Scheduler, whenIdle } from './prefetch-pages';

export type { PagedListOptions } from './live-pages';

export interface PagedList<R> {
  /** The loaded rows, live; undefined until the first page arrives. */
  rows: readonly R[] | undefined;
  /** How many records match in all, at most COUNT_CAP (see totalCapped). */
  total: number | undefined;
  /** More than `total` records match (a count stops at COUNT_CAP): show it as "10,000+" (listCountText). */
  totalCapped: boolean;
  /** Loads the next page (called by the list when the user scrolls near its end). */
  loadMore: () => void;
  /**
   * The rows are not yet those of the current options: the first page, or the first page of a
   * changed filter, is on its way (the previous filter's rows stay on screen meanwhile).
   */
  busy: boolean;
}

/** Every record has an id; EntityRecord<E> of a generic E is not known to TypeScript to carry it. */
const asSource = <E extends EntityDef>(repo: EntityRepository<E>) => repo as unknown as PageSource<PageRow>;
const asRecords = <E extends EntityDef>(repo: EntityRepository<E>) =>
  repo as unknown as { observeOne(id: string): Observable<PageRow | undefined> };

/**
 * Rows of a list's first page: a tall window's screen (about 30 rows of 40 px) and its overscan,
 * with room before VirtualTable asks for more (20 rows from the end). A filter switched to for the
 * first time waits for this read and the decryption of its rows: 100 made it the slowest switch.
 */
export const FIRST_PAGE_SIZE = 60;

/** Rows a list reads at a time after its first page, unless it says otherwise. */
const PAGE_SIZE = 100;

/** The size of the first page of a list of `pageSize` pages: what its first-page queries ask for. */
export const firstPageSize = (pageSize: number) => Math.min(pageSize, FIRST_PAGE_SIZE);

/** The pages of a list as usePagedList reads them (its first page firstPageSize(pageSize)). */
export function openPages<E extends EntityDef>(
  repo: EntityRepository<E>,
  options: PagedListOptions,
  pageSize: number,
  onChange: (snapshot: PagesSnapshot<PageRow>) => void,
): LivePages<PageRow> {
  return new LivePages(asSource(repo), options, pageSize, onChange, undefined, firstPageSize(pageSize));
}

/**
 * The record `id` (the one open beside a list, perhaps by a link), live, if `matches` says the
 * list shows it: what the list reads down to (LivePages.reveal, InboxReader.reveal). Undefined
 * without an id, while it is read, and for a record the list does not show (deleted, filtered out).
 */
export function useRevealTarget<R extends { id: string }>(
  repo: { observeOne(id: string): Observable<R | undefined> },
  id: string | undefined,
  matches: (row: R) => boolean,
): R | undefined {
  const [found, setFound] = useState<R | undefined>(undefined);
  useEffect(() => {
    if (!id) return;
    const subscription = repo.observeOne(id).subscribe(setFound);
    return () => subscription.unsubscribe();
  }, [repo, id]);
  return found && found.id === id && matches(found) ? found : undefined;
}

/**
 * A live list read page by page from an index (LivePages: each page a keyset range, so adding one
 * reads a page, not every loaded row). The first page comes at once however many records match.
 * `where` may be several disjoint filters, each served by its own index, whose union is the list.
 * Changing the options starts again at one page. The record `revealId` (open beside the list,
 * perhaps by a link) is read down to, so its row is there however far down it is.
 */
export function usePagedList<E extends EntityDef>(
  repo: EntityRepository<E>,
  options: PagedListOptions = {},
  pageSize = PAGE_SIZE,
  revealId?: string,
): PagedList<EntityRecord<E>> {
  const key = JSON.stringify(options);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the options' content.
  const stable = useMemo(() => options, [key]);
  // Which options the snapshot answers: a changed filter is busy until its first page arrives.
  const [state, setState] = useState<{ of: unknown; snapshot: PagesSnapshot<PageRow> }>({
    of: undefined,
    snapshot: { rows: undefined, hasMore: false, loading: true },
  });
  const live = useRef<LivePages<PageRow> | undefined>(undefined);
  useEffect(() => {
    const pages = openPages(repo, stable, pageSize, (snapshot) => setState({ of: stable, snapshot }));
    live.current = pages;
    return () => pages.close();
  }, [repo, stable, pageSize]);
  const target = useRevealTarget(asRecords(repo), revealId, (row) => matchesOptions(row, stable));
  // After the effect above: a new filter's pages are told too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `stable` stands for the pages the effect above opened.
  useEffect(() => {
    live.current?.reveal(target);
  }, [stable, target]);
  const { snapshot } = state;
  const busy = state.of !== stable || snapshot.rows === undefined;
  const loadMore = useCallback(() => live.current?.loadMore(), []);
  // The count of the current options only (LivePages counts after the first page).
  const total = state.of === stable ? snapshot.total : undefined;
  const totalCapped = total !== undefined && snapshot.totalCapped === true;
  return { rows: snapshot.rows as EntityRecord<E>[] | undefined, total, totalCapped, loadMore, busy };
}

/** At most this many first pages are read ahead for a list (each one query of FIRST_PAGE_SIZE rows). */
export const PREFETCH_MAX = 12;

/**
 * Once `ready` (the list's own rows shown), reads the first page of each of `choices` (the list's
 * options under its filters' other values) while the page is idle, so that choosing one of them
 * shows its rows from RxDB's query cache (prefetch-pages.ts). Stops when the list changes.
 * `pageSize` is the list's (usePagedList's): its first page is the one read.
 */
export function usePrefetchedPages<E extends EntityDef>(
  repo: EntityRepository<E>,
  choices: readonly PagedListOptions[],
  ready: boolean,
  pageSize = PAGE_SIZE,
): void {
  const key = JSON.stringify(choices);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the choices' content.
  useEffect(() => {
    if (!ready || choices.length === 0) return;
    return readAheadPages(repo, choices, pageSize);
  }, [repo, key, ready, pageSize]);
}

/**
 * The choices whose first page the index answers alone (EntityRepository.plan): a read of one
 * page, not a walk of the kind's range. A filter no index serves (a deal's forecast category; two
 * of a communication's filters together, which walk the first one's index) is matched row by row,
 * one IndexedDB request each, until a page is found: for a rare value many records, for a value no
 * record has every record of the kind. Measured in Chromium, 60k communications, first page
 * (6 runs, median): before their filters had indexes (activities v2) a type 1 in 6 took 58 ms, a
 * status 1 in 50 254 ms, a type 1 in 100 596 ms, a status none has 5.0 s (every record walked);
 * with them 1-10 ms each, as all of them. Read unasked, such walks would run on every change of a
 * filter, for each value. Such a page is read when it is chosen (the companies list leaves out its
 * type for this reason). A choice the repository refuses is left out too.
 */
export function servedByIndex<E extends EntityDef>(
  repo: EntityRepository<E>,
  choices: readonly PagedListOptions[],
  pageSize = PAGE_SIZE,
): PagedListOptions[] {
  const served = (query: ListOptions) => {
    try {
      const plan = repo.plan(query);
      return plan.selectorSatisfiedByIndex && plan.sortSatisfiedByIndex;
    } catch {
      return false;
    }
  };
  return choices.filter((choice) => firstPageQueries(choice, firstPageSize(pageSize)).every(served));
}

/**
 * What usePrefetchedPages starts: the first pages of the first PREFETCH_MAX of `choices`, as
 * openPages reads them, one per idle moment (`schedule`). Returns its cancel.
 */
export function readAheadPages<E extends EntityDef>(
  repo: EntityRepository<E>,
  choices: readonly PagedListOptions[],
  pageSize = PAGE_SIZE,
  schedule: Scheduler = whenIdle,
): () => void {
  return prefetchFirstPages(asSource(repo), choices.slice(0, PREFETCH_MAX), firstPageSize(pageSize), schedule);
}
