import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveDealToStage } from '../../../../../src-renderer/features/deals/move-deal';
import { DealMoveQueue } from '../../../../../src-renderer/features/deals/move-queue';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const newDeal = () =>
  t.repos.deal.create({
    name: 'Fieldday GmbH – fleet tablets',
    amount: 4_800_000,
    currency: 'EUR',
    stage: 'prospecting',
    probability: 10,
    forecastCategory: 'pipeline',
    ownerId: 'user-rep-1',
  });

const movesOf = async (dealId: string) =>
  (await t.repos.dealStageHistory.list({ where: { dealId } }))
    .sort((a, b) => a.changedAt.localeCompare(b.changedAt))
    .map((m) => `${m.fromStage}→${m.toStage}`);

describe('DealMoveQueue', () => {
  it('makes a move asked for while the previous one is being written, after it (none dropped)', async () => {
    const deal = await newDeal();
    const queue = new DealMoveQueue();
    const move = (stage: string) => () => {
      t.tick(1000);
      return moveDealToStage(t, deal.id, stage);
    };
    const first = queue.run(deal.id, 'qualification', move('qualification'));
    const second = queue.run(deal.id, 'proposal', move('proposal'));
    expect((await first)?.deal.stage).toBe('qualification');
    expect((await second)?.deal.stage).toBe('proposal');
    expect(await movesOf(deal.id)).toEqual(['prospecting→qualification', 'qualification→proposal']);
    expect((await t.repos.deal.require(deal.id)).stage).toBe('proposal');
  });

  it('does not make a pending move twice (a double drop), and moves again once it is done', async () => {
    const deal = await newDeal();
    const queue = new DealMoveQueue();
    const move = (stage: string) => () => moveDealToStage(t, deal.id, stage);
    const first = queue.run(deal.id, 'qualification', move('qualification'));
    const repeat = queue.run(deal.id, 'qualification', move('qualification'));
    expect(await repeat).toBeUndefined();
    await first;
    expect(await movesOf(deal.id)).toEqual(['prospecting→qualification']);
    // Done: the same stage again is a real request, refused by the move with its reason.
    await expect(queue.run(deal.id, 'qualification', move('qualification'))).rejects.toThrow(/already qualification/);
  });

  it('runs the next move after one refused for bad input, which keeps its error and writes nothing', async () => {
    const deal = await newDeal();
    const queue = new DealMoveQueue();
    const bad = queue.run(deal.id, 'nowhere', () => moveDealToStage(t, deal.id, 'nowhere'));
    const next = queue.run(deal.id, 'proposal', () => moveDealToStage(t, deal.id, 'proposal'));
    await expect(bad).rejects.toThrow(/not a pipeline stage/);
    expect((await next)?.deal.stage).toBe('proposal');
    expect(await movesOf(deal.id)).toEqual(['prospecting→proposal']);
  });
});
