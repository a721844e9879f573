import type { DemoCurrency } from '../demo/demo-geo';
import { convertFromUsd } from '../demo/demo-money';
import { type DemoSize, generateDemoData } from '../demo/generate-demo-data';
import type { TimedExample } from './evaluate';

const DAY_MS = 86_400_000;
const OPEN_STAGES = new Set(['prospecting', 'qualification', 'proposal', 'negotiation']);

type Row = Record<string, unknown>;

/** US dollars of an amount in a demo currency's minor units. */
function usd(amount: number, currency: string): number {
  const perMillionCents = convertFromUsd(1_000_000, currency as DemoCurrency);
  return perMillionCents > 0 ? (amount * 10_000) / perMillionCents : amount / 100;
}

/**
 * The closed deals of a generated data set, one example per open stage each passed through, with
 * what was known when it entered that stage (see deal-scoring.ts). Time: the stage entry.
 */
export function demoDealHistory(size: DemoSize, seed = 42): TimedExample[] {
  const companies = new Map<string, Row>();
  const deals: Row[] = [];
  const moves = new Map<string, Row[]>();
  const activityTimes = new Map<string, number[]>();
  for (const batch of generateDemoData({ size, seed, batchSize: 5000 })) {
    if (batch.entity === 'company') for (const r of batch.records) companies.set(String(r.id), r);
    else if (batch.entity === 'deal') deals.push(...batch.records);
    else if (batch.entity === 'dealStageHistory') {
      for (const r of batch.records) moves.set(String(r.dealId), [...(moves.get(String(r.dealId)) ?? []), r]);
    } else if (batch.entity === 'communication') {
      for (const r of batch.records) {
        if (typeof r.dealId !== 'string') continue;
        activityTimes.set(r.dealId, [...(activityTimes.get(r.dealId) ?? []), Date.parse(String(r.occurredAt))]);
      }
    } else if (batch.entity === 'communicationAttachment') break;
  }
  return deals.flatMap((deal) => {
    if (deal.stage !== 'closedWon' && deal.stage !== 'closedLost') return [];
    const label: 0 | 1 = deal.stage === 'closedWon' ? 1 : 0;
    const id = String(deal.id);
    const company = companies.get(String(deal.companyId));
    const created = Date.parse(String(deal.createdAt));
    const times = activityTimes.get(id) ?? [];
    return (moves.get(id) ?? [])
      .filter((m) => OPEN_STAGES.has(String(m.toStage)))
      .map((move): TimedExample => {
        const at = Date.parse(String(move.changedAt));
        return {
          label,
          at: String(move.changedAt),
          raw: {
            owner: String(deal.ownerId),
            dealId: id,
            stage: String(move.toStage),
            source: deal.source as string | undefined,
            type: deal.type as string | undefined,
            industry: company?.industry as string | undefined,
            employees: company?.employees as number | undefined,
            amountUsd: usd(Number(deal.amount), String(deal.currency)),
            daysOpen: (at - created) / DAY_MS,
            daysInStage: move.daysInPreviousStage as number | undefined,
            activities: times.filter((t) => t < at).length,
          },
        };
      });
  });
}
