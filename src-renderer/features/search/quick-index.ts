import { foldTerm, MIN_PREFIX, type SearchGroup, type SearchHit, type SearchQueryOptions } from './minisearch-index';
import type { SearchDoc, SearchKind } from './search-documents';

/**
 * The names-only index that answers while the full one loads. Rebuilding the full MiniSearch index
 * from its saved copy takes 10–30 s at 100k records on a busy machine; this one is a plain list of
 * the records' display names (what users type first), saved beside it, that opens in a fraction of a
 * second and is searched by a scan of ~100k short titles (a few ms). It finds names only, by the
 * start of their words: no emails, phones or notes, no typos; the palette says results are partial.
 */

/** The kinds whose names are kept: notes are found by their text, which only the full index has. */
export const QUICK_KINDS: readonly SearchKind[] = ['contact', 'company', 'lead', 'deal'];

/** What is saved of one record: `[key, id, kind, title, detail]` (arrays: the list is 100k long). */
export type QuickDoc = [key: string, id: string, kind: SearchKind, title: string, detail: string];

interface Entry {
  id: string;
  kind: SearchKind;
  title: string;
  detail: string;
  /** The title's words, folded as the full index folds its terms. */
  words: string[];
}

const WORD = /[\p{L}\p{N}]+/gu;
const wordsOf = (text: string): string[] => (text.match(WORD) ?? []).map(foldTerm);

export class QuickIndex {
  private readonly entries = new Map<string, Entry>();

  constructor(docs: readonly QuickDoc[] = []) {
    for (const [key, id, kind, title, detail] of docs) this.set(key, id, kind, title, detail);
  }

  get size(): number {
    return this.entries.size;
  }

  private set(key: string, id: string, kind: SearchKind, title: string, detail: string): void {
    this.entries.set(key, { id, kind, title, detail, words: wordsOf(title) });
  }

  /** Changes while the full index loads reach this one too: a record renamed or deleted since shows as it is now. */
  put(docs: readonly SearchDoc[]): void {
    for (const doc of docs) {
      if (QUICK_KINDS.includes(doc.kind)) this.set(doc.key, doc.id, doc.kind, doc.title, doc.detail);
    }
  }

  remove(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  /**
   * Every word of the query begins a word of the name (a whole word under MIN_PREFIX letters, as in
   * the full index); a whole-word match ranks above a prefix, a shorter name above a longer one.
   */
  search(query: string, options: SearchQueryOptions = {}): SearchGroup[] {
    const terms = wordsOf(query.trim());
    if (terms.length === 0) return [];
    const perKind = options.perKind ?? 5;
    const allowed = new Set(options.kinds ?? QUICK_KINDS);
    const matches: SearchHit[] = [];
    for (const entry of this.entries.values()) {
      if (!allowed.has(entry.kind)) continue;
      let score = 0;
      for (const term of terms) {
        let best = 0;
        for (const word of entry.words) {
          if (word === term) best = 2;
          else if (best === 0 && term.length >= MIN_PREFIX && word.startsWith(term)) best = 1;
          if (best === 2) break;
        }
        if (best === 0) {
          score = 0;
          break;
        }
        score += best;
      }
      if (score > 0) {
        const { id, kind, title, detail } = entry;
        matches.push({ id, kind, title, detail, score: score + 1 / (1 + entry.words.length) });
      }
    }
    matches.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title));
    const groups = new Map<SearchKind, SearchGroup>();
    for (const hit of matches) {
      let group = groups.get(hit.kind);
      if (!group) {
        group = { kind: hit.kind, hits: [], total: 0 };
        groups.set(hit.kind, group);
      }
      group.total++;
      if (group.hits.length < perKind) group.hits.push(hit);
    }
    return [...groups.values()];
  }
}
