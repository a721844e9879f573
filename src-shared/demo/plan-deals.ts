import { DEAL_STAGES, type DealStage } from '../entities/enums';
import { DAY_MS, type DemoContext } from './demo-context';
import type { DemoCurrency } from './demo-geo';
import { type DealType, winProbability } from './demo-signal';
import { type CompanyInfo, companyAt } from './plan-companies';
import { contactPlan } from './plan-contacts';
import { type DealItem, lineItems } from './plan-deal-items';
import { type LeadSource, leadProfile } from './plan-leads';
import { pickOwner } from './plan-users';
import { contactAtCompany, conversions, pickCompany } from './plan-world';
import { type Rand, weightTable } from './random';

export type DealOutcome = 'won' | 'lost' | 'open';

export interface StageMove {
  from: DealStage | undefined;
  to: DealStage;
  atMs: number;
}

/** Where a deal comes from: a converted lead or an existing account. */
interface Origin {
  leadIndex: number | undefined;
  company: CompanyInfo;
  contactIndex: number | undefined;
  ownerIndex: number;
  source: LeadSource;
  type: DealType;
  earliestMs: number;
}

export interface DealPlan extends Omit<Origin, 'earliestMs'> {
  index: number;
  id: string;
  currency: DemoCurrency;
  createdMs: number;
  cycleDays: number;
  outcome: DealOutcome;
  stage: DealStage;
  moves: StageMove[];
  closedMs: number | undefined;
  items: DealItem[];
  amount: number;
  termMonths: number;
}

/** Share of a deal's cycle at which it enters prospecting, qualification, proposal, negotiation, closes. */
const BOUNDARY = [0, 0.2, 0.45, 0.7, 1] as const;
const OPEN_STAGES = DEAL_STAGES.slice(0, 4);
const TYPE_MIX = weightTable<DealType>({ newBusiness: 50, expansion: 32, renewal: 18 });
const SOURCE_MIX = weightTable<LeadSource>({
  referral: 20,
  coldOutreach: 20,
  website: 15,
  partner: 12,
  event: 12,
  webinar: 6,
  paidAds: 6,
  content: 5,
  social: 4,
});
/** Where lost deals drop out: mostly early. */
const LOST_AT = weightTable({ '0': 35, '1': 30, '2': 20, '3': 15 });

/** Deal k < number of converted leads came from converted lead k; the others from existing accounts. */
function originOf(ctx: DemoContext, index: number, rand: Rand): Origin {
  const world = conversions(ctx);
  const leadIndex = world.converted[index];
  if (leadIndex !== undefined) {
    const lead = leadProfile(ctx, leadIndex);
    const contactIndex = world.leadContact[leadIndex] ?? 0;
    const company = companyAt(ctx, world.contactCompany[contactIndex] ?? 0);
    const earliestMs = (lead.convertsAtMs ?? lead.createdMs) + rand.next() * 2 * DAY_MS;
    return {
      leadIndex,
      company,
      contactIndex,
      ownerIndex: lead.ownerIndex,
      source: lead.source,
      type: 'newBusiness',
      earliestMs,
    };
  }
  const company = pickCompany(ctx, rand.next());
  const contactIndex = contactAtCompany(ctx, company.index, rand.next());
  const contactMs = contactIndex === undefined ? 0 : contactPlan(ctx, contactIndex).createdMs;
  const ownerIndex = rand.chance(0.8) ? company.ownerIndex : pickOwner(ctx, rand);
  const earliest = Math.max(company.createdMs, contactMs) + DAY_MS;
  const createdMs = ctx.clock.between(rand.next(), earliest, ctx.clock.nowMs - DAY_MS);
  return {
    leadIndex: undefined,
    company,
    contactIndex,
    ownerIndex,
    source: rand.weighted(SOURCE_MIX),
    type: rand.weighted(TYPE_MIX),
    earliestMs: createdMs,
  };
}

interface Pipeline {
  outcome: DealOutcome;
  moves: StageMove[];
  closedMs: number | undefined;
}

/**
 * A deal's path: won deals pass every stage and close at the end of their cycle, lost ones drop out
 * midway through the stage they reached; deals whose close lies in the future are still open at
 * the stage their elapsed share of the cycle has reached.
 */
function pipelineOf(rand: Rand, createdMs: number, cycleMs: number, won: boolean, nowMs: number): Pipeline {
  const lastOpen = won ? 3 : Number(rand.weighted(LOST_AT));
  const closeMs = createdMs + cycleMs * (won ? 1 : ((BOUNDARY[lastOpen] ?? 0) + (BOUNDARY[lastOpen + 1] ?? 1)) / 2);
  const closed = closeMs <= nowMs - 3_600_000;
  const progress = (nowMs - createdMs) / cycleMs;
  const reached = closed
    ? lastOpen
    : Math.max(
        0,
        BOUNDARY.findLastIndex((b, n) => n < 4 && b <= progress),
      );
  const moves: StageMove[] = [{ from: undefined, to: 'prospecting', atMs: createdMs }];
  let previous = createdMs;
  for (let n = 1; n <= reached; n++) {
    const at = createdMs + cycleMs * ((BOUNDARY[n] ?? 1) + rand.float(-0.05, 0.05));
    previous = Math.round(Math.max(previous + 60_000, Math.min(at, nowMs - 120_000)));
    moves.push({ from: OPEN_STAGES[n - 1], to: OPEN_STAGES[n] ?? 'negotiation', atMs: previous });
  }
  if (!closed) return { outcome: 'open', moves, closedMs: undefined };
  const closedMs = Math.round(Math.max(previous + 60_000, closeMs));
  moves.push({ from: OPEN_STAGES[reached], to: won ? 'closedWon' : 'closedLost', atMs: closedMs });
  return { outcome: won ? 'won' : 'lost', moves, closedMs };
}

/** Deal `index`, a pure function of (seed, index) and the conversions; recomputed wherever needed. */
export function dealPlan(ctx: DemoContext, index: number): DealPlan {
  const { nowMs } = ctx.clock;
  const rand = ctx.stream('deal.plan').at(index).rand;
  const { earliestMs, ...origin } = originOf(ctx, index, rand);
  const { company } = origin;
  const createdMs = Math.round(Math.min(earliestMs, nowMs - 3_600_000));
  // Bigger companies take longer to buy.
  const cycleDays = Math.round(rand.float(20, 90) * (1 + 0.25 * Math.max(0, Math.log10(company.employees / 100))));
  const won = rand.chance(winProbability(origin.source, company.industry, origin.type));
  const { outcome, moves, closedMs } = pipelineOf(rand, createdMs, cycleDays * DAY_MS, won, nowMs);
  const { items, amount } = lineItems(rand, company, origin.type);
  return {
    index,
    id: ctx.id('deal', index),
    ...origin,
    createdMs,
    cycleDays,
    outcome,
    stage: moves[moves.length - 1]?.to ?? 'prospecting',
    moves,
    closedMs,
    items,
    amount,
    currency: company.place.country.currency,
    termMonths: rand.pick(company.employees >= 1000 ? [12, 24, 36, 36] : [12, 12, 12, 24]),
  };
}

/** Which companies have a won deal (their type is 'customer'), from one pass over the deal plans. */
export function companiesWithWins(ctx: DemoContext): Uint8Array {
  return ctx.memo('companiesWithWins', () => {
    const won = new Uint8Array(ctx.counts.company);
    for (let k = 0; k < ctx.counts.deal; k++) {
      const plan = dealPlan(ctx, k);
      if (plan.outcome === 'won') won[plan.company.index] = 1;
    }
    return won;
  });
}
