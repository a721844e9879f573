/**
 * Money conversion with dated exchange rates. Pure: the caller passes the rates (exchangeRate
 * records) and the currencies' decimals (currency records); nothing here reads the database.
 *
 * A rate says "one unit of `baseCurrency` is `rate` units of `quoteCurrency` from `effectiveDate`
 * on". A conversion uses the latest rate on or before the money's date, the direct pair or its
 * inverse, else a route through one intermediate currency (the demo only stores USD-based rates,
 * so EUR → GBP goes EUR → USD → GBP).
 */

export interface Rate {
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  readonly rate: number;
  /** ISO date (YYYY-MM-DD). */
  readonly effectiveDate: string;
}

export interface Money {
  /** Integer minor units (cents, pence, yen) of `currency`. */
  readonly amount: number;
  readonly currency: string;
}

export type Conversion =
  | {
      readonly ok: true;
      /** Integer minor units of the target currency. */
      readonly amount: number;
      readonly currency: string;
      /** Units of the target per unit of the source. */
      readonly rate: number;
      /** The oldest effective date among the rates used ('' for the same currency). */
      readonly rateDate: string;
    }
  | { readonly ok: false; readonly currency: string; readonly reason: string };

interface DatedRate {
  readonly date: string;
  /** Target units per source unit, already inverted where needed. */
  readonly rate: number;
}

/** Minor-unit digits from Intl when the currency records do not say (JPY 0, USD 2, BHD 3). */
export function defaultDecimals(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export interface RateBook {
  /** Converts `money` as of `date` (ISO date or date-time; default: the latest rates). */
  convert(money: Money, target: string, date?: string): Conversion;
  decimalsOf(currency: string): number;
}

const pairKey = (from: string, to: string) => `${from}>${to}`;

/** Indexes the rates by pair, each pair's rates sorted by date, for binary search by date. */
export function createRateBook(rates: readonly Rate[], decimals: Readonly<Record<string, number>> = {}): RateBook {
  const pairs = new Map<string, DatedRate[]>();
  const neighbours = new Map<string, Set<string>>();
  const add = (from: string, to: string, entry: DatedRate) => {
    const key = pairKey(from, to);
    const list = pairs.get(key) ?? [];
    list.push(entry);
    pairs.set(key, list);
    const set = neighbours.get(from) ?? new Set<string>();
    set.add(to);
    neighbours.set(from, set);
  };
  for (const r of rates) {
    if (!(r.rate > 0) || r.baseCurrency === r.quoteCurrency) continue;
    add(r.baseCurrency, r.quoteCurrency, { date: r.effectiveDate, rate: r.rate });
    add(r.quoteCurrency, r.baseCurrency, { date: r.effectiveDate, rate: 1 / r.rate });
  }
  // A direct rate stored on the same date as an inverse one wins (stable sort keeps insertion order).
  for (const list of pairs.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const rateOn = (from: string, to: string, day: string): DatedRate | undefined => {
    const list = pairs.get(pairKey(from, to));
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    let found: DatedRate | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const entry = list[mid] as DatedRate;
      if (entry.date <= day) {
        found = entry;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };

  const decimalsOf = (currency: string) => decimals[currency] ?? defaultDecimals(currency);

  const route = (from: string, to: string, day: string): DatedRate | undefined => {
    const direct = rateOn(from, to, day);
    if (direct) return direct;
    for (const via of neighbours.get(from) ?? []) {
      const first = rateOn(from, via, day);
      const second = first && rateOn(via, to, day);
      if (first && second)
        return { rate: first.rate * second.rate, date: [first.date, second.date].sort()[0] as string };
    }
    return undefined;
  };

  return {
    decimalsOf,
    convert(money, target, date) {
      const day = (date ?? '9999-12-31').slice(0, 10);
      const scale = 10 ** (decimalsOf(target) - decimalsOf(money.currency));
      if (money.currency === target) return { ok: true, amount: money.amount, currency: target, rate: 1, rateDate: '' };
      const found = route(money.currency, target, day);
      if (!found) {
        const when = date === undefined ? '' : ` on or before ${day}`;
        return { ok: false, currency: target, reason: `No ${money.currency} → ${target} exchange rate${when}` };
      }
      return {
        ok: true,
        amount: Math.round(money.amount * found.rate * scale),
        currency: target,
        rate: found.rate,
        rateDate: found.date,
      };
    },
  };
}

export interface Total {
  /** Minor units of the target currency over the items that could be converted. */
  readonly amount: number;
  readonly currency: string;
  /** Items left out for want of a rate; the total is then incomplete. */
  readonly missing: number;
}

/** Sums money in mixed currencies into `target`, each item converted as of its own date. */
export function totalIn(book: RateBook, items: readonly (Money & { date?: string })[], target: string): Total {
  let amount = 0;
  let missing = 0;
  for (const item of items) {
    const result = book.convert(item, target, item.date);
    if (result.ok) amount += result.amount;
    else missing++;
  }
  return { amount, currency: target, missing };
}

/** Minor units as a person reads them: "€1,234.50", "¥150,000"; `compact` gives "$1.2M". */
export function formatMoney(amount: number, currency: string, decimals: number, compact = false): string {
  const major = amount / 10 ** decimals;
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      ...(compact
        ? { notation: 'compact', maximumFractionDigits: 1 }
        : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
    }).format(major);
  } catch {
    return `${major.toFixed(decimals)} ${currency}`;
  }
}

/**
 * "1,234.5" or "1234,50" typed by a person → minor units; undefined when it is not an amount.
 * The last "," or "." followed by at most `decimals` digits is the decimal mark. Followed by three,
 * it is one only after the other mark ("1,234.567"), or alone and the locale's `decimalMark`
 * ("1.085" in English): otherwise it groups thousands ("12,500"). (A 3-digit fraction was always
 * read as grouping, so a KWD price of 1.085, shown as "1.085", came back as 1,085 dinars.)
 */
export function parseMoney(text: string, decimals: number, decimalMark = '.'): number | undefined {
  const cleaned = text.replace(/[\s\u00a0'’]/g, '').replace(/^[^\d.,-]+|[^\d.,]+$/g, '');
  if (!/^-?[\d.,]+$/.test(cleaned)) return undefined;
  const mark = Math.max(cleaned.lastIndexOf('.'), cleaned.lastIndexOf(','));
  const fraction = mark >= 0 ? cleaned.slice(mark + 1) : '';
  const markChar = cleaned[mark];
  const other = markChar === '.' ? ',' : '.';
  const threeIsFraction =
    cleaned.includes(other) || (cleaned.indexOf(markChar ?? '') === mark && markChar === decimalMark);
  // A fraction longer than the currency allows is refused below rather than read as another amount.
  const hasFraction = mark >= 0 && (fraction.length === 3 ? threeIsFraction : fraction.length <= Math.max(decimals, 2));
  const whole = (hasFraction ? cleaned.slice(0, mark) : cleaned).replace(/[.,]/g, '');
  const frac = hasFraction ? fraction : '';
  if (frac.length > decimals) return undefined;
  const value = Number(`${whole || '0'}.${frac || '0'}`);
  if (!Number.isFinite(value)) return undefined;
  return Math.round(value * 10 ** decimals);
}
