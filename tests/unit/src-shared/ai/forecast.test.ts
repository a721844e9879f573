import { describe, expect, it } from 'vitest';
import { type ForecastDeal, forecast, forecastAccuracy } from '../../../../src-shared/ai/forecast';

/** 1 EUR = 1.1 USD; no rate for JPY. */
const convert = (amount: number, currency: string, target: string) =>
  currency === target ? amount : currency === 'EUR' && target === 'USD' ? Math.round(amount * 1.1) : undefined;

const deal = (patch: Partial<ForecastDeal> & { id: string }): ForecastDeal => ({
  ownerId: 'u1',
  stage: 'proposal',
  amount: 100_00,
  currency: 'USD',
  probability: 50,
  expectedCloseDate: '2026-12-15',
  ...patch,
});

const DEALS = [
  deal({ id: 'a', stage: 'negotiation', amount: 1000_00, probability: 75 }),
  deal({ id: 'b', stage: 'proposal', amount: 500_00, currency: 'EUR', forecastCategory: 'bestCase' }),
  deal({
    id: 'c',
    stage: 'qualification',
    amount: 2000_00,
    probability: 25,
    ownerId: 'u2',
    expectedCloseDate: '2027-01-10',
  }),
  deal({ id: 'd', stage: 'closedWon', amount: 300_00, probability: 100, closedAt: '2026-12-02T10:00:00.000Z' }),
  deal({ id: 'e', stage: 'closedLost', amount: 900_00, probability: 0, closedAt: '2026-12-03T10:00:00.000Z' }),
  deal({ id: 'f', stage: 'proposal', amount: 700_00, currency: 'JPY' }),
];

describe('forecast', () => {
  it('sums commit, best case, pipeline and weighted by month in one currency', () => {
    const result = forecast(DEALS, { currency: 'USD', convert, groupBy: 'month' });
    expect(result.rows).toEqual([
      // a: commit (negotiation), b: best case (550 USD), d: won.
      {
        key: '2026-12',
        commit: 1300_00,
        bestCase: 1850_00,
        pipeline: 1550_00,
        weighted: 750_00 + 275_00,
        won: 300_00,
        deals: 3,
      },
      { key: '2027-01', commit: 0, bestCase: 0, pipeline: 2000_00, weighted: 500_00, won: 0, deals: 1 },
    ]);
    expect(result.unconverted).toEqual({ JPY: 1 });
  });

  it('groups by owner or team, and prefers a model probability', () => {
    const byOwner = forecast(DEALS, { currency: 'USD', convert, groupBy: 'owner', probabilityOf: () => 0.1 });
    expect(byOwner.rows.map((r) => [r.key, r.weighted])).toEqual([
      ['u1', 100_00 + 55_00],
      ['u2', 200_00],
    ]);
    const byTeam = forecast(DEALS, {
      currency: 'USD',
      convert,
      groupBy: 'team',
      teamOf: (u) => (u === 'u1' ? 'East' : undefined),
    });
    expect(byTeam.rows.map((r) => r.key)).toEqual(['East', 'no team']);
  });

  it('keeps to a period', () => {
    const january = forecast(DEALS, {
      currency: 'USD',
      convert,
      groupBy: 'month',
      from: '2027-01-01',
      to: '2027-02-01',
    });
    expect(january.rows.map((r) => r.key)).toEqual(['2027-01']);
  });

  it('measures the weighted forecast against what was won, as deals stood before closing', () => {
    const history = [
      {
        deal: deal({ id: 'w', stage: 'closedWon', amount: 1000_00, closedAt: '2026-10-20T00:00:00.000Z' }),
        moves: [
          { toStage: 'prospecting', changedAt: '2026-08-01T00:00:00.000Z' },
          { toStage: 'proposal', changedAt: '2026-09-01T00:00:00.000Z' },
          { toStage: 'closedWon', changedAt: '2026-10-20T00:00:00.000Z' },
        ],
      },
      {
        deal: deal({ id: 'l', stage: 'closedLost', amount: 1000_00, closedAt: '2026-10-25T00:00:00.000Z' }),
        moves: [
          { toStage: 'prospecting', changedAt: '2026-09-01T00:00:00.000Z' },
          { toStage: 'closedLost', changedAt: '2026-10-25T00:00:00.000Z' },
        ],
      },
    ];
    const stageRate: Record<string, number> = { prospecting: 0.1, proposal: 0.5 };
    const accuracy = forecastAccuracy(history, {
      currency: 'USD',
      convert,
      leadDays: 30,
      probabilityAt: (stage) => stageRate[stage] ?? 0,
    });
    // 30 days before closing: w was in proposal (0.5 × 1000), l in prospecting (0.1 × 1000).
    expect(accuracy.months).toEqual([{ month: '2026-10', forecast: 600_00, won: 1000_00, error: 0.4 }]);
    expect(accuracy.meanAbsoluteError).toBeCloseTo(0.4);
  });
});
