import { DEAL_STAGES, type DealStage, STAGE_PROBABILITY } from '../../../src-shared/entities/enums';
import type { DocumentEntityName, EntityByName } from '../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { LocalDatabase } from '../../db/create-database';
import type { Repositories } from '../../db/repositories';

type Rec<N extends DocumentEntityName> = EntityRecord<EntityByName<N>>;

/** What a move needs: the repositories (the only write path), and the device's clock and actor. */
export interface MoveContext {
  readonly repos: Repositories;
  readonly db: Pick<LocalDatabase, 'clock' | 'actor'>;
}

export interface MoveOptions {
  /** Required for a move to closedLost: win/loss analysis is worthless without it. */
  lossReason?: string;
}

export interface MoveResult {
  deal: Rec<'deal'>;
  history: Rec<'dealStageHistory'>;
}

const DAY_MS = 86_400_000;
const CLOSED: ReadonlySet<DealStage> = new Set(['closedWon', 'closedLost']);
const OPEN_FORECAST = {
  prospecting: 'pipeline',
  qualification: 'pipeline',
  proposal: 'bestCase',
  negotiation: 'commit',
} as const;
type OpenStage = keyof typeof OPEN_FORECAST;

export const isClosedStage = (stage: string): boolean => CLOSED.has(stage as DealStage);

export function isDealStage(value: unknown): value is DealStage {
  return typeof value === 'string' && (DEAL_STAGES as readonly string[]).includes(value);
}

/** Whether moving into `stage` needs a loss reason from the user first. */
export const needsLossReason = (stage: string): boolean => stage === 'closedLost';

/**
 * The deal's fields after entering `to`: the stage's default probability, closedAt set on closing
 * and cleared on reopening (the deal entity's rules), the loss reason only while lost, and the
 * forecast category that goes with the stage unless a rep set it by hand.
 */
function stagePatch(deal: Rec<'deal'>, to: DealStage, now: string, lossReason: string | undefined) {
  const from = deal.stage as DealStage;
  const patch: Record<string, unknown> = { stage: to, probability: STAGE_PROBABILITY[to], stageChangedAt: now };
  if (CLOSED.has(to)) {
    patch.closedAt = now;
    patch.forecastCategory = to === 'closedWon' ? 'closed' : 'omitted';
  } else {
    patch.closedAt = null;
    // A category still at its stage's default moves along; one a rep chose by hand stays.
    const followsStage =
      CLOSED.has(from) ||
      deal.forecastCategory === undefined ||
      deal.forecastCategory === OPEN_FORECAST[from as OpenStage];
    if (followsStage) patch.forecastCategory = OPEN_FORECAST[to as OpenStage];
  }
  patch.lossReason = to === 'closedLost' ? lossReason : null;
  return patch;
}

/**
 * Moves a deal to another stage and records the move in its stage history, all or nothing. Both
 * records are validated by the registry before the first write; the history is written first and
 * removed again if the deal's update then fails, so no move is half-recorded.
 */
export async function moveDealToStage(
  ctx: MoveContext,
  dealId: string,
  toStage: string,
  options: MoveOptions = {},
): Promise<MoveResult> {
  const { repos, db } = ctx;
  if (!isDealStage(toStage)) {
    throw new ValidationError('deal', [{ field: 'stage', problem: `"${toStage}" is not a pipeline stage` }]);
  }
  const deal = await repos.deal.require(dealId);
  if (deal.isDeleted)
    throw new ValidationError('deal', [{ field: 'isDeleted', problem: 'a deleted deal cannot be moved' }]);
  if (deal.stage === toStage) throw new ValidationError('deal', [{ field: 'stage', problem: `is already ${toStage}` }]);
  const lossReason = options.lossReason?.trim();
  if (needsLossReason(toStage) && !lossReason)
    throw new ValidationError('deal', [{ field: 'lossReason', problem: 'is required when a deal is lost' }]);

  const now = db.clock.now();
  const nowIso = now.toISOString();
  const patch = stagePatch(deal, toStage, nowIso, lossReason);
  const merged: Record<string, unknown> = { ...deal };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined) delete merged[k];
    else merged[k] = v;
  }
  await repos.deal.check(withoutStamps(merged));

  const enteredMs = Date.parse(deal.stageChangedAt ?? deal.createdAt);
  const days = Number.isNaN(enteredMs)
    ? undefined
    : Math.max(0, Math.round(((now.getTime() - enteredMs) / DAY_MS) * 10) / 10);
  const historyInput = {
    dealId: deal.id,
    fromStage: deal.stage,
    toStage,
    changedAt: nowIso,
    changedBy: db.actor().userId,
    amount: deal.amount,
    currency: deal.currency,
    probability: STAGE_PROBABILITY[toStage],
    ...(days === undefined ? {} : { daysInPreviousStage: days }),
  };
  await repos.dealStageHistory.check(historyInput);

  const history = await repos.dealStageHistory.create(historyInput);
  try {
    const updated = await repos.deal.update(deal.id, patch as never);
    return { deal: updated, history };
  } catch (error) {
    await repos.dealStageHistory.discard(history.id);
    throw error;
  }
}

/** A record back to create input: the repository stamps the system fields again. */
function withoutStamps(record: Record<string, unknown>) {
  const { kind, createdAt, updatedAt, createdBy, updatedBy, isDeleted, newest, deletedAt, ...input } = record;
  return input as never;
}

/**
 * Creates a deal in the stage given (probability, closedAt and loss reason by the same rules as a
 * move) with its first stage history record, all or nothing like a move.
 */
export async function createDeal(ctx: MoveContext, input: Record<string, unknown>): Promise<MoveResult> {
  const { repos, db } = ctx;
  const stage = input.stage === undefined ? 'prospecting' : input.stage;
  if (!isDealStage(stage))
    throw new ValidationError('deal', [{ field: 'stage', problem: `"${String(stage)}" is not a pipeline stage` }]);
  const lossReason = typeof input.lossReason === 'string' ? input.lossReason.trim() : undefined;
  if (needsLossReason(stage) && !lossReason)
    throw new ValidationError('deal', [{ field: 'lossReason', problem: 'is required when a deal is lost' }]);
  const now = db.clock.now().toISOString();
  const { probability, closedAt, ...rest } = input;
  const deal = await repos.deal.check({
    ...rest,
    stage,
    probability: typeof probability === 'number' && !isClosedStage(stage) ? probability : STAGE_PROBABILITY[stage],
    stageChangedAt: now,
    ...(isClosedStage(stage) ? { closedAt: typeof closedAt === 'string' ? closedAt : now } : {}),
    ...(lossReason && stage === 'closedLost' ? { lossReason } : { lossReason: undefined }),
  } as never);
  const historyInput = {
    dealId: deal.id,
    toStage: stage,
    changedAt: now,
    changedBy: db.actor().userId,
    amount: deal.amount,
    currency: deal.currency,
    probability: deal.probability,
  };
  await repos.dealStageHistory.check(historyInput);
  const created = await repos.deal.create(withoutStamps(deal as unknown as Record<string, unknown>));
  try {
    const history = await repos.dealStageHistory.create(historyInput);
    return { deal: created, history };
  } catch (error) {
    await repos.deal.discard(created.id);
    throw error;
  }
}
