import type { ExportFileCell } from '../ipc/contract';
import type { FieldSpec } from '../schema/field';
import type { ColumnSource, ExportColumn } from './export-columns';

/** An amount of money in major units (12.5 = 12.50) with its ISO currency. */
export interface ExportMoney {
  readonly amount: number;
  readonly currency: string;
}

/**
 * One cell as it crosses to a writer: a string (text, `YYYY-MM-DD` date, ISO datetime), a number,
 * a boolean, money, or null for an empty field. Plain data so it passes IPC and JSON unchanged.
 */
export type ExportCell = ExportFileCell;
export type ExportRow = readonly ExportCell[];

const digitsCache = new Map<string, number>();

/** Minor-unit digits of a currency (2 for USD, 0 for JPY, 3 for KWD), from the platform's ICU data. */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

const enumWordsCache = new Map<string, string>();

/** An enum value in words, as the lists show it (`salesQualified` → `Sales qualified`). */
export function enumWords(value: string): string {
  let words = enumWordsCache.get(value);
  if (words === undefined) {
    const spaced = value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    words = spaced.charAt(0).toUpperCase() + spaced.slice(1);
    // An enum has a handful of values, met on every row of an export; the bound guards against junk.
    if (enumWordsCache.size < 1000) enumWordsCache.set(value, words);
  }
  return words;
}

/** Resolves a reference to a name (a company's, an owner's); undefined leaves the id. */
export type NameLookup = (entity: string | undefined, id: string) => string | undefined;

function textOf(field: FieldSpec, value: unknown, record: Readonly<Record<string, unknown>>, names?: NameLookup) {
  switch (field.type) {
    case 'enum':
      return enumWords(String(value));
    case 'ref': {
      const target = field.ref === '*' ? (record.subjectType as string | undefined) : field.ref;
      return names?.(target, String(value)) ?? String(value);
    }
    case 'tags':
      return Array.isArray(value) ? value.map(String).join(', ') : String(value);
    case 'json':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

type CellReader = (record: Readonly<Record<string, unknown>>, names?: NameLookup) => ExportCell;

/** Reads one column's cell; the column's type and key are looked at once, not per row. */
function readerOf(source: ColumnSource): CellReader {
  const key = source.from ?? source.column.key;
  const custom = key.startsWith('customFields.') ? key.slice('customFields.'.length) : undefined;
  const raw = custom
    ? (record: Readonly<Record<string, unknown>>) =>
        (record.customFields as Record<string, unknown> | undefined)?.[custom]
    : (record: Readonly<Record<string, unknown>>) => record[key];
  const empty = (v: unknown) => v === undefined || v === null || v === '';
  switch (source.column.type) {
    case 'number':
      return (record) => {
        const v = raw(record);
        if (empty(v)) return null;
        const n = Number(v);
        return Number.isFinite(n) ? n : null;
      };
    case 'money': {
      const currencyField = source.field.currencyField ?? '';
      return (record) => {
        const v = raw(record);
        if (empty(v)) return null;
        const currency = String(record[currencyField] ?? 'USD');
        return { amount: Number(v) / 10 ** currencyDigits(currency), currency };
      };
    }
    case 'boolean':
      return (record) => {
        const v = raw(record);
        return empty(v) ? null : v === true || v === 'true';
      };
    case 'date':
      return (record) => {
        const v = raw(record);
        return empty(v) ? null : String(v).slice(0, 10);
      };
    case 'datetime':
      return (record) => {
        const v = raw(record);
        return empty(v) ? null : String(v);
      };
    case 'text': {
      const type = source.field.type;
      if (type === 'string' || type === 'email' || type === 'phone' || type === 'url' || type === 'text') {
        return (record) => {
          const v = raw(record);
          return empty(v) ? null : String(v);
        };
      }
      return (record, names) => {
        const v = raw(record);
        return empty(v) ? null : textOf(source.field, v, record, names);
      };
    }
  }
}

/** The cell of one column for one record, typed for the writers. */
export function exportCell(
  source: ColumnSource,
  record: Readonly<Record<string, unknown>>,
  names?: NameLookup,
): ExportCell {
  return readerOf(source)(record, names);
}

const readerCache = new WeakMap<readonly ColumnSource[], CellReader[]>();

/** A record as a row of cells; the readers of a column list are built once and reused for every row. */
export function exportRow(
  sources: readonly ColumnSource[],
  record: Readonly<Record<string, unknown>>,
  names?: NameLookup,
): ExportCell[] {
  let readers = readerCache.get(sources);
  if (!readers) {
    readers = sources.map(readerOf);
    readerCache.set(sources, readers);
  }
  const row = new Array<ExportCell>(readers.length);
  for (let i = 0; i < readers.length; i++) row[i] = (readers[i] as CellReader)(record, names);
  return row;
}

export function isMoney(cell: ExportCell): cell is ExportMoney {
  return typeof cell === 'object' && cell !== null;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Money as a person reads it, e.g. `$1,234.50`, `€12.00`. */
export function formatMoney(money: ExportMoney): string {
  let format = moneyFormats.get(money.currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency: money.currency });
    } catch {
      format = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(money.currency, format);
  }
  return format.format(money.amount);
}

/** A cell as printed text (PDF): money in its currency, times in UTC to the minute, Yes/No. */
export function cellText(column: ExportColumn, cell: ExportCell): string {
  if (cell === null) return '';
  if (isMoney(cell)) return formatMoney(cell);
  if (typeof cell === 'boolean') return cell ? 'Yes' : 'No';
  if (column.type === 'datetime' && typeof cell === 'string') return `${cell.slice(0, 10)} ${cell.slice(11, 16)}`;
  if (typeof cell === 'number') return cell.toLocaleString('en-US', { maximumFractionDigits: 6 });
  return cell;
}

/**
 * Text a spreadsheet would run as a formula when it opens the CSV (`=HYPERLINK(…)`, `+1+cmd|…`,
 * `@SUM(…)`, a leading tab or line break) gets a leading `'`, which makes it text (OWASP,
 * https://owasp.org/www-community/attacks/CSV_Injection). Only text: a negative number cell stays
 * a number. Not papaparse's `escapeFormulae`: its `/^[=+\-@\t\r].*$/` has no `s` flag, so a
 * multi-line note starting with `=` is not escaped (papaparse 5.7.1).
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;
/**
 * A phone number or signed figure (`+34 600 123 456`, `-1 (555) 010-0100`) is left whole: with no
 * letter, `=`, `@`, `|` or `!` it can name no function, cell or DDE target, and the quote would keep
 * the exported phone numbers from importing again ("must be a valid phone number").
 */
const SIGNED_FIGURE = /^[+-][\d ()./-]*\d[\d ()./-]*$/;

export function csvText(text: string): string {
  return FORMULA_START.test(text) && !SIGNED_FIGURE.test(text) ? `'${text}` : text;
}

/**
 * CSV keeps values machine-readable: a money column becomes two, the amount as a plain number and
 * its currency code; dates stay ISO; booleans true/false.
 */
export function csvHeader(columns: readonly ExportColumn[]): string[] {
  return columns.flatMap((c) =>
    c.type === 'money' ? [csvText(c.header), csvText(`${c.header} currency`)] : [csvText(c.header)],
  );
}

export function csvRow(columns: readonly ExportColumn[], row: ExportRow): (string | number | boolean)[] {
  const out: (string | number | boolean)[] = [];
  for (let i = 0; i < columns.length; i++) {
    const cell = row[i] ?? null;
    if ((columns[i] as ExportColumn).type === 'money') {
      if (isMoney(cell)) out.push(cell.amount, cell.currency);
      else out.push('', '');
    } else if (typeof cell === 'string') out.push(csvText(cell));
    else out.push(cell === null || isMoney(cell) ? '' : cell);
  }
  return out;
}

/** JSON rows are objects keyed by column, money as `{ amount, currency }`. */
export function jsonRecord(columns: readonly ExportColumn[], row: ExportRow): Record<string, ExportCell> {
  const out: Record<string, ExportCell> = {};
  columns.forEach((column, i) => {
    out[column.key] = row[i] ?? null;
  });
  return out;
}
