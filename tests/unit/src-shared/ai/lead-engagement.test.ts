import { describe, expect, it } from 'vitest';
import type { LabelledExample } from '../../../../src-shared/ai/classifier';
import { classify, trainClassifier } from '../../../../src-shared/ai/classifier';
import {
  engagementOf,
  LEAD_FEATURES,
  type LeadTouch,
  leadExample,
  scoreLead,
  scoringTimeOf,
  trainLeadScorer,
} from '../../../../src-shared/ai/lead-scoring';
import { auc } from '../../../../src-shared/ai/metrics';

const NOW = new Date('2026-11-01T12:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('engagement as of the scoring time', () => {
  it('reads recency and frequency from dated touches, counts by kind from all', () => {
    const activities: LeadTouch[] = [
      { type: 'emailSent', occurredAt: daysAgo(40) },
      { type: 'call', occurredAt: daysAgo(20) },
      { type: 'emailReplied', occurredAt: daysAgo(3.5) },
      { type: 'demo', occurredAt: daysAgo(-2) }, // after the scoring time: not yet happened
    ];
    expect(engagementOf(activities, [{ occurredAt: daysAgo(10) }], NOW)).toEqual({
      activities: 3,
      interactions: 1,
      conversations: 1,
      replies: 1,
      daysSinceLastTouch: 3,
      recentTouches: 3,
    });
  });

  it('does not count the status change that records an outcome as a touch', () => {
    const e = engagementOf(
      [
        { type: 'meeting', occurredAt: daysAgo(12) },
        { type: 'statusChanged', occurredAt: daysAgo(0) },
      ],
      [],
      NOW,
    );
    expect(e.activities).toBe(2);
    expect(e.daysSinceLastTouch).toBe(12);
    expect(e.recentTouches).toBe(1);
  });

  it('leaves undated touches out of recency and frequency, never NaN', () => {
    const bad: LeadTouch[] = [
      { type: 'call', occurredAt: 'yesterday-ish' },
      { type: 'call' },
      { type: 'call', occurredAt: 12345 },
      { type: 'call', occurredAt: null },
    ];
    const e = engagementOf(bad, [{ occurredAt: '2026-13-45T00:00:00Z' }], NOW);
    expect(e).toEqual({ activities: 4, interactions: 1, conversations: 4, replies: 0, recentTouches: 0 });
    expect(e.daysSinceLastTouch).toBeUndefined();
    // An unreadable scoring time: counts stand, recency and frequency are unknown.
    const lost = engagementOf([{ type: 'call', occurredAt: daysAgo(1) }], [], new Date('nope'));
    expect(lost).toEqual({ activities: 1, interactions: 0, conversations: 1, replies: 0 });
  });

  it('reads a closed lead as of when it closed, an open one as of now', () => {
    const acts: LeadTouch[] = [{ type: 'statusChanged', occurredAt: daysAgo(30) }];
    expect(scoringTimeOf({ status: 'new', convertedAt: daysAgo(5) }, acts, NOW)).toBe(NOW);
    expect(scoringTimeOf({ status: 'converted', convertedAt: daysAgo(5) }, acts, NOW).toISOString()).toBe(daysAgo(5));
    expect(scoringTimeOf({ status: 'converted', convertedAt: 'garbage' }, acts, NOW).toISOString()).toBe(daysAgo(30));
    expect(scoringTimeOf({ status: 'lost' }, acts, NOW).toISOString()).toBe(daysAgo(30));
    expect(scoringTimeOf({ status: 'lost' }, [], NOW)).toBe(NOW);
    // A close time after now (a skewed clock on another device) is not trusted.
    expect(scoringTimeOf({ status: 'converted', convertedAt: daysAgo(-3) }, [], NOW)).toBe(NOW);
  });
});

/**
 * Leads whose outcome depends only on how recently and often they were touched and on their
 * campaign; the counts (activities 4, interactions 1 for every lead) and the source are the same
 * for both outcomes, so the old feature set (counts, source, firmographics) cannot see it.
 */
function plantedLeads(n: number, seed: number): LabelledExample[] {
  const rand = lcg(seed);
  return Array.from({ length: n }, () => {
    const last = Math.floor(rand() * 120);
    const spring = rand() < 0.4;
    // Touches 6 days apart ending `last` days ago: a recent lead also has more in the last 30 days.
    const activities = [0, 1, 2, 3].map((k) => ({ type: 'emailOpened', occurredAt: daysAgo(last + 6 * k) }));
    const engagement = engagementOf(activities, [{ occurredAt: daysAgo(last + 30) }], NOW);
    const campaign = spring ? 'Spring webinar' : 'Autumn newsletter';
    const logit = 1.6 - 0.045 * last + (spring ? 1.4 : -0.4);
    const label = (rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0) as 0 | 1;
    return { raw: leadExample({ source: 'website', campaign, utmSource: 'google' }, engagement), label };
  });
}

const OLD_KEYS = ['source', 'industry', 'country', 'seniority', 'employeeCount', 'hasPhone'].concat([
  'activities',
  'interactions',
  'conversations',
  'replies',
]);

describe('lead scoring with recency, frequency and campaign', () => {
  const train = plantedLeads(600, 11);
  const test = plantedLeads(300, 12);
  const scorer = trainLeadScorer(train, { now: NOW });

  it('finds signal the old feature set cannot see', () => {
    const labels = test.map((e) => e.label);
    const newAuc = auc(
      test.map((e) => scoreLead(scorer, e.raw).probability),
      labels,
    );
    const old = trainClassifier(
      train,
      LEAD_FEATURES.filter((s) => OLD_KEYS.includes(s.key)),
      { l2: 10, now: NOW },
    );
    const oldAuc = auc(
      test.map((e) => classify(old, e.raw).probability),
      labels,
    );
    expect(scorer.basis).toBe('trained');
    expect(newAuc).toBeGreaterThanOrEqual(0.75);
    expect(oldAuc).toBeLessThan(0.6);
  });

  it('explains scores in words for each new feature', () => {
    const hot = scoreLead(
      scorer,
      leadExample(
        { source: 'website', campaign: 'Spring webinar' },
        engagementOf(
          [1, 7, 13, 19].map((d) => ({ type: 'emailOpened', occurredAt: daysAgo(d) })),
          [],
          NOW,
        ),
      ),
    );
    const labels = hot.positive.map((f) => f.label);
    expect(labels).toContain('Last activity 1 day ago');
    expect(labels).toContain('Campaign: Spring webinar');
    expect(labels).toContain('Activities in the last 30 days: 4');
    const stale = scoreLead(
      scorer,
      leadExample(
        { source: 'website', campaign: 'Autumn newsletter' },
        engagementOf([{ type: 'emailOpened', occurredAt: daysAgo(110) }], [], NOW),
      ),
    );
    expect(stale.negative.map((f) => f.label)).toEqual(
      expect.arrayContaining(['Last activity 110 days ago', 'Campaign: Autumn newsletter']),
    );
    expect(hot.score).toBeGreaterThan(stale.score);
  });

  it('scores a lead with unreadable dates or values without NaN and without stopping the others', () => {
    const odd = [
      leadExample({ source: 'website' }, engagementOf([{ type: 'call', occurredAt: 'not a date' }], [], NOW)),
      leadExample({ source: 'website' }, engagementOf([{ type: 'call' }], [], new Date(Number.NaN))),
      { ...leadExample({}, engagementOf([], [], NOW)), daysSinceLastTouch: Number.NaN, recentTouches: 'x' },
      { daysSinceLastTouch: -4, campaign: '', utmMedium: null },
      leadExample({ source: 'website' }, engagementOf([{ type: 'call', occurredAt: daysAgo(2) }], [], NOW)),
    ];
    const scores = odd.map((raw) => scoreLead(scorer, raw));
    for (const s of scores) {
      expect(Number.isInteger(s.score)).toBe(true);
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(100);
      for (const f of [...s.positive, ...s.negative]) {
        expect(Number.isFinite(f.effect)).toBe(true);
        expect(f.label).not.toMatch(/NaN|undefined/);
      }
    }
    // Unknown recency is scored as an average lead's: no push either way, so no reason shown.
    const labels = scores[0]?.positive.concat(scores[0]?.negative ?? []).map((f) => f.label) ?? [];
    expect(labels.some((l) => l.startsWith('Last activity'))).toBe(false);
    expect(scores[4]?.positive.map((f) => f.label)).toContain('Last activity 2 days ago');
  });

  it('keeps a prior that reads recency when the history is too small', () => {
    const prior = trainLeadScorer(train.slice(0, 10), { now: NOW });
    expect(prior.basis).toBe('prior');
    const recent = scoreLead(
      prior,
      leadExample({ source: 'website' }, engagementOf([{ type: 'call', occurredAt: daysAgo(0) }], [], NOW)),
    );
    const silent = scoreLead(
      prior,
      leadExample({ source: 'website' }, engagementOf([{ type: 'call', occurredAt: daysAgo(90) }], [], NOW)),
    );
    expect(recent.score).toBeGreaterThan(silent.score);
    expect(recent.positive.map((f) => f.label)).toContain('Last activity today');
    expect(silent.negative.map((f) => f.label)).toContain('Last activity 90 days ago');
  });
});
