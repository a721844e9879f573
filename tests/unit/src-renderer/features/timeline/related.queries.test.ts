import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dealTotals,
  observeDeals,
  observeOpenTasks,
} from '../../../../../src-renderer/features/timeline/related.queries';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

describe('related records of a 360', () => {
  it('lists a record’s open tasks, soonest due first, leaving done and other records’ tasks out', async () => {
    const contact = await t.repos.contact.create({ firstName: 'Ada' });
    const about = { subjectType: 'contact' as const, subjectId: contact.id };
    const later = await t.repos.task.create({ title: 'Later', ...about, dueAt: '2026-12-10T09:00:00.000Z' });
    const soon = await t.repos.task.create({
      title: 'Soon',
      ...about,
      status: 'inProgress',
      dueAt: '2026-11-05T09:00:00.000Z',
    });
    const undated = await t.repos.task.create({ title: 'Someday', ...about, status: 'waiting' });
    await t.repos.task.create({
      title: 'Done',
      ...about,
      status: 'completed',
      completedAt: '2026-10-01T00:00:00.000Z',
    });
    await t.repos.task.create({ title: 'Not hers', subjectType: 'deal', subjectId: 'deal-x' });
    const tasks = await firstValueFrom(observeOpenTasks(t.repos, contact.id));
    expect(tasks.map((x) => x.id)).toEqual([soon.id, later.id, undated.id]);
  });

  it('lists deals by company or primary contact and totals them per currency', async () => {
    const company = await t.repos.company.create({ name: 'Acme' });
    await t.repos.deal.create({ name: 'Open', companyId: company.id, amount: 100_00, currency: 'EUR' });
    await t.repos.deal.create({
      name: 'Won',
      companyId: company.id,
      amount: 50_00,
      currency: 'EUR',
      stage: 'closedWon',
      probability: 100,
      closedAt: '2026-10-01T00:00:00.000Z',
    });
    await t.repos.deal.create({
      name: 'Lost',
      companyId: company.id,
      amount: 70_00,
      currency: 'EUR',
      stage: 'closedLost',
      probability: 0,
      closedAt: '2026-10-01T00:00:00.000Z',
    });
    await t.repos.deal.create({ name: 'Dollars', companyId: company.id, amount: 20_00, currency: 'USD' });
    await t.repos.deal.create({ name: 'Elsewhere', amount: 1 });
    const deals = await firstValueFrom(observeDeals(t.repos, { companyId: company.id }));
    expect(deals.map((d) => d.name).sort()).toEqual(['Dollars', 'Lost', 'Open', 'Won']);
    expect(dealTotals(deals)).toEqual([
      { currency: 'EUR', open: 100_00, won: 50_00, lost: 70_00, count: 3 },
      { currency: 'USD', open: 20_00, won: 0, lost: 0, count: 1 },
    ]);
  });
});
