import { combineLatest, firstValueFrom, map, NEVER, type Observable } from 'rxjs';
import { SCORE_MAX } from '../../../src-shared/schema/define-entity';
import type { ListOptions } from '../../db/entity-repository';
import { LivePages, type PageSource, type PagesSnapshot, reaches as reachesIn, type Where } from '../../ui/live-pages';
import { readOneAtATime, type Scheduler, whenIdle } from '../../ui/prefetch-pages';
import { FIRST_PAGE_SIZE } from '../../ui/usePagedList';
import { ALL_STATUSES, compareInbox, type InboxFilter, inboxQueries, type Lead } from './lead-inbox.queries';

/** Leads a page of the inbox adds when the user scrolls near the end of it. */
export const INBOX_PAGE_SIZE = 100;

/**
 * An owner with at most this many leads under the filter's statuses is read from the owner's index
 * and sorted by the repository (see openInbox); one with more, by the score ranks.
 */
export const OWNER_SORT_MAX = 2_000;

/** The repository calls the inbox's pages make (a lead repository is one). */
export interface LeadSource {
  observe(options: ListOptions): Observable<Lead[]>;
  observeCount(options: Omit<ListOptions, 'limit' | 'skip' | 'order'>, cap?: number): Observable<number>;
}

export interface InboxSnapshot {
  /** The leads in inbox order from the top, live; undefined until the first page is there. */
  rows: Lead[] | undefined;
  /** Leads past `rows` may match (loadMore would add some). */
  hasMore: boolean;
  /** Rows asked for are still being read. */
  loading: boolean;
}

export interface InboxSizes {
  pageSize?: number;
  firstPageSize?: number;
  /** OWNER_SORT_MAX (tests set a smaller one). */
  ownerSortMax?: number;
}

export interface InboxReader {
  loadMore(): void;
  /**
   * Reads on until the rows reach `lead`'s place in the inbox order (a lead opened by link far down
   * the list is shown in its row); undefined stops. Kept, so a later edit that moves it down reads on.
   */
  reveal(lead: Lead | undefined): void;
  close(): void;
}

/** The lead's stored scoreRank: a derived field (lead.entity.ts), so not in the Lead type. */
const rankOf = (lead: Lead) => (lead as Lead & { scoreRank?: number }).scoreRank;

/** `rows`, from the top of the inbox, reach `lead`'s place (hold it, or one after it). */
const reaches = (rows: readonly Lead[], lead: Lead) => reachesIn(rows, lead, compareInbox);

/**
 * One score's leads under the filter: every repository query of inboxQueries with the source and
 * `scoreRank` (SCORE_MAX - score) as equalities. Read newest first, each is one range of the
 * [status, isDeleted, scoreRank, newest] or [isDeleted, scoreRank, newest] index, so it is paged
 * by LivePages' keyset (newest, id) like any other list. An owner is served by the
 * [ownerId, status, …] index (no scoreRank in it), a source by no index: RxDB then walks the
 * range matching row by row and stops at the page's limit, so a page is never short while
 * matching leads remain, and only matching leads are read into documents and decrypted.
 */
export function rankWheres(filter: InboxFilter, rank: number): Where[] {
  const source: Where = filter.source ? { source: filter.source } : {};
  return inboxQueries(filter).map((where) => ({ ...where, ...source, scoreRank: rank }));
}

/**
 * The inbox's reader for `filter`. Without an owner: InboxPages. With one, the owner's index has no
 * scoreRank, so each rank's read would walk all of the owner's leads of a status; the owner's
 * count (its index, at most OWNER_SORT_MAX + 1 keys) chooses instead:
 * - a few (at most OWNER_SORT_MAX): the repository reads the owner's range and sorts it (one walk
 *   of at most that many index entries per read, only the page's rows made into documents);
 *   LivePages' score order, whose limit grows a page at a time;
 * - more: the owner holds a good share of the leads, so InboxPages walks the score ranks without
 *   the owner and keeps the owner's leads; a page reads a few pages.
 */
export function openInbox(
  source: LeadSource,
  filter: InboxFilter,
  onChange: (snapshot: InboxSnapshot) => void,
  { pageSize = INBOX_PAGE_SIZE, firstPageSize = FIRST_PAGE_SIZE, ownerSortMax = OWNER_SORT_MAX }: InboxSizes = {},
): InboxReader {
  if (!filter.ownerId) return new InboxPages(source, filter, onChange, pageSize, firstPageSize);
  let reader: InboxReader | undefined;
  let target: Lead | undefined;
  let closed = false;
  const counts = inboxQueries(filter).map((where) => source.observeCount({ where }, ownerSortMax));
  void firstValueFrom(combineLatest(counts).pipe(map((n) => n.reduce((a, b) => a + b, 0)))).then((owned) => {
    if (closed) return;
    if (owned > ownerSortMax) {
      reader = new InboxPages(source, filter, onChange, pageSize, firstPageSize, true);
      reader.reveal(target);
      return;
    }
    const rest: Where = filter.source ? { source: filter.source } : {};
    const where = inboxQueries(filter).map((w) => ({ ...w, ...rest }));
    // One query whose limit grows a page at a time (LivePages reads on to a lead revealed).
    const pages = new LivePages<Lead>(
      { observe: (o) => source.observe(o), observeCount: () => NEVER },
      { where, order: 'score' },
      pageSize,
      (s) => {
        if (s.rows) onChange({ rows: s.rows, hasMore: s.hasMore, loading: s.loading });
      },
      undefined,
      firstPageSize,
    );
    pages.reveal(target);
    reader = pages;
  });
  return {
    loadMore: () => reader?.loadMore(),
    reveal: (lead) => {
      target = lead;
      reader?.reveal(lead);
    },
    close: () => {
      closed = true;
      reader?.close();
    },
  };
}

interface Rank {
  rank: number;
  pages?: LivePages<Lead>;
  snapshot: PagesSnapshot<Lead>;
}

/**
 * The inbox without a lead list, read a page at a time in its order: highest score first, then
 * newest, then id. The repository has no keyset for the score order (LivePages grows one query's
 * limit, reading every loaded row again on each page), but a score has only SCORE_MAX + 1 values:
 * the inbox is the lists of ranks 0, 1, … SCORE_MAX one after another, each a keyset-paged,
 * live LivePages (rankWheres). A rank is opened only once those above it are read to their end
 * and the page still wants rows; ranks that turn out empty open the next ones two, four, … at a
 * time, so a gap of scores costs a few round trips, not one per score.
 *
 * The rows shown are the ranks in order up to the first one that may hold more (a rank whose
 * later page has not been read): never a row with a gap above it. Each rank's pages stay
 * subscribed, so an edit, a new lead or a sync moves a lead between ranks as it happens.
 * Once the user has asked for a second page, a page more than asked for is read ahead.
 * With `ownerInMemory` (openInbox: an owner of many leads) the ranks are read without the owner
 * and only the owner's leads count towards a page and are shown.
 */
export class InboxPages implements InboxReader {
  private readonly ranks: Rank[] = [];
  private readonly source: PageSource<Lead>;
  /** Rows the user has asked for (the first page, then a page per loadMore). */
  private wanted: number;
  private ahead = 0;
  /** Ranks opened together when those loaded are read to their end: doubles while they come back empty. */
  private batch = 1;
  private started = false;
  private closed = false;
  private filling = false;
  private again = false;
  private satisfied = false;
  /** The owner, matched in memory (openInbox: an owner of many leads); else every row read is shown. */
  private readonly owner: string | undefined;
  private readonly readFilter: InboxFilter;
  /** A lead whose row the rows must reach (reveal). */
  private target: Lead | undefined;

  constructor(
    source: LeadSource,
    filter: InboxFilter,
    private readonly onChange: (snapshot: InboxSnapshot) => void,
    private readonly pageSize = INBOX_PAGE_SIZE,
    firstPageSize = FIRST_PAGE_SIZE,
    ownerInMemory = false,
  ) {
    this.owner = ownerInMemory && filter.ownerId ? filter.ownerId : undefined;
    this.readFilter = this.owner ? { ...filter, ownerId: '' } : filter;
    // The ranks are never counted one by one: the inbox counts its filter as a whole.
    this.source = { observe: (options) => source.observe(options), observeCount: () => NEVER };
    this.wanted = firstPageSize;
    this.fill();
  }

  /** Asks for a page more than asked so far (VirtualTable's onEndReached). */
  loadMore(): void {
    if (this.closed || !this.started) return;
    // From the rows shown: a lead revealed may have read past the rows asked for.
    this.wanted = Math.max(this.wanted, this.snapshot().rows?.length ?? 0) + this.pageSize;
    this.ahead = this.pageSize;
    this.fill();
  }

  reveal(lead: Lead | undefined): void {
    this.target = lead;
    if (lead) this.fill();
  }

  close(): void {
    this.closed = true;
    for (const rank of this.ranks) rank.pages?.close();
  }

  snapshot(): InboxSnapshot {
    const loading = !this.satisfied;
    if (!this.started) return { rows: undefined, hasMore: true, loading };
    const rows: Lead[] = [];
    const shown = new Set<string>();
    for (const { rank, snapshot } of this.ranks) {
      if (!snapshot.rows) return { rows, hasMore: true, loading };
      for (const lead of this.kept(snapshot.rows)) {
        // A re-scored lead leaves its old rank's query and enters the new one's in two answers:
        // meanwhile it is in both, or its old rank's answer already has its new score. Shown once,
        // and only where its score puts it, so the rows stay in score order (CI run of 8dd7332).
        if (rankOf(lead) !== rank || shown.has(lead.id)) continue;
        shown.add(lead.id);
        rows.push(lead);
      }
      if (snapshot.hasMore || snapshot.loading) return { rows, hasMore: true, loading };
    }
    return { rows, hasMore: this.lastRank() < SCORE_MAX, loading };
  }

  private kept(rows: readonly Lead[]): readonly Lead[] {
    const { owner } = this;
    return owner ? rows.filter((lead) => lead.ownerId === owner) : rows;
  }

  /** The revealed lead comes after `rows`, the part of `rank` read so far (or in a rank below). */
  private short(rank: number, rows: readonly Lead[]): boolean {
    const { target } = this;
    if (!target) return false;
    const at = SCORE_MAX - target.score;
    return at > rank || (at === rank && !reaches(rows, target));
  }

  private lastRank(): number {
    return this.ranks.at(-1)?.rank ?? -1;
  }

  /** Reads until the ranks in order hold the rows wanted, or the last rank is read; then shows them. */
  private fill(): void {
    if (this.closed) return;
    // A rank's LivePages may answer while it is asked (from RxDB's cache): that answer comes back here.
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = true;
    try {
      do {
        this.again = false;
        this.step();
      } while (this.again && !this.closed);
    } finally {
      this.filling = false;
    }
    // Shown only once the rows asked for are read: a rank that grew past its last page (a lead
    // moved into it) hides the ranks below it until its next page is in, which would blink.
    if (this.satisfied && !this.closed) this.onChange(this.snapshot());
  }

  private step(): void {
    this.satisfied = false;
    const want = this.wanted + this.ahead;
    let have = 0;
    for (const { rank, snapshot, pages } of this.ranks) {
      if (!snapshot.rows || snapshot.loading) return;
      have += this.kept(snapshot.rows).length;
      if (!snapshot.hasMore) continue;
      // The rank holds more (its next page, or leads moved into it since): read it before any below.
      if (have < want || this.short(rank, snapshot.rows)) pages?.loadMore();
      else this.started = this.satisfied = true;
      return;
    }
    if ((have >= want && !this.short(this.lastRank() + 1, [])) || this.lastRank() >= SCORE_MAX) {
      this.started = this.satisfied = true;
      return;
    }
    const opened = this.ranks.slice(-this.batch);
    this.batch = opened.length > 0 && opened.every((r) => r.snapshot.rows?.length === 0) ? this.batch * 2 : 1;
    const first = this.lastRank() + 1;
    const last = Math.min(SCORE_MAX, first + this.batch - 1);
    for (let rank = first; rank <= last; rank++) this.open(rank, Math.max(1, want - have));
  }

  private open(rank: number, need: number): void {
    const entry: Rank = { rank, snapshot: { rows: undefined, hasMore: false, loading: true } };
    this.ranks.push(entry);
    // A rank's first read asks for what the page still lacks, at most a page.
    const first = Math.min(this.pageSize, Math.max(need, 20));
    entry.pages = new LivePages(
      this.source,
      { where: rankWheres(this.readFilter, rank), order: 'newest' },
      this.pageSize,
      (snapshot) => {
        entry.snapshot = snapshot;
        this.fill();
      },
      undefined,
      first,
    );
  }
}

/**
 * Once the inbox shows its rows, reads the first page of each other status choice ('open', all,
 * then each status) while the page is idle, one after another, and lets each go once read: RxDB
 * keeps a query's result in its query cache after its last subscriber has gone, so choosing one
 * of them shows its rows without reading them (prefetch-pages.ts, as the other lists). Only for a
 * filter the indexes serve alone: with a source or an owner each choice would walk ranges
 * unasked (servedByIndex leaves such choices out for the same reason). Returns its cancel.
 */
export function readAheadInbox(
  source: LeadSource,
  filter: InboxFilter,
  schedule: Scheduler = whenIdle,
  firstPageSize = FIRST_PAGE_SIZE,
): () => void {
  if (filter.source || filter.ownerId || filter.listId) return () => {};
  const statuses: InboxFilter['status'][] = ['open', '', ...ALL_STATUSES];
  const choices = statuses.filter((status) => status !== filter.status).map((status) => ({ ...filter, status }));
  return readOneAtATime(
    choices.map((choice) => (done) => {
      const pages = new InboxPages(source, choice, done, INBOX_PAGE_SIZE, firstPageSize);
      return () => pages.close();
    }),
    schedule,
  );
}
