import { BehaviorSubject, filter, firstValueFrom, type Observable, type Subscription } from 'rxjs';
import type { RecordChange } from '../../db/kind-records';
import type { LoadResult } from './index-host';
import type { VaultRef } from './index-vault';
import { SEARCH_KINDS, type SearchDoc, type SearchKind, toSearchDoc } from './search-documents';
import { LocalSearchEngine, type SearchEngine, type SearchGroup, type SearchQueryOptions } from './search-engine';

export { foldTerm, MIN_PREFIX, type SearchGroup, type SearchHit, type SearchQueryOptions } from './search-engine';

type Plain = Record<string, unknown>;

/** Where the index reads records: a batched scan of every record of a kind, its count and its changes. */
export interface SearchSource {
  /** How many live records of the kind there are (for "indexing… n of m"). */
  count(kind: SearchKind): Promise<number>;
  /** Every record of the kind (soft-deleted may be included: they are skipped), batch by batch. */
  scan(kind: SearchKind): AsyncIterable<readonly Plain[]>;
  /** Each write's changed records of the kind, in write order, from the moment of subscription. */
  changes(kind: SearchKind): Observable<readonly RecordChange[]>;
  /**
   * What was written to the kind's records after `lwt` (RxDB's write time), soft and hard deletions
   * included, batch by batch: the catch-up of a saved index.
   */
  changesSince(kind: SearchKind, lwt: number): AsyncIterable<readonly RecordChange[]>;
  /** The live contacts or deals of a company (read again when the company is renamed). */
  ofCompany(kind: 'contact' | 'deal', companyId: string): Promise<readonly Plain[]>;
}

export interface IndexProgress {
  /**
   * 'loading': the saved index is being read, then brought up to date (searches wait for it);
   * 'partial': the saved names-only index answers, brought up to date, while the full one loads;
   * 'building': from a scan.
   */
  status: 'idle' | 'loading' | 'partial' | 'building' | 'ready' | 'failed';
  indexed: number;
  total: number;
}

/** Keeping the index between sessions (index-vault.ts). */
export interface IndexPersistence {
  /** This database's vault; undefined when there is no key to seal with (then it is built every session). */
  vault(): Promise<VaultRef | undefined>;
  /**
   * The checkpoint saved is this long before the save: a write whose change event was still on its
   * way is read again by the catch-up rather than missed (applying it twice is harmless).
   */
  marginMs?: number;
  /**
   * After a change, the index is saved again this much later (at most one save per period). A save
   * costs the worker time in proportion to the whole index (seconds at 100k, searches wait), a
   * catch-up only in proportion to the changes: saves are rare.
   */
  saveDelayMs?: number;
}

/** How the index was made ready this session (for tests and the console). */
export interface StartReport {
  from: 'saved' | 'scan';
  /** Why a saved index was not used: none, stale (format or schema), or corrupt. */
  reason?: string;
  /** Records read again by the catch-up of a saved index. */
  caughtUp: number;
}

const DEFAULT_MARGIN_MS = 60_000;
const DEFAULT_SAVE_DELAY_MS = 5 * 60_000;
/** A catch-up this long is saved at once (the next session would read it all again); a shorter one later. */
const RESAVE_NOW_AFTER = 1000;

/** Companies first: contacts and deals show, and are found by, their company's name. */
const BUILD_ORDER: readonly SearchKind[] = ['company', 'contact', 'lead', 'deal', 'note'];

/**
 * A local full-text index of contacts, companies, leads, deals and notes (MiniSearch: prefix and
 * fuzzy matching, BM25 ranking, in a worker in the app). Loaded from the copy saved by the last
 * session and brought up to date from the changes since, or else built in the background from a
 * scan of the database; then kept current by its change stream and saved again now and then.
 * Soft-deleted records are never in it.
 */
export class SearchIndex {
  private readonly companyNames = new Map<string, string>();
  /** Counts applied writes: a re-read of a company's people knows what was written after it began. */
  private writes = 0;
  /** While such re-reads are under way: each record's last write (by `writes`), else empty. */
  private readonly lastWrite = new Map<string, number>();
  private rereads = 0;
  private readonly subscriptions: Subscription[] = [];
  /** Changes that arrived while building; applied once the scan has finished. */
  private pending: { kind: SearchKind; changes: readonly RecordChange[] }[] | undefined = [];
  private readonly progressSubject = new BehaviorSubject<IndexProgress>({ status: 'idle', indexed: 0, total: 0 });
  private readonly savesSubject = new BehaviorSubject(0);
  private started: Promise<void> | undefined;
  /** When the build began (for the console's account of where a load's time went). */
  private buildStarted = 0;
  private stopped = false;
  private count = 0;
  private vault: VaultRef | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last save asked for (tests wait for it); resolves even when saving failed (it is logged). */
  lastSave: Promise<void> = Promise.resolve();
  report: StartReport | undefined;

  constructor(
    private readonly source: SearchSource,
    private engine: SearchEngine = new LocalSearchEngine(),
    private readonly persistence?: IndexPersistence,
  ) {}

  readonly progress$: Observable<IndexProgress> = this.progressSubject.asObservable();
  /** How many times the index has been saved this session. */
  readonly saved$: Observable<number> = this.savesSubject.asObservable();

  get progress(): IndexProgress {
    return this.progressSubject.value;
  }

  /** How many records the index held when it last settled. */
  get size(): number {
    return this.count;
  }

  /** Builds the index once (later calls return the same promise); resolves when it is ready. */
  start(): Promise<void> {
    this.started ??= this.build().catch((error: unknown) => {
      console.error('[search] the index could not be built', error);
      this.progressSubject.next({ ...this.progress, status: 'failed' });
    });
    return this.started;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.saveTimer);
    for (const s of this.subscriptions) s.unsubscribe();
    this.engine.dispose();
  }

  private async build(): Promise<void> {
    this.buildStarted = performance.now();
    try {
      // A handshake before any record is sent: an engine that cannot answer is replaced while nothing is lost.
      await this.engine.settle();
    } catch (error) {
      console.warn('[search] the index is built on the page instead', error);
      this.engine.dispose();
      this.engine = new LocalSearchEngine();
    }
    // Listen first: a write during the scan is applied after it, so none is lost.
    for (const kind of SEARCH_KINDS) {
      this.subscriptions.push(
        this.source.changes(kind).subscribe((changes) => {
          if (this.pending) this.pending.push({ kind, changes });
          else this.apply(kind, changes);
        }),
      );
    }
    const engineReady = Math.round(performance.now() - this.buildStarted);
    this.vault = await this.vaultRef();
    if (this.vault)
      console.info(`[search] engine ready ${engineReady} ms, key ${this.since()} ms after the build began`);
    const loaded = this.vault ? await this.loadSaved(this.vault) : false;
    if (!loaded) {
      this.report ??= { from: 'scan', reason: 'nothing saved', caughtUp: 0 };
      await this.scanAll();
    }
    if (this.stopped) return;
    this.applyPending();
    this.count = await this.engine.settle();
    this.progressSubject.next({ status: 'ready', indexed: this.count, total: this.count });
    const caughtUp = this.report?.caughtUp ?? 0;
    if (!loaded || caughtUp >= RESAVE_NOW_AFTER) this.lastSave = this.save();
    else if (caughtUp > 0) this.saveSoon();
  }

  private since(): number {
    return Math.round(performance.now() - this.buildStarted);
  }

  /** From now on changes go to the engine as they come, those held back first. */
  private applyPending(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const { kind, changes } of pending) this.apply(kind, changes);
  }

  private async vaultRef(): Promise<VaultRef | undefined> {
    try {
      return await this.persistence?.vault();
    } catch (error) {
      console.warn('[search] the index is not kept between sessions: no key to seal it with', error);
      return undefined;
    }
  }

  /** The saved index, brought up to date from the changes since its checkpoint; false when there is none to use. */
  private async loadSaved(vault: VaultRef): Promise<boolean> {
    this.progressSubject.next({ status: 'loading', indexed: 0, total: 0 });
    let result: LoadResult;
    try {
      result = await this.engine.load(vault);
    } catch (error) {
      result = { status: 'corrupt', reason: String(error) };
    }
    if (result.status !== 'loaded') {
      const reason = result.status === 'missing' ? 'nothing saved' : `${result.status}: ${result.reason}`;
      if (result.status !== 'missing') console.warn(`[search] the saved index is rebuilt (${reason})`);
      this.report = { from: 'scan', reason, caughtUp: 0 };
      return false;
    }
    for (const [id, name] of result.companies) this.companyNames.set(id, name);
    let caughtUp = 0;
    const catchUpStarted = performance.now();
    this.progressSubject.next({ status: 'loading', indexed: result.count, total: result.count });
    // Companies first, as in a build: a contact written since is indexed under its company's new name.
    for (const kind of BUILD_ORDER) {
      for await (const changes of this.source.changesSince(kind, result.checkpoint)) {
        if (this.stopped) return true;
        this.apply(kind, changes);
        caughtUp += changes.length;
      }
    }
    const ms = { ...result.ms, catchUp: Math.round(performance.now() - catchUpStarted) };
    const what = result.partial ? 'names index' : 'index';
    console.info(
      `[search] saved ${what} of ${result.count} records: unsealed in ${ms.unseal} ms, parsed in ${ms.parse} ms, ${caughtUp} changes caught up in ${ms.catchUp} ms`,
    );
    if (result.partial) {
      // The names answer now; changes reach them (and, later, the full index) as they come.
      this.applyPending();
      this.progressSubject.next({ status: 'partial', indexed: result.count, total: result.count });
      console.info(`[search] names answer ${this.since()} ms after the build began`);
      const full = await this.engine.whenFull().catch((error: unknown) => ({
        status: 'corrupt' as const,
        reason: String(error),
      }));
      if (this.stopped) return true;
      if (full.status !== 'loaded') {
        console.warn(`[search] the saved index is rebuilt (corrupt: ${full.reason})`);
        // A scan again: changes wait for it, as in any build.
        this.pending = [];
        this.report = { from: 'scan', reason: `corrupt: ${full.reason}`, caughtUp: 0 };
        return false;
      }
      console.info(
        `[search] full index of ${full.count} records: unsealed in ${full.ms.unseal} ms, made in ${full.ms.parse} ms (the names index answered meanwhile)`,
      );
    }
    this.report = { from: 'saved', caughtUp };
    return true;
  }

  /** Every record read and indexed, batch by batch, the worker's index growing as the scan goes. */
  private async scanAll(): Promise<void> {
    const counts = await Promise.all(SEARCH_KINDS.map((kind) => this.source.count(kind)));
    const total = counts.reduce((a, b) => a + b, 0);
    let indexed = 0;
    this.progressSubject.next({ status: 'building', indexed, total });
    for (const kind of BUILD_ORDER) {
      for await (const batch of this.source.scan(kind)) {
        const docs: SearchDoc[] = [];
        for (const record of batch) {
          const doc = toSearchDoc(record, (id) => this.companyNames.get(id));
          if (doc) docs.push(this.remember(doc));
        }
        for (let i = 0; i < docs.length; i += this.engine.batchSize) {
          if (this.stopped) return;
          this.engine.put(docs.slice(i, i + this.engine.batchSize));
          // Settling paces the scan to the index and lets the page breathe between slices.
          indexed = await this.engine.settle();
          this.progressSubject.next({ status: 'building', indexed, total: Math.max(total, indexed) });
        }
      }
    }
  }

  /**
   * Seals and keeps the index as it is now, with a checkpoint a margin before now: the next session
   * reads only what was written after it. Failing to save loses nothing but time: it is logged.
   */
  save(): Promise<void> {
    const vault = this.vault;
    if (!vault || this.stopped) return Promise.resolve();
    const checkpoint = Date.now() - (this.persistence?.marginMs ?? DEFAULT_MARGIN_MS);
    const companies = [...this.companyNames];
    return this.engine.save({ ref: vault, checkpoint, companies }).then(
      () => this.savesSubject.next(this.savesSubject.value + 1),
      (error: unknown) => console.warn('[search] the index was not saved', error),
    );
  }

  /** Changes after the index is ready are saved a while later, all of that while's in one save. */
  private saveSoon(): void {
    if (!this.vault || this.saveTimer !== undefined || this.stopped) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.lastSave = this.save();
    }, this.persistence?.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS);
  }

  private remember(doc: SearchDoc): SearchDoc {
    if (doc.kind === 'company') this.companyNames.set(doc.id, doc.title);
    return doc;
  }

  /** Applies one write's changes: a live record is added or replaced, a deleted or removed one leaves. */
  apply(kind: SearchKind, changes: readonly RecordChange[]): void {
    const put: SearchDoc[] = [];
    const removed: string[] = [];
    const renamed: string[] = [];
    const write = ++this.writes;
    for (const { id, record } of changes) {
      const doc = record ? toSearchDoc({ ...record, kind }, (c) => this.companyNames.get(c)) : undefined;
      const before = this.companyNames.get(id);
      if (doc?.kind === 'company' && before !== undefined && before !== doc.title) renamed.push(id);
      // Removed for good (a purge's tombstone, not a soft delete): its name leaves its people too.
      if (kind === 'company' && record === undefined && before !== undefined) {
        this.companyNames.delete(id);
        renamed.push(id);
      }
      if (this.rereads > 0) this.lastWrite.set(`${kind}:${id}`, write);
      if (doc) put.push(this.remember(doc));
      else removed.push(`${kind}:${id}`);
    }
    for (const companyId of renamed) void this.reindexPeopleOf(companyId);
    if (put.length > 0) this.engine.put(put);
    if (removed.length > 0) this.engine.remove(removed);
    if (this.progress.status === 'ready') {
      this.publishCount();
      this.saveSoon();
    }
  }

  /**
   * A renamed (or purged) company's contacts and deals show, and are found by, its name as it is
   * now. What was read is put only for records not written since the read began: a record purged
   * meanwhile (its removal applied while the read was on its way) would otherwise come back.
   */
  private async reindexPeopleOf(companyId: string): Promise<void> {
    const since = this.writes;
    this.rereads++;
    try {
      for (const kind of ['contact', 'deal'] as const) {
        const records = await this.source.ofCompany(kind, companyId);
        const docs = records.flatMap((r) => {
          const doc = toSearchDoc({ ...r, kind }, (c) => this.companyNames.get(c));
          return doc && (this.lastWrite.get(doc.key) ?? since) <= since ? [doc] : [];
        });
        if (docs.length > 0 && !this.stopped) this.engine.put(docs);
      }
      if (this.progress.status === 'ready') this.publishCount();
    } catch (error) {
      console.error('[search] the records of a renamed company were not re-indexed', error);
    } finally {
      if (--this.rereads === 0) this.lastWrite.clear();
    }
  }

  private publishCount(): void {
    void this.engine.settle().then((count) => {
      this.count = count;
      this.progressSubject.next({ status: 'ready', indexed: count, total: count });
    });
  }

  /**
   * Ranked hits grouped by kind (the group with the best hit first), at most `perKind` each. While
   * a saved index is read and brought up to date the answer waits: it could show records deleted
   * since it was saved. While 'partial', names only (the palette says so).
   */
  async search(query: string, options: SearchQueryOptions = {}): Promise<SearchGroup[]> {
    if (this.progress.status === 'loading') {
      await firstValueFrom(this.progress$.pipe(filter((p) => p.status !== 'loading')));
    }
    return this.engine.search(query, options);
  }
}
