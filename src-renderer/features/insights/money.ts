import type { Convert } from '../../../src-shared/ai/forecast';

/**
 * The part of the Deals screen's RateBook (features/deals convert-money.ts) the insights use,
 * described here so that this feature needs no import of the deals feature (which shows it).
 */
export interface Converter {
  convert(
    money: { amount: number; currency: string },
    target: string,
    date?: string,
  ): { ok: true; amount: number } | { ok: false };
  decimalsOf(currency: string): number;
}

/** forecast.ts's Convert over a RateBook: minor units in, minor units out, undefined without a rate. */
export function convertOf(book: Converter): Convert {
  return (amount, currency, target, date) => {
    const c = book.convert({ amount, currency }, target, date);
    return c.ok ? c.amount : undefined;
  };
}

/** Minor-unit digits of a currency from Intl (JPY 0, USD 2, BHD 3). */
export function decimalsOf(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units as money in its currency, e.g. 1250000 EUR → "€12,500". */
export function formatMinor(amount: number, currency: string, decimals = decimalsOf(currency), compact = false) {
  const value = amount / 10 ** decimals;
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      maximumFractionDigits: compact ? 1 : Number.isInteger(value) ? 0 : decimals,
      ...(compact ? { notation: 'compact' } : {}),
    }).format(value);
  } catch {
    return `${value.toFixed(decimals)} ${currency}`;
  }
}
