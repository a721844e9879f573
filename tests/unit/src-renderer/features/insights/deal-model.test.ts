import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRateBook } from '../../../../../src-renderer/features/deals';
import { forecastWindow } from '../../../../../src-renderer/features/insights/components/ForecastPanel';
import { modelSummary, progressText } from '../../../../../src-renderer/features/insights/components/LeadScoringStatus';
import {
  dealFeatures,
  dealHistory,
  trainDealModelFrom,
} from '../../../../../src-renderer/features/insights/deal-model';
import { convertOf } from '../../../../../src-renderer/features/insights/money';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const toUsd = (amount: number, currency: string) =>
  currency === 'USD' ? amount : currency === 'EUR' ? amount * 1.1 : undefined;

describe('deal model from the repositories', () => {
  it('reads a deal as it stood on entering a stage: features known then only', () => {
    const deal = {
      id: 'd1',
      ownerId: 'u1',
      source: 'referral' as const,
      type: 'newBusiness' as const,
      amount: 1_000_000,
      currency: 'EUR',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    const at = Date.parse('2026-01-11T00:00:00.000Z');
    const raw = dealFeatures(
      deal,
      'proposal',
      at,
      {
        company: { industry: 'Retail', employeeCount: 300 },
        moves: [
          { toStage: 'proposal', changedAt: '2026-01-10T00:00:00.000Z', daysInPreviousStage: 4 },
          { toStage: 'negotiation', changedAt: '2026-01-20T00:00:00.000Z', daysInPreviousStage: 10 },
        ],
        activityTimes: [Date.parse('2026-01-05T00:00:00.000Z'), Date.parse('2026-01-15T00:00:00.000Z')],
      },
      toUsd,
    );
    expect(raw).toEqual({
      owner: 'u1',
      dealId: 'd1',
      stage: 'proposal',
      source: 'referral',
      type: 'newBusiness',
      industry: 'Retail',
      employees: 300,
      amountUsd: 11_000,
      daysOpen: 10,
      daysInStage: 4,
      activities: 1,
    });
    // No rate: the amount is unknown rather than guessed.
    expect(
      dealFeatures({ ...deal, currency: 'XYZ' }, 'proposal', at, { moves: [], activityTimes: [] }, toUsd).amountUsd,
    ).toBe(undefined);
  });

  it('trains nothing from too little history (the stage probability stands)', async () => {
    const won = await t.repos.deal.create({
      name: 'Won',
      stage: 'closedWon',
      probability: 100,
      closedAt: '2026-10-01T00:00:00.000Z',
      amount: 500_00,
    });
    await t.repos.dealStageHistory.create({
      dealId: won.id,
      toStage: 'proposal',
      changedAt: '2026-09-01T00:00:00.000Z',
      changedBy: 'user-rep-1',
    });
    await t.repos.dealStageHistory.create({
      dealId: won.id,
      fromStage: 'proposal',
      toStage: 'closedWon',
      changedAt: '2026-10-01T00:00:00.000Z',
      changedBy: 'user-rep-1',
    });
    const history = await dealHistory(t.repos, toUsd);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ label: 1, at: '2026-09-01T00:00:00.000Z', raw: { stage: 'proposal' } });
    const result = await trainDealModelFrom(t.repos, toUsd);
    expect(result.model).toBeUndefined();
    expect(result.examples).toBe(1);
  });
});

describe('forecast adapter and lead model summary', () => {
  it("converts through the Deals screen's RateBook, undefined without a rate", () => {
    const book = createRateBook(
      [{ baseCurrency: 'USD', quoteCurrency: 'EUR', rate: 0.9, effectiveDate: '2026-01-01' }],
      {
        USD: 2,
        EUR: 2,
      },
    );
    const convert = convertOf(book);
    expect(convert(100_00, 'USD', 'EUR', '2026-06-01')).toBe(90_00);
    expect(convert(100_00, 'GBP', 'EUR', '2026-06-01')).toBeUndefined();
  });

  it('covers whole months from this one', () => {
    expect(forecastWindow(new Date('2026-11-30T23:00:00.000Z'), 6)).toEqual({ from: '2026-11-01', to: '2027-05-01' });
  });

  it('says when scores rest on the built-in prior', () => {
    expect(modelSummary(undefined)).toMatch(/Scores as imported/);
    const prior = { basis: 'prior' as const, trainedAt: '2026-11-01T09:00:00.000Z', examples: 0, positives: 0 };
    expect(modelSummary(prior)).toMatch(
      /^Using a built-in prior: too little history \(needs 20 converted and 20 lost leads\)/,
    );
    expect(modelSummary({ ...prior, basis: 'trained', examples: 258, positives: 99 })).toMatch(
      /^Model trained .* on 258 outcomes \(99 converted\)\.$/,
    );
  });

  it('says where a retrain is', () => {
    expect(progressText(undefined)).toBe('Retraining…');
    expect(progressText({ phase: 'reading' })).toBe('Reading the lead history…');
    expect(progressText({ phase: 'training' })).toBe('Training on the closed leads…');
    expect(progressText({ phase: 'scoring', done: 150, total: 360 })).toBe('Scoring open leads: 150 of 360…');
    expect(progressText({ phase: 'writing', done: 0, total: 342 })).toBe('Saving 342 changed scores…');
  });
});
