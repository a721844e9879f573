import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  asClassifier,
  loadLeadModel,
  rescoreLeads,
  trainLeadModel,
} from '../../../../../src-renderer/features/insights/lead-model';
import { readModelFactors } from '../../../../../src-renderer/features/insights/lead-scores';
import {
  LeadScoringService,
  leadIdOfChange,
  retrainDue,
} from '../../../../../src-renderer/features/insights/lead-scoring.service';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
let service: LeadScoringService | undefined;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  service?.stop();
  await service?.idle();
  service = undefined;
  await t.close();
});

/** Closed leads: converted referrals with meetings, lost cold outreach without. */
async function history(perClass: number) {
  for (let i = 0; i < perClass; i++) {
    const won = await t.repos.lead.create({
      lastName: `Won ${i}`,
      source: i % 4 === 0 ? 'website' : 'referral',
      status: 'converted',
      convertedContactId: `contact-${i}`,
      convertedAt: '2026-10-01T00:00:00.000Z',
    });
    for (let k = 0; k < 3; k++)
      await t.repos.leadActivity.create({ leadId: won.id, type: 'meeting', occurredAt: '2026-09-01T00:00:00.000Z' });
    await t.repos.lead.create({
      lastName: `Lost ${i}`,
      source: i % 4 === 0 ? 'referral' : 'coldOutreach',
      status: 'lost',
    });
  }
}

function start(mode: 'demo' | 'signed-in' = 'signed-in') {
  service = new LeadScoringService({
    db: t.db,
    repos: t.repos,
    context: { userId: t.actor.userId, mode },
    now: () => t.db.clock.now(),
    debounceMs: 20,
    firstCheckMs: 3_600_000,
  });
  return service;
}

const poll = async (check: () => Promise<boolean>, ms = 5000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('LeadScoringService', () => {
  it("retrains from the closed leads and writes scores only on the owner's leads", async () => {
    await history(22);
    const mine = await t.repos.lead.create({ lastName: 'Mine', source: 'referral', status: 'new' });
    const theirs = await t.repos.lead.create({
      lastName: 'Theirs',
      source: 'referral',
      status: 'new',
      ownerId: 'user-rep-2',
    });
    const s = start();
    await s.start();
    expect(s.state.model).toBeUndefined();
    await s.retrain();
    expect(s.state.model?.basis).toBe('trained');
    expect(s.state.model?.examples).toBe(44);
    expect(s.state.lastRun).toMatchObject({ scored: 1, written: 1 });
    expect((await loadLeadModel(t.db.rx))?.trainedAt).toBe(s.state.model?.trainedAt);

    const scored = await t.repos.lead.require(mine.id);
    const factors = readModelFactors(scored.scoreFactors);
    expect(factors?.basis).toBe('trained');
    expect(factors?.model.examples).toBe(44);
    expect(factors?.positive.map((f) => f.label)).toContain('Source: referral');
    expect(scored.score).toBeGreaterThan(0);
    expect(scored.rating).toBeDefined();
    expect(scored.scoredAt).toBe(t.db.clock.now().toISOString());

    const untouched = await t.repos.lead.require(theirs.id);
    expect(untouched.score).toBe(0);
    expect(untouched.scoreFactors).toBeUndefined();
  });

  it('re-scores a lead when its activities change, and writes nothing when nothing changed', async () => {
    await history(22);
    const mine = await t.repos.lead.create({ lastName: 'Mine', source: 'website', status: 'new' });
    const s = start();
    await s.start();
    await s.retrain();
    const before = await t.repos.lead.require(mine.id);
    t.tick(60_000);
    await s.rescore([mine.id]);
    expect((await t.repos.lead.require(mine.id)).updatedAt).toBe(before.updatedAt);

    for (let k = 0; k < 4; k++)
      await t.repos.leadActivity.create({ leadId: mine.id, type: 'meeting', occurredAt: '2026-11-01T08:00:00.000Z' });
    // The debounce may re-score after the first activity, before the other three land: wait for the
    // score that counts all four rather than for the first rise.
    const meetingsCount = async () => {
      const lead = await t.repos.lead.require(mine.id);
      return (
        lead.score > before.score &&
        readModelFactors(lead.scoreFactors)?.positive.some((f) => f.label.startsWith('Calls and meetings')) === true
      );
    };
    await poll(meetingsCount);
    expect(await meetingsCount()).toBe(true);
  });

  it('re-scores a lead when the lead itself changes (a field the model reads)', async () => {
    await history(22);
    const mine = await t.repos.lead.create({ lastName: 'Mine', source: 'coldOutreach', status: 'new' });
    const s = start();
    await s.start();
    await s.retrain();
    const before = await t.repos.lead.require(mine.id);
    await t.repos.lead.update(mine.id, { source: 'referral' });
    const rescored = async () => {
      const lead = await t.repos.lead.require(mine.id);
      return (
        lead.score > before.score &&
        readModelFactors(lead.scoreFactors)?.positive.some((f) => f.label === 'Source: referral') === true
      );
    };
    await poll(rescored);
    expect(await rescored()).toBe(true);
  });

  it('reports its progress while retraining and writes the scores in one audited bulk write', async () => {
    await history(22);
    const open = [];
    for (let i = 0; i < 7; i++)
      open.push(
        await t.repos.lead.create({ lastName: `Open ${i}`, source: i % 2 ? 'referral' : 'website', status: 'new' }),
      );
    const s = start();
    await s.start();
    const phases: string[] = [];
    const sub = s.state$.subscribe((state) => {
      const p = state.progress;
      const label = p ? ('total' in p ? `${p.phase} ${p.done}/${p.total}` : p.phase) : 'none';
      if (phases.at(-1) !== label) phases.push(label);
    });
    const auditBefore = await t.db.rx.audit.count().exec();
    await s.retrain();
    sub.unsubscribe();
    expect(phases).toEqual([
      'none',
      'reading',
      'training',
      'reading 0/7',
      'scoring 7/7',
      'writing 0/7',
      'writing 7/7',
      'none',
    ]);
    expect(s.state.lastRun).toMatchObject({ scored: 7, written: 7 });
    // The seven scores land in one storage write: one audit entry (a batch) for all of them.
    expect((await t.db.rx.audit.count().exec()) - auditBefore).toBe(1);
    for (const lead of open) expect(readModelFactors((await t.repos.lead.require(lead.id)).scoreFactors)).toBeDefined();
  });

  it('uses the built-in prior with too little history, and says so in the factors', async () => {
    await history(3);
    const mine = await t.repos.lead.create({ lastName: 'Mine', source: 'referral', status: 'contacted' });
    const s = start('demo');
    await s.start();
    await s.retrain();
    expect(s.state.model?.basis).toBe('prior');
    expect(readModelFactors((await t.repos.lead.require(mine.id)).scoreFactors)?.basis).toBe('prior');
  });

  it('does not re-score before a model exists (the stored scores stand)', async () => {
    const mine = await t.repos.lead.create({ lastName: 'Mine', source: 'referral', status: 'new', score: 55 });
    const s = start();
    await s.start();
    await t.repos.leadActivity.create({ leadId: mine.id, type: 'call', occurredAt: '2026-11-01T08:00:00.000Z' });
    await new Promise((r) => setTimeout(r, 100));
    await s.idle();
    expect((await t.repos.lead.require(mine.id)).score).toBe(55);
  });

  it('skips unknown and deleted leads and other owners when writing scores', async () => {
    await history(3);
    const mine = await t.repos.lead.create({ lastName: 'Mine', source: 'event', status: 'new' });
    const gone = await t.repos.lead.create({ lastName: 'Gone', source: 'event', status: 'new' });
    await t.repos.lead.softDelete(gone.id);
    const theirs = await t.repos.lead.create({
      lastName: 'Theirs',
      source: 'event',
      status: 'new',
      ownerId: 'user-rep-2',
    });
    const model = await trainLeadModel(t.repos, t.db.clock.now());
    const why: Record<string, string> = {};
    const written = await rescoreLeads(
      t.repos,
      model,
      ['lead-nope', gone.id, theirs.id, mine.id],
      { userId: t.actor.userId, mode: 'signed-in' },
      {
        onDecision: (id, d) => {
          why[id] = d.write ? 'write' : d.why;
        },
      },
    );
    expect(written).toBe(1);
    expect(why).toEqual({ [gone.id]: 'deleted', [theirs.id]: 'not the owner’s device', [mine.id]: 'write' });
    expect((await t.repos.lead.require(gone.id)).scoreFactors).toBeUndefined();
  });

  it('scores recency from the dates of the lead activities, as of the injected time', async () => {
    const now = t.db.clock.now();
    const warm = await t.repos.lead.create({ lastName: 'Warm', source: 'website', status: 'new' });
    await t.repos.leadActivity.create({
      leadId: warm.id,
      type: 'call',
      occurredAt: new Date(now.getTime() - 86_400_000).toISOString(),
    });
    const cold = await t.repos.lead.create({ lastName: 'Cold', source: 'website', status: 'new' });
    await t.repos.leadActivity.create({
      leadId: cold.id,
      type: 'call',
      occurredAt: new Date(now.getTime() - 90 * 86_400_000).toISOString(),
    });
    const model = await trainLeadModel(t.repos, now);
    expect(model.basis).toBe('prior');
    await rescoreLeads(
      t.repos,
      model,
      [warm.id, cold.id],
      { userId: t.actor.userId, mode: 'signed-in' },
      {
        now: () => now,
      },
    );
    const warmFactors = readModelFactors((await t.repos.lead.require(warm.id)).scoreFactors);
    const coldFactors = readModelFactors((await t.repos.lead.require(cold.id)).scoreFactors);
    expect(warmFactors?.positive.map((f) => f.label)).toContain('Last activity 1 day ago');
    expect(coldFactors?.negative.map((f) => f.label)).toContain('Last activity 90 days ago');
  });

  it('ignores a stored model that is not a classifier', async () => {
    await t.db.rx.upsertLocal('insights-lead-model', { classifier: { basis: 'trained', weights: 'x' } });
    expect(await loadLeadModel(t.db.rx)).toBeUndefined();
    for (const junk of [null, 1, 'model', { basis: 'prior', trainedAt: 5 }]) expect(asClassifier(junk)).toBeUndefined();
  });
});

describe('schedule and change events', () => {
  it('retrains when there is no model or it is a day old', () => {
    const now = new Date('2026-11-02T10:00:00.000Z');
    expect(retrainDue(undefined, now, 86_400_000)).toBe(true);
    expect(retrainDue({ trainedAt: '2026-11-02T00:00:00.000Z' }, now, 86_400_000)).toBe(false);
    expect(retrainDue({ trainedAt: '2026-11-01T09:00:00.000Z' }, now, 86_400_000)).toBe(true);
    expect(retrainDue({ trainedAt: 'not a time' }, now, 86_400_000)).toBe(true);
  });

  it('finds the lead a change is about', () => {
    expect(leadIdOfChange({ documentData: { kind: 'lead', id: 'l1' } })).toBe('l1');
    expect(leadIdOfChange({ documentData: { kind: 'leadActivity', leadId: 'l2' } })).toBe('l2');
    expect(leadIdOfChange({ documentData: { kind: 'contentInteraction', subjectType: 'lead', subjectId: 'l3' } })).toBe(
      'l3',
    );
    expect(
      leadIdOfChange({ documentData: { kind: 'contentInteraction', subjectType: 'contact', subjectId: 'c1' } }),
    ).toBeUndefined();
    expect(leadIdOfChange({ documentData: { kind: 'leadListMember', leadId: 'l4' } })).toBeUndefined();
    expect(leadIdOfChange({})).toBeUndefined();
    // A change that only wrote the score (a retrain here, or synced in) is nothing to re-score.
    const lead = { kind: 'lead', id: 'l5', source: 'referral', score: 10, updatedAt: 'a', _rev: '1-x' };
    const scored = {
      ...lead,
      score: 60,
      rating: 'warm',
      scoreFactors: {},
      scoredAt: 'b',
      scoreRank: 40,
      updatedAt: 'b',
    };
    expect(leadIdOfChange({ documentData: { ...scored, _rev: '2-y' }, previousDocumentData: lead })).toBeUndefined();
    expect(leadIdOfChange({ documentData: { ...lead, source: 'event' }, previousDocumentData: lead })).toBe('l5');
    expect(leadIdOfChange({ documentData: lead })).toBe('l5');

    expect(leadIdOfChange({ documentData: { kind: 'lead', id: 7 } })).toBeUndefined();
  });
});
