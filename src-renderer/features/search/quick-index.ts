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
  /** The title folded as the full index folds its terms (one string: 100k arrays of words cost 0.5 s to make). */
  folded: string;
}

const WORD = /[\p{L}\p{N}]+/gu;
const wordsOf = (text: string): string[] => (text.match(WORD) ?? []).map(foldTerm);
const LETTER = /[\p{L}\p{N}]/u;
const isWordChar = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c > '\x7f' && LETTER.test(c)));

/** 2 when `term` is a whole word of `text`, 1 when it begins one (and may: MIN_PREFIX letters), else 0. */
function wordMatch(text: string, term: string): number {
  let best = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    if (isWordChar(text[at - 1])) continue;
    if (!isWordChar(text[at + term.length])) return 2;
    if (term.length >= MIN_PREFIX) best = 1;
  }
  return best;
}

export class QuickIndex {
  private readonly entries = new Map<string, Entry>();

  constructor(docs: readonly QuickDoc[] = []) {
    for (const [key, id, kind, title, detail] of docs) this.set(key, id, kind, title, detail);
  }

  get size(): number {
    return this.entries.size;
  }

  private set(key: string, id: string, kind: SearchKind, title: string, detail: string): void {
    this.entries.set(key, { id, kind, title, detail, folded: foldTerm(title) });
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
        const match = wordMatch(entry.folded, term);
        if (match === 0) {
          score = 0;
          break;
        }
        score += match;
      }
      if (score > 0) {
        const { id, kind, title, detail } = entry;
        // A shorter name ranks first among equal matches (less of it is left unmatched).
        matches.push({ id, kind, title, detail, score: score + 1 / (2 + entry.folded.length) });
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
