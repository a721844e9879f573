import type { DemoContext } from './demo-context';
import { slug } from './demo-geo';
import type { DemoRecords, EnumValue } from './demo-record';
import { companyAt } from './plan-companies';
import { contactPerson, contactPlan } from './plan-contacts';
import { leadSubject } from './plan-lead-person';
import { leadProfile } from './plan-leads';
import { conversions } from './plan-world';
import { type WeightTable, weightTable } from './random';

type Platform = EnumValue<'socialProfile', 'platform'>;
type SubjectType = EnumValue<'socialProfile', 'subjectType'>;

const PERSON_PLATFORM = weightTable<Platform>({ linkedin: 70, twitter: 20, github: 10 });
const COMPANY_PLATFORM = weightTable<Platform>({ linkedin: 50, twitter: 20, facebook: 10, youtube: 10, instagram: 10 });

function urlOf(platform: Platform, handle: string, company: boolean): string {
  switch (platform) {
    case 'linkedin':
      return `https://www.linkedin.com/${company ? 'company' : 'in'}/${handle}`;
    case 'twitter':
      return `https://x.com/${handle.replace(/-/g, '_').slice(0, 15)}`;
    case 'youtube':
      return `https://www.youtube.com/@${handle}`;
    default:
      return `https://www.${platform}.com/${handle}`;
  }
}

interface Owner {
  type: SubjectType;
  index: number;
  handle: string;
  ownerIndex: number;
  fromMs: number;
  /** Followers scale: head count for companies, a typical network for people. */
  reach: number;
  platforms: WeightTable<Platform>;
}

/** Profile k belongs to the (k × n / share)-th subject of its kind, so no record has two on one platform. */
function ownerOf(ctx: DemoContext, k: number, total: number): Owner {
  const contacts = Math.round(total * 0.6);
  const companies = Math.round(total * 0.25);
  if (k < contacts) {
    const plan = contactPlan(ctx, Math.floor((k * ctx.counts.contact) / contacts));
    const handle = contactPerson(ctx, plan).handle;
    return {
      type: 'contact',
      index: plan.index,
      handle,
      ownerIndex: plan.ownerIndex,
      fromMs: plan.createdMs,
      reach: 800,
      platforms: PERSON_PLATFORM,
    };
  }
  if (k < contacts + companies) {
    const company = companyAt(ctx, Math.floor(((k - contacts) * ctx.counts.company) / companies));
    const reach = company.employees * 20;
    return {
      type: 'company',
      index: company.index,
      handle: slug(company.name),
      ownerIndex: company.ownerIndex,
      fromMs: company.createdMs,
      reach,
      platforms: COMPANY_PLATFORM,
    };
  }
  const leads = Math.max(1, total - contacts - companies);
  const lead = leadProfile(ctx, Math.floor(((k - contacts - companies) * ctx.counts.lead) / leads));
  const { person } = leadSubject(ctx, lead, conversions(ctx).leadContact[lead.index] ?? -1);
  return {
    type: 'lead',
    index: lead.index,
    handle: person.handle,
    ownerIndex: lead.ownerIndex,
    fromMs: lead.createdMs,
    reach: 500,
    platforms: PERSON_PLATFORM,
  };
}

export function* socialProfileRecords(ctx: DemoContext): DemoRecords<'socialProfile'> {
  const total = ctx.counts.socialProfile;
  const stream = ctx.stream('socialProfile');
  for (let k = 0; k < total; k++) {
    const owner = ownerOf(ctx, k, total);
    const { rand } = stream.at(k);
    const platform = owner.type === 'contact' && rand.chance(0.6) ? 'linkedin' : rand.weighted(owner.platforms);
    const createdMs = ctx.clock.between(rand.next(), owner.fromMs, ctx.clock.nowMs);
    yield {
      id: ctx.id('socialProfile', k),
      ownerId: ctx.id('user', owner.ownerIndex),
      createdAt: ctx.clock.iso(createdMs),
      subjectType: owner.type,
      subjectId: ctx.id(owner.type, owner.index),
      platform,
      url: urlOf(platform, owner.handle, owner.type === 'company'),
      handle: owner.handle.slice(0, 100),
      followers: Math.round(owner.reach * rand.float(0.2, 3)),
      verified: owner.type === 'company' && owner.reach > 20_000,
      lastActivityAt: ctx.clock.iso(ctx.clock.between(rand.next(), createdMs, ctx.clock.nowMs)),
    };
  }
}
