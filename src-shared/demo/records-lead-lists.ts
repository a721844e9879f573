import { DAY_MS, type DemoContext } from './demo-context';
import type { DemoRecords } from './demo-record';
import { leadProfile } from './plan-leads';

const PURPOSES = ['campaign', 'nurture', 'event', 'workflow', 'other'] as const;
const NAMES: Record<(typeof PURPOSES)[number], readonly string[]> = {
  campaign: ['Spring outbound push', 'Paid search retargeting', 'Mid-market expansion', 'Q4 renewals upsell'],
  nurture: ['Nurture: not ready yet', 'Nurture: content readers', 'Nurture: trial sign-ups'],
  event: ['SaaS Summit booth scans', 'Customer roundtable invitees', 'Webinar registrants'],
  workflow: ['Inbound routing queue', 'Stalled lead re-engagement'],
  other: ['Partner referrals', 'Imported trade-show list'],
};

interface ListPlan {
  index: number;
  createdMs: number;
  ownerIndex: number;
  size: number;
  offset: number;
  stride: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** List sizes average 1.5 memberships per lead; members are a stride walk, so no lead is listed twice. */
function listPlan(ctx: DemoContext, index: number): ListPlan {
  const rand = ctx.stream('leadList.plan').at(index).rand;
  const leads = ctx.counts.lead;
  const lists = ctx.counts.leadList;
  const span = ctx.clock.nowMs - ctx.clock.startMs;
  let stride = rand.int(1, Math.max(1, leads - 1));
  while (leads > 1 && gcd(stride, leads) !== 1) stride++;
  return {
    index,
    createdMs: Math.round(ctx.clock.startMs + 5 * DAY_MS + (span * 0.9 * index) / Math.max(1, lists)),
    // Lists are made by managers, reps now and then.
    ownerIndex: rand.chance(0.7)
      ? 1 + (index % ctx.managers)
      : 1 + ctx.managers + (index % Math.max(1, ctx.counts.user - 1 - ctx.managers)),
    size: Math.min(leads, Math.round(((1.5 * leads) / Math.max(1, lists)) * rand.float(0.5, 1.5))),
    offset: rand.int(0, Math.max(0, leads - 1)),
    stride,
  };
}

export function* leadListRecords(ctx: DemoContext): DemoRecords<'leadList'> {
  for (let l = 0; l < ctx.counts.leadList; l++) {
    const plan = listPlan(ctx, l);
    const purpose = PURPOSES[l % PURPOSES.length] ?? 'other';
    const names = NAMES[purpose];
    const round = Math.floor(l / PURPOSES.length);
    const baseName = names[round % names.length] ?? purpose;
    const dynamic = purpose === 'nurture' || purpose === 'workflow';
    yield {
      id: ctx.id('leadList', l),
      ownerId: ctx.id('user', plan.ownerIndex),
      createdAt: ctx.clock.iso(plan.createdMs),
      name: round < names.length ? baseName : `${baseName} (${Math.floor(round / names.length) + 1})`,
      description: `Leads for ${purpose === 'other' ? 'ad-hoc follow-up' : `the ${purpose}`}: ${baseName.toLowerCase()}.`,
      type: dynamic ? 'dynamic' : 'static',
      purpose,
      ...(dynamic
        ? {
            criteria: {
              all: [
                { field: 'status', op: 'in', value: ['nurturing', 'contacted'] },
                { field: 'score', op: 'gte', value: 30 },
              ],
            },
          }
        : {}),
    };
  }
}

export function* leadListMemberRecords(ctx: DemoContext): DemoRecords<'leadListMember'> {
  const leads = ctx.counts.lead;
  const stream = ctx.stream('leadListMember');
  let index = 0;
  for (let l = 0; l < ctx.counts.leadList; l++) {
    const list = listPlan(ctx, l);
    for (let k = 0; k < list.size; k++) {
      const leadIndex = (list.offset + k * list.stride) % leads;
      const lead = leadProfile(ctx, leadIndex);
      const { rand } = stream.at(l, k);
      const addedMs = ctx.clock.between(rand.next() ** 3, Math.max(list.createdMs, lead.createdMs), ctx.clock.nowMs);
      yield {
        id: ctx.id('leadListMember', index++),
        ownerId: ctx.id('user', lead.ownerIndex),
        createdAt: ctx.clock.iso(addedMs),
        leadListId: ctx.id('leadList', l),
        leadId: ctx.id('lead', leadIndex),
        addedAt: ctx.clock.iso(addedMs),
      };
    }
  }
}
