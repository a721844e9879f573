import { forecastAccuracy } from '../../src-shared/ai/forecast';
import { closedDealHistory, stageProbability } from '../../src-shared/ai/forecast-history';
import type { DemoCurrency } from '../../src-shared/demo/demo-geo';
import { CURRENCIES, convertFromUsd } from '../../src-shared/demo/demo-money';
import { type DemoSize, generateDemoData } from '../../src-shared/demo/generate-demo-data';
import { emit, round } from './bench-support';

export const benchId = 'AI-forecast';

/**
 * The weighted forecast's accuracy on closed months of a generated data set (forecastAccuracy, the
 * figure the Forecast dialog shows): per month of closing, Σ amount × the stage probability each
 * deal had `LEAD_DAYS` before it closed, against what was won; `value` is the mean absolute
 * percentage error over the months (MAPE, lower is better), `total_error` the error of the whole
 * period's sum; `baseline` the same with one flat probability for every deal (the win rate).
 * In US cents at the demo's nominal rates. AI_SIZE=small for a quick run.
 */
const LEAD_DAYS = 30;

function toUsd(amount: number, currency: string): number | undefined {
  if (currency === 'USD') return amount;
  if (!CURRENCIES.some((c) => c.code === currency)) return undefined;
  const perMillion = convertFromUsd(1_000_000, currency as DemoCurrency);
  return perMillion > 0 ? Math.round((amount * 1_000_000) / perMillion) : undefined;
}

export async function run(): Promise<void> {
  const size = (process.env.AI_SIZE ?? '100k') as DemoSize;
  const started = performance.now();
  const deals: Record<string, unknown>[] = [];
  const moves: Record<string, unknown>[] = [];
  for (const batch of generateDemoData({ size, seed: 42, batchSize: 5000 })) {
    if (batch.entity === 'deal') deals.push(...batch.records);
    else if (batch.entity === 'dealStageHistory') moves.push(...batch.records);
    else if (batch.entity === 'communication') break;
  }
  const history = closedDealHistory(deals, moves);
  const measure = (probabilityAt: (stage: string) => number) =>
    forecastAccuracy(history, {
      currency: 'USD',
      convert: (amount, currency, target) => (target === 'USD' ? toUsd(amount, currency) : undefined),
      leadDays: LEAD_DAYS,
      probabilityAt,
    });
  const accuracy = measure(stageProbability);
  // Baseline: one flat probability for every open deal, the period's win rate (known only afterwards,
  // so a generous baseline).
  const winRate = history.filter((h) => h.deal.stage === 'closedWon').length / Math.max(1, history.length);
  const flat = measure(() => winRate);
  if (accuracy.meanAbsoluteError === undefined) throw new Error(`AI-forecast: no closed month with wins (${size})`);
  const forecastSum = accuracy.months.reduce((s, m) => s + m.forecast, 0);
  const wonSum = accuracy.months.reduce((s, m) => s + m.won, 0);
  const errors = accuracy.months.flatMap((m) => (m.error === undefined ? [] : [m.error])).sort((a, b) => a - b);
  emit({
    bench: 'AI-forecast',
    value: round(accuracy.meanAbsoluteError, 4),
    unit: 'mape',
    baseline: round(flat.meanAbsoluteError ?? Number.NaN, 4),
    ratio: round(accuracy.meanAbsoluteError / (flat.meanAbsoluteError ?? Number.NaN), 3),
    win_rate: round(winRate, 4),
    median_error: errors.length > 0 ? round(errors[Math.floor(errors.length / 2)] ?? 0, 4) : null,
    total_error: wonSum > 0 ? round(Math.abs(forecastSum - wonSum) / wonSum, 4) : null,
    months: accuracy.months.length,
    months_scored: errors.length,
    closed_deals: history.length,
    lead_days: LEAD_DAYS,
    probability: 'stage',
    size,
    total_ms: Math.round(performance.now() - started),
  });
}
