import { DAY_MS, type DemoContext } from './demo-context';
import { type AccountTier, tierOf } from './demo-custom-fields';
import { demoDomain, type Place, pickPlace } from './demo-geo';
import type { Industry } from './demo-signal';
import { pickOwner } from './plan-users';
import { weightTable } from './random';

export interface CompanyInfo {
  index: number;
  id: string;
  name: string;
  domain: string;
  industry: Industry;
  employees: number;
  tier: AccountTier;
  place: Place;
  createdMs: number;
  ownerIndex: number;
  parentIndex: number | undefined;
}

export interface CompanyIndex {
  readonly companies: readonly CompanyInfo[];
  /** Cumulative pick weights, growing with head count: big companies get more contacts and deals. */
  readonly cumulative: Float64Array;
}

const INDUSTRY_MIX = weightTable<Industry>({
  Software: 16,
  'Financial Services': 12,
  Healthcare: 11,
  Manufacturing: 12,
  Retail: 10,
  Education: 7,
  Logistics: 8,
  Energy: 6,
  Media: 7,
  'Professional Services': 11,
});

const SUBSIDIARY_SUFFIX: Record<string, string> = {
  US: 'Americas',
  CA: 'Canada',
  GB: 'UK',
  DE: 'Deutschland',
  FR: 'France',
  NL: 'Benelux',
  JP: 'Japan',
  AU: 'Australia',
};

/** The first 8% of companies are large groups; about one in ten later companies is a subsidiary of one. */
function parentCount(total: number): number {
  return Math.max(1, Math.ceil(total * 0.08));
}

/**
 * Company facts other records depend on (name, domain, size, industry, owner, creation time), built
 * once per run: 25,000 small objects for '100k'. Names are made unique here, which needs the sequence.
 */
export function companyIndex(ctx: DemoContext): CompanyIndex {
  return ctx.memo('companies', () => {
    const { clock } = ctx;
    const total = ctx.counts.company;
    const parents = parentCount(total);
    const stream = ctx.stream('company.plan');
    const names = new Set<string>();
    const companies: CompanyInfo[] = [];
    const cumulative = new Float64Array(total);
    let sum = 0;
    for (let i = 0; i < total; i++) {
      const { rand, faker } = stream.at(i);
      const place = pickPlace(rand);
      const parent = i >= parents && rand.chance(0.1) ? companies[rand.int(0, parents - 1)] : undefined;
      let name = parent ? `${parent.name} ${SUBSIDIARY_SUFFIX[place.country.code] ?? place.country.name}` : '';
      for (let attempt = 0; !name || names.has(name); attempt++) {
        const candidate = attempt < 3 ? faker.company.name() : `${faker.company.name()} ${place.city}`;
        name = attempt < 6 ? candidate : `${candidate} ${i}`;
      }
      names.add(name);
      const employees = parent
        ? Math.max(20, Math.round(parent.employees * rand.float(0.02, 0.25)))
        : Math.round(10 ** (i < parents ? rand.float(3.3, 4.9) : rand.float(0.7, 4.1)));
      const span = clock.nowMs - clock.startMs - 30 * DAY_MS;
      const earliest = parent ? parent.createdMs + DAY_MS : clock.startMs + 2 * DAY_MS;
      // Skewed early, as in a CRM that was filled when it was introduced and has grown since.
      const createdMs = Math.min(clock.nowMs - DAY_MS, earliest + span * rand.next() ** 1.6 * 0.9);
      companies.push({
        index: i,
        id: ctx.id('company', i),
        name,
        domain: parent ? `${place.country.code.toLowerCase()}.${parent.domain}` : demoDomain(name),
        industry: parent ? parent.industry : rand.weighted(INDUSTRY_MIX),
        employees,
        tier: tierOf(employees),
        place,
        createdMs: Math.round(createdMs),
        ownerIndex: parent && rand.chance(0.5) ? parent.ownerIndex : pickOwner(ctx, rand),
        parentIndex: parent?.index,
      });
      sum += 1 + Math.log2(employees / 10 + 1);
      cumulative[i] = sum;
    }
    for (let i = 0; i < total; i++) cumulative[i] = (cumulative[i] ?? 0) / sum;
    return { companies, cumulative };
  });
}

export function companyAt(ctx: DemoContext, index: number): CompanyInfo {
  const company = companyIndex(ctx).companies[index];
  if (!company) throw new RangeError(`no demo company ${index}`);
  return company;
}
