import { describe, expect, it } from 'vitest';
import { forecastAccuracy } from '../../../../src-shared/ai/forecast';
import { closedDealHistory, stageProbability } from '../../../../src-shared/ai/forecast-history';

const deal = (id: string, stage: string, amount: number, closedAt?: string) => ({
  id,
  ownerId: 'u1',
  stage,
  amount,
  currency: 'USD',
  probability: 0,
  ...(closedAt ? { closedAt } : {}),
});
const move = (dealId: string, toStage: string, changedAt: string) => ({ dealId, toStage, changedAt });

describe('closedDealHistory', () => {
  it('keeps closed deals with their moves oldest first, leaving out open and removed ones', () => {
    const history = closedDealHistory(
      [
        deal('won', 'closedWon', 1000, '2026-03-20T00:00:00.000Z'),
        deal('lost', 'closedLost', 500, '2026-03-25T00:00:00.000Z'),
        deal('open', 'proposal', 700),
        { ...deal('gone', 'closedWon', 9, '2026-03-01T00:00:00.000Z'), isDeleted: true },
      ],
      [
        move('won', 'negotiation', '2026-02-10T00:00:00.000Z'),
        move('won', 'proposal', '2026-01-05T00:00:00.000Z'),
        move('won', 'closedWon', '2026-03-20T00:00:00.000Z'),
        move('lost', 'qualification', '2026-02-01T00:00:00.000Z'),
        { ...move('lost', 'proposal', '2026-02-02T00:00:00.000Z'), isDeleted: true },
      ],
    );
    expect(history.map((h) => h.deal.id)).toEqual(['won', 'lost']);
    expect(history[0]?.moves.map((m) => m.toStage)).toEqual(['proposal', 'negotiation', 'closedWon']);
    expect(history[1]?.moves.map((m) => m.toStage)).toEqual(['qualification']);

    // 30 days before closing: the won deal was in negotiation (0.75), the lost one in qualification (0.25).
    const accuracy = forecastAccuracy(history, {
      currency: 'USD',
      convert: (amount) => amount,
      probabilityAt: stageProbability,
    });
    expect(accuracy.months).toEqual([{ month: '2026-03', forecast: 875, won: 1000, error: 0.125 }]);
    expect(accuracy.meanAbsoluteError).toBeCloseTo(0.125);
  });

  it('gives an unknown stage no probability', () => {
    expect(stageProbability('negotiation')).toBe(0.75);
    expect(stageProbability('nonsense')).toBe(0);
  });
});
