import type { FieldSpec } from '../schema/field';

/**
 * One cell of an imported file → the value the registry stores for a field, or a problem that
 * says what is wrong in words a user can act on. Pure and synchronous so that it runs the same in
 * the browser, in Node and in a benchmark loop over 50k rows.
 */

export type Converted = { ok: true; value: unknown } | { ok: false; problem: string };

export interface ConvertContext {
  /** ISO code of the record's currency, for money in major units → minor units. */
  currency?: string;
  /** How to read an ambiguous 03/04/2026: month first (US, the default) or day first. */
  dateOrder?: 'mdy' | 'dmy';
}

/** Minor-unit digits per ISO 4217 code where they are not 2. */
const CURRENCY_DECIMALS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  HUF: 2,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export const currencyDecimals = (code: string | undefined): number =>
  code === undefined ? 2 : (CURRENCY_DECIMALS[code.toUpperCase()] ?? 2);

const ok = (value: unknown): Converted => ({ ok: true, value });
const bad = (problem: string): Converted => ({ ok: false, problem });

/** Lower case letters and digits only: "Closed Won", "closed_won" and "closedWon" are one key. */
export const looseKey = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** "1,234.50", "$1 234.5", "(12)" → a number; undefined when the text is not one. */
export function parseNumber(raw: string): number | undefined {
  let text = raw.trim().replace(/[$€£¥\s\u00a0']/g, '');
  text = text.replace(/^[A-Z]{3}(?=[-\d.(])/i, '').replace(/(?<=\d)[A-Z]{3}$/i, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  // "1.234,56" (comma decimal) when the last separator is a comma followed by 1–2 digits.
  if (/^-?\d{1,3}(\.\d{3})*,\d{1,2}$/.test(text)) text = text.replace(/\./g, '').replace(',', '.');
  else text = text.replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? (negative ? -value : value) : undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) - (Number(y) > 69 ? 100 : 0) : Number(y));

/**
 * A calendar date in the spellings spreadsheets and CRMs export: 2026-01-31, 2026/1/31,
 * 31.01.2026, 1/31/2026 (or 31/1/2026 with dateOrder 'dmy'), 31 Jan 2026, Jan 31, 2026, and an
 * ISO date-time (its date part). Undefined when it is none of these or not a real day.
 */
export function parseDate(raw: string, order: 'mdy' | 'dmy' = 'mdy'): string | undefined {
  const text = raw.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(text);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(text);
  if (m) return isoDate(fullYear(m[3] ?? ''), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/.exec(text);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const dayFirst = order === 'dmy' ? b <= 12 || a > 12 : a > 12;
    return isoDate(fullYear(m[3] ?? ''), dayFirst ? b : a, dayFirst ? a : b);
  }
  m = /^(\d{1,2})[ -]([a-z]{3})[a-z]*\.?[ -](\d{4})$/i.exec(text);
  if (m) return monthDate(m[3], m[2], m[1]);
  m = /^([a-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})$/i.exec(text);
  if (m) return monthDate(m[3], m[1], m[2]);
  return undefined;
}

function monthDate(year = '', month = '', day = ''): string | undefined {
  const index = MONTHS.indexOf(month.toLowerCase());
  return index < 0 ? undefined : isoDate(Number(year), index + 1, Number(day));
}

/** An instant: an ISO date-time with or without offset (UTC when none), or a date (its midnight UTC). */
export function parseDateTime(raw: string, order: 'mdy' | 'dmy' = 'mdy'): string | undefined {
  const text = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
    const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
    const ms = Date.parse(withZone.replace(' ', 'T'));
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const date = parseDate(text, order);
  return date === undefined ? undefined : `${date}T00:00:00.000Z`;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'x', 'on', 'checked']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off', 'unchecked']);

/** Enum values by value or by their words, case- and punctuation-insensitive ("Closed won" → closedWon). */
function enumValue(field: FieldSpec, raw: string, aliases?: Readonly<Record<string, string>>): Converted {
  const key = looseKey(raw);
  const alias = aliases?.[key];
  // An alias names a value of this field only (one map serves several enum fields of a row).
  if (alias !== undefined && (field.values ?? []).includes(alias)) return ok(alias);
  const value = (field.values ?? []).find((v) => looseKey(v) === key);
  if (value !== undefined) return ok(value);
  return bad(`"${raw}" is not one of ${(field.values ?? []).join(', ')}`);
}

function numberValue(field: FieldSpec, raw: string, context: ConvertContext): Converted {
  const text = field.type === 'percent' ? raw.replace(/%\s*$/, '') : raw;
  const n = parseNumber(text);
  if (n === undefined) return bad(`"${raw}" is not a number`);
  if (field.type === 'money') {
    const decimals = currencyDecimals(context.currency);
    // Rounded in decimal text, not binary: 0.29 * 100 would be 28.999999999999996.
    return ok(Math.round(Number(`${n}e${decimals}`)));
  }
  if (field.type === 'integer' && !Number.isInteger(n)) return bad(`"${raw}" is not a whole number`);
  return ok(n);
}

export interface ConvertOptions extends ConvertContext {
  /** Extra spellings of enum values, keyed by looseKey of the spelling. */
  enumAliases?: Readonly<Record<string, string>>;
}

/**
 * The stored value of a non-empty cell for a field. Empty cells are the caller's business (they
 * leave the field unset). Refs are resolved by the import plan, not here.
 */
export function convertValue(field: FieldSpec, raw: string, options: ConvertOptions = {}): Converted {
  const text = raw.trim();
  switch (field.type) {
    case 'string':
    case 'text':
    case 'phone':
    case 'ref':
      return ok(text);
    case 'email':
      // The registry's check is stricter; this catches the obvious ones in the preview already.
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)
        ? ok(text.toLowerCase())
        : bad(`"${raw.trim()}" is not an email address`);
    case 'url':
      return ok(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
    case 'currency':
      return /^[a-z]{3}$/i.test(text) ? ok(text.toUpperCase()) : bad(`"${raw}" is not a 3-letter currency code`);
    case 'enum':
      return enumValue(field, text, options.enumAliases);
    case 'integer':
    case 'number':
    case 'percent':
    case 'money':
      return numberValue(field, text, options);
    case 'boolean': {
      const key = text.toLowerCase();
      if (TRUE.has(key)) return ok(true);
      if (FALSE.has(key)) return ok(false);
      return bad(`"${raw}" is not yes/no or true/false`);
    }
    case 'date': {
      const date = parseDate(text, options.dateOrder);
      return date === undefined ? bad(`"${raw}" is not a date (use 2026-01-31)`) : ok(date);
    }
    case 'datetime': {
      const time = parseDateTime(text, options.dateOrder);
      return time === undefined ? bad(`"${raw}" is not a date and time (use 2026-01-31T09:30Z)`) : ok(time);
    }
    case 'tags': {
      const tags = [
        ...new Set(
          text
            .split(/[;,|]/)
            .map((t) => t.trim())
            .filter((t) => t.length > 0),
        ),
      ];
      return ok(tags);
    }
    case 'json':
      try {
        return ok(JSON.parse(text));
      } catch {
        return bad('is not valid JSON');
      }
  }
}
