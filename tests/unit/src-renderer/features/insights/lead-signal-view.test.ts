import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { modelSummary } from '../../../../../src-renderer/features/insights/components/LeadScoringStatus';
import { leadModelSignal } from '../../../../../src-renderer/features/insights/lead-model';
import {
  readModelFactors,
  rescoreDecision,
  toScoreFactors,
} from '../../../../../src-renderer/features/insights/lead-scores';
import { ScoreExplained, TopReasons } from '../../../../../src-renderer/features/leads/components/LeadScore';
import type { LeadScore } from '../../../../../src-shared/ai/lead-scoring';

const score: LeadScore = {
  probability: 0.82,
  score: 82,
  basis: 'trained',
  positive: [{ label: 'Source: referral', effect: 0.9 }],
  negative: [{ label: 'Last activity: 40', effect: -0.3 }],
};
const model = { trainedAt: '2026-11-01T09:00:00.000Z', examples: 300 };

describe('weak signal in lead scores', () => {
  it('marks the synced factors of a weak model, and only of a weak trained one', () => {
    const weak = toScoreFactors(score, { ...model, signal: 'weak' });
    expect(weak.signal).toBe('weak');
    expect(readModelFactors(JSON.parse(JSON.stringify(weak)))?.signal).toBe('weak');
    expect(toScoreFactors(score, { ...model, signal: 'strong' }).signal).toBeUndefined();
    expect(toScoreFactors(score, model).signal).toBeUndefined();
    // The prior keeps its own message: no second flag.
    expect(toScoreFactors({ ...score, basis: 'prior' }, { ...model, signal: 'weak' }).signal).toBeUndefined();
  });

  it('rewrites a score whose model turned weak (the flag is part of the reasons)', () => {
    const strong = toScoreFactors(score, model);
    const lead = { id: 'l1', score: 82, rating: 'hot', scoreFactors: strong };
    const ctx = { userId: 'u', mode: 'demo' as const };
    const now = new Date('2026-11-02T00:00:00Z');
    expect(rescoreDecision(lead, { score: 82, factors: strong }, ctx, now).write).toBe(false);
    expect(
      rescoreDecision(lead, { score: 82, factors: toScoreFactors(score, { ...model, signal: 'weak' }) }, ctx, now)
        .write,
    ).toBe(true);
  });

  it('says "weak signal" on the score card and in the list reasons instead of "Hot lead"', () => {
    const weak = toScoreFactors(score, { ...model, signal: 'weak' });
    const card = renderToStaticMarkup(createElement(ScoreExplained, { score: 82, factors: weak }));
    expect(card).toContain('Score 82: weak signal');
    expect(card).not.toContain('Hot lead');
    expect(card).toContain('weak signal: the model predicts barely better than average');
    const strongCard = renderToStaticMarkup(
      createElement(ScoreExplained, { score: 82, factors: toScoreFactors(score, model) }),
    );
    expect(strongCard).toContain('Hot lead');
    expect(strongCard).not.toContain('weak signal');
    expect(renderToStaticMarkup(createElement(TopReasons, { factors: weak }))).toContain('weak signal');
  });

  it('says so in the status line, with the held-out AUC', () => {
    const trained = { basis: 'trained' as const, trainedAt: model.trainedAt, examples: 300, positives: 120 };
    expect(modelSummary({ ...trained, signal: 'weak', heldOutAuc: 0.514 })).toMatch(
      /Weak signal: .*average conversion rate \(held-out AUC 0\.51\); treat scores as rough\.$/,
    );
    expect(modelSummary({ ...trained, signal: 'strong', heldOutAuc: 0.86 })).not.toMatch(/Weak/);
    expect(leadModelSignal({ signal: 'weak', heldOutAuc: 0.5, skill: -0.01 })).toEqual({
      signal: 'weak',
      heldOutAuc: 0.5,
      skill: -0.01,
    });
    expect(leadModelSignal({ basis: 'trained' })).toBeUndefined();
  });
});
