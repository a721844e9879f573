import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import type { QuickDoc } from './quick-index';
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

/** A saved index loads with the options it was built with: a change here is a change of INDEX_FORMAT. */
const OPTIONS: Options<SearchDoc> = {
  idField: 'key',
  fields: ['title', 'text'],
  storeFields: ['id', 'kind', 'title', 'detail'],
  tokenize,
  processTerm: (term) => foldTerm(term) || null,
  searchOptions: { boost: { title: 3 }, prefix: (term) => term.length >= MIN_PREFIX, combineWith: 'AND' },
};

/** MiniSearch (prefix and fuzzy matching, BM25 ranking) over the search documents, synchronous. */
export class MiniSearchIndex {
  /** A saved index (toJSON) made live again; throws when the text is not one. */
  static fromJSON(json: string): MiniSearchIndex {
    return new MiniSearchIndex(MiniSearch.loadJSON<SearchDoc>(json, OPTIONS));
  }

  /**
   * The same, rebuilt in slices with a pause between them (MiniSearch's loadJSONAsync): the thread
   * answers other messages (searches of the quick index) while it is made.
   */
  static async fromJSONAsync(json: string): Promise<MiniSearchIndex> {
    return new MiniSearchIndex(await MiniSearch.loadJSONAsync<SearchDoc>(json, OPTIONS));
  }

  constructor(private readonly mini = new MiniSearch<SearchDoc>(OPTIONS)) {}

  /** The whole index as text, for index-vault.ts (MiniSearch's own serialization). */
  toJSON(): string {
    return JSON.stringify(this.mini);
  }

  /**
   * The whole index as text and the names of the kinds in `kinds` (quick-index.ts), read from the
   * fields it stores for results: one pass, no second index kept up to date all session.
   */
  toSaved(kinds: readonly SearchKind[]): { json: string; quick: QuickDoc[] } {
    const plain = this.mini.toJSON();
    const quick: QuickDoc[] = [];
    for (const [shortId, key] of Object.entries(plain.documentIds)) {
      const stored = plain.storedFields[shortId] as Partial<Record<string, unknown>> | undefined;
      const kind = stored?.kind as SearchKind;
      if (typeof key !== 'string' || !stored || !kinds.includes(kind)) continue;
      quick.push([key, String(stored.id), kind, String(stored.title ?? ''), String(stored.detail ?? '')]);
    }
    return { json: JSON.stringify(plain), quick };
  }

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
