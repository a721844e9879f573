import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compareInbox,
  DEFAULT_FILTER,
  inboxQueries,
  keepMatching,
  type Lead,
  observeInbox,
  scoreBand,
  scoreReasons,
} from '../../../../../src-renderer/features/leads/lead-inbox.queries';
import { mergeSorted } from '../../../../../src-renderer/ui/live-pages';
import { openTestDb, type TestDb } from '../../../../support/local-db';

describe('scoreReasons', () => {
  it('reads the demo shape (0–100 strengths, 50 neutral) into top positive and negative reasons', () => {
    const { positive, negative } = scoreReasons({ engagement: 91, sourceQuality: 9, fit: 64 });
    expect(positive.map((r) => [r.factor, r.label, r.impact])).toEqual([
      ['engagement', 'Highly engaged', 41],
      ['fit', 'Good company fit', 14],
    ]);
    expect(negative.map((r) => [r.factor, r.label, r.impact])).toEqual([['sourceQuality', 'Weak source', -41]]);
  });

  it('leaves out factors near the midpoint', () => {
    expect(scoreReasons({ engagement: 55, fit: 45 })).toEqual({ positive: [], negative: [] });
  });

  it('reads signed values as points and names unknown factors in words', () => {
    const { positive, negative } = scoreReasons({ budgetConfirmed: 12, competitorCustomer: -20 });
    expect(positive[0]).toMatchObject({ label: 'Budget Confirmed', impact: 12 });
    expect(negative[0]).toMatchObject({ label: 'Competitor Customer', impact: -20 });
  });

  it('shows no reasons for malformed factors instead of failing', () => {
    for (const bad of [undefined, null, 'high', 42, [1, 2], { engagement: 'lots', fit: Number.NaN }]) {
      expect(scoreReasons(bad)).toEqual({ positive: [], negative: [] });
    }
  });

  it('bands scores like the rating', () => {
    expect([scoreBand(95), scoreBand(70), scoreBand(69), scoreBand(40), scoreBand(39), scoreBand(0)]).toEqual([
      'hot',
      'hot',
      'warm',
      'warm',
      'cold',
      'cold',
    ]);
  });
});

describe('inbox filters and order', () => {
  const lead = (id: string, score: number, status: Lead['status'] = 'new', newest = 0) =>
    ({ id, score, scoreRank: 100 - score, newest, status }) as unknown as Lead;

  it('asks the repository only what a status index answers: one query per status, the owner alongside', () => {
    expect(inboxQueries(DEFAULT_FILTER)).toEqual([
      { status: 'new' },
      { status: 'contacted' },
      { status: 'nurturing' },
      { status: 'qualified' },
    ]);
    expect(inboxQueries({ ...DEFAULT_FILTER, status: '' })).toEqual([{}]);
    expect(inboxQueries({ status: 'qualified', source: 'event', ownerId: 'u1', listId: 'l1' })).toEqual([
      { status: 'qualified', ownerId: 'u1' },
    ]);
    const everyStatus = inboxQueries({ ...DEFAULT_FILTER, status: '', ownerId: 'u1' });
    expect(everyStatus).toHaveLength(7);
    expect(everyStatus.every((q) => q.ownerId === 'u1' && typeof q.status === 'string')).toBe(true);
  });

  it('merges the per-status reads by score, highest first, then newest, then id', () => {
    const parts = [
      [lead('b', 80, 'new', 5), lead('a', 10, 'new', 1)],
      [lead('d', 80, 'contacted', 2), lead('c', 50, 'contacted', 3)],
      [lead('f', 80, 'qualified', 5), lead('e', 80, 'qualified', 9)],
    ];
    const merged = mergeSorted(parts, compareInbox);
    expect(merged.map((l) => l.id)).toEqual(['d', 'b', 'f', 'e', 'c', 'a']);
    expect(mergeSorted([[], parts[0] ?? []], compareInbox).map((l) => l.id)).toEqual(['b', 'a']);
  });

  it('"open" leaves out converted, lost and unqualified leads; a list keeps only its members', () => {
    const leads = [lead('a', 90, 'converted'), lead('b', 80, 'lost'), lead('c', 70, 'unqualified'), lead('d', 60)];
    expect(keepMatching(leads, { status: 'open', source: '' }).map((l) => l.id)).toEqual(['d']);
    expect(keepMatching(leads, { status: '', source: '' }, new Set(['b', 'd'])).map((l) => l.id)).toEqual(['b', 'd']);
    expect(keepMatching(leads, { status: 'lost', source: '' }).map((l) => l.id)).toEqual(['b']);
    const bySource = [
      { ...lead('e', 5), source: 'event' },
      { ...lead('f', 9), source: 'website' },
    ] as Lead[];
    expect(keepMatching(bySource, { status: '', source: 'event' }).map((l) => l.id)).toEqual(['e']);
  });
});

describe('observeInbox on a database', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('filters through the repository, intersects a list and sorts by score', async () => {
    const mk = (lastName: string, score: number, extra: Record<string, unknown> = {}) => {
      t.tick();
      return t.repos.lead.create({ lastName, score, source: 'event', ownerId: 'u1', ...extra } as never);
    };
    const low = await mk('Low', 20);
    const high = await mk('High', 90);
    await mk('Other owner', 95, { ownerId: 'u2' });
    await mk('Web', 99, { source: 'website' });
    const lost = await mk('Lost', 99, { status: 'lost' });
    const list = await t.repos.leadList.create({ name: 'Summit' });
    await t.repos.leadListMember.create({ leadListId: list.id, leadId: low.id, addedAt: '2026-11-01T09:00:00.000Z' });

    const filter = { ...DEFAULT_FILTER, ownerId: 'u1', source: 'event' };
    const names = async (f: typeof filter) => (await firstValueFrom(observeInbox(t.repos, f))).map((l) => l.lastName);
    expect(await names(filter)).toEqual(['High', 'Low']);
    expect(await names({ ...filter, status: '' })).toEqual(['Lost', 'High', 'Low']);
    expect(await names({ ...filter, listId: list.id })).toEqual(['Low']);
    expect(await names({ ...filter, ownerId: '', source: '' })).toEqual(['Web', 'Other owner', 'High', 'Low']);
    expect(await names({ ...filter, ownerId: '', source: '', status: 'lost' })).toEqual(['Lost']);
    // Equal scores: newest first, across the merged per-status reads.
    await mk('Tied older', 50, { status: 'contacted' });
    await mk('Tied newer', 50);
    expect(await names({ ...DEFAULT_FILTER, source: 'event' })).toEqual([
      'Other owner',
      'High',
      'Tied newer',
      'Tied older',
      'Low',
    ]);
    // A status alone is read in score order straight from its index, nothing sorted in memory.
    const plan = t.repos.lead.plan({ where: { status: 'new' }, order: 'score', limit: 10 });
    expect(plan).toMatchObject({ selectorSatisfiedByIndex: true, sortSatisfiedByIndex: true });
    expect(high.score).toBe(90);
    expect(lost.status).toBe('lost');
  });
});
