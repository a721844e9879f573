import type { FullLoadResult, IndexHost, LoadResult, SaveRequest } from './index-host';
import type { VaultRef } from './index-vault';
import type { SearchGroup, SearchQueryOptions } from './minisearch-index';
import type { SearchDoc } from './search-documents';
import type { SearchEngine } from './search-engine';

/** Messages to the search worker (search.worker.ts), and its answers. */
type Question =
  | { type: 'search'; query: string; options?: SearchQueryOptions }
  | { type: 'settle' }
  | { type: 'save'; request: SaveRequest }
  | { type: 'load'; ref: VaultRef }
  | { type: 'full' };
export type WorkerRequest =
  | { type: 'put'; docs: readonly SearchDoc[] }
  | { type: 'remove'; keys: readonly string[] }
  | (Question & { id: number });
export type WorkerReply =
  | { id: number; groups: SearchGroup[] }
  | { id: number; size: number }
  | { id: number; saved: true }
  | { id: number; loaded: LoadResult }
  | { id: number; full: FullLoadResult }
  | { id: number; error: string };

/** The worker's side: applies a request to its index; the answer to post back, if any. */
export async function answer(host: IndexHost, request: WorkerRequest): Promise<WorkerReply | undefined> {
  switch (request.type) {
    case 'put':
      host.put(request.docs);
      return undefined;
    case 'remove':
      host.remove(request.keys);
      return undefined;
    case 'search':
      return { id: request.id, groups: host.search(request.query, request.options) };
    case 'settle':
      return { id: request.id, size: host.size };
    case 'full':
      return { id: request.id, full: await host.whenFull() };
    case 'save':
      try {
        await host.save(request.request);
        return { id: request.id, saved: true };
      } catch (error) {
        return { id: request.id, error: String(error) };
      }
    case 'load':
      try {
        return { id: request.id, loaded: await host.load(request.ref) };
      } catch (error) {
        return { id: request.id, error: String(error) };
      }
  }
}

/**
 * Answers requests one after another, each after the one before has finished (a save or a load
 * waits for IndexedDB): a search posted after a load searches the loaded index. Waiting for the
 * full index is the exception: it is answered when that is made, and what follows it is answered
 * meanwhile (from the names-only index), between the slices of its making.
 */
export function serialAnswers(host: IndexHost, post: (reply: WorkerReply) => void): (request: WorkerRequest) => void {
  let queue = Promise.resolve();
  return (request) => {
    queue = queue.then(async () => {
      if (request.type === 'full') {
        void answer(host, request).then((reply) => reply && post(reply));
        return;
      }
      const reply = await answer(host, request);
      if (reply) post(reply);
    });
  };
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

  async save(request: SaveRequest): Promise<void> {
    const reply = await this.ask({ type: 'save', request });
    if ('error' in reply) throw new Error(`the search index was not saved: ${reply.error}`);
  }

  async load(ref: VaultRef): Promise<LoadResult> {
    const reply = await this.ask({ type: 'load', ref });
    if ('error' in reply) throw new Error(`the saved search index was not read: ${reply.error}`);
    return 'loaded' in reply ? reply.loaded : { status: 'missing' };
  }

  async whenFull(): Promise<FullLoadResult> {
    const reply = await this.ask({ type: 'full' });
    if ('full' in reply) return reply.full;
    return { status: 'corrupt', reason: 'error' in reply ? reply.error : 'no answer' };
  }

  dispose(): void {
    this.worker.terminate();
  }
}
