import { describe, expect, it } from 'vitest';
import { QuickIndex } from '../../../../../src-renderer/features/search/quick-index';
import type { SearchDoc } from '../../../../../src-renderer/features/search/search-documents';

/** The names-only index that answers while the full index loads (a list scanned per query). */

const index = () =>
  new QuickIndex([
    ['contact:1', '1', 'contact', 'Zoë Müller', 'CTO'],
    ['contact:2', '2', 'contact', 'Mark Mabry', ''],
    ['contact:3', '3', 'contact', 'Ma Lin', ''],
    ['company:1', '1', 'company', 'Mabry & Sons', 'Retail'],
    ['deal:1', '1', 'deal', 'Mabry renewal', ''],
  ]);
const titles = (q: QuickIndex, query: string, kinds?: SearchDoc['kind'][]) =>
  q.search(query, kinds ? { kinds } : {}).flatMap((g) => g.hits.map((h) => `${g.kind}:${h.title}`));

describe('QuickIndex', () => {
  it('finds names by the start of their words, every word of the query, folding case and accents', () => {
    const q = index();
    expect(titles(q, 'zoe mull')).toEqual(['contact:Zoë Müller']);
    expect(titles(q, 'MÜLLER')).toEqual(['contact:Zoë Müller']);
    expect(titles(q, 'zoe smith')).toEqual([]);
    // Not in the middle of a word.
    expect(titles(q, 'uller')).toEqual([]);
  });

  it('matches terms under three letters as whole words only, and ranks a whole word above a prefix', () => {
    const q = index();
    expect(titles(q, 'ma', ['contact'])).toEqual(['contact:Ma Lin']);
    expect(titles(q, 'mab', ['contact'])).toEqual(['contact:Mark Mabry']);
    // "mabry" whole in each; the shorter name first among equals, groups in the order of their best hit.
    expect(titles(q, 'mabry')).toEqual(['contact:Mark Mabry', 'company:Mabry & Sons', 'deal:Mabry renewal']);
  });

  it('follows puts and removes, keeps only the kinds asked for and no notes', () => {
    const q = index();
    q.remove(['contact:2']);
    q.put([
      { key: 'contact:3', id: '3', kind: 'contact', title: 'Ma Chen', detail: '', text: '' },
      { key: 'note:1', id: '1', kind: 'note', title: 'Mabry call', detail: '', text: 'Mabry' },
    ]);
    expect(titles(q, 'mabry')).toEqual(['company:Mabry & Sons', 'deal:Mabry renewal']);
    expect(titles(q, 'mabry', ['company'])).toEqual(['company:Mabry & Sons']);
    expect(titles(q, 'lin')).toEqual([]);
    expect(titles(q, 'chen')).toEqual(['contact:Ma Chen']);
    expect(q.size).toBe(4);
    expect(q.search('mabry', { perKind: 1 }).map((g) => [g.kind, g.hits.length, g.total])).toEqual([
      ['company', 1, 1],
      ['deal', 1, 1],
    ]);
  });
});
