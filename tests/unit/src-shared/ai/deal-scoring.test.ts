import { describe, expect, it } from 'vitest';
import {
  baseRatePredictor,
  evaluateDealModel,
  predictDeal,
  stageAveragePredictor,
  trainDealModel,
} from '../../../../src-shared/ai/deal-scoring';
import type { TimedExample } from '../../../../src-shared/ai/evaluate';
import { mavenDealHistory } from '../../../../src-shared/ai/maven-deal-history';
import { readMavenTables } from '../../../support/maven';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();

/** Deals whose odds depend on stage and source (as planted), owned by a few owners. */
function plantedDeals(count: number, seed = 3): TimedExample[] {
  const rand = lcg(seed);
  const stages = ['prospecting', 'qualification', 'proposal', 'negotiation'];
  const stageRate = [0.15, 0.3, 0.5, 0.7];
  return Array.from({ length: count }, (_, i) => {
    const s = Math.floor(rand() * 4);
    const referral = rand() < 0.4;
    const p = Math.min(0.95, (stageRate[s] ?? 0.3) * (referral ? 1.6 : 0.7));
    return {
      at: day(i),
      label: rand() < p ? 1 : 0,
      raw: {
        dealId: `d${i}`,
        owner: `u${i % 5}`,
        stage: stages[s],
        source: referral ? 'referral' : 'coldOutreach',
        amountUsd: 1000 + rand() * 50_000,
      },
    };
  });
}

describe('deal win probability', () => {
  it('beats the stage average when more than the stage carries signal', () => {
    const evaluation = evaluateDealModel(plantedDeals(3000), stageAveragePredictor);
    expect(evaluation.signal).toBe('strong');
    expect(evaluation.brier).toBeLessThan(evaluation.baseline);
    expect(evaluation.baseline).toBeLessThan(evaluation.baseRate);
  });

  it('says the signal is weak and stays at the base rate when the outcome is noise', () => {
    const rand = lcg(11);
    const noise = plantedDeals(1500).map((e) => ({ ...e, label: (rand() < 0.6 ? 1 : 0) as 0 | 1 }));
    const model = trainDealModel(noise);
    expect(model.signal).toBe('weak');
    expect(model.trust).toBe(0);
    const prediction = predictDeal(model, { stage: 'negotiation', source: 'referral', owner: 'u1' });
    expect(prediction.signal).toBe('weak');
    expect(prediction.probability).toBeCloseTo(model.baseRate, 10);
  });

  it('rates owners on their other deals only', () => {
    // Owner u0 won every deal; a model that let a deal count in its own owner's rate would see 1.0.
    const examples: TimedExample[] = Array.from({ length: 40 }, (_, i) => ({
      at: day(i),
      label: (i % 2 === 0 ? 1 : 0) as 0 | 1,
      raw: { dealId: `d${i}`, owner: i % 2 === 0 ? 'u0' : 'u1', stage: 'proposal' },
    }));
    const model = trainDealModel(examples);
    // 20 wins and 10 pseudo-deals at the base rate 0.5: (20 + 5) / 30.
    expect(model.ownerRates.u0).toBeCloseTo(25 / 30);
    expect(model.ownerRates.u1).toBeCloseTo(5 / 30);
  });

  it('explains a prediction by its inputs', () => {
    const model = trainDealModel(plantedDeals(3000));
    const good = predictDeal(model, { stage: 'negotiation', source: 'referral', owner: 'u1', amountUsd: 20_000 });
    const poor = predictDeal(model, { stage: 'prospecting', source: 'coldOutreach', owner: 'u1', amountUsd: 20_000 });
    expect(good.probability).toBeGreaterThan(poor.probability);
    expect(good.positive.map((f) => f.label)).toEqual(
      expect.arrayContaining(['Stage: negotiation', 'Source: referral']),
    );
    expect(poor.negative.map((f) => f.label)).toEqual(expect.arrayContaining(['Stage: prospecting']));
  });

  it('on the real Maven pipeline (little signal) does no worse than the base rate, and says so', () => {
    const history = mavenDealHistory(readMavenTables());
    expect(history).toHaveLength(6711);
    expect(history.filter((e) => e.label === 1)).toHaveLength(4238);
    const evaluation = evaluateDealModel(history, baseRatePredictor);
    expect(evaluation.brier).toBeLessThanOrEqual(evaluation.baseRate + 1e-9);
    expect(evaluation.baseRate).toBeCloseTo(0.2399, 4);
    expect(evaluation.signal).toBe('weak');
  }, 60_000);
});
