import { currencyDigits, type ExportCell, isMoney } from './export-cells';
import type { ExportColumn, ExportColumnType } from './export-columns';

/**
 * Layout shared by the desktop writers (main process) and the browser downloads, so a file looks
 * the same whichever wrote it.
 */

/** Relative widths of PDF columns and XLSX character widths, by type. */
const WEIGHT: Readonly<Record<ExportColumnType, number>> = {
  text: 1.6,
  number: 0.8,
  money: 1.1,
  date: 0.9,
  datetime: 1.2,
  boolean: 0.6,
};

/** Column widths that fill `total` points, in proportion to each column's type. */
export function columnWidths(columns: readonly ExportColumn[], total: number): number[] {
  const sum = columns.reduce((s, c) => s + WEIGHT[c.type], 0);
  return columns.map((c) => (total * WEIGHT[c.type]) / sum);
}

/** A spreadsheet column's width in characters. */
export function xlsxWidth(column: ExportColumn): number {
  return Math.max(10, Math.min(40, Math.round(WEIGHT[column.type] * 12), column.header.length + 2));
}

const DATE_FORMAT = 'yyyy-mm-dd';
const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm';

const moneyFormats = new Map<string, string>();

/** The number format of a money cell: the amount with its currency's digits and code, `#,##0.00 "EUR"`. */
export function moneyFormat(currency: string): string {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    const digits = currencyDigits(currency);
    format = `#,##0${digits > 0 ? `.${'0'.repeat(digits)}` : ''} "${currency}"`;
    // Currencies are few; the bound only guards against a file of junk codes growing the map.
    if (moneyFormats.size < 1000) moneyFormats.set(currency, format);
  }
  return format;
}

/** The column-wide number format (money's depends on each row's currency, see `xlsxCell`). */
export function xlsxColumnFormat(column: ExportColumn): string | undefined {
  if (column.type === 'date') return DATE_FORMAT;
  if (column.type === 'datetime') return DATETIME_FORMAT;
  return undefined;
}

export interface XlsxCell {
  readonly value: string | number | boolean | Date | null;
  /** The cell's own number format, for money. */
  readonly numFmt?: string;
}

/** A typed spreadsheet cell: numbers stay numbers, dates become dates (UTC), money its amount with a currency format. */
export function xlsxCell(column: ExportColumn, cell: ExportCell): XlsxCell {
  if (cell === null) return { value: null };
  if (isMoney(cell)) return { value: cell.amount, numFmt: moneyFormat(cell.currency) };
  if ((column.type === 'date' || column.type === 'datetime') && typeof cell === 'string') {
    const ms = Date.parse(column.type === 'date' ? `${cell}T00:00:00Z` : cell);
    return { value: Number.isNaN(ms) ? cell : new Date(ms) };
  }
  return { value: cell };
}

/** A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in the workbook. */
export function sheetName(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 27)} (${n})`;
  return candidate;
}

/** The box a picture is printed in: its aspect ratio kept, no wider than `maxWidth` nor taller than `maxHeight`. */
export function imageBox(
  image: { readonly width: number; readonly height: number },
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number } {
  const scale = Math.min(maxWidth / image.width, maxHeight / image.height);
  return { width: image.width * scale, height: image.height * scale };
}
