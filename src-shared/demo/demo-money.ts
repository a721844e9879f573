import type { DemoCurrency } from './demo-geo';

export const CURRENCIES: readonly { code: DemoCurrency; name: string; symbol: string; decimals: number }[] = [
  { code: 'USD', name: 'US Dollar', symbol: '$', decimals: 2 },
  { code: 'EUR', name: 'Euro', symbol: '\u20ac', decimals: 2 },
  { code: 'GBP', name: 'Pound Sterling', symbol: '\u00a3', decimals: 2 },
  { code: 'JPY', name: 'Japanese Yen', symbol: '\u00a5', decimals: 0 },
];

/** Units of the currency per US dollar; the dated exchange rates wander a few percent around these. */
export const NOMINAL_USD_RATE: Readonly<Record<DemoCurrency, number>> = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 150 };

/** US cents to minor units of `currency` (cents, pence, yen) at the nominal rate. */
export function convertFromUsd(usdCents: number, currency: DemoCurrency): number {
  const decimals = CURRENCIES.find((c) => c.code === currency)?.decimals ?? 2;
  return Math.round(usdCents * NOMINAL_USD_RATE[currency] * 10 ** (decimals - 2));
}

export interface DemoProduct {
  name: string;
  sku: string;
  series: string;
  description: string;
  /** US cents per unit and year. */
  unitPriceUsd: number;
}

export const PRODUCTS: readonly DemoProduct[] = [
  {
    name: 'Starter seat',
    sku: 'SEAT-STR',
    series: 'Seats',
    description: 'Core CRM, per user and year.',
    unitPriceUsd: 30_000,
  },
  {
    name: 'Professional seat',
    sku: 'SEAT-PRO',
    series: 'Seats',
    description: 'Pipelines, automation and reporting, per user and year.',
    unitPriceUsd: 72_000,
  },
  {
    name: 'Enterprise seat',
    sku: 'SEAT-ENT',
    series: 'Seats',
    description: 'Everything, with SSO, audit and sandbox, per user and year.',
    unitPriceUsd: 144_000,
  },
  {
    name: 'Onboarding package',
    sku: 'SVC-ONB',
    series: 'Services',
    description: 'Guided set-up, data migration and training (one-off).',
    unitPriceUsd: 500_000,
  },
  {
    name: 'Premium support',
    sku: 'SVC-SUP',
    series: 'Services',
    description: '24/7 support with a named engineer, per year.',
    unitPriceUsd: 1_200_000,
  },
  {
    name: 'Data enrichment add-on',
    sku: 'ADD-ENR',
    series: 'Add-ons',
    description: 'Company and contact enrichment, per year.',
    unitPriceUsd: 240_000,
  },
  {
    name: 'AI assistant add-on',
    sku: 'ADD-AI',
    series: 'Add-ons',
    description: 'Lead scoring, research and email drafting, per year.',
    unitPriceUsd: 360_000,
  },
];

export const PRODUCT = {
  starterSeat: 0,
  professionalSeat: 1,
  enterpriseSeat: 2,
  onboarding: 3,
  support: 4,
  enrichment: 5,
  aiAssistant: 6,
} as const;
