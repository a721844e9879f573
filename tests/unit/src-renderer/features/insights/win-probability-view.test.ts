import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  WEAK_SIGNAL_NOTE,
  WinProbabilityView,
  type WinProbabilityViewProps,
} from '../../../../../src-renderer/features/insights/components/DealWinProbability';
import type { DealModel } from '../../../../../src-shared/ai/deal-scoring';

const model = (signal: 'weak' | 'strong', baseRate = 0.62, skill = 0.19) =>
  ({ signal, baseRate, skill, trust: signal === 'weak' ? 0 : 1, ownerRates: {} }) as unknown as DealModel;
const prediction = {
  probability: 0.81,
  positive: [{ label: 'Source: referral', effect: 1.03 }],
  negative: [{ label: 'Amount (USD): 167792.03', effect: -0.17 }],
};
const render = (props: Partial<WinProbabilityViewProps>) =>
  renderToStaticMarkup(
    createElement(WinProbabilityView, {
      stageProbability: 50,
      closed: false,
      state: { model: model('strong'), training: false, examples: 497 },
      prediction,
      ...props,
    }),
  );

describe('win probability in the deal pane', () => {
  it("shows the model's probability beside the stage's with its reasons", () => {
    const html = render({});
    expect(html).toContain('50%');
    expect(html).toContain('81%');
    expect(html).toContain('Model (your history)');
    expect(html).toContain('Source: referral');
    expect(html).toContain('Amount (USD): 167,792');
    expect(html).toContain('×2.80 odds');
    expect(html).toContain('497 stage snapshots');
  });

  it('says the signal is weak and shows the average, not a confident number or reasons', () => {
    const html = render({ state: { model: model('weak', 0.62, 0.004), training: false, examples: 497 } });
    expect(html).toContain(WEAK_SIGNAL_NOTE);
    expect(WEAK_SIGNAL_NOTE).toBe(
      'Weak signal: the history predicts little better than the average win rate; showing the average',
    );
    expect(html).toContain('62%');
    expect(html).toContain('Average win rate');
    expect(html).not.toContain('81%');
    expect(html).not.toContain('Source: referral');
  });

  it('lets the stage probability stand without history, and does not predict closed deals', () => {
    expect(render({ state: { training: false, examples: 12 }, prediction: undefined })).toContain(
      'Too few closed deals to learn from yet (12 stage snapshots)',
    );
    expect(render({ state: { training: true, examples: 0 }, prediction: undefined })).toContain(
      'Learning from your closed deals',
    );
    const closed = render({ closed: true, stageProbability: 100 });
    expect(closed).toContain('Closed deals are not predicted');
    expect(closed).not.toContain('81%');
  });
});
