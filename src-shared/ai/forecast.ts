/**
 * The sales forecast: open deals' amounts by expected close month (or owner, or team), converted
 * into one currency, in the usual categories:
 * - commit: deals the owner commits to (forecast category 'commit', or in negotiation), plus what
 *   is already won in the period;
 * - best case: commit plus the 'bestCase' deals;
 * - pipeline: every open deal;
 * - weighted: each open deal's amount times its win probability (the model's where there is one).
 * Its accuracy is measured on closed months: what the weighted forecast said a set number of days
 * before each deal closed, against what was won.
 */

export interface ForecastDeal {
  readonly id: string;
  readonly ownerId: string;
  readonly stage: string;
  /** Minor units of `currency`. */
  readonly amount: number;
  readonly currency: string;
  /** 0–100 as stored on the deal. */
  readonly probability: number;
  readonly forecastCategory?: string;
  readonly expectedCloseDate?: string;
  readonly closedAt?: string;
}

/** Converts minor units of one currency into minor units of `target` as of a date; undefined: no rate. */
export type Convert = (amount: number, currency: string, target: string, date?: string) => number | undefined;

export type ForecastGroup = 'month' | 'owner' | 'team';

export interface ForecastRow {
  readonly key: string;
  readonly commit: number;
  readonly bestCase: number;
  readonly pipeline: number;
  readonly weighted: number;
  readonly won: number;
  readonly deals: number;
}

export interface Forecast {
  readonly currency: string;
  readonly rows: readonly ForecastRow[];
  /** Deals left out because their amount could not be converted, by currency. */
  readonly unconverted: Readonly<Record<string, number>>;
}

export interface ForecastOptions {
  readonly currency: string;
  readonly convert: Convert;
  readonly groupBy: ForecastGroup;
  /** A user's team (group) name, for groupBy 'team'. */
  readonly teamOf?: (ownerId: string) => string | undefined;
  /** A better probability (0–1) than the stored one, e.g. the deal model's. */
  readonly probabilityOf?: (deal: ForecastDeal) => number | undefined;
  /** Only deals closing (expected or actual) within [from, to) (ISO dates). */
  readonly from?: string;
  readonly to?: string;
}

const OPEN = (stage: string) => stage !== 'closedWon' && stage !== 'closedLost';
const monthOf = (iso: string | undefined) => (iso ? iso.slice(0, 7) : 'no date');

function keyOf(deal: ForecastDeal, options: ForecastOptions): string {
  switch (options.groupBy) {
    case 'month':
      return monthOf(OPEN(deal.stage) ? deal.expectedCloseDate : deal.closedAt);
    case 'owner':
      return deal.ownerId;
    case 'team':
      return options.teamOf?.(deal.ownerId) ?? 'no team';
  }
}

export function forecast(deals: readonly ForecastDeal[], options: ForecastOptions): Forecast {
  const rows = new Map<
    string,
    { commit: number; bestCase: number; pipeline: number; weighted: number; won: number; deals: number }
  >();
  const unconverted: Record<string, number> = {};
  for (const deal of deals) {
    if (deal.stage === 'closedLost') continue;
    const when = OPEN(deal.stage) ? deal.expectedCloseDate : deal.closedAt?.slice(0, 10);
    if (options.from && (!when || when < options.from)) continue;
    if (options.to && (!when || when >= options.to)) continue;
    const amount = options.convert(deal.amount, deal.currency, options.currency, when);
    if (amount === undefined) {
      unconverted[deal.currency] = (unconverted[deal.currency] ?? 0) + 1;
      continue;
    }
    const key = keyOf(deal, options);
    const row = rows.get(key) ?? { commit: 0, bestCase: 0, pipeline: 0, weighted: 0, won: 0, deals: 0 };
    row.deals++;
    if (deal.stage === 'closedWon') {
      row.won += amount;
      row.commit += amount;
      row.bestCase += amount;
    } else {
      const committed =
        deal.forecastCategory === 'commit' || (deal.forecastCategory === undefined && deal.stage === 'negotiation');
      const p = options.probabilityOf?.(deal) ?? deal.probability / 100;
      row.pipeline += amount;
      row.weighted += Math.round(amount * p);
      if (committed) row.commit += amount;
      if (committed || deal.forecastCategory === 'bestCase') row.bestCase += amount;
    }
    rows.set(key, row);
  }
  return {
    currency: options.currency,
    rows: [...rows].map(([key, r]) => ({ key, ...r })).sort((a, b) => a.key.localeCompare(b.key)),
    unconverted,
  };
}

export interface ClosedDealHistory {
  readonly deal: ForecastDeal;
  /** The deal's stage moves, oldest first. */
  readonly moves: readonly { readonly toStage: string; readonly changedAt: string }[];
}

export interface MonthAccuracy {
  readonly month: string;
  /** Σ amount × probability, each deal as it stood `leadDays` before it closed. */
  readonly forecast: number;
  readonly won: number;
  /** |forecast − won| / won; undefined when nothing was won. */
  readonly error?: number;
}

/**
 * The weighted forecast's accuracy on closed deals: per month of closing, the sum over the month's
 * closed deals of amount × the win probability of the stage each was in `leadDays` before it closed
 * (or `probabilityAt`, e.g. the model's), against the amounts won.
 */
export function forecastAccuracy(
  history: readonly ClosedDealHistory[],
  options: {
    currency: string;
    convert: Convert;
    leadDays?: number;
    probabilityAt: (stage: string, deal: ForecastDeal) => number;
  },
): { months: MonthAccuracy[]; meanAbsoluteError?: number } {
  const leadMs = (options.leadDays ?? 30) * 86_400_000;
  const months = new Map<string, { forecast: number; won: number }>();
  for (const { deal, moves } of history) {
    if (!deal.closedAt || OPEN(deal.stage)) continue;
    const closed = Date.parse(deal.closedAt);
    const asOf = closed - leadMs;
    const stageThen = [...moves].filter((m) => Date.parse(m.changedAt) <= asOf).at(-1)?.toStage;
    const amount = options.convert(deal.amount, deal.currency, options.currency, deal.closedAt.slice(0, 10));
    if (amount === undefined) continue;
    const month = monthOf(deal.closedAt);
    const row = months.get(month) ?? { forecast: 0, won: 0 };
    if (stageThen !== undefined && OPEN(stageThen)) row.forecast += amount * options.probabilityAt(stageThen, deal);
    if (deal.stage === 'closedWon') row.won += amount;
    months.set(month, row);
  }
  const result = [...months]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([month, r]) => ({
      month,
      forecast: Math.round(r.forecast),
      won: r.won,
      ...(r.won > 0 ? { error: Math.abs(r.forecast - r.won) / r.won } : {}),
    }));
  const errors = result.flatMap((m) => (m.error === undefined ? [] : [m.error]));
  return {
    months: result,
    ...(errors.length > 0 ? { meanAbsoluteError: errors.reduce((a, b) => a + b, 0) / errors.length } : {}),
  };
}
