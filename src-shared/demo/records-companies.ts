import { DAY_MS, type DemoContext } from './demo-context';
import { phoneIn, postalCodeIn, slug } from './demo-geo';
import { convertFromUsd } from './demo-money';
import type { DemoRecords } from './demo-record';
import { PAIN_POINTS } from './demo-text';
import { type CompanyInfo, companyIndex } from './plan-companies';
import { companiesWithWins } from './plan-deals';
import type { LeadSource } from './plan-leads';
import { weightTable } from './random';

const OTHER_TYPE = weightTable({ prospect: 90, partner: 5, vendor: 3, competitor: 2 });
const STATUS = weightTable({ active: 93, inactive: 5, archived: 2 });
const SOURCE = weightTable<LeadSource>({
  website: 25,
  referral: 18,
  event: 14,
  coldOutreach: 14,
  partner: 9,
  import: 12,
  other: 8,
});

function revenueOf(company: CompanyInfo, perEmployeeUsd: number): number {
  // Minor units: a US company of 1,000 at $150k each is $150M, 15,000,000,000 cents.
  return convertFromUsd(Math.round(company.employees * perEmployeeUsd) * 100, company.place.country.currency);
}

export function* companyRecords(ctx: DemoContext): DemoRecords<'company'> {
  const { companies } = companyIndex(ctx);
  const won = companiesWithWins(ctx);
  const stream = ctx.stream('company');
  for (const company of companies) {
    const { rand, faker } = stream.at(company.index);
    const customer = won[company.index] === 1;
    const parent = company.parentIndex === undefined ? undefined : companies[company.parentIndex];
    const { place } = company;
    yield {
      id: company.id,
      ownerId: ctx.id('user', company.ownerIndex),
      createdAt: ctx.clock.iso(company.createdMs),
      name: company.name,
      domain: company.domain,
      website: `https://www.${company.domain}`,
      industry: company.industry,
      type: customer ? 'customer' : rand.weighted(OTHER_TYPE),
      status: customer ? 'active' : rand.weighted(STATUS),
      ...(parent ? { parentCompanyId: parent.id } : {}),
      employeeCount: company.employees,
      annualRevenue: revenueOf(company, rand.float(80_000, 300_000)),
      revenueCurrency: place.country.currency,
      foundedYear: parent ? rand.int(1995, 2022) : rand.int(1950, 2021),
      phone: phoneIn(rand, place.country),
      addressLine1: faker.location.streetAddress(),
      city: place.city,
      region: place.region,
      postalCode: postalCodeIn(rand, place.country),
      country: place.country.name,
      linkedinUrl: `https://www.linkedin.com/company/${slug(company.name)}`,
      source: rand.weighted(SOURCE),
      description: `${company.name} is ${/^[AEIOU]/.test(company.industry) ? 'an' : 'a'} ${company.industry.toLowerCase()} company based in ${place.city}, ${place.country.name}, with about ${company.employees.toLocaleString('en-US')} employees. ${faker.company.catchPhrase()}.`,
      tags: [company.tier.toLowerCase().replace(/[^a-z]+/g, '-'), ...(customer ? ['customer'] : [])],
      customFields: { accountTier: company.tier },
    };
  }
}

const TECH = ['Salesforce', 'HubSpot', 'SAP', 'Microsoft Dynamics', 'Spreadsheets', 'Pipedrive', 'Zoho', 'Oracle'];
const RESEARCH_SOURCE = weightTable({ ai: 70, web: 15, manual: 15 });
const SIGNALS = [
  'hiring sales reps',
  'opened a new office',
  'new VP of Sales',
  'raised a funding round',
  'evaluating CRM vendors',
  'expanding into Europe',
];

/** AI or manual research on every (C / R)-th company, made after the company was added. */
export function* researchRecords(ctx: DemoContext): DemoRecords<'companyResearch'> {
  const { companies } = companyIndex(ctx);
  const total = Math.min(ctx.counts.companyResearch, companies.length);
  const stream = ctx.stream('companyResearch');
  for (let r = 0; r < total; r++) {
    const company = companies[Math.floor((r * companies.length) / total)];
    if (!company) continue;
    const { rand, faker } = stream.at(r);
    const source = rand.weighted(RESEARCH_SOURCE);
    const researchedMs = ctx.clock.between(rand.next(), company.createdMs + DAY_MS, ctx.clock.nowMs);
    const stale = ctx.clock.nowMs - researchedMs > 180 * DAY_MS;
    const pains = [...new Set([rand.pick(PAIN_POINTS), rand.pick(PAIN_POINTS)])];
    const signals = [...new Set([rand.pick(SIGNALS), rand.pick(SIGNALS)])];
    const tech = rand.pick(TECH);
    yield {
      id: ctx.id('companyResearch', r),
      ownerId: ctx.id('user', company.ownerIndex),
      createdAt: ctx.clock.iso(researchedMs),
      companyId: company.id,
      title: `${company.name}: account research`,
      summary: `${company.name} (${company.industry}, ~${company.employees.toLocaleString('en-US')} staff, ${company.place.city}) currently runs its sales on ${tech}. Likely priorities: ${pains.join(' and ')}. Recent signals: ${signals.join('; ')}. ${faker.company.catchPhrase()}.`,
      source,
      ...(source === 'ai' ? { model: 'demo-research-model-1' } : {}),
      status: stale ? 'stale' : rand.chance(0.1) ? 'draft' : 'final',
      topics: [company.industry.toLowerCase(), 'crm', ...(rand.chance(0.5) ? ['expansion'] : [])],
      insights: {
        painPoints: pains,
        buyingSignals: signals,
        currentTool: tech,
        headcountTrend: Number(rand.float(-0.05, 0.25).toFixed(2)),
      },
      confidence: source === 'ai' ? rand.int(55, 95) : 100,
      researchedAt: ctx.clock.iso(researchedMs),
    };
  }
}
