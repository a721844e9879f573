import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, trainClassifier } from '../../../../src-shared/ai/classifier';
import { demoLeadHistory } from '../../../../src-shared/ai/demo-lead-history';
import { evaluateClassifier, splitByTime } from '../../../../src-shared/ai/evaluate';
import {
  customFieldFeatures,
  engagementOf,
  LEAD_FEATURES,
  leadExample,
  leadOutcome,
  MIN_OUTCOMES_PER_CLASS,
  NO_ENGAGEMENT,
  scoreLead,
  seniorityOf,
  trainLeadScorer,
} from '../../../../src-shared/ai/lead-scoring';
import { fitLogistic, predict } from '../../../../src-shared/ai/logistic-regression';

/** A deterministic pseudo-random stream for synthetic data. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('logistic regression', () => {
  it('recovers the direction and rough size of planted effects', () => {
    const rand = lcg(7);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const a = rand() * 2 - 1;
      const b = rand() * 2 - 1;
      const noise = rand();
      rows.push([a, b, noise]);
      labels.push(rand() < 1 / (1 + Math.exp(-(2 * a - 1 * b))) ? 1 : 0);
    }
    const model = fitLogistic(rows, labels, { l2: 0.1 });
    const raw = model.weights.map((w, j) => w / (model.scales[j] ?? 1));
    expect(raw[0]).toBeGreaterThan(1.5);
    expect(raw[0]).toBeLessThan(2.5);
    expect(raw[1]).toBeLessThan(-0.6);
    expect(Math.abs(raw[2] ?? 0)).toBeLessThan(0.3);
  });

  it('predicts probabilities in (0, 1) whatever the input', () => {
    const model = fitLogistic(
      [
        [0, 1],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
      [0, 1, 1, 0],
    );
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
        fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
        (a, b) => {
          const p = predict(model, [a, b]);
          return p >= 0 && p <= 1;
        },
      ),
    );
  });

  it('stays at the base rate when no feature says anything', () => {
    const model = fitLogistic([[1], [1], [1], [1]], [1, 0, 0, 0]);
    expect(predict(model, [1])).toBeCloseTo(0.25, 5);
  });
});

describe('lead features', () => {
  it('reads engagement from activity types', () => {
    const types = ['emailSent', 'call', 'demo', 'emailReplied', 'formSubmitted'];
    const touches = (n: number) => Array.from({ length: n }, () => ({ occurredAt: '2026-10-30T00:00:00.000Z' }));
    expect(
      engagementOf(
        types.map((type) => ({ type, occurredAt: '2026-10-20T00:00:00.000Z' })),
        touches(3),
        new Date('2026-11-01T00:00:00.000Z'),
      ),
    ).toEqual({
      activities: 5,
      interactions: 3,
      conversations: 2,
      replies: 2,
      daysSinceLastTouch: 2,
      recentTouches: 8,
    });
  });

  it('levels job titles', () => {
    expect(seniorityOf('Chief Revenue Officer')).toBe('executive');
    expect(seniorityOf('VP of Sales')).toBe('vp');
    expect(seniorityOf('Director of IT')).toBe('director');
    expect(seniorityOf('IT Manager')).toBe('manager');
    expect(seniorityOf('Analyst')).toBe('individual');
    expect(seniorityOf(undefined)).toBeUndefined();
  });

  it('knows which statuses are outcomes', () => {
    expect(leadOutcome('converted')).toBe(1);
    expect(leadOutcome('lost')).toBe(0);
    expect(leadOutcome('unqualified')).toBe(0);
    expect(leadOutcome('new')).toBeUndefined();
    expect(leadOutcome('nurturing')).toBeUndefined();
  });

  it('turns custom fields into features by their type', () => {
    expect(
      customFieldFeatures([
        { key: 'budget', label: 'Budget', fieldType: 'boolean' },
        { key: 'seats', label: 'Seats', fieldType: 'integer' },
        { key: 'tier', label: 'Tier', fieldType: 'enum' },
        { key: 'notes', label: 'Notes', fieldType: 'text' },
      ]).map((s) => [s.key, s.kind]),
    ).toEqual([
      ['custom.budget', 'boolean'],
      ['custom.seats', 'numeric'],
      ['custom.tier', 'category'],
    ]);
  });
});

describe('lead scoring', () => {
  it('uses the prior, and says so, while the history is too small', () => {
    const few = Array.from({ length: 2 * MIN_OUTCOMES_PER_CLASS - 1 }, (_, i) => ({
      raw: leadExample({ source: 'website' }, NO_ENGAGEMENT),
      label: (i % 2) as 0 | 1,
    }));
    const scorer = trainLeadScorer(few);
    expect(scorer.basis).toBe('prior');
    const engaged = scoreLead(
      scorer,
      leadExample({ source: 'referral' }, { activities: 9, interactions: 4, conversations: 2, replies: 1 }),
    );
    const cold = scoreLead(scorer, leadExample({ source: 'coldOutreach' }, NO_ENGAGEMENT));
    expect(engaged.basis).toBe('prior');
    expect(engaged.score).toBeGreaterThan(cold.score);
    expect(engaged.positive.map((f) => f.label)).toContain('Source: referral');
    expect(cold.negative.length).toBeGreaterThan(0);
  });

  it('explains a score with the inputs that pushed it, signed', () => {
    const examples = Array.from({ length: 400 }, (_, i) => {
      const activities = i % 10;
      return { raw: { activities, source: i % 2 ? 'referral' : 'paidAds' }, label: (activities > 4 ? 1 : 0) as 0 | 1 };
    });
    const classifier = trainClassifier(examples, LEAD_FEATURES);
    const busy = classify(classifier, { activities: 9, source: 'referral' });
    expect(busy.positive[0]?.label).toBe('Lead activities: 9');
    const quiet = classify(classifier, { activities: 0, source: 'referral' });
    expect(quiet.negative[0]?.label).toBe('Lead activities: 0');
    expect(quiet.probability).toBeLessThan(busy.probability);
  });

  it('splits by time: the test set is newer than anything trained on', () => {
    const rows = ['2026-03-01', '2026-01-01', '2026-02-01', '2026-04-01'].map((at) => ({ at }));
    const { train, test } = splitByTime(rows, 0.5);
    expect(train.map((r) => r.at)).toEqual(['2026-01-01', '2026-02-01']);
    expect(test.map((r) => r.at)).toEqual(['2026-03-01', '2026-04-01']);
  });

  it('reaches AUC ≥ 0.80 on held-out generated leads with planted signal', () => {
    const history = demoLeadHistory('small');
    expect(history.length).toBeGreaterThan(200);
    const evaluation = evaluateClassifier(history, (train) => trainLeadScorer(train));
    expect(evaluation.basis).toBe('trained');
    expect(evaluation.auc).toBeGreaterThanOrEqual(0.8);
    expect(evaluation.brier).toBeLessThan(evaluation.brierBaseRate);
    // The planted drivers are what the model found.
    const top = evaluation.topFactors.slice(0, 4).map((f) => f.label);
    expect(top).toEqual(expect.arrayContaining(['Lead activities', 'Content interactions']));
  }, 60_000);
});
