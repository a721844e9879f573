import { type DealStage, STAGE_PROBABILITY } from '../entities/enums';
import type { ClosedDealHistory, ForecastDeal } from './forecast';

/**
 * The input of forecastAccuracy (forecast.ts) from stored records: each closed deal with its stage
 * moves, oldest first. The same for the app (records on the device) and the AI-forecast bench
 * (generated records), so the figure the bench reports is the one the Forecast dialog shows.
 */

type Row = Readonly<Record<string, unknown>>;

const CLOSED = new Set(['closedWon', 'closedLost']);

export function closedDealHistory(deals: Iterable<Row>, moves: Iterable<Row>): ClosedDealHistory[] {
  const byDeal = new Map<string, { toStage: string; changedAt: string }[]>();
  for (const move of moves) {
    if (move.isDeleted === true || typeof move.dealId !== 'string' || typeof move.changedAt !== 'string') continue;
    const list = byDeal.get(move.dealId) ?? [];
    list.push({ toStage: String(move.toStage), changedAt: move.changedAt });
    byDeal.set(move.dealId, list);
  }
  const history: ClosedDealHistory[] = [];
  for (const deal of deals) {
    if (deal.isDeleted === true || !CLOSED.has(String(deal.stage)) || typeof deal.closedAt !== 'string') continue;
    const id = String(deal.id);
    const row: ForecastDeal = {
      id,
      ownerId: String(deal.ownerId),
      stage: String(deal.stage),
      amount: Number(deal.amount ?? 0),
      currency: String(deal.currency),
      probability: Number(deal.probability ?? 0),
      closedAt: deal.closedAt,
    };
    // ISO times of one format compare as strings.
    const list = (byDeal.get(id) ?? []).sort((a, b) =>
      a.changedAt < b.changedAt ? -1 : a.changedAt > b.changedAt ? 1 : 0,
    );
    history.push({ deal: row, moves: list });
  }
  return history;
}

/** The default win probability (0–1) of a stage, as a deal gets it on entering the stage. */
export function stageProbability(stage: string): number {
  return (STAGE_PROBABILITY[stage as DealStage] ?? 0) / 100;
}
