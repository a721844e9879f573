import { DAY_MS, type DemoContext } from './demo-context';
import { PREFERRED_CHANNELS } from './demo-custom-fields';
import { postalCodeIn } from './demo-geo';
import type { DemoRecords } from './demo-record';
import { contactPerson, contactPlan } from './plan-contacts';
import { companiesWithWins, dealPlan } from './plan-deals';
import type { LeadSource } from './plan-leads';
import { conversions } from './plan-world';
import { weightTable } from './random';

type Lifecycle =
  | 'subscriber'
  | 'lead'
  | 'marketingQualified'
  | 'salesQualified'
  | 'opportunity'
  | 'customer'
  | 'evangelist'
  | 'other';

const STATUS = weightTable({ active: 88, inactive: 5, bounced: 3, unsubscribed: 3, archived: 1 });
const PROSPECT_STAGE = weightTable<Lifecycle>({
  subscriber: 15,
  lead: 30,
  marketingQualified: 20,
  salesQualified: 15,
  opportunity: 15,
  other: 5,
});
const CUSTOMER_STAGE = weightTable<Lifecycle>({ customer: 80, evangelist: 12, opportunity: 8 });
const SOURCE = weightTable<LeadSource>({
  website: 22,
  referral: 15,
  event: 15,
  import: 20,
  coldOutreach: 15,
  social: 8,
  other: 5,
});
const OUTCOME_STAGE = { won: 'customer', open: 'opportunity', lost: 'salesQualified' } as const;

/** The stage of a contact converted from a lead follows the deal that conversion opened. */
function convertedStage(ctx: DemoContext, leadIndex: number): Lifecycle {
  const ordinal = conversions(ctx).leadOrdinal[leadIndex] ?? -1;
  return ordinal >= 0 && ordinal < ctx.counts.deal ? OUTCOME_STAGE[dealPlan(ctx, ordinal).outcome] : 'salesQualified';
}

/** A birthday 24 to 64 years before now. */
function birthday(u: number, nowMs: number): string {
  return new Date(nowMs - (24 + u * 40) * 365.25 * DAY_MS).toISOString().slice(0, 10);
}

export function* contactRecords(ctx: DemoContext): DemoRecords<'contact'> {
  const { clock } = ctx;
  const won = companiesWithWins(ctx);
  const stream = ctx.stream('contact');
  for (let j = 0; j < ctx.counts.contact; j++) {
    const plan = contactPlan(ctx, j);
    const person = contactPerson(ctx, plan);
    const { rand, faker } = stream.at(j);
    const { place, company, lead } = plan;
    const customer = company !== undefined && won[company.index] === 1;
    const status = lead ? 'active' : rand.weighted(STATUS);
    const optIn = status !== 'unsubscribed' && rand.chance(0.7);
    const contacted = rand.chance(0.85) ? clock.between(rand.next(), plan.createdMs, clock.nowMs) : undefined;
    yield {
      id: plan.id,
      ownerId: ctx.id('user', plan.ownerIndex),
      createdAt: clock.iso(plan.createdMs),
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      phone: person.phone,
      ...(rand.chance(0.5) ? { mobile: faker.phone.number({ style: 'international' }) } : {}),
      jobTitle: person.jobTitle,
      department: person.department,
      ...(company ? { companyId: company.id } : {}),
      status,
      lifecycleStage: lead
        ? convertedStage(ctx, lead.index)
        : rand.weighted(customer ? CUSTOMER_STAGE : PROSPECT_STAGE),
      source: lead ? lead.source : rand.weighted(SOURCE),
      ...(rand.chance(0.2) ? { birthday: birthday(rand.next(), clock.nowMs) } : {}),
      ...(company
        ? {}
        : { addressLine1: faker.location.streetAddress(), postalCode: postalCodeIn(rand, place.country) }),
      city: place.city,
      region: place.region,
      country: place.country.name,
      timezone: place.timezone,
      ...(rand.chance(0.6) ? { linkedinUrl: `https://www.linkedin.com/in/${person.handle}` } : {}),
      doNotContact: status === 'unsubscribed' || status === 'bounced',
      emailOptIn: optIn,
      ...(optIn
        ? { consentAt: clock.iso(clock.between(rand.next(), plan.createdMs, plan.createdMs + 3 * DAY_MS)) }
        : {}),
      ...(contacted === undefined ? {} : { lastContactedAt: clock.iso(contacted) }),
      tags: [person.department.toLowerCase().replace(/\s+/g, '-'), ...(lead ? ['converted'] : [])],
      customFields: { preferredChannel: rand.pick(PREFERRED_CHANNELS) },
    };
  }
}
