import type { Repositories } from '../../db/repositories';
import { refuse, text, type Values } from './settings-errors';

/** Adds a currency; its ISO code must be new. */
export async function createCurrency(repos: Repositories, input: Values) {
  const code = text(input.code)?.toUpperCase();
  if (code && (await repos.currency.list()).some((c) => c.code === code)) {
    refuse('currency', 'code', `${code} is already in the list`);
  }
  return repos.currency.create({ ...input, ...(code ? { code } : {}) } as never);
}

/** Adds a dated rate; one rate per pair and day (edit the existing one instead). */
export async function addExchangeRate(repos: Repositories, input: Values) {
  const base = text(input.baseCurrency)?.toUpperCase();
  const quote = text(input.quoteCurrency)?.toUpperCase();
  const date = input.effectiveDate;
  if (base && quote && typeof date === 'string') {
    const clash = (await repos.exchangeRate.list()).find(
      (r) => r.baseCurrency === base && r.quoteCurrency === quote && r.effectiveDate === date,
    );
    if (clash)
      refuse('exchangeRate', 'effectiveDate', `already has a ${base}→${quote} rate (${clash.rate}); edit that one`);
  }
  return repos.exchangeRate.create({
    ...input,
    ...(base ? { baseCurrency: base } : {}),
    ...(quote ? { quoteCurrency: quote } : {}),
  } as never);
}

export interface RateRow {
  id: string;
  baseCurrency: string;
  quoteCurrency: string;
  rate: number;
  effectiveDate: string;
}

/** The rate in force for each pair on `day` (the latest on or before it), pairs in code order. */
export function ratesInForce<R extends RateRow>(rates: readonly R[], day: string): R[] {
  const best = new Map<string, R>();
  for (const rate of rates) {
    if (rate.effectiveDate > day) continue;
    const pair = `${rate.baseCurrency}/${rate.quoteCurrency}`;
    const current = best.get(pair);
    if (!current || rate.effectiveDate > current.effectiveDate) best.set(pair, rate);
  }
  return [...best.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
}
