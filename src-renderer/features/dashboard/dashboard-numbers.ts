/** A rep's key numbers from their own records (pure; the hook reads the records from indexes). */
import type { Convert } from '../../../src-shared/reports';

export interface RepDeal {
  readonly id: string;
  readonly stage: string;
  readonly amount: number;
  readonly currency: string;
  readonly probability: number;
  readonly expectedCloseDate?: string;
  readonly closedAt?: string;
}

export interface RepNumbers {
  readonly openPipeline: number;
  readonly openDeals: number;
  readonly weightedMonth: number;
  readonly weightedQuarter: number;
  readonly wonQuarter: number;
  readonly wonQuarterDeals: number;
  /** Deals whose amount has no rate into the currency (left out of the sums). */
  readonly unconvertible: number;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

export function periodsOf(now: Date) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const q = m - (m % 3);
  return {
    month: { from: iso(new Date(Date.UTC(y, m, 1))), to: iso(new Date(Date.UTC(y, m + 1, 1))) },
    quarter: { from: iso(new Date(Date.UTC(y, q, 1))), to: iso(new Date(Date.UTC(y, q + 3, 1))) },
    quarterLabel: `Q${q / 3 + 1} ${y}`,
  };
}

const within = (day: string | undefined, p: { from: string; to: string }) =>
  day !== undefined && day.slice(0, 10) >= p.from && day.slice(0, 10) < p.to;

export function repNumbers(deals: readonly RepDeal[], currency: string, convert: Convert, now: Date): RepNumbers {
  const { month, quarter } = periodsOf(now);
  let openPipeline = 0;
  let openDeals = 0;
  let weightedMonth = 0;
  let weightedQuarter = 0;
  let wonQuarter = 0;
  let wonQuarterDeals = 0;
  let unconvertible = 0;
  for (const d of deals) {
    if (d.stage === 'closedLost') continue;
    if (d.stage === 'closedWon') {
      if (!within(d.closedAt, quarter)) continue;
      const amount = convert(d.amount, d.currency, currency, d.closedAt);
      if (amount === undefined) unconvertible++;
      else {
        wonQuarter += amount;
        wonQuarterDeals++;
      }
      continue;
    }
    const amount = convert(d.amount, d.currency, currency);
    if (amount === undefined) {
      unconvertible++;
      continue;
    }
    openPipeline += amount;
    openDeals++;
    const weighted = Math.round((amount * d.probability) / 100);
    if (within(d.expectedCloseDate, month)) weightedMonth += weighted;
    if (within(d.expectedCloseDate, quarter)) weightedQuarter += weighted;
  }
  return { openPipeline, openDeals, weightedMonth, weightedQuarter, wonQuarter, wonQuarterDeals, unconvertible };
}
