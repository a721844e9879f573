import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engagement, Interaction } from '../../../../../src-renderer/features/content/content-engagement';
import { EngagementTally } from '../../../../../src-renderer/features/content/engagement-tally';
import { interactionRecord } from '../../../../support/interaction-record';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const DAY = 86_400_000;
const TYPES = ['view', 'download', 'share', 'click', 'like', 'comment', 'formSubmit', 'watch', 'open'] as const;
const KIND: Record<(typeof TYPES)[number], keyof Engagement['counts']> = {
  view: 'views',
  watch: 'views',
  download: 'downloads',
  click: 'clicks',
  open: 'opens',
  share: 'shares',
  formSubmit: 'forms',
  like: 'reactions',
  comment: 'reactions',
};

const interaction = interactionRecord;

/** The plain reading of every interaction, written apart from the tally to check it against. */
function recount(live: readonly Interaction[], now: Date, weeks: number): Map<string, Engagement> {
  const result = new Map<string, Engagement>();
  for (const contentId of new Set(live.map((i) => i.contentId))) {
    const mine = live.filter((i) => i.contentId === contentId);
    const counts = { views: 0, opens: 0, downloads: 0, clicks: 0, shares: 0, forms: 0, reactions: 0 };
    for (const i of mine) counts[KIND[i.type]]++;
    const weekly = Array.from({ length: weeks }, () => 0);
    for (const i of mine) {
      const age = Math.floor((now.getTime() - Date.parse(i.occurredAt)) / (7 * DAY));
      if (age >= 0 && age < weeks) weekly[weeks - 1 - age] = (weekly[weeks - 1 - age] ?? 0) + 1;
    }
    result.set(contentId, {
      total: mine.length,
      counts,
      people: new Set(mine.map((i) => `${i.subjectType}:${i.subjectId}`)).size,
      lastAt: mine
        .map((i) => i.occurredAt)
        .sort()
        .at(-1),
      weekly,
    });
  }
  return result;
}

describe('EngagementTally', () => {
  it('counts a record given twice once, and moves it when it is edited to another item or type', () => {
    const tally = new EngagementTally();
    const a = interaction('a', { type: 'view' });
    tally.put('a', a);
    tally.put('a', a);
    tally.put('b', interaction('b', { type: 'download', subjectId: 'lead-2' }));
    expect(tally.size).toBe(2);
    expect(tally.snapshot(NOW, 4).get('c1')).toMatchObject({ total: 2, people: 2, counts: { views: 1, downloads: 1 } });

    tally.put('a', { ...a, contentId: 'c2', type: 'share' });
    const moved = tally.snapshot(NOW, 4);
    expect(moved.get('c1')).toMatchObject({ total: 1, people: 1, counts: { views: 0, downloads: 1 } });
    expect(moved.get('c2')).toMatchObject({ total: 1, people: 1, counts: { shares: 1 } });
  });

  it('takes out a soft-deleted or removed record, and the last engagement goes back to the one before', () => {
    const tally = new EngagementTally();
    const at = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
    tally.put('old', interaction('old', { occurredAt: at(10) }));
    tally.put('new', interaction('new', { occurredAt: at(1) }));
    tally.put('other', interaction('other', { contentId: 'c2' }));
    expect(tally.snapshot(NOW).get('c1')?.lastAt).toBe(at(1));

    tally.put('new', interaction('new', { occurredAt: at(1), isDeleted: true }));
    expect(tally.snapshot(NOW).get('c1')).toMatchObject({ total: 1, lastAt: at(10) });
    tally.put('other', undefined);
    expect(tally.snapshot(NOW).has('c2')).toBe(false);
    expect(tally.size).toBe(1);
  });

  it('agrees with a plain recount after any order of creates, edits and deletions', () => {
    const write = fc.record({
      id: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5', 'i6'),
      contentId: fc.constantFrom('c1', 'c2', 'c3'),
      subjectType: fc.constantFrom('lead', 'contact'),
      subjectId: fc.constantFrom('p1', 'p2', 'p3'),
      type: fc.constantFrom(...TYPES),
      // Up to 20 weeks back and a day ahead, on week boundaries too: times arrive in any order.
      ageMs: fc.oneof(
        fc.integer({ min: -DAY, max: 20 * 7 * DAY }),
        fc.integer({ min: 0, max: 20 }).map((w) => w * 7 * DAY),
      ),
      gone: fc.constantFrom('live', 'live', 'soft', 'hard'),
    });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 60 }), fc.integer({ min: 1, max: 14 }), (writes, weeks) => {
        const tally = new EngagementTally();
        const state = new Map<string, Interaction>();
        for (const w of writes) {
          const record = interaction(w.id, {
            contentId: w.contentId,
            subjectType: w.subjectType as Interaction['subjectType'],
            subjectId: w.subjectId,
            type: w.type,
            occurredAt: new Date(NOW.getTime() - w.ageMs).toISOString(),
            isDeleted: w.gone === 'soft',
          });
          if (w.gone === 'hard') state.delete(w.id);
          else state.set(w.id, record);
          tally.put(w.id, w.gone === 'hard' ? undefined : record);
        }
        const live = [...state.values()].filter((i) => !i.isDeleted);
        expect(tally.snapshot(NOW, weeks)).toEqual(recount(live, NOW, weeks));
        expect(tally.size).toBe(live.length);
      }),
      { numRuns: 300 },
    );
  });
});
