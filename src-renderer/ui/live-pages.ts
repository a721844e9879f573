import { combineLatest, map, type Observable, type Subscription } from 'rxjs';
import { LIST_ORDERS, NEWEST_MAX } from '../../src-shared/schema/define-entity';
import type { Equality, ListOptions } from '../db/entity-repository';

export type Where = Record<string, Equality>;

/** What a paged list shows: one filter, or several disjoint ones whose union is the list. */
export type PagedListOptions = Omit<ListOptions, 'limit' | 'skip' | 'where' | 'after'> & {
  where?: Where | readonly Where[];
};

export type PageRow = Record<string, unknown> & { id: string };

/** The slice of an entity repository a paged list reads through. */
export interface PageSource<R extends PageRow> {
  observe(options: ListOptions): Observable<R[]>;
  /** With `cap`: reads at most `cap + 1` keys and answers at most `cap + 1`. */
  observeCount(options: Omit<ListOptions, 'limit' | 'skip' | 'order'>, cap?: number): Observable<number>;
}

export interface PagesSnapshot<R> {
  /** The loaded rows in list order, live; undefined until the first page arrives. */
  rows: R[] | undefined;
  /** Whether rows past the loaded ones may exist (loadMore would add some). */
  hasMore: boolean;
  /** A page was asked for and has not arrived yet. */
  loading: boolean;
  /** How many records the list holds in all (at most COUNT_CAP); undefined until counted (after the first page). */
  total?: number | undefined;
  /** The list holds more than `total` (COUNT_CAP): shown as "10,000+". */
  totalCapped?: boolean;
}

/**
 * A list counts at most this many records ("10,000+" above it): a count reads every key of its
 * range, and at 100k contacts an exact one held up the company and owner name lookups for seconds.
 */
export const COUNT_CAP = 10_000;

/**
 * The count starts this long after the first page: a user switching filters quickly would
 * otherwise have each switch's first-page read queued behind the last filter's count (up to
 * COUNT_CAP keys, one IndexedDB request that cannot be cancelled). A switch within it drops the count.
 */
const COUNT_DELAY_MS = 300;

export function wheresOf(options: PagedListOptions): readonly Where[] {
  const { where } = options;
  if (where === undefined) return [{}];
  return isWhereList(where) ? where : [where];
}

function isWhereList(where: Where | readonly Where[]): where is readonly Where[] {
  return Array.isArray(where);
}

const compareValues = (a: unknown, b: unknown) =>
  (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;

/** The repository's order as a comparator: its sort fields, then the id ascending (RxDB appends it). */
export function rowComparator(order: ListOptions['order']): (a: PageRow, b: PageRow) => number {
  const fields = order === 'score' ? LIST_ORDERS.score : LIST_ORDERS.newest;
  const sign = order === 'oldest' ? -1 : 1;
  return (a, b) => {
    for (const field of fields) {
      const c = compareValues(a[field], b[field]);
      if (c !== 0) return sign * c;
    }
    return compareValues(a.id, b.id);
  };
}

/** `rows`, from the top of a list in `compare` order, reach `target`'s place: hold it, or one after it. */
export function reaches<R>(rows: readonly R[], target: R, compare: (a: R, b: R) => number): boolean {
  const last = rows.at(-1);
  return last !== undefined && compare(last, target) >= 0;
}

/**
 * The row is one the list's options show: not deleted (unless they include deleted rows), every
 * equality of one of its filters, and its creation time in their range. A record opened by link is
 * read to (LivePages.reveal) only if so; else the list would read to its place for nothing.
 */
export function matchesOptions(row: PageRow, options: PagedListOptions): boolean {
  if (row.isDeleted === true && !options.includeDeleted) return false;
  const created = typeof row.createdAt === 'string' ? Date.parse(row.createdAt) : Number.NaN;
  const { from, before } = options.created ?? {};
  if (from !== undefined && !(created >= Date.parse(from))) return false;
  if (before !== undefined && !(created < Date.parse(before))) return false;
  return wheresOf(options).some((where) => Object.entries(where).every(([field, value]) => row[field] === value));
}

/**
 * Merges lists that are each already in `compare` order into one, in linear time (pairwise,
 * k lists in log k rounds): the index has sorted each part, so nothing is sorted again.
 */
export function mergeSorted<R>(parts: readonly (readonly R[])[], compare: (a: R, b: R) => number): R[] {
  let lists = parts.filter((p) => p.length > 0);
  if (lists.length === 0) return [];
  while (lists.length > 1) {
    const next: (readonly R[])[] = [];
    for (let i = 0; i < lists.length; i += 2) {
      const a = lists[i] as readonly R[];
      const b = lists[i + 1];
      next.push(b ? mergeTwo(a, b, compare) : a);
    }
    lists = next;
  }
  return [...(lists[0] as readonly R[])];
}

/**
 * The filters' answers with each row in the first that holds it: a record moved from one filter's
 * range to another's (a lead's status changed) leaves the first query and enters the second in two
 * separate answers, and was shown twice in between.
 */
export function onceEach<R extends PageRow>(parts: readonly R[][]): R[][] {
  const seen = new Set<string>();
  return parts.map((rows) => {
    const kept = rows.filter((row) => !seen.has(row.id));
    for (const row of kept) seen.add(row.id);
    return kept;
  });
}

function mergeTwo<R>(a: readonly R[], b: readonly R[], compare: (a: R, b: R) => number): R[] {
  const out: R[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    // Equal rows keep `a` first, so the merge is stable in the order of the parts.
    if (compare(b[j] as R, a[i] as R) < 0) out.push(b[j++] as R);
    else out.push(a[i++] as R);
  }
  while (i < a.length) out.push(a[i++] as R);
  while (j < b.length) out.push(b[j++] as R);
  return out;
}

const isoAt = (ms: number) => new Date(ms).toISOString();

function parsedMs(iso: string | undefined): number | undefined {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The repository options for the rows of one filter from just after `after` up to and including
 * `upTo` (list order). `after` is a keyset bound on (newest, id), newest or oldest first (the
 * repository's `after`: the rest of `after`'s millisecond by id, then the next ones, read from the
 * index without the rows shown before). `upTo` becomes a range on `newest` through the
 * creation-time range (`newest = NEWEST_MAX - createdMs`, integer milliseconds): `newest >= n` is
 * `created before (NEWEST_MAX - n + 1)`, `newest <= n` is `created from (NEWEST_MAX - n)`. That
 * range includes the bound's own millisecond, whose records are told apart by id afterwards (inRange).
 */
export function pageOptions(
  options: PagedListOptions,
  where: Where,
  bounds: { after?: PageRow; upTo?: PageRow; limit?: number },
): ListOptions {
  const { where: _where, ...rest } = options;
  const { after, upTo, limit } = bounds;
  const out: ListOptions = { ...rest, where };
  if (limit !== undefined) out.limit = limit;
  if (!after && !upTo) return out;
  if (options.order === 'score') throw new Error('a list ordered by score is paged by its limit, not by bounds');
  // Past (newest, id) of the last row shown, read from the index (EntityRepository's `after`).
  if (after) out.after = { newest: Number(after.newest), id: after.id };
  const [low, high] = options.order === 'oldest' ? [upTo, undefined] : [undefined, upTo];
  let before = parsedMs(options.created?.before);
  let from = parsedMs(options.created?.from);
  if (low) before = Math.min(before ?? Number.POSITIVE_INFINITY, NEWEST_MAX - Number(low.newest) + 1);
  if (high) from = Math.max(from ?? Number.NEGATIVE_INFINITY, NEWEST_MAX - Number(high.newest));
  out.created = {
    ...(from === undefined ? {} : { from: isoAt(from) }),
    ...(before === undefined ? {} : { before: isoAt(before) }),
  };
  return out;
}

/**
 * How many records the list holds in all (the filters of a union never overlap). With `cap`, each
 * filter's count reads at most `cap + 1` keys, so a sum above `cap` means "more than `cap`".
 */
export function observeTotal<R extends PageRow>(
  source: PageSource<R>,
  options: PagedListOptions,
  cap?: number,
): Observable<number> {
  const { order: _order, where: _where, ...rest } = options;
  return combineLatest(wheresOf(options).map((where) => source.observeCount({ ...rest, where }, cap))).pipe(
    map((counts) => counts.reduce((a, b) => a + b, 0)),
  );
}

/** Rows a closed page's read allows past its own: records created in its last row's millisecond. */
const RANGE_SLACK = 16;

interface Page<R> {
  /** Exclusive lower bound in list order; none for the first page. */
  after?: R;
  /** Inclusive upper bound, set when the next page is added; none for the last (open) page. */
  upTo?: R;
  /** Rows the open page shows (a page; a growing window for the score order). */
  size: number;
  /** Rows read past `size`, grown should a read come back with none past `after` (rows shown above). */
  extra: number;
  rows?: R[];
  more: boolean;
  /** A closed page's read limit: its rows and their neighbours at the bounds' instants, grown if that was short. */
  rangeLimit?: number;
  subscription?: Subscription;
}

/**
 * A live list read one page at a time from an index (keyset paging). The last page reads the
 * next `pageSize` rows after the one before it with a limit (the first page `firstPageSize`: a
 * screenful and some, so a filter's first visit reads and decrypts fewer rows); adding a page
 * closes that one at its own last row and opens a new one after it. Each page stays subscribed,
 * so an edit, insert or delete shows up in the page whose range it falls in: the pages are
 * contiguous ranges, with no row in two of them and none between.
 * A closed page keeps its limited query while that still holds every row of its range (see
 * subscribeOpen), and is read again as a bounded range only once rows added into it push its
 * last row out: adding a page reads one page, however many are loaded; growing one query's limit
 * re-read every loaded row.
 *
 * The score order (leads) has no keyset: the repository ranges only `newest`, so its one
 * page's limit grows instead.
 */
export class LivePages<R extends PageRow> {
  private readonly pages: Page<R>[] = [];
  private readonly compare: (a: PageRow, b: PageRow) => number;
  private readonly wheres: readonly Where[];
  private closed = false;
  private total: number | undefined;
  private totalCapped = false;
  private counting: Subscription | undefined;
  private countTimer: ReturnType<typeof setTimeout> | undefined;
  /** The page after the last one, read before loadMore asks for it (readAhead). */
  private ahead: Page<R> | undefined;
  private readingAhead = false;
  /** A row the loaded rows must reach (reveal). */
  private target: R | undefined;

  constructor(
    private readonly source: PageSource<R>,
    private readonly options: PagedListOptions,
    private readonly pageSize: number,
    private readonly onChange: (snapshot: PagesSnapshot<R>) => void,
    private readonly countCap = COUNT_CAP,
    firstPageSize = pageSize,
  ) {
    this.compare = rowComparator(options.order);
    this.wheres = wheresOf(options);
    const first: Page<R> = { size: firstPageSize, extra: 0, more: false };
    this.pages.push(first);
    this.subscribeOpen(first);
  }

  snapshot(): PagesSnapshot<R> {
    const rows: R[] = [];
    const { total, totalCapped } = this;
    for (const page of this.pages) {
      if (!page.rows)
        return { rows: this.pages[0]?.rows ? rows : undefined, hasMore: false, loading: true, total, totalCapped };
      rows.push(...page.rows);
    }
    return { rows, hasMore: this.pages.at(-1)?.more ?? false, loading: false, total, totalCapped };
  }

  /** Adds a page after the loaded rows, if there may be more and the last page has arrived. */
  loadMore(): void {
    const last = this.pages.at(-1);
    if (this.closed || !last?.rows || !last.more) return;
    if (this.options.order === 'score') {
      last.size += this.pageSize;
      this.subscribeOpen(last);
      return;
    }
    const end = last.rows.at(-1);
    if (!end) return;
    // Closed at its last row; its open query still holds that range (subscribeOpen), so it is not read again.
    last.upTo = end;
    // The page read ahead, if it starts right after `end`; else one read now.
    const ahead = this.ahead;
    this.ahead = undefined;
    const next = ahead?.after && this.compare(ahead.after, end) === 0 ? ahead : this.openAfter(end);
    if (ahead && next !== ahead) ahead.subscription?.unsubscribe();
    this.readingAhead = true;
    this.pages.push(next);
    this.emit();
    this.readAhead();
  }

  /**
   * Reads on, a page at a time, until the rows reach `row`'s place in the list order (a record
   * opened by link far down the list is shown in its row), and no further than the page that
   * holds it. Kept: an edit that moves the row further down reads on to it; undefined stops.
   * The caller says whether the row is one the list shows (matchesOptions): one that is not
   * would read the list down to where it would be.
   */
  reveal(row: R | undefined): void {
    this.target = row;
    this.readOn();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.countTimer);
    this.counting?.unsubscribe();
    this.ahead?.subscription?.unsubscribe();
    for (const page of this.pages) page.subscription?.unsubscribe();
  }

  /** A page past (newest, id) of `end`, newest or oldest first: no row shown above is read again. */
  private openAfter(end: R): Page<R> {
    const page: Page<R> = { after: end, size: this.pageSize, extra: 0, more: false };
    this.subscribeOpen(page);
    return page;
  }

  /**
   * Once the user has scrolled to a second page, the page after the last one is read before it is
   * asked for, so the next loadMore shows it at once; read again from the new end should the last
   * page's last row change. A list that is only looked at (a filter switched to) reads no more.
   */
  private readAhead(): void {
    const last = this.pages.at(-1);
    const end = last?.rows?.at(-1);
    if (!this.readingAhead || this.closed || !last?.more || !end) return;
    if (this.ahead?.after && this.compare(this.ahead.after, end) === 0) return;
    this.ahead?.subscription?.unsubscribe();
    this.ahead = this.openAfter(end);
  }

  /**
   * Counts the list once its first page is there, never before: a count walks the filter's whole
   * index range (in Chromium, loaded machine: ~1 s of IndexedDB time for 20k contacts, more at
   * 100k), and asked with the first page it competed with that page's read and its rows'
   * decryption; the first page and every filter change ask both. It reads at most COUNT_CAP + 1
   * keys per filter: an exact count of 100k walked them all and delayed the name lookups 12 s.
   */
  private countOnce(): void {
    if (this.counting || this.countTimer || this.closed) return;
    this.countTimer = setTimeout(() => {
      this.countTimer = undefined;
      if (this.closed) return;
      this.counting = observeTotal(this.source, this.options, this.countCap).subscribe((total) => {
        this.total = Math.min(total, this.countCap);
        this.totalCapped = total > this.countCap;
        this.emit();
      });
    }, COUNT_DELAY_MS);
  }

  private inRange(row: PageRow, page: Page<R>): boolean {
    return (!page.after || this.compare(row, page.after) > 0) && (!page.upTo || this.compare(row, page.upTo) <= 0);
  }

  private subscribe(page: Page<R>, limit: number | undefined, take: (parts: R[][]) => void): void {
    page.subscription?.unsubscribe();
    const parts = this.wheres.map((where) =>
      this.source.observe(pageOptions(this.options, where, { after: page.after, upTo: page.upTo, limit })),
    );
    page.subscription = combineLatest(parts).subscribe((results) => {
      if (!this.closed) take(results.length > 1 ? onceEach(results) : results);
    });
  }

  /**
   * The open page: each filter's next rows, merged. A filter that filled its limit may hold more
   * rows past its last one, so the page ends there: rows of other filters past it come later.
   * Once closed (`upTo` set by loadMore), the same query answers the page's range as long as each
   * filter's rows reach `upTo` or stopped short of the limit (nothing of the range left out); when
   * rows added into the range push `upTo` out of a filter's limit, the page reads its range instead.
   */
  private subscribeOpen(page: Page<R>): void {
    const limit = page.size + page.extra;
    this.subscribe(page, limit, (results) => {
      const upTo = page.upTo;
      if (upTo) {
        const whole = results.every((r) => r.length < limit || this.compare(r[r.length - 1] as R, upTo) >= 0);
        if (!whole) return queueMicrotask(() => !this.closed && this.subscribeBounded(page));
        page.rows = mergeSorted(results, this.compare).filter((r) => this.inRange(r, page));
        return this.emit();
      }
      const full = results.filter((r) => r.length >= limit).map((r) => r[r.length - 1] as R);
      const cutoff = full.sort(this.compare)[0];
      let rows = mergeSorted(results, this.compare).filter(
        (r) => this.inRange(r, page) && (!cutoff || this.compare(r, cutoff) <= 0),
      );
      if (rows.length === 0 && cutoff) {
        // More records share the bound's instant than were counted (written since): read further.
        page.extra = page.extra * 2 + page.size;
        // Unless closed, or a page read ahead and dropped meanwhile.
        queueMicrotask(() => !this.closed && page.subscription?.closed === false && this.subscribeOpen(page));
        return;
      }
      page.more = full.length > 0 || rows.length > page.size;
      rows = rows.slice(0, page.size);
      page.rows = rows;
      // Read ahead: shown once loadMore takes it.
      if (page === this.ahead) return;
      this.emit();
      this.countOnce();
      if (page === this.pages.at(-1)) this.readAhead();
    });
  }

  /**
   * A closed page: its range, read with a limit. The range alone would bound the read, but a
   * query without a limit is walked by a cursor, one IndexedDB request per row, where a limit
   * lets the storage read it in one (page-query-storage.ts). The limit covers the page's rows and
   * their neighbours at the bounds' instants; a filter whose read fills it while still inside the
   * range (rows added since) is read again with twice the limit.
   */
  private subscribeBounded(page: Page<R>): void {
    page.rangeLimit ??= (page.rows?.length ?? page.size) + page.extra + RANGE_SLACK;
    const limit = page.rangeLimit;
    const upTo = page.upTo;
    this.subscribe(page, limit, (results) => {
      const short = results.some((r) => r.length >= limit && upTo && this.compare(r[r.length - 1] as R, upTo) <= 0);
      if (short) {
        page.rangeLimit = limit * 2;
        queueMicrotask(() => !this.closed && this.subscribeBounded(page));
        return;
      }
      page.rows = mergeSorted(results, this.compare).filter((r) => this.inRange(r, page));
      this.emit();
    });
  }

  private emit(): void {
    if (this.closed) return;
    this.onChange(this.snapshot());
    // After the rows are shown, in a microtask: loadMore emits (a page read ahead is there at once).
    if (this.target) queueMicrotask(() => this.readOn());
  }

  /** A page more while the rows, all arrived, stop short of the revealed row's place. */
  private readOn(): void {
    const { target } = this;
    if (!target || this.closed) return;
    const { rows, hasMore, loading } = this.snapshot();
    if (rows && hasMore && !loading && !reaches(rows, target, this.compare)) this.loadMore();
  }
}
