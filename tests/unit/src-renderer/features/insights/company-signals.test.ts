import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { churnInputs } from '../../../../../src-renderer/features/insights/company-signals';
import { recommendationsFor } from '../../../../../src-renderer/features/insights/components/ContentRecommendations';
import { churnRisk } from '../../../../../src-shared/ai/churn-risk';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const now = new Date('2026-11-01T09:00:00.000Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();

describe('churn inputs from the local database', () => {
  it("gathers the company's and its contacts' conversations once each, its tasks, deals and content engagement", async () => {
    const company = await t.repos.company.create({ name: 'Globex', type: 'customer' });
    const other = await t.repos.company.create({ name: 'Initech' });
    const contact = await t.repos.contact.create({ firstName: 'Hank', lastName: 'Scorpio', companyId: company.id });
    // Earlier: busy; recently: one sour call. The same call logged about the contact and the company counts once.
    for (let i = 0; i < 6; i++)
      await t.repos.communication.create({
        type: 'email',
        subjectType: 'company',
        subjectId: company.id,
        occurredAt: daysAgo(100 + i * 10),
      });
    await t.repos.communication.create({
      type: 'call',
      subjectType: 'contact',
      subjectId: contact.id,
      companyId: company.id,
      sentiment: 'negative',
      occurredAt: daysAgo(60),
    });
    await t.repos.communication.create({
      type: 'call',
      subjectType: 'company',
      subjectId: other.id,
      occurredAt: daysAgo(1),
    });
    await t.repos.task.create({
      title: 'Fix the invoice',
      subjectType: 'company',
      subjectId: company.id,
      dueAt: daysAgo(5),
      status: 'open',
    });
    const content = await t.repos.content.create({ title: 'Guide', type: 'ebook', status: 'published' });
    await t.repos.contentInteraction.create({
      contentId: content.id,
      subjectType: 'contact',
      subjectId: contact.id,
      type: 'view',
      occurredAt: daysAgo(120),
    });
    await t.repos.deal.create({ name: 'Globex renewal', companyId: company.id, type: 'renewal', stage: 'proposal' });

    const inputs = await churnInputs(t.repos, company.id, now);
    expect(inputs.communications).toHaveLength(7);
    expect(inputs.tasks).toEqual([expect.objectContaining({ status: 'open', dueAt: daysAgo(5) })]);
    expect(inputs.interactions).toHaveLength(1);
    expect(inputs.deals).toEqual([expect.objectContaining({ stage: 'proposal', type: 'renewal' })]);

    const risk = churnRisk(inputs);
    expect(risk.level).not.toBe('low');
    expect(risk.reasons.map((r) => r.label)).toEqual(
      expect.arrayContaining(['Activity down from 6 to 1 in the last 90 days', '1 open issue overdue or urgent']),
    );
  });

  it('reads an unknown company as one with no signals (nothing to warn about but silence)', async () => {
    const risk = churnRisk(await churnInputs(t.repos, 'company-nope', now));
    expect(risk.reasons.map((r) => r.label)).toEqual(['No conversation on record']);
  });
});

describe('content to send next', () => {
  it('recommends published content that engaged similar leads, never what the lead has seen, at most three', async () => {
    const items = [];
    for (const title of ['A', 'B', 'C', 'D', 'E'])
      items.push(await t.repos.content.create({ title, type: 'blogPost', status: 'published' }));
    const draft = await t.repos.content.create({ title: 'Draft', type: 'blogPost', status: 'draft' });
    const [a, b, c, d, e] = items.map((i) => i.id);
    const seen = async (subjectId: string, contentId: string) =>
      t.repos.contentInteraction.create({
        contentId,
        subjectType: 'lead',
        subjectId,
        type: 'view',
        occurredAt: daysAgo(3),
      });
    await seen('lead-me', a ?? '');
    for (const peer of ['lead-p1', 'lead-p2']) {
      await seen(peer, a ?? '');
      await seen(peer, b ?? '');
      await seen(peer, draft.id);
    }
    await seen('lead-p1', c ?? '');
    await seen('lead-p3', d ?? '');
    await seen('lead-p3', e ?? '');

    const recs = await recommendationsFor(t.repos, 'lead', 'lead-me');
    expect(recs.map((r) => r.title)).toEqual(['B', 'C']);
    expect(recs[0]?.reason).toBe('Engaged 2 records with the same interests');
    expect(recs.map((r) => r.contentId)).not.toContain(a);
    expect(recs.map((r) => r.contentId)).not.toContain(draft.id);

    // No history: what is popular (at most three).
    const cold = await recommendationsFor(t.repos, 'lead', 'lead-new');
    expect(cold.length).toBeLessThanOrEqual(3);
    expect(cold[0]?.reason).toMatch(/^Popular/);
    expect(await recommendationsFor(t.repos, 'contact', 'contact-nobody')).toEqual([]);
  });
});
