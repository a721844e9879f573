import { STAGE_PROBABILITY } from '../entities/enums';
import { DAY_MS, type DemoContext } from './demo-context';
import { PRODUCTS } from './demo-money';
import type { DemoRecords, EnumValue } from './demo-record';
import { LOSS_REASONS, NEXT_STEPS } from './demo-text';
import { type DealPlan, dealPlan } from './plan-deals';

const TYPE_LABEL = { newBusiness: 'new business', expansion: 'expansion', renewal: 'renewal' } as const;
const OPEN_FORECAST = {
  prospecting: 'pipeline',
  qualification: 'pipeline',
  proposal: 'bestCase',
  negotiation: 'commit',
} as const;

function forecastOf(plan: DealPlan): EnumValue<'deal', 'forecastCategory'> {
  if (plan.stage === 'closedWon') return 'closed';
  if (plan.stage === 'closedLost') return 'omitted';
  return OPEN_FORECAST[plan.stage];
}

function dealName(plan: DealPlan): string {
  const seats = plan.items[0];
  const product = seats ? PRODUCTS[seats.productIndex]?.name : undefined;
  const what = seats && product ? ` (${seats.quantity} \u00d7 ${product})` : '';
  return `${plan.company.name} \u2013 ${TYPE_LABEL[plan.type]}${what}`.slice(0, 200);
}

export function* dealRecords(ctx: DemoContext): DemoRecords<'deal'> {
  const { clock } = ctx;
  const stream = ctx.stream('deal');
  for (let k = 0; k < ctx.counts.deal; k++) {
    const plan = dealPlan(ctx, k);
    const { rand } = stream.at(k);
    const expected = plan.createdMs + plan.cycleDays * DAY_MS;
    const lastMove = plan.moves[plan.moves.length - 1]?.atMs ?? plan.createdMs;
    yield {
      id: plan.id,
      ownerId: ctx.id('user', plan.ownerIndex),
      createdAt: clock.iso(plan.createdMs),
      name: dealName(plan),
      companyId: plan.company.id,
      ...(plan.contactIndex === undefined ? {} : { contactId: ctx.id('contact', plan.contactIndex) }),
      ...(plan.leadIndex === undefined ? {} : { leadId: ctx.id('lead', plan.leadIndex) }),
      stage: plan.stage,
      amount: plan.amount,
      currency: plan.currency,
      probability: STAGE_PROBABILITY[plan.stage],
      expectedCloseDate: clock.date(
        plan.closedMs ?? (expected > clock.nowMs + DAY_MS ? expected : clock.nowMs + rand.int(7, 45) * DAY_MS),
      ),
      ...(plan.closedMs === undefined ? {} : { closedAt: clock.iso(plan.closedMs) }),
      stageChangedAt: clock.iso(lastMove),
      type: plan.type,
      source: plan.source,
      forecastCategory: forecastOf(plan),
      ...(plan.outcome === 'lost' ? { lossReason: rand.pick(LOSS_REASONS) } : {}),
      ...(plan.outcome === 'open' ? { nextStep: rand.pick(NEXT_STEPS) } : {}),
      tags: [plan.company.tier.toLowerCase().replace(/[^a-z]+/g, '-'), plan.company.industry.toLowerCase()],
      customFields: { contractTermMonths: plan.termMonths },
    };
  }
}

export function* dealProductRecords(ctx: DemoContext): DemoRecords<'dealProduct'> {
  let index = 0;
  for (let k = 0; k < ctx.counts.deal; k++) {
    const plan = dealPlan(ctx, k);
    for (const [n, item] of plan.items.entries()) {
      yield {
        id: ctx.id('dealProduct', index++),
        ownerId: ctx.id('user', plan.ownerIndex),
        createdAt: ctx.clock.iso(plan.createdMs + (n + 1) * 60_000),
        dealId: plan.id,
        productId: ctx.id('product', item.productIndex),
        quantity: item.quantity,
        unitPrice: item.unitPrice,
        currency: plan.currency,
        ...(item.discountPercent === undefined ? {} : { discountPercent: item.discountPercent }),
        total: item.total,
        description: PRODUCTS[item.productIndex]?.name ?? 'Product',
      };
    }
  }
}

/** Every stage a deal went through, from prospecting to where it is now; the last move matches its stage. */
export function* dealStageHistoryRecords(ctx: DemoContext): DemoRecords<'dealStageHistory'> {
  let index = 0;
  for (let k = 0; k < ctx.counts.deal; k++) {
    const plan = dealPlan(ctx, k);
    const ownerId = ctx.id('user', plan.ownerIndex);
    let previousMs: number | undefined;
    for (const move of plan.moves) {
      yield {
        id: ctx.id('dealStageHistory', index++),
        ownerId,
        createdAt: ctx.clock.iso(move.atMs),
        dealId: plan.id,
        ...(move.from === undefined ? {} : { fromStage: move.from }),
        toStage: move.to,
        changedAt: ctx.clock.iso(move.atMs),
        changedBy: ownerId,
        amount: plan.amount,
        currency: plan.currency,
        probability: STAGE_PROBABILITY[move.to],
        ...(previousMs === undefined
          ? {}
          : { daysInPreviousStage: Math.round(((move.atMs - previousMs) / DAY_MS) * 10) / 10 }),
      };
      previousMs = move.atMs;
    }
  }
}
