import type { LEAD_SOURCES } from '../entities/enums';

type LeadSource = (typeof LEAD_SOURCES)[number];

/**
 * The signal planted in the demo data, for the lead-scoring, win-prediction and analytics features
 * to find (and for their tests to check that they do). Everything else is noise.
 *
 * Leads: P(converted) = LEAD_CONVERSION_BY_SOURCE[source] × engagementFactor(engagement), capped at
 * 0.95, where engagement is a hidden value, uniform on 0–1, per lead that also drives how many lead activities
 * and content interactions it gets (see LEAD_ENGAGEMENT), so engagement is observable only through
 * them. Leads created too recently to have converted stay open (right-censoring, as in real data).
 *
 * Deals: a closed deal is won with P = DEAL_WIN_RATE_BY_SOURCE[source] × INDUSTRY_WIN_FACTOR[industry]
 * × DEAL_TYPE_WIN_FACTOR[type], capped at 0.95. Amounts grow with the company's head count (seats).
 */
export const LEAD_CONVERSION_BY_SOURCE: Readonly<Record<LeadSource, number>> = {
  referral: 0.45,
  event: 0.3,
  webinar: 0.25,
  partner: 0.22,
  website: 0.15,
  content: 0.12,
  social: 0.1,
  paidAds: 0.08,
  import: 0.05,
  coldOutreach: 0.04,
  other: 0.06,
};

/** Share of leads per source. */
export const LEAD_SOURCE_MIX: Readonly<Record<LeadSource, number>> = {
  website: 22,
  paidAds: 14,
  content: 12,
  coldOutreach: 12,
  referral: 9,
  event: 8,
  webinar: 8,
  social: 7,
  partner: 4,
  import: 3,
  other: 1,
};

export const LEAD_ENGAGEMENT = {
  /** Multiplies the source's conversion rate: 0.1 at no engagement, 1.9 at full engagement (mean 1). */
  factor: (engagement: number) => 0.1 + 1.8 * engagement,
  /** Lead activities: 1 + round(8 × engagement + noise in [0, 2)). */
  activities: (engagement: number, noise: number) => 1 + Math.round(8 * engagement + 2 * noise),
  /** Content interactions: round(5 × engagement + noise in [0, 1)). */
  interactions: (engagement: number, noise: number) => Math.round(5 * engagement + noise),
} as const;

export function conversionProbability(source: LeadSource, engagement: number): number {
  return Math.min(0.95, LEAD_CONVERSION_BY_SOURCE[source] * LEAD_ENGAGEMENT.factor(engagement));
}

export const DEAL_WIN_RATE_BY_SOURCE: Readonly<Record<LeadSource, number>> = {
  referral: 0.55,
  partner: 0.45,
  event: 0.38,
  webinar: 0.32,
  website: 0.28,
  content: 0.26,
  social: 0.2,
  paidAds: 0.18,
  import: 0.2,
  coldOutreach: 0.12,
  other: 0.25,
};

export const INDUSTRIES = [
  'Software',
  'Financial Services',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Education',
  'Logistics',
  'Energy',
  'Media',
  'Professional Services',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const INDUSTRY_WIN_FACTOR: Readonly<Record<Industry, number>> = {
  Software: 1.35,
  'Financial Services': 1.1,
  'Professional Services': 1.15,
  Logistics: 1.0,
  Media: 1.0,
  Manufacturing: 0.9,
  Energy: 0.85,
  Healthcare: 0.8,
  Education: 0.75,
  Retail: 0.65,
};

export const DEAL_TYPE_WIN_FACTOR = { newBusiness: 1, expansion: 1.3, renewal: 1.6 } as const;
export type DealType = keyof typeof DEAL_TYPE_WIN_FACTOR;

export function winProbability(source: LeadSource, industry: Industry, type: DealType): number {
  return Math.min(0.95, DEAL_WIN_RATE_BY_SOURCE[source] * INDUSTRY_WIN_FACTOR[industry] * DEAL_TYPE_WIN_FACTOR[type]);
}
