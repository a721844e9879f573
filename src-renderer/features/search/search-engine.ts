import MiniSearch, { type SearchResult } from 'minisearch';
import { SEARCH_KINDS, type SearchDoc, type SearchKind } from './search-documents';

export interface SearchHit {
  id: string;
  kind: SearchKind;
  title: string;
  detail: string;
  score: number;
}

export interface SearchGroup {
  kind: SearchKind;
  /** The best hits of the kind, at most the cap, best first. */
  hits: SearchHit[];
  /** How many records of the kind matched in all. */
  total: number;
}

export interface SearchQueryOptions {
  /** Hits listed per kind (default 5). */
  perKind?: number;
  /** Only these kinds (e.g. those the user may read); default all. */
  kinds?: readonly SearchKind[];
}

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
  dispose(): void;
}

/** Folds case and accents, so "zoe" finds "Zoë" and "MÜLLER" finds "Müller". */
export function foldTerm(term: string): string {
  // Most terms are ASCII: skip the (comparatively slow) Unicode decomposition for them.
  const lower = term.toLowerCase();
  return ASCII.test(lower) ? lower : lower.normalize('NFD').replace(/\p{Diacritic}/gu, '');
}
const ASCII = /^[\x20-\x7e]*$/;

/**
 * Shorter terms match whole words only: "ma" as a prefix matches ~16k of 125k records, and scoring
 * them all cost 400+ ms here; from three letters on the sets are small enough to rank at once.
 */
export const MIN_PREFIX = 3;
/** Typos are forgiven from this length on: fuzzy matching of shorter terms matches nearly everything. */
const MIN_FUZZY = 5;

/** A query that looks like a phone number ("+44 20 7946") is searched as its digits, as phones are indexed. */
function phoneQuery(q: string): string | undefined {
  return /^[+\d][\d\s().-]{3,}$/.test(q) && /\d{2}/.test(q) ? q.replace(/\D/g, '') : undefined;
}

const splitWords = MiniSearch.getDefault('tokenize') as (text: string) => string[];
/** An email or a domain: kept as one term, matched by its prefix ("ada@an", "acme-robotics.ex"). */
const ADDRESS = /[@]|^[\w-]+(\.[\w-]+)+$/;

/**
 * Words split at spaces and punctuation, except emails and domains, which stay whole: split, every
 * contact's email added "example", its company's words and a country code to the terms, and each
 * of those terms' postings held thousands of records that every query touching them had to rank.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.split(/\s+/)) {
    if (!chunk) continue;
    if (ADDRESS.test(chunk)) out.push(chunk);
    else for (const word of splitWords(chunk)) if (word) out.push(word);
  }
  return out;
}

/** MiniSearch (prefix and fuzzy matching, BM25 ranking) over the search documents, synchronous. */
export class MiniSearchIndex {
  private readonly mini = new MiniSearch<SearchDoc>({
    idField: 'key',
    fields: ['title', 'text'],
    storeFields: ['id', 'kind', 'title', 'detail'],
    tokenize,
    processTerm: (term) => foldTerm(term) || null,
    searchOptions: { boost: { title: 3 }, prefix: (term) => term.length >= MIN_PREFIX, combineWith: 'AND' },
  });

  get size(): number {
    return this.mini.documentCount;
  }

  put(docs: readonly SearchDoc[]): void {
    for (const doc of docs) {
      if (this.mini.has(doc.key)) this.mini.replace(doc);
      else this.mini.add(doc);
    }
  }

  remove(keys: readonly string[]): void {
    for (const key of keys) if (this.mini.has(key)) this.mini.discard(key);
  }

  /** Ranked hits grouped by kind (the group with the best hit first), at most `perKind` each. */
  search(query: string, options: SearchQueryOptions = {}): SearchGroup[] {
    const q = query.trim();
    if (!q) return [];
    const perKind = options.perKind ?? 5;
    const allowed = new Set(options.kinds ?? SEARCH_KINDS);
    const text = phoneQuery(q) ?? q;
    const filter = allowed.size < SEARCH_KINDS.length ? { filter: (r: SearchResult) => allowed.has(r.kind) } : {};
    let results = this.mini.search(text, filter);
    // Typos are looked for only when the words as typed match nothing: a fuzzy walk of 100k
    // records' terms costs several times an exact one, and most queries are spelled right.
    if (results.length === 0) {
      results = this.mini.search(text, {
        ...filter,
        fuzzy: (term) => (term.length >= MIN_FUZZY ? 0.2 : false),
        maxFuzzy: 2,
      });
    }
    const groups = new Map<SearchKind, SearchGroup>();
    for (const result of results) {
      const kind = result.kind as SearchKind;
      let group = groups.get(kind);
      if (!group) {
        group = { kind, hits: [], total: 0 };
        groups.set(kind, group);
      }
      group.total++;
      if (group.hits.length < perKind) {
        group.hits.push({ id: result.id, kind, title: result.title, detail: result.detail, score: result.score });
      }
    }
    // Results come best first, so groups are already in the order of their best hit.
    return [...groups.values()];
  }
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
  private readonly index = new MiniSearchIndex();

  put(docs: readonly SearchDoc[]): void {
    this.index.put(docs);
  }

  remove(keys: readonly string[]): void {
    this.index.remove(keys);
  }

  async search(query: string, options?: SearchQueryOptions): Promise<SearchGroup[]> {
    return this.index.search(query, options);
  }

  async settle(): Promise<number> {
    await yieldToEventLoop();
    return this.index.size;
  }

  dispose(): void {}
}

/** Messages to the search worker (search.worker.ts), and its answers. */
type Question = { type: 'search'; query: string; options?: SearchQueryOptions } | { type: 'settle' };
export type WorkerRequest =
  | { type: 'put'; docs: readonly SearchDoc[] }
  | { type: 'remove'; keys: readonly string[] }
  | (Question & { id: number });
export type WorkerReply = { id: number; groups: SearchGroup[] } | { id: number; size: number };

/** The worker's side: applies a request to its index; the answer to post back, if any. */
export function answer(index: MiniSearchIndex, request: WorkerRequest): WorkerReply | undefined {
  switch (request.type) {
    case 'put':
      index.put(request.docs);
      return undefined;
    case 'remove':
      index.remove(request.keys);
      return undefined;
    case 'search':
      return { id: request.id, groups: index.search(request.query, request.options) };
    case 'settle':
      return { id: request.id, size: index.size };
  }
}

/** The index in a worker: the page only scans the database and posts documents; queries are answered there. */
export class WorkerSearchEngine implements SearchEngine {
  readonly batchSize = 2000;
  private nextId = 0;
  private readonly waiting = new Map<number, (reply: WorkerReply) => void>();

  private readonly waitingErrors = new Map<number, (error: Error) => void>();
  private failure: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const resolve = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      this.waitingErrors.delete(event.data.id);
      resolve?.(event.data);
    };
    // A worker that cannot load (or dies) answers nothing: fail what waits rather than hang it.
    worker.onerror = (event: ErrorEvent) => {
      this.failure = new Error(`search worker failed: ${event.message || 'could not load'}`);
      for (const reject of this.waitingErrors.values()) reject(this.failure);
      this.waiting.clear();
      this.waitingErrors.clear();
    };
  }

  private ask(request: Question): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, resolve);
      this.waitingErrors.set(id, reject);
      this.worker.postMessage({ ...request, id } satisfies WorkerRequest);
    });
  }

  put(docs: readonly SearchDoc[]): void {
    this.worker.postMessage({ type: 'put', docs } satisfies WorkerRequest);
  }

  remove(keys: readonly string[]): void {
    this.worker.postMessage({ type: 'remove', keys } satisfies WorkerRequest);
  }

  async search(query: string, options?: SearchQueryOptions): Promise<SearchGroup[]> {
    const reply = await this.ask({ type: 'search', query, ...(options ? { options } : {}) });
    return 'groups' in reply ? reply.groups : [];
  }

  async settle(): Promise<number> {
    const reply = await this.ask({ type: 'settle' });
    return 'size' in reply ? reply.size : 0;
  }

  dispose(): void {
    this.worker.terminate();
  }
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

  dispose(): void {
    this.made?.dispose();
  }
}
