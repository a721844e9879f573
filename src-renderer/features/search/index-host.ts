import { clearVault, INDEX_FORMAT, indexSchema, loadFromVault, saveToVault, type VaultRef } from './index-vault';
import { MiniSearchIndex } from './search-engine';

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
      count: number;
      checkpoint: number;
      companies: [string, string][];
      /** Where the load's time went: reading and unsealing the copy, then making the index of it. */
      ms: { unseal: number; parse: number };
    }
  | { status: 'missing' }
  | { status: 'stale' | 'corrupt'; reason: string };

/**
 * Where the index lives (the worker, or the page when there is none): the index itself and its
 * saving and loading. Loading replaces the index only once a saved one has opened and parsed;
 * anything else leaves it as it was, for a build.
 */
export class IndexHost {
  index = new MiniSearchIndex();

  /** `factory` is IndexedDB where the index is kept; undefined where there is none (nothing is kept). */
  constructor(private readonly factory: IDBFactory | undefined) {}

  async save(request: SaveRequest): Promise<void> {
    if (!this.factory) throw new Error('no IndexedDB to keep the search index in');
    // Taken now: puts that arrive while it is sealed belong to the next save.
    const index = this.index.toJSON();
    const header = {
      format: INDEX_FORMAT,
      schema: indexSchema(),
      checkpoint: request.checkpoint,
      count: this.index.size,
      savedAt: Date.now(),
    };
    await saveToVault(this.factory, request.ref, header, { index, companies: request.companies });
  }

  async load(ref: VaultRef): Promise<LoadResult> {
    if (!this.factory) return { status: 'missing' };
    const started = performance.now();
    const outcome = await loadFromVault(this.factory, ref);
    const unsealed = performance.now();
    if (outcome.status === 'missing') return outcome;
    if (outcome.status !== 'loaded') {
      if (outcome.status === 'corrupt') await this.forget(ref);
      return outcome;
    }
    try {
      this.index = MiniSearchIndex.fromJSON(outcome.content.index);
    } catch (error) {
      await this.forget(ref);
      return { status: 'corrupt', reason: `the index does not parse: ${String(error)}` };
    }
    return {
      status: 'loaded',
      count: this.index.size,
      checkpoint: outcome.header.checkpoint,
      companies: outcome.content.companies,
      ms: { unseal: Math.round(unsealed - started), parse: Math.round(performance.now() - unsealed) },
    };
  }

  /** A saved index that cannot be read goes, so that the next session does not try it again. */
  private async forget(ref: VaultRef): Promise<void> {
    if (this.factory) await clearVault(this.factory, ref.database).catch(() => undefined);
  }
}
