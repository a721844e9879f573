import { describe, expect, it } from 'vitest';
import { createRateBook } from '../../../../src-renderer/features/deals/convert-money';
import {
  activityReport,
  contentReport,
  EMPTY_DATA,
  forecastReport,
  funnelReport,
  leaderboardReport,
  leadSourceReport,
  pipelineReport,
  type ReportData,
  type ReportDeal,
  type ReportFilter,
  salesCycleReport,
  timeInStageReport,
  winLossReport,
} from '../../../../src-shared/reports';

/** EUR → USD 1.10 from January, 1.20 from March; no GBP rate before June. */
const book = createRateBook([
  { baseCurrency: 'EUR', quoteCurrency: 'USD', rate: 1.1, effectiveDate: '2026-01-01' },
  { baseCurrency: 'EUR', quoteCurrency: 'USD', rate: 1.2, effectiveDate: '2026-03-01' },
  { baseCurrency: 'GBP', quoteCurrency: 'USD', rate: 1.3, effectiveDate: '2026-06-01' },
]);
const filter: ReportFilter = {
  currency: 'USD',
  convert: (amount, currency, target, date) => {
    const r = book.convert({ amount, currency }, target, date);
    return r.ok ? r.amount : undefined;
  },
};

const deal = (d: Partial<ReportDeal> & Pick<ReportDeal, 'id'>): ReportDeal => ({
  ownerId: 'u1',
  stage: 'prospecting',
  amount: 100_00,
  currency: 'USD',
  probability: 10,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...d,
});
const users = [
  { id: 'u1', firstName: 'Ann', lastName: 'Lee' },
  { id: 'u2', firstName: 'Bob', lastName: 'Ray' },
];
const data = (part: Partial<ReportData>): ReportData => ({ ...EMPTY_DATA, users, ...part });
const row = (r: { rows: readonly { key: string }[] }, key: string) =>
  r.rows.find((x) => x.key === key) as never as {
    values: Record<string, number | undefined>;
    ids: string[];
    idsBy?: Record<string, string[]>;
  };

describe('pipeline', () => {
  const deals = [
    deal({ id: 'a', stage: 'proposal', amount: 1000_00, probability: 50 }),
    deal({ id: 'b', stage: 'proposal', amount: 500_00, currency: 'EUR', probability: 50, ownerId: 'u2' }),
    deal({ id: 'c', stage: 'negotiation', amount: 200_00, probability: 75 }),
    deal({ id: 'w', stage: 'closedWon', probability: 100, closedAt: '2026-02-01T00:00:00Z' }),
  ];
  it('sums open deals by stage at the latest rate, weighted by probability', () => {
    const r = pipelineReport(data({ deals }), filter, 'stage');
    expect(row(r, 'proposal').values).toMatchObject({ amount: 1000_00 + 600_00, weighted: 500_00 + 300_00, deals: 2 });
    expect(row(r, 'negotiation').values).toMatchObject({ amount: 200_00, weighted: 150_00, deals: 1 });
    expect(row(r, 'prospecting').values.deals).toBe(0);
    expect(r.rows.map((x) => x.key)).toEqual(['prospecting', 'qualification', 'proposal', 'negotiation']);
  });
  it('by owner stacks each owner’s amount by stage and keeps the ids per segment', () => {
    const r = pipelineReport(data({ deals }), filter, 'owner');
    expect(r.rows.map((x) => x.label)).toEqual(['Ann Lee', 'Bob Ray']);
    expect(row(r, 'u1').values).toMatchObject({ proposal: 1000_00, negotiation: 200_00, amount: 1200_00 });
    expect(row(r, 'u1').idsBy).toEqual({ proposal: ['a'], negotiation: ['c'] });
  });
  it('filters by owner', () => {
    const r = pipelineReport(data({ deals }), { ...filter, ownerIds: new Set(['u2']) }, 'owner');
    expect(r.rows.map((x) => x.key)).toEqual(['u2']);
  });
});

describe('forecast by month with dated rates', () => {
  const deals = [
    // Won in February at 1.10, open in April at 1.20, committed (negotiation).
    deal({
      id: 'w',
      stage: 'closedWon',
      amount: 100_00,
      currency: 'EUR',
      probability: 100,
      closedAt: '2026-02-10T09:00:00Z',
    }),
    deal({
      id: 'n',
      stage: 'negotiation',
      amount: 100_00,
      currency: 'EUR',
      probability: 80,
      expectedCloseDate: '2026-04-15',
    }),
    deal({
      id: 'b',
      stage: 'proposal',
      amount: 50_00,
      probability: 40,
      forecastCategory: 'bestCase',
      expectedCloseDate: '2026-04-20',
    }),
    // GBP in May: no rate before June → unconvertible, not dropped silently.
    deal({
      id: 'g',
      stage: 'proposal',
      amount: 100_00,
      currency: 'GBP',
      probability: 50,
      expectedCloseDate: '2026-05-01',
    }),
    deal({ id: 'l', stage: 'closedLost', probability: 0, closedAt: '2026-02-11T00:00:00Z' }),
  ];
  it('converts each deal with the rate of its own date', () => {
    const r = forecastReport(data({ deals }), filter);
    expect(r.rows.map((x) => x.key)).toEqual(['2026-02', '2026-04']);
    expect(row(r, '2026-02').values).toMatchObject({ won: 110_00, commit: 110_00, bestCase: 110_00, pipeline: 0 });
    expect(row(r, '2026-04').values).toMatchObject({
      pipeline: 120_00 + 50_00,
      weighted: 96_00 + 20_00,
      commit: 120_00,
      bestCase: 120_00 + 50_00,
      deals: 2,
    });
    expect(row(r, '2026-04').idsBy?.commit).toEqual(['n']);
  });
  it('counts a deal with no rate on its date as unconvertible', () => {
    expect(forecastReport(data({ deals }), filter).unconvertible).toEqual(['g']);
    const june = [deal({ ...deals[3], id: 'g', expectedCloseDate: '2026-06-02' } as ReportDeal)];
    expect(row(forecastReport(data({ deals: june }), filter), '2026-06').values.pipeline).toBe(130_00);
  });
  it('keeps to the date range', () => {
    const r = forecastReport(data({ deals }), { ...filter, from: '2026-04-01', to: '2026-05-01' });
    expect(r.rows.map((x) => x.key)).toEqual(['2026-04']);
  });
});

describe('win/loss', () => {
  const deals = [
    deal({
      id: 'w1',
      stage: 'closedWon',
      source: 'referral',
      amount: 300_00,
      probability: 100,
      closedAt: '2026-03-02T00:00:00Z',
    }),
    deal({
      id: 'w2',
      stage: 'closedWon',
      source: 'referral',
      amount: 100_00,
      currency: 'EUR',
      probability: 100,
      closedAt: '2026-02-01T00:00:00Z',
      ownerId: 'u2',
    }),
    deal({ id: 'l1', stage: 'closedLost', source: 'referral', probability: 0, closedAt: '2026-03-03T00:00:00Z' }),
    deal({ id: 'l2', stage: 'closedLost', source: 'coldOutreach', probability: 0, closedAt: '2026-03-03T00:00:00Z' }),
    deal({ id: 'o', stage: 'proposal', source: 'coldOutreach' }),
  ];
  it('by source: won, lost, win rate and the amount won at the closing date’s rate', () => {
    const r = winLossReport(data({ deals }), filter, 'source');
    expect(row(r, 'referral').values).toMatchObject({
      won: 2,
      lost: 1,
      closed: 3,
      winRate: 66.7,
      wonAmount: 300_00 + 110_00,
    });
    expect(row(r, 'coldOutreach').values).toMatchObject({ won: 0, lost: 1, winRate: 0 });
    expect(row(r, 'referral').idsBy).toEqual({ won: ['w1', 'w2'], lost: ['l1'] });
    expect(r.rows[0]?.key).toBe('referral');
  });
  it('by owner', () => {
    const r = winLossReport(data({ deals }), filter, 'owner');
    expect(row(r, 'u1').values).toMatchObject({ won: 1, lost: 2 });
    expect(row(r, 'u2').values).toMatchObject({ won: 1, lost: 0, winRate: 100 });
  });
  it('by product, through the line items; a deal without lines is “No product”', () => {
    const r = winLossReport(
      data({
        deals,
        products: [
          { id: 'p1', name: 'Core' },
          { id: 'p2', name: 'Add-on' },
        ],
        dealProducts: [
          { id: 'x1', dealId: 'w1', productId: 'p1', total: 200_00, currency: 'USD' },
          { id: 'x2', dealId: 'w1', productId: 'p2', total: 100_00, currency: 'USD' },
          { id: 'x3', dealId: 'l1', productId: 'p1', total: 100_00, currency: 'USD' },
        ],
      }),
      filter,
      'product',
    );
    expect(row(r, 'p1').values).toMatchObject({ won: 1, lost: 1, wonAmount: 200_00, winRate: 50 });
    expect(row(r, 'p2').values).toMatchObject({ won: 1, lost: 0, wonAmount: 100_00 });
    expect(row(r, 'none').values).toMatchObject({ won: 1, lost: 1, wonAmount: 110_00 });
    expect(row(r, 'none').ids.sort()).toEqual(['l2', 'w2']);
  });
  it('lists a won deal with no rate as unconvertible and still counts it as won', () => {
    const gbp = [
      deal({ id: 'g', stage: 'closedWon', currency: 'GBP', probability: 100, closedAt: '2026-01-05T00:00:00Z' }),
    ];
    const r = winLossReport(data({ deals: gbp }), filter, 'owner');
    expect(r.unconvertible).toEqual(['g']);
    expect(row(r, 'u1').values).toMatchObject({ won: 1, wonAmount: 0 });
  });
});

describe('sales cycle and time in stage', () => {
  const deals = [
    deal({
      id: 'a',
      stage: 'closedWon',
      probability: 100,
      createdAt: '2026-01-01T00:00:00Z',
      closedAt: '2026-01-11T00:00:00Z',
    }),
    deal({
      id: 'b',
      stage: 'closedWon',
      probability: 100,
      createdAt: '2026-01-01T00:00:00Z',
      closedAt: '2026-01-31T00:00:00Z',
    }),
  ];
  it('averages the days from creation to win per owner', () => {
    const r = salesCycleReport(data({ deals }), filter);
    expect(row(r, 'u1').values).toMatchObject({ deals: 2, averageDays: 20, longest: 30 });
  });
  it('measures each stage between the moves in and out of it', () => {
    const stageHistory = [
      { id: 'h1', dealId: 'a', toStage: 'prospecting', changedAt: '2026-01-01T00:00:00Z' },
      { id: 'h2', dealId: 'a', fromStage: 'prospecting', toStage: 'proposal', changedAt: '2026-01-03T00:00:00Z' },
      { id: 'h3', dealId: 'a', fromStage: 'proposal', toStage: 'closedWon', changedAt: '2026-01-11T00:00:00Z' },
      {
        id: 'h4',
        dealId: 'b',
        fromStage: 'prospecting',
        toStage: 'proposal',
        changedAt: '2026-01-05T00:00:00Z',
        daysInPreviousStage: 4,
      },
    ];
    const r = timeInStageReport(data({ deals, stageHistory }), filter);
    expect(row(r, 'prospecting').values).toMatchObject({ moves: 2, averageDays: 3 });
    expect(row(r, 'proposal').values).toMatchObject({ moves: 1, averageDays: 8 });
    expect(row(r, 'prospecting').ids).toEqual(['a', 'b']);
  });
});

describe('leads', () => {
  const lead = (id: string, source: string, status: string) => ({
    id,
    source,
    status,
    ownerId: 'u1',
    createdAt: '2026-02-01T00:00:00Z',
  });
  const leads = [
    lead('1', 'referral', 'converted'),
    lead('2', 'referral', 'qualified'),
    lead('3', 'coldOutreach', 'new'),
    lead('4', 'coldOutreach', 'contacted'),
    lead('5', 'coldOutreach', 'lost'),
  ];
  it('attributes conversion and won deals to the lead’s source', () => {
    const deals = [
      deal({
        id: 'd1',
        leadId: '1',
        stage: 'closedWon',
        amount: 50_00,
        probability: 100,
        closedAt: '2026-03-01T00:00:00Z',
      }),
    ];
    const r = leadSourceReport(data({ leads, deals }), filter);
    expect(row(r, 'referral').values).toMatchObject({
      leads: 2,
      converted: 1,
      conversionRate: 50,
      wonDeals: 1,
      wonAmount: 50_00,
    });
    expect(row(r, 'coldOutreach').values).toMatchObject({ leads: 3, converted: 0, conversionRate: 0 });
    expect(row(r, 'referral').idsBy?.converted).toEqual(['1']);
  });
  it('counts the leads that reached each funnel step', () => {
    const r = funnelReport(data({ leads }), filter);
    expect(r.rows.map((x) => [x.key, x.values.leads, x.values.ofAll])).toEqual([
      ['new', 5, 100],
      ['contacted', 4, 80],
      ['qualified', 2, 40],
      ['converted', 1, 20],
    ]);
    expect(row(r, 'converted').ids).toEqual(['1']);
  });
});

describe('people', () => {
  const communications = [
    { id: 'c1', ownerId: 'u1', type: 'call', occurredAt: '2026-02-01T00:00:00Z' },
    { id: 'c2', ownerId: 'u1', type: 'email', occurredAt: '2026-02-02T00:00:00Z' },
    { id: 'c3', ownerId: 'u2', type: 'sms', occurredAt: '2026-02-02T00:00:00Z' },
    { id: 'c4', ownerId: 'u2', type: 'call', occurredAt: '2025-02-02T00:00:00Z' },
  ];
  const tasks = [
    { id: 't1', ownerId: 'u1', status: 'completed', completedAt: '2026-02-03T00:00:00Z' },
    { id: 't2', ownerId: 'u1', status: 'open' },
  ];
  const range = { ...filter, from: '2026-01-01', to: '2027-01-01' };
  it('counts each rep’s communications by kind and completed tasks', () => {
    const r = activityReport(data({ communications, tasks }), range);
    expect(row(r, 'u1').values).toMatchObject({ calls: 1, emails: 1, tasksDone: 1, total: 3 });
    expect(row(r, 'u1').idsBy?.tasksDone).toEqual(['t1']);
    expect(row(r, 'u2').values).toMatchObject({ calls: 0, otherComms: 1, total: 1 });
  });
  it('ranks reps and teams by amount won', () => {
    const deals = [
      deal({
        id: 'w',
        stage: 'closedWon',
        amount: 500_00,
        probability: 100,
        ownerId: 'u2',
        closedAt: '2026-02-01T00:00:00Z',
      }),
      deal({ id: 'l', stage: 'closedLost', probability: 0, ownerId: 'u2', closedAt: '2026-02-01T00:00:00Z' }),
      deal({ id: 'w1', stage: 'closedWon', amount: 100_00, probability: 100, closedAt: '2026-02-01T00:00:00Z' }),
    ];
    const all = data({
      deals,
      communications,
      tasks,
      groups: [{ id: 'g', name: 'East' }],
      members: [
        { groupId: 'g', userId: 'u1' },
        { groupId: 'g', userId: 'u2' },
      ],
    });
    const reps = leaderboardReport(all, range, 'rep');
    expect(reps.rows.map((x) => [x.label, x.values.wonAmount, x.values.winRate, x.values.activitiesPerRep])).toEqual([
      ['Bob Ray', 500_00, 50, 1],
      ['Ann Lee', 100_00, 100, 3],
    ]);
    const teams = leaderboardReport(all, range, 'team');
    expect(teams.rows.map((x) => [x.label, x.values.wonAmount, x.values.reps, x.values.activitiesPerRep])).toEqual([
      ['East', 600_00, 2, 2],
    ]);
  });
  it('ranks content by engagement and counts the people reached', () => {
    const r = contentReport(
      data({
        content: [{ id: 'k', title: 'Guide' }],
        interactions: [
          {
            id: 'i1',
            contentId: 'k',
            subjectId: 'p1',
            type: 'view',
            occurredAt: '2026-01-01T00:00:00Z',
            completionPercent: 50,
          },
          { id: 'i2', contentId: 'k', subjectId: 'p1', type: 'download', occurredAt: '2026-01-02T00:00:00Z' },
          {
            id: 'i3',
            contentId: 'k',
            subjectId: 'p2',
            type: 'view',
            occurredAt: '2026-01-03T00:00:00Z',
            completionPercent: 100,
          },
        ],
      }),
      filter,
    );
    expect(row(r, 'k').values).toMatchObject({ views: 2, downloads: 1, total: 3, people: 2, completion: 75 });
  });
});
