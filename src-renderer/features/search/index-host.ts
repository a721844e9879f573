import {
  clearVault,
  type FullOutcome,
  INDEX_FORMAT,
  indexSchema,
  loadFromVault,
  saveToVault,
  type VaultRef,
} from './index-vault';
import { QUICK_KINDS, QuickIndex } from './quick-index';
import type { SearchDoc } from './search-documents';
import { MiniSearchIndex, type SearchGroup, type SearchQueryOptions } from './search-engine';

export interface SaveRequest {
  ref: VaultRef;
  /** Writes after this `_meta.lwt` may be missing from what is saved (index-vault.ts). */
  checkpoint: number;
  /** Company names by id: contacts and deals written later are indexed under them. */
  companies: [string, string][];
}

export type LoadResult =
  | {
      status: 'loaded';
      /** Documents in the saved index (the full one). */
      count: number;
      checkpoint: number;
      companies: [string, string][];
      /**
       * True when only the names-only index is serving: the full one is still being made
       * (`whenFull`). False when the full index was loaded at once (a copy saved without names).
       */
      partial: boolean;
      /** Where the load's time went: reading and unsealing the copy, then making the index of it. */
      ms: { unseal: number; parse: number };
    }
  | { status: 'missing' }
  | { status: 'stale' | 'corrupt'; reason: string };

/** How the full index's load, after the quick one, ended; when corrupt the index is empty again, for a build. */
export type FullLoadResult =
  | { status: 'loaded'; count: number; ms: { unseal: number; parse: number } }
  | { status: 'corrupt'; reason: string };

type Change = { put: readonly SearchDoc[] } | { remove: readonly string[] };

export interface IndexHostOptions {
  /** Tests only: the full index's load waits for this, so a test can search while it is "loading". */
  holdFullLoad?: Promise<void>;
}

/**
 * Where the index lives (the worker, or the page when there is none): the index itself and its
 * saving and loading. Loading replaces the index only once a saved one has opened and parsed;
 * anything else leaves it as it was, for a build. A saved copy with its names-only part answers
 * from that part at once, while the full index is rebuilt in slices behind it; changes meanwhile
 * go to both (the full one gets them once made), so neither shows a record deleted since.
 */
export class IndexHost {
  private index = new MiniSearchIndex();
  private quick: QuickIndex | undefined;
  /** Changes that arrived while the full index was being made: applied to it in order once it is. */
  private changes: Change[] = [];
  private fullLoad: Promise<FullLoadResult> | undefined;

  /** `factory` is IndexedDB where the index is kept; undefined where there is none (nothing is kept). */
  constructor(
    private readonly factory: IDBFactory | undefined,
    private readonly options: IndexHostOptions = {},
  ) {}

  /** Whether answers come from the names-only index (the full one is loading). */
  get partial(): boolean {
    return this.quick !== undefined;
  }

  get size(): number {
    return this.quick ? this.quick.size : this.index.size;
  }

  put(docs: readonly SearchDoc[]): void {
    if (this.quick) {
      this.quick.put(docs);
      this.changes.push({ put: docs });
    } else this.index.put(docs);
  }

  remove(keys: readonly string[]): void {
    if (this.quick) {
      this.quick.remove(keys);
      this.changes.push({ remove: keys });
    } else this.index.remove(keys);
  }

  search(query: string, options?: SearchQueryOptions): SearchGroup[] {
    return this.quick ? this.quick.search(query, options) : this.index.search(query, options);
  }

  async save(request: SaveRequest): Promise<void> {
    if (!this.factory) throw new Error('no IndexedDB to keep the search index in');
    // The full index is saved, never the names-only one standing in for it.
    await this.fullLoad;
    // Taken now: puts that arrive while it is sealed belong to the next save.
    const { json, quick } = this.index.toSaved(QUICK_KINDS);
    const header = {
      format: INDEX_FORMAT,
      schema: indexSchema(),
      checkpoint: request.checkpoint,
      count: this.index.size,
      savedAt: Date.now(),
    };
    await saveToVault(this.factory, request.ref, header, { index: json, companies: request.companies, quick });
  }

  async load(ref: VaultRef): Promise<LoadResult> {
    if (!this.factory) return { status: 'missing' };
    const started = performance.now();
    const outcome = await loadFromVault(this.factory, ref);
    if (outcome.status === 'missing') return outcome;
    if (outcome.status !== 'loaded') {
      if (outcome.status === 'corrupt') await this.forget(ref);
      return outcome;
    }
    const { header } = outcome;
    if (outcome.quick) {
      const unsealed = performance.now();
      this.quick = new QuickIndex(outcome.quick.docs);
      this.changes = [];
      this.fullLoad = this.loadFull(ref, outcome.full);
      return {
        status: 'loaded',
        count: header.count,
        checkpoint: header.checkpoint,
        companies: outcome.quick.companies,
        partial: true,
        ms: { unseal: Math.round(unsealed - started), parse: Math.round(performance.now() - unsealed) },
      };
    }
    // A copy saved before names were kept apart: the full index at once, as then.
    const full = await outcome.full();
    const unsealed = performance.now();
    if (full.status !== 'loaded') {
      await this.forget(ref);
      return full;
    }
    try {
      this.index = MiniSearchIndex.fromJSON(full.content.index);
    } catch (error) {
      await this.forget(ref);
      return { status: 'corrupt', reason: `the index does not parse: ${String(error)}` };
    }
    return {
      status: 'loaded',
      count: this.index.size,
      checkpoint: header.checkpoint,
      companies: full.content.companies,
      partial: false,
      ms: { unseal: Math.round(unsealed - started), parse: Math.round(performance.now() - unsealed) },
    };
  }

  /** Once the full index serves (at once when no load is under way); when it could not be made, why. */
  whenFull(): Promise<FullLoadResult> {
    return this.fullLoad ?? Promise.resolve({ status: 'loaded', count: this.index.size, ms: { unseal: 0, parse: 0 } });
  }

  private async loadFull(ref: VaultRef, full: () => Promise<FullOutcome>): Promise<FullLoadResult> {
    await this.options.holdFullLoad;
    const started = performance.now();
    const outcome = await full();
    const unsealed = performance.now();
    let index: MiniSearchIndex | undefined;
    let reason = outcome.status === 'corrupt' ? outcome.reason : '';
    if (outcome.status === 'loaded') {
      try {
        // In slices: searches of the quick index are answered between them.
        index = await MiniSearchIndex.fromJSONAsync(outcome.content.index);
      } catch (error) {
        reason = `the index does not parse: ${String(error)}`;
      }
    }
    if (!index) {
      // The build that follows starts from nothing; the quick index (from the same copy) goes too.
      await this.forget(ref);
      this.quick = undefined;
      this.changes = [];
      this.index = new MiniSearchIndex();
      return { status: 'corrupt', reason };
    }
    for (const change of this.changes) {
      if ('put' in change) index.put(change.put);
      else index.remove(change.remove);
    }
    this.index = index;
    this.quick = undefined;
    this.changes = [];
    return {
      status: 'loaded',
      count: index.size,
      ms: { unseal: Math.round(unsealed - started), parse: Math.round(performance.now() - unsealed) },
    };
  }

  /** A saved index that cannot be read goes, so that the next session does not try it again. */
  private async forget(ref: VaultRef): Promise<void> {
    if (this.factory) await clearVault(this.factory, ref.database).catch(() => undefined);
  }
}
