import { type DealModel, predictDeal } from '../../../src-shared/ai/deal-scoring';
import type { TimedExample } from '../../../src-shared/ai/evaluate';
import type { RawExample } from '../../../src-shared/ai/feature-space';
import type { EntityByName } from '../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import type { Repositories } from '../../db/repositories';
import { yieldToIdle } from './lead-model';
import { trainDealOffThread } from './training';

type Deal = EntityRecord<EntityByName<'deal'>>;
type Company = EntityRecord<EntityByName<'company'>>;
type StageMove = EntityRecord<EntityByName<'dealStageHistory'>>;

const DAY_MS = 86_400_000;
const OPEN_STAGES = new Set(['prospecting', 'qualification', 'proposal', 'negotiation']);

/** US dollars of an amount in minor units; undefined when there is no rate. */
export type ToUsd = (amount: number, currency: string, date?: string) => number | undefined;

export interface DealContext {
  readonly company?: Pick<Company, 'industry' | 'employeeCount'>;
  /** The deal's stage moves, any order. */
  readonly moves: readonly Pick<StageMove, 'toStage' | 'changedAt' | 'daysInPreviousStage'>[];
  /** When each activity (communication) about the deal happened. */
  readonly activityTimes: readonly number[];
}

/**
 * What the deal model reads of a deal at moment `at` in `stage` (deal-scoring.ts): the same
 * features as the training history (demo-deal-history.ts), here built from the repositories.
 */
export function dealFeatures(
  deal: Pick<Deal, 'id' | 'ownerId' | 'source' | 'type' | 'amount' | 'currency' | 'createdAt'>,
  stage: string,
  at: number,
  context: DealContext,
  toUsd: ToUsd,
): RawExample {
  const move = [...context.moves]
    .filter((m) => m.toStage === stage && Date.parse(m.changedAt) <= at)
    .sort((a, b) => a.changedAt.localeCompare(b.changedAt))
    .at(-1);
  const usd = toUsd(deal.amount, deal.currency, new Date(at).toISOString().slice(0, 10));
  return {
    owner: deal.ownerId,
    dealId: deal.id,
    stage,
    source: deal.source,
    type: deal.type,
    industry: context.company?.industry,
    employees: context.company?.employeeCount,
    amountUsd: usd === undefined ? undefined : usd / 100,
    daysOpen: Math.max(0, (at - Date.parse(deal.createdAt)) / DAY_MS),
    daysInStage: move?.daysInPreviousStage,
    activities: context.activityTimes.filter((t) => t < at).length,
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === undefined) continue;
    map.set(k, [...(map.get(k) ?? []), row]);
  }
  return map;
}

/** Every deal's stage moves, conversations and company, read once (for training and the board). */
export interface DealData {
  readonly deals: readonly Deal[];
  contextOf(deal: Pick<Deal, 'id' | 'companyId'>): DealContext;
}

export async function loadDealData(repos: Repositories): Promise<DealData> {
  const deals = await repos.deal.list();
  await yieldToIdle();
  const moves = groupBy(await repos.dealStageHistory.list(), (m) => m.dealId);
  await yieldToIdle();
  const activity = groupBy(await repos.communication.list(), (c) => c.dealId);
  await yieldToIdle();
  const companyIds = [...new Set(deals.flatMap((d) => (d.companyId ? [d.companyId] : [])))];
  const companies = new Map((await repos.company.getMany(companyIds)).map((c) => [c.id, c]));
  return {
    deals,
    contextOf: (deal) => ({
      company: deal.companyId ? companies.get(deal.companyId) : undefined,
      moves: moves.get(deal.id) ?? [],
      activityTimes: (activity.get(deal.id) ?? []).map((c) => Date.parse(c.occurredAt)),
    }),
  };
}

/**
 * The closed deals as training examples: one per open stage each passed through, seen as it stood
 * on entering that stage (features known then only).
 */
export function dealExamples(data: DealData, toUsd: ToUsd): TimedExample[] {
  return data.deals.flatMap((deal) => {
    if (deal.stage !== 'closedWon' && deal.stage !== 'closedLost') return [];
    const label: 0 | 1 = deal.stage === 'closedWon' ? 1 : 0;
    const context = data.contextOf(deal);
    return context.moves
      .filter((m) => OPEN_STAGES.has(m.toStage))
      .map((m) => ({
        label,
        at: m.changedAt,
        raw: dealFeatures(deal, m.toStage, Date.parse(m.changedAt), context, toUsd),
      }));
  });
}

export async function dealHistory(repos: Repositories, toUsd: ToUsd): Promise<TimedExample[]> {
  return dealExamples(await loadDealData(repos), toUsd);
}

/** Loads what the model needs to know about one open deal now. */
export async function dealContext(repos: Repositories, deal: Pick<Deal, 'id' | 'companyId'>): Promise<DealContext> {
  const [company, moves, comms] = await Promise.all([
    deal.companyId ? repos.company.get(deal.companyId) : Promise.resolve(undefined),
    repos.dealStageHistory.list({ where: { dealId: deal.id } }),
    repos.communication.list({ where: { dealId: deal.id } }),
  ]);
  return { company, moves, activityTimes: comms.map((c) => Date.parse(c.occurredAt)) };
}

/** Below this many training examples the model is not trained at all (the stage probability stands). */
export const MIN_DEAL_EXAMPLES = 40;

export interface TrainedDeals {
  readonly model?: DealModel;
  readonly examples: number;
  readonly trainedAt: string;
  /**
   * The model's win probability (0–1) of an open deal as it stands, from what was read at training
   * (its stage and amount from the record given); undefined for closed deals, without a model, or
   * when the signal is weak (the average would be all it could say).
   */
  readonly probabilityOf: (deal: Deal) => number | undefined;
}

export async function trainDealModelFrom(repos: Repositories, toUsd: ToUsd, now = new Date()): Promise<TrainedDeals> {
  const data = await loadDealData(repos);
  const examples = dealExamples(data, toUsd);
  await yieldToIdle();
  const labels = new Set(examples.map((e) => e.label));
  const trainedAt = now.toISOString();
  if (examples.length < MIN_DEAL_EXAMPLES || labels.size < 2)
    return { examples: examples.length, trainedAt, probabilityOf: () => undefined };
  const model = await trainDealOffThread(examples, now);
  return {
    model,
    examples: examples.length,
    trainedAt,
    probabilityOf: (deal) =>
      model.signal === 'weak' || !OPEN_STAGES.has(deal.stage)
        ? undefined
        : predictDeal(model, dealFeatures(deal, deal.stage, Date.now(), data.contextOf(deal), toUsd)).probability,
  };
}
