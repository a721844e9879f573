/** Lead reports: source attribution and the conversion funnel. */
import {
  inRange,
  ownedBy,
  type ReportData,
  type ReportFilter,
  type ReportResult,
  RowBuilder,
  rate,
} from './report-types';

export const SOURCE_LABELS: Record<string, string> = {
  website: 'Website',
  referral: 'Referral',
  event: 'Event',
  webinar: 'Webinar',
  content: 'Content',
  paidAds: 'Paid ads',
  social: 'Social',
  coldOutreach: 'Cold outreach',
  partner: 'Partner',
  import: 'Import',
  other: 'Other',
  none: 'No source',
};

/**
 * How far a lead got, from its status: the funnel is new → contacted → qualified → converted.
 * Nurturing, unqualified and lost leads were contacted (work was done on them) but got no further.
 */
const REACHED: Record<string, number> = {
  new: 0,
  contacted: 1,
  nurturing: 1,
  unqualified: 1,
  lost: 1,
  qualified: 2,
  converted: 3,
};
export const FUNNEL_STEPS = [
  ['new', 'New'],
  ['contacted', 'Contacted'],
  ['qualified', 'Qualified'],
  ['converted', 'Converted'],
] as const;

const leadsIn = (data: Pick<ReportData, 'leads'>, filter: ReportFilter) =>
  data.leads.filter((l) => ownedBy(l.ownerId, filter) && inRange(l.createdAt, filter.from, filter.to));

/**
 * Leads created in the range by source: how many, converted, conversion rate, and what the deals
 * from those leads won (converted at the rate on the closing date).
 */
export function leadSourceReport(data: Pick<ReportData, 'leads' | 'deals'>, filter: ReportFilter): ReportResult {
  const wonByLead = new Map<string, { id: string; amount: number; currency: string; closedAt?: string }>();
  for (const d of data.deals)
    if (d.stage === 'closedWon' && d.leadId)
      wonByLead.set(d.leadId, {
        id: d.id,
        amount: d.amount,
        currency: d.currency,
        ...(d.closedAt ? { closedAt: d.closedAt } : {}),
      });
  const unconvertible: string[] = [];
  const rows = new RowBuilder(() => ({ leads: 0, converted: 0, wonDeals: 0, wonAmount: 0 }));
  for (const l of leadsIn(data, filter)) {
    const converted = l.status === 'converted';
    const won = wonByLead.get(l.id);
    let wonAmount = 0;
    if (won) {
      const amount = filter.convert(won.amount, won.currency, filter.currency, won.closedAt);
      if (amount === undefined) unconvertible.push(won.id);
      else wonAmount = amount;
    }
    rows.add(
      l.source,
      SOURCE_LABELS[l.source] ?? l.source,
      l.id,
      { leads: 1, converted: converted ? 1 : 0, wonDeals: won ? 1 : 0, wonAmount },
      converted ? ['converted'] : [],
    );
  }
  return {
    entity: 'lead',
    chart: 'bar',
    unconvertible,
    rows: rows
      .build((v) => ({ conversionRate: rate(v.converted, v.leads) }))
      .sort((a, b) => (b.values.conversionRate ?? -1) - (a.values.conversionRate ?? -1)),
    series: [
      { key: 'conversionRate', label: 'Conversion rate', kind: 'percent', chart: true },
      { key: 'leads', label: 'Leads', kind: 'count' },
      { key: 'converted', label: 'Converted', kind: 'count' },
      { key: 'wonDeals', label: 'Deals won', kind: 'count' },
      { key: 'wonAmount', label: 'Won amount', kind: 'money' },
    ],
  };
}

/** Leads created in the range that reached each step of the funnel, and the share of the first step. */
export function funnelReport(data: Pick<ReportData, 'leads'>, filter: ReportFilter): ReportResult {
  const ids: string[][] = FUNNEL_STEPS.map(() => []);
  for (const l of leadsIn(data, filter)) {
    const reached = REACHED[l.status] ?? 0;
    for (let step = 0; step <= reached; step++) ids[step]?.push(l.id);
  }
  const top = ids[0]?.length ?? 0;
  return {
    entity: 'lead',
    chart: 'funnel',
    unconvertible: [],
    rows: FUNNEL_STEPS.map(([key, label], i) => {
      const count = ids[i]?.length ?? 0;
      const previous = i === 0 ? count : (ids[i - 1]?.length ?? 0);
      return {
        key,
        label,
        ids: ids[i] ?? [],
        values: { leads: count, ofAll: rate(count, top), fromPrevious: rate(count, previous) },
      };
    }),
    series: [
      { key: 'leads', label: 'Leads', kind: 'count', chart: true },
      { key: 'ofAll', label: '% of new', kind: 'percent' },
      { key: 'fromPrevious', label: '% of previous step', kind: 'percent' },
    ],
  };
}
