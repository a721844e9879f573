import { describe, expect, it } from 'vitest';
import {
  type ModelScoreFactors,
  ratingOf,
  readableFactor,
  readModelFactors,
  rescoreDecision,
  toScoreFactors,
} from '../../../../../src-renderer/features/insights/lead-scores';

const factors: ModelScoreFactors = {
  basis: 'trained',
  model: { trainedAt: '2026-11-01T09:00:00.000Z', examples: 240 },
  positive: [{ label: 'Source: referral', effect: 0.81 }],
  negative: [{ label: 'Lead activities: 0', effect: -0.4 }],
};
const now = new Date('2026-11-02T10:00:00.000Z');
const owner = { userId: 'user-rep-1', mode: 'signed-in' as const };
const lead = { id: 'lead-1', ownerId: 'user-rep-1', isDeleted: false, score: 20, rating: 'cold', scoreFactors: {} };

describe('rescoreDecision', () => {
  it("writes on the owner's device when the score changed, with rating and time", () => {
    const d = rescoreDecision(lead, { score: 73, factors }, owner, now);
    expect(d).toEqual({
      write: true,
      patch: { score: 73, scoreFactors: factors, rating: 'hot', scoredAt: '2026-11-02T10:00:00.000Z' },
    });
  });

  it("never writes on another user's device: devices would fight over the same fields", () => {
    const d = rescoreDecision(lead, { score: 73, factors }, { userId: 'user-manager', mode: 'signed-in' }, now);
    expect(d).toEqual({ write: false, why: 'not the owner’s device' });
    expect(rescoreDecision(lead, { score: 73, factors }, { userId: '', mode: 'signed-in' }, now).write).toBe(false);
    // The owner's role cannot update leads: the server would refuse it, so it is not written.
    expect(rescoreDecision(lead, { score: 73, factors }, { ...owner, canUpdate: false }, now)).toEqual({
      write: false,
      why: 'no permission to update leads',
    });
  });

  it('writes any lead in demo mode (the device is alone)', () => {
    const d = rescoreDecision(
      { ...lead, ownerId: 'someone' },
      { score: 73, factors },
      { userId: 'local-user', mode: 'demo' },
      now,
    );
    expect(d.write).toBe(true);
  });

  it('writes nothing when score, rating and reasons are the same (no sync traffic, no loop)', () => {
    const same = { ...lead, score: 73, rating: 'hot', scoreFactors: structuredClone(factors) };
    expect(rescoreDecision(same, { score: 73, factors }, owner, now)).toEqual({ write: false, why: 'unchanged' });
    // A changed reason alone is a change.
    const moved = { ...factors, positive: [{ label: 'Source: referral', effect: 0.9 }] };
    expect(rescoreDecision(same, { score: 73, factors: moved }, owner, now).write).toBe(true);
    // A new model alone is a change (the manager sees which model scored it).
    const retrained = { ...factors, model: { trainedAt: '2026-11-02T00:00:00.000Z', examples: 250 } };
    expect(rescoreDecision(same, { score: 73, factors: retrained }, owner, now).write).toBe(true);
  });

  it("never overwrites a score from a newer model (the owner's other device), so two devices settle", () => {
    const newer = { ...factors, model: { trainedAt: '2026-11-02T08:00:00.000Z', examples: 241 } };
    const scoredElsewhere = { ...lead, score: 60, rating: 'warm', scoreFactors: newer };
    expect(rescoreDecision(scoredElsewhere, { score: 73, factors }, owner, now)).toEqual({
      write: false,
      why: 'scored by a newer model',
    });
    // The device with the newer model does overwrite the older model's score.
    const scoredByOlder = { ...lead, score: 73, rating: 'hot', scoreFactors: factors };
    expect(rescoreDecision(scoredByOlder, { score: 60, factors: newer }, owner, now).write).toBe(true);
  });

  it('rejects bad input without writing', () => {
    expect(rescoreDecision(undefined, { score: 50, factors }, owner, now)).toEqual({ write: false, why: 'no lead' });
    expect(rescoreDecision({ ...lead, id: '' }, { score: 50, factors }, owner, now).write).toBe(false);
    expect(rescoreDecision({ ...lead, id: 42 }, { score: 50, factors }, owner, now).write).toBe(false);
    expect(rescoreDecision({ ...lead, isDeleted: true }, { score: 50, factors }, owner, now)).toEqual({
      write: false,
      why: 'deleted',
    });
    for (const score of [Number.NaN, -1, 101, 50.5, Number.POSITIVE_INFINITY]) {
      const d = rescoreDecision(lead, { score, factors }, owner, now);
      expect(d.write).toBe(false);
      expect(d.write === false && d.why).toMatch(/is not an integer from 0 to 100/);
    }
    const broken = { ...factors, positive: [{ label: 'x', effect: Number.NaN }] };
    expect(rescoreDecision(lead, { score: 50, factors: broken }, owner, now)).toEqual({
      write: false,
      why: 'factors are not in the model shape',
    });
  });
});

describe('score factors shape', () => {
  it('rounds effects and records the model', () => {
    const f = toScoreFactors(
      {
        probability: 0.7,
        score: 70,
        basis: 'prior',
        positive: [{ label: 'Source: event', effect: 0.123456 }],
        negative: [{ label: 'Replies and forms: 0', effect: -0.0789 }],
      },
      { trainedAt: '2026-11-01T09:00:00.000Z', examples: 0 },
    );
    expect(f).toEqual({
      basis: 'prior',
      model: { trainedAt: '2026-11-01T09:00:00.000Z', examples: 0 },
      positive: [{ label: 'Source: event', effect: 0.12 }],
      negative: [{ label: 'Replies and forms: 0', effect: -0.08 }],
    });
    expect(readModelFactors(f)).toEqual(f);
  });

  it('reads only the model shape: the demo shape and junk are not it', () => {
    expect(readModelFactors({ engagement: 80, sourceQuality: 40, fit: 60 })).toBeUndefined();
    for (const junk of [null, undefined, 'x', 3, [], { basis: 'guess' }, { ...factors, model: null }])
      expect(readModelFactors(junk)).toBeUndefined();
    expect(readModelFactors({ ...factors, negative: 'none' })).toBeUndefined();
  });

  it('rates like the inbox colours', () => {
    expect([ratingOf(0), ratingOf(39), ratingOf(40), ratingOf(69), ratingOf(70), ratingOf(100)]).toEqual([
      'cold',
      'cold',
      'warm',
      'warm',
      'hot',
      'hot',
    ]);
  });
});

describe('readableFactor', () => {
  it('rounds numbers, spells out camelCase values, leaves the rest', () => {
    expect(readableFactor('Days open: 71.9482891087963')).toBe('Days open: 72');
    expect(readableFactor('Amount (USD): 167792.03')).toBe('Amount (USD): 167,792');
    expect(readableFactor('Deal type: newBusiness')).toBe('Deal type: new business');
    expect(readableFactor("Owner's win rate: 0.4312")).toBe("Owner's win rate: 43%");
    expect(readableFactor('Days in previous stage: 3.25')).toBe('Days in previous stage: 3.3');
    expect(readableFactor('Source: referral')).toBe('Source: referral');
    expect(readableFactor('Industry: unknown')).toBe('Industry: unknown');
    expect(readableFactor('No colon')).toBe('No colon');
    expect(readableFactor('Empty: ')).toBe('Empty: ');
  });
});
