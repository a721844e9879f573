import { describe, expect, it } from 'vitest';
import { WEAK_SKILL } from '../../../../src-shared/ai/deal-scoring';
import { demoLeadHistory } from '../../../../src-shared/ai/demo-lead-history';
import {
  holdOutFifth,
  leadExample,
  MIN_OUTCOMES_PER_CLASS,
  NO_ENGAGEMENT,
  trainLeadScorer,
} from '../../../../src-shared/ai/lead-scoring';

/** A deterministic pseudo-random stream for synthetic data. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NOW = new Date('2026-06-01T00:00:00Z');

describe('lead scorer: its own skill on held-out history', () => {
  const planted = demoLeadHistory('small').map(({ raw, label }) => ({ raw, label }));

  it('is not weak on a history with planted signal', () => {
    const scorer = trainLeadScorer(planted, { now: NOW });
    expect(scorer.basis).toBe('trained');
    expect(scorer.signal).toBe('strong');
    expect(scorer.skill).toBeGreaterThanOrEqual(WEAK_SKILL);
    expect(scorer.heldOutAuc).toBeGreaterThan(0.7);
  }, 60_000);

  it('is flagged weak when the outcomes are random (same leads, coin-flip labels)', () => {
    const rand = lcg(11);
    const noise = planted.map(({ raw }) => ({ raw, label: (rand() < 0.4 ? 1 : 0) as 0 | 1 }));
    const scorer = trainLeadScorer(noise, { now: NOW });
    expect(scorer.basis).toBe('trained');
    expect(scorer.signal).toBe('weak');
    expect(scorer.skill).toBeLessThan(WEAK_SKILL);
  }, 60_000);

  it('is weak (the prior) when the history is too small', () => {
    const few = Array.from({ length: MIN_OUTCOMES_PER_CLASS }, (_, i) => ({
      raw: leadExample({ source: 'website' }, NO_ENGAGEMENT),
      label: (i % 2) as 0 | 1,
    }));
    const scorer = trainLeadScorer(few, { now: NOW });
    expect(scorer.basis).toBe('prior');
    expect(scorer.signal).toBe('weak');
    expect(scorer.skill).toBeUndefined();
  });

  it('holds out the same leads whatever order the store lists them in (two devices agree)', () => {
    const a = holdOutFifth(planted);
    const b = holdOutFifth([...planted].reverse());
    expect(b.test).toEqual(a.test);
    expect(a.test.length).toBe(Math.floor(planted.length / 5));
    const ma = trainLeadScorer(planted, { now: NOW });
    const mb = trainLeadScorer([...planted].reverse(), { now: NOW });
    expect(mb.skill).toBe(ma.skill);
    expect(mb.signal).toBe(ma.signal);
  }, 120_000);
});
