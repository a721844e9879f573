import { type FullLoadResult, IndexHost, type IndexHostOptions, type LoadResult, type SaveRequest } from './index-host';
import type { VaultRef } from './index-vault';
import type { SearchGroup, SearchQueryOptions } from './minisearch-index';
import type { SearchDoc } from './search-documents';

export {
  foldTerm,
  MIN_PREFIX,
  MiniSearchIndex,
  type SearchGroup,
  type SearchHit,
  type SearchQueryOptions,
  tokenize,
} from './minisearch-index';

/**
 * Where the full-text index lives: in this thread (tests, or where workers are missing) or in a
 * worker (the app), so that building and querying 100k records never holds up the page.
 */
export interface SearchEngine {
  /** Documents put per call while building (one message to a worker, or one slice of this thread's time). */
  readonly batchSize: number;
  /** Adds or replaces documents by key. */
  put(docs: readonly SearchDoc[]): void;
  remove(keys: readonly string[]): void;
  search(query: string, options?: SearchQueryOptions): Promise<SearchGroup[]>;
  /** Once every earlier put and remove is applied: how many documents the index holds. */
  settle(): Promise<number>;
  /** Seals and keeps the index as it is after every earlier put and remove (index-vault.ts). */
  save(request: SaveRequest): Promise<void>;
  /**
   * Replaces the index with the one kept, when there is one that opens; else says why not. With
   * `partial`, the names-only index answers until `whenFull` resolves.
   */
  load(ref: VaultRef): Promise<LoadResult>;
  /** Once the full index answers after a partial load; corrupt when it could not be made (then it is empty). */
  whenFull(): Promise<FullLoadResult>;
  dispose(): void;
}

/** Yields to the event loop (a macrotask without setTimeout's 4 ms clamp). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** The index in this thread; small batches and a yield after each keep the page responsive while building. */
export class LocalSearchEngine implements SearchEngine {
  readonly batchSize = 200;
  private readonly host: IndexHost;

  /** `indexedDB` keeps the index between sessions: the page's by default, fake-indexeddb in tests. */
  constructor(indexedDB: IDBFactory | undefined = globalThis.indexedDB, options?: IndexHostOptions) {
    this.host = new IndexHost(indexedDB, options);
  }

  put(docs: readonly SearchDoc[]): void {
    this.host.put(docs);
  }

  remove(keys: readonly string[]): void {
    this.host.remove(keys);
  }

  async search(query: string, options?: SearchQueryOptions): Promise<SearchGroup[]> {
    return this.host.search(query, options);
  }

  async settle(): Promise<number> {
    await yieldToEventLoop();
    return this.host.size;
  }

  save(request: SaveRequest): Promise<void> {
    return this.host.save(request);
  }

  load(ref: VaultRef): Promise<LoadResult> {
    return this.host.load(ref);
  }

  whenFull(): Promise<FullLoadResult> {
    return this.host.whenFull();
  }

  dispose(): void {}
}

/**
 * An engine made on first use. The app makes its search index as it opens, but the worker (a
 * script to fetch and compile on a machine of two cores) waits for the index's build, after the
 * first list page, or for a search.
 */
export class LazySearchEngine implements SearchEngine {
  private made: SearchEngine | undefined;

  constructor(private readonly make: () => SearchEngine) {}

  /** Whether the engine has been made (for tests). */
  get started(): boolean {
    return this.made !== undefined;
  }

  private get engine(): SearchEngine {
    this.made ??= this.make();
    return this.made;
  }

  get batchSize(): number {
    return this.engine.batchSize;
  }

  put(docs: readonly SearchDoc[]): void {
    this.engine.put(docs);
  }

  remove(keys: readonly string[]): void {
    this.engine.remove(keys);
  }

  search(query: string, options?: SearchQueryOptions): Promise<SearchGroup[]> {
    return this.engine.search(query, options);
  }

  settle(): Promise<number> {
    return this.engine.settle();
  }

  save(request: SaveRequest): Promise<void> {
    return this.engine.save(request);
  }

  load(ref: VaultRef): Promise<LoadResult> {
    return this.engine.load(ref);
  }

  whenFull(): Promise<FullLoadResult> {
    return this.engine.whenFull();
  }

  dispose(): void {
    this.made?.dispose();
  }
}
