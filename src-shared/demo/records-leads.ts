import { DAY_MS, type DemoContext } from './demo-context';
import { demoDomain } from './demo-geo';
import { convertFromUsd } from './demo-money';
import type { DemoRecords } from './demo-record';
import { LEAD_CONVERSION_BY_SOURCE } from './demo-signal';
import { LEAD_LOSS_REASONS } from './demo-text';
import { leadSubject } from './plan-lead-person';
import { type LeadProfile, type LeadSource, leadActivityTimes, leadProfile } from './plan-leads';
import { conversions } from './plan-world';
import type { Rand } from './random';

const INDUSTRY_GUESS = ['Software', 'Retail', 'Healthcare', 'Manufacturing', 'Education', 'Logistics', 'Media'];

interface Attribution {
  sourceDetail?: string;
  campaign?: string;
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
}

const UTM: Partial<Record<LeadSource, [string, string]>> = {
  website: ['google', 'organic'],
  paidAds: ['google', 'cpc'],
  content: ['newsletter', 'email'],
  social: ['linkedin', 'social'],
};

function sourceDetail(rand: Rand, source: LeadSource, quarter: string): string | undefined {
  switch (source) {
    case 'event':
      return rand.pick(['Booth scan, SaaS Summit', 'Roundtable dinner', 'Trade fair, Hall 3']);
    case 'webinar':
      return `Webinar attendee, ${quarter}`;
    case 'referral':
      return rand.pick(['Referred by a customer', 'Referred by a partner', 'Employee referral']);
    case 'partner':
      return 'Partner-sourced';
    case 'website':
      return rand.pick(['Demo request form', 'Pricing page chat', 'Contact form']);
    case 'import':
      return 'Trade show list import';
    default:
      return undefined;
  }
}

function attribution(rand: Rand, source: LeadSource, createdMs: number): Attribution {
  const date = new Date(createdMs);
  const quarter = `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${date.getUTCFullYear()}`;
  const campaign = `${quarter} ${source === 'paidAds' ? 'paid search' : source} campaign`;
  const utm = UTM[source];
  const detail = sourceDetail(rand, source, quarter);
  return {
    ...(detail ? { sourceDetail: detail } : {}),
    ...(source === 'import' || source === 'other' ? {} : { campaign }),
    ...(utm ? { utmSource: utm[0], utmMedium: utm[1], utmCampaign: campaign.toLowerCase().replace(/\s+/g, '-') } : {}),
  };
}

/** The model's score: mostly engagement and source quality, plus noise, as a real score would be. */
function scoreOf(rand: Rand, profile: LeadProfile) {
  const sourceQuality = LEAD_CONVERSION_BY_SOURCE[profile.source] / 0.45;
  const fit = rand.next();
  const raw = 10 + 55 * profile.engagement + 20 * sourceQuality + 10 * fit + rand.float(-8, 8);
  const score = Math.max(0, Math.min(100, Math.round(raw)));
  const factors = {
    engagement: Math.round(profile.engagement * 100),
    sourceQuality: Math.round(sourceQuality * 100),
    fit: Math.round(fit * 100),
  };
  return {
    score,
    factors,
    rating: score >= 70 ? ('hot' as const) : score >= 40 ? ('warm' as const) : ('cold' as const),
  };
}

export function* leadRecords(ctx: DemoContext): DemoRecords<'lead'> {
  const { clock } = ctx;
  const world = conversions(ctx);
  const stream = ctx.stream('lead');
  for (let i = 0; i < ctx.counts.lead; i++) {
    const profile = leadProfile(ctx, i);
    const contactIndex = world.leadContact[i] ?? -1;
    const converted = contactIndex >= 0;
    const { person, company, place, companyName, lookalike } = leadSubject(ctx, profile, contactIndex);
    const { rand } = stream.at(i);
    const { score, factors, rating } = scoreOf(rand, profile);
    const status = converted ? 'converted' : profile.openStatus;
    const employees = lookalike?.employees ?? Math.round(10 ** rand.float(0.7, 3.8));
    const currency = place.country.currency;
    const times = leadActivityTimes(ctx, profile, converted);
    const budget = converted ? 0.7 : status === 'qualified' ? 0.5 : 0.15;
    yield {
      id: ctx.id('lead', i),
      ownerId: ctx.id('user', profile.ownerIndex),
      createdAt: clock.iso(profile.createdMs),
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      ...(rand.chance(0.7) ? { phone: person.phone } : {}),
      jobTitle: person.jobTitle,
      ...(companyName ? { companyName, companyDomain: company?.domain ?? demoDomain(companyName) } : {}),
      industry: lookalike?.industry ?? rand.pick(INDUSTRY_GUESS),
      employeeCount: employees,
      country: place.country.name,
      source: profile.source,
      ...attribution(rand, profile.source, profile.createdMs),
      status,
      score,
      scoreFactors: factors,
      scoredAt: clock.iso(clock.between(rand.next(), profile.createdMs, profile.createdMs + 2 * DAY_MS)),
      rating,
      estimatedValue: convertFromUsd(Math.round(3 + employees ** 0.75 * 0.2) * 72_000, currency),
      currency,
      ...(times.length > 0 ? { lastActivityAt: clock.iso(times[times.length - 1] ?? profile.createdMs) } : {}),
      ...(converted && profile.convertsAtMs !== undefined
        ? {
            convertedAt: clock.iso(profile.convertsAtMs),
            convertedContactId: ctx.id('contact', contactIndex),
            ...(company ? { convertedCompanyId: company.id } : {}),
          }
        : {}),
      ...(status === 'lost' || status === 'unqualified' ? { lostReason: rand.pick(LEAD_LOSS_REASONS) } : {}),
      tags: [profile.source, ...(rating === 'hot' ? ['hot'] : [])],
      customFields: { budgetConfirmed: rand.chance(budget) },
    };
  }
}
