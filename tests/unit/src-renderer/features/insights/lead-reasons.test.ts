import { describe, expect, it } from 'vitest';
import { toScoreFactors } from '../../../../../src-renderer/features/insights/lead-scores';
import { scoreReasons } from '../../../../../src-renderer/features/leads/lead-inbox.queries';

describe("the Leads screen's reasons from either shape of scoreFactors", () => {
  it("reads the on-device model's shape: labels as written, odds multipliers, strongest first", () => {
    const factors = toScoreFactors(
      {
        probability: 0.8,
        score: 80,
        basis: 'trained',
        positive: [
          { label: 'Lead activities: 9', effect: 1.25 },
          { label: 'Source: referral', effect: 0.5 },
        ],
        negative: [{ label: 'Seniority: individual', effect: -0.3 }],
      },
      { trainedAt: '2026-11-01T09:00:00.000Z', examples: 258 },
    );
    const { positive, negative } = scoreReasons(factors);
    expect(positive.map((r) => [r.label, r.display])).toEqual([
      ['Lead activities: 9', '×3.5 odds'],
      ['Source: referral', '×1.65 odds'],
    ]);
    expect(negative.map((r) => [r.label, r.display, r.impact])).toEqual([
      ['Seniority: individual', '×0.74 odds', -0.3],
    ]);
    expect(positive[0]?.value).toBe(63);
  });

  it("still reads the demo's {engagement, sourceQuality, fit} shape", () => {
    const { positive, negative } = scoreReasons({ engagement: 91, sourceQuality: 9, fit: 64 });
    expect(positive.map((r) => r.label)).toEqual(['Highly engaged', 'Good company fit']);
    expect(negative.map((r) => r.label)).toEqual(['Weak source']);
    expect(positive[0]?.display).toBeUndefined();
  });

  it('shows no reasons for a malformed model shape rather than wrong ones', () => {
    const bad = { basis: 'trained', model: { trainedAt: 'x', examples: 3 }, positive: [{ label: 1 }], negative: [] };
    expect(scoreReasons(bad)).toEqual({ positive: [], negative: [] });
  });
});
