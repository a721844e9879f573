import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeal, moveDealToStage } from '../../../../../src-renderer/features/deals/move-deal';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

const DAY = 86_400_000;

async function newDeal(stage: 'prospecting' | 'negotiation' = 'prospecting') {
  return t.repos.deal.create({
    name: 'Acme – 40 seats',
    amount: 4_000_000,
    currency: 'EUR',
    stage,
    probability: stage === 'prospecting' ? 10 : 75,
    stageChangedAt: '2026-11-01T09:00:00.000Z',
    forecastCategory: 'pipeline',
    ownerId: 'user-rep-1',
  });
}

const historyOf = (dealId: string) => t.repos.dealStageHistory.list({ where: { dealId } });

describe('moveDealToStage', () => {
  it('moves the deal, sets the stage probability and writes one stage history record', async () => {
    const deal = await newDeal();
    t.tick(3 * DAY);
    const { deal: moved, history } = await moveDealToStage(t, deal.id, 'proposal');
    expect(moved).toMatchObject({
      stage: 'proposal',
      probability: 50,
      stageChangedAt: '2026-11-04T09:00:00.000Z',
      forecastCategory: 'bestCase',
    });
    expect(moved.closedAt).toBeUndefined();
    expect(history).toMatchObject({
      dealId: deal.id,
      fromStage: 'prospecting',
      toStage: 'proposal',
      changedAt: '2026-11-04T09:00:00.000Z',
      changedBy: 'user-rep-1',
      amount: 4_000_000,
      currency: 'EUR',
      probability: 50,
      daysInPreviousStage: 3,
    });
    expect(await historyOf(deal.id)).toHaveLength(1);
    expect(await t.repos.deal.require(deal.id)).toMatchObject({ stage: 'proposal' });
  });

  it('closing as won sets closedAt and 100 %; reopening clears closedAt', async () => {
    const deal = await newDeal('negotiation');
    t.tick(DAY / 2);
    const won = await moveDealToStage(t, deal.id, 'closedWon');
    expect(won.deal).toMatchObject({ stage: 'closedWon', probability: 100, forecastCategory: 'closed' });
    expect(won.deal.closedAt).toBe('2026-11-01T21:00:00.000Z');
    expect(won.history.daysInPreviousStage).toBe(0.5);
    t.tick(DAY);
    const reopened = await moveDealToStage(t, deal.id, 'negotiation');
    expect(reopened.deal.closedAt).toBeUndefined();
    expect(reopened.deal).toMatchObject({ probability: 75, forecastCategory: 'commit' });
    expect(reopened.history).toMatchObject({ fromStage: 'closedWon', toStage: 'negotiation', daysInPreviousStage: 1 });
    expect(await historyOf(deal.id)).toHaveLength(2);
  });

  it('a lost deal needs a loss reason, which it keeps until it is reopened', async () => {
    const deal = await newDeal();
    await expect(moveDealToStage(t, deal.id, 'closedLost')).rejects.toThrow(/lossReason is required/);
    await expect(moveDealToStage(t, deal.id, 'closedLost', { lossReason: '   ' })).rejects.toThrow(/lossReason/);
    expect(await historyOf(deal.id)).toHaveLength(0);
    expect(await t.repos.deal.require(deal.id)).toMatchObject({ stage: 'prospecting' });

    const lost = await moveDealToStage(t, deal.id, 'closedLost', { lossReason: ' Went with a competitor ' });
    expect(lost.deal).toMatchObject({ stage: 'closedLost', probability: 0, lossReason: 'Went with a competitor' });
    const reopened = await moveDealToStage(t, deal.id, 'qualification');
    expect(reopened.deal.lossReason).toBeUndefined();
  });

  it('refuses an unknown stage, the same stage, a deleted or missing deal, and writes nothing', async () => {
    const deal = await newDeal();
    await expect(moveDealToStage(t, deal.id, 'won')).rejects.toThrow(/stage "won" is not a pipeline stage/);
    await expect(moveDealToStage(t, deal.id, 'prospecting')).rejects.toThrow(/stage is already prospecting/);
    await expect(moveDealToStage(t, 'nope', 'proposal')).rejects.toThrow(/does not exist/);
    await t.repos.deal.softDelete(deal.id);
    await expect(moveDealToStage(t, deal.id, 'proposal')).rejects.toThrow(/deleted deal/);
    expect(await historyOf(deal.id)).toHaveLength(0);
    expect(await t.repos.deal.require(deal.id)).toMatchObject({ stage: 'prospecting' });
  });

  it('refuses a move the deal entity’s rules reject before writing anything', async () => {
    const deal = await newDeal();
    // A custom field that became required since the deal was saved: the deal no longer validates.
    await t.repos.customField.create({
      entityKind: 'deal',
      key: 'region',
      label: 'Region',
      fieldType: 'string',
      required: true,
      active: true,
    } as never);
    await expect(moveDealToStage(t, deal.id, 'proposal')).rejects.toThrow(/region/);
    expect(await historyOf(deal.id)).toHaveLength(0);
    expect(await t.repos.deal.require(deal.id)).toMatchObject({ stage: 'prospecting', probability: 10 });
  });

  it('removes the history record again when the deal update fails (nothing half-written)', async () => {
    const deal = await newDeal();
    vi.spyOn(t.repos.deal, 'update').mockRejectedValueOnce(new Error('disk full'));
    await expect(moveDealToStage(t, deal.id, 'proposal')).rejects.toThrow('disk full');
    expect(await t.db.rx.activities.count({ selector: { kind: 'dealStageHistory' } }).exec()).toBe(0);
    expect(await t.repos.deal.require(deal.id)).toMatchObject({ stage: 'prospecting', probability: 10 });
  });
});

describe('createDeal', () => {
  it('creates the deal with its stage probability and its first stage history record', async () => {
    const { deal, history } = await createDeal(t, {
      name: 'Initech',
      amount: 500_000,
      currency: 'USD',
      stage: 'proposal',
    });
    expect(deal).toMatchObject({ stage: 'proposal', probability: 50, stageChangedAt: '2026-11-01T09:00:00.000Z' });
    expect(history).toMatchObject({ dealId: deal.id, toStage: 'proposal', changedBy: 'user-rep-1' });
    expect(history.fromStage).toBeUndefined();
    const won = await createDeal(t, { name: 'Won at once', amount: 1, currency: 'USD', stage: 'closedWon' });
    expect(won.deal).toMatchObject({ probability: 100, closedAt: '2026-11-01T09:00:00.000Z' });
  });

  it('names the bad field and writes nothing', async () => {
    await expect(createDeal(t, { name: 'X', amount: 1, currency: 'USD', stage: 'won' })).rejects.toThrow(/stage/);
    await expect(createDeal(t, { name: 'X', amount: 1, currency: 'USD', stage: 'closedLost' })).rejects.toThrow(
      /lossReason is required/,
    );
    await expect(createDeal(t, { amount: 1, currency: 'USD' })).rejects.toThrow(/name/);
    await expect(createDeal(t, { name: 'X', amount: -5, currency: 'USD' })).rejects.toThrow(/amount/);
    expect(await t.db.rx.deals.count().exec()).toBe(0);
    expect(await t.db.rx.activities.count().exec()).toBe(0);
  });

  it('removes the deal again when its history record cannot be written', async () => {
    vi.spyOn(t.repos.dealStageHistory, 'create').mockRejectedValueOnce(new Error('quota exceeded'));
    await expect(createDeal(t, { name: 'Y', amount: 1, currency: 'USD' })).rejects.toThrow('quota exceeded');
    expect(await t.db.rx.deals.count().exec()).toBe(0);
  });
});
