import { currencyDigits, type ExportCell, isMoney } from './export-cells';
import type { ExportColumn, ExportColumnType } from './export-columns';

/**
 * Layout shared by the desktop writers (main process) and the browser downloads, so a file looks
 * the same whichever wrote it.
 */

/** The narrowest a printed column is, by type, in points at the tables' 7.5 pt. */
const PDF_MIN_WIDTH: Readonly<Record<ExportColumnType, number>> = {
  text: 56,
  number: 40,
  money: 60,
  date: 50,
  datetime: 72,
  boolean: 34,
};
/** The widest a printed column starts out; longer values end in an ellipsis. */
const PDF_MAX_WIDTH = 190;
/** Cell padding (2 pt each side) and a little air. */
const PDF_PADDING = 7;
/** The share of a column's sampled values that fit whole. */
const PDF_FIT_SHARE = 0.9;

/** Columns printed side by side on one page (indexes into the section's columns), and their widths in points. */
export interface PdfColumnGroup {
  readonly columns: readonly number[];
  readonly widths: readonly number[];
}

/**
 * A printed table's columns. Each is as wide as its header and most of its sampled values need,
 * within bounds; if they do not all fit but fit at their least (their header whole), they share the
 * page. Columns that do not fit even so are split into groups printed on successive pages, as a
 * spreadsheet prints a wide sheet: every group starts with the first column, so each printed row
 * still says whose it is, and its other columns widen to fill the page. (Squeezing every column
 * onto one page printed a contact's 29 columns 26 pt wide: "ana.…" for an email.) The split is
 * autoTable's own (`horizontalPageBreak`, first column repeated): a column goes on the page while
 * the room left is at least its width.
 */
export function pdfColumnGroups(
  columns: readonly ExportColumn[],
  sample: readonly (readonly string[])[],
  total: number,
  measure: (text: string, bold: boolean) => number,
): PdfColumnGroup[] {
  // The least a column takes: its type's minimum, and its header whole.
  const least = columns.map((column) =>
    Math.min(PDF_MAX_WIDTH, Math.max(PDF_MIN_WIDTH[column.type], measure(column.header, true) + PDF_PADDING)),
  );
  const natural = columns.map((_, i) => {
    const values = sample.map((row) => measure(row[i] ?? '', false)).sort((a, b) => a - b);
    // The first column says whose each row is: its longest sampled value fits whole.
    const share = i === 0 ? 1 : PDF_FIT_SHARE;
    const typical = values.length === 0 ? 0 : (values[Math.ceil(values.length * share) - 1] ?? 0);
    return Math.min(PDF_MAX_WIDTH, Math.max(least[i] ?? 0, typical + PDF_PADDING));
  });
  const sumOf = (widths: readonly number[]) => widths.reduce((s, w) => s + w, 0);
  const all = columns.map((_, i) => i);
  if (columns.length > 0 && sumOf(natural) > total && sumOf(least) <= total) {
    // Every column fits at its least: one page, the room left shared by what each would still want
    // (ten list columns on one page with long emails shortened beat twice the pages).
    const room = total - 0.5 - sumOf(least);
    const wanting = sumOf(natural) - sumOf(least);
    return [
      {
        columns: all,
        widths: all.map((i) => (least[i] ?? 0) + ((natural[i] ?? 0) - (least[i] ?? 0)) * (room / wanting)),
      },
    ];
  }
  const first = Math.min(natural[0] ?? 0, total / 3);
  const groups: PdfColumnGroup[] = [];
  let i = 1;
  do {
    const members = [0];
    let room = total - first;
    for (; i < columns.length && (members.length === 1 || room >= (natural[i] ?? 0)); i++) {
      members.push(i);
      room -= natural[i] ?? 0;
    }
    const rest = members.slice(1).reduce((sum, c) => sum + (natural[c] ?? 0), 0);
    // Widened to leave half a point, so autoTable's own split (room >= width) ends the group at the same column.
    const scale = rest > 0 ? Math.max(1, (total - first - 0.5) / rest) : 1;
    groups.push({
      columns: columns.length === 0 ? [] : members,
      widths: columns.length === 0 ? [] : members.map((c) => (c === 0 ? first : (natural[c] ?? 0) * scale)),
    });
  } while (i < columns.length);
  const only = groups.length === 1 ? groups[0] : undefined;
  if (only === undefined || only.columns.length === 0) return groups;
  // On one page the first column widens with the others (it is printed once, so autoTable has nothing to split).
  const sum = only.columns.reduce((s, c) => s + (natural[c] ?? 0), 0);
  return [{ columns: only.columns, widths: only.columns.map((c) => ((natural[c] ?? 0) * (total - 0.5)) / sum) }];
}

/**
 * The least width of a spreadsheet column, by type, in characters: what its format shows and one
 * for padding (`2026-12-01 08:22`, `1,234,567.89 EUR`). Excel and LibreOffice show "########" for
 * a date or number wider than its column; a datetime column headed "Created" was 10 wide.
 */
const XLSX_MIN_WIDTH: Readonly<Record<ExportColumnType, number>> = {
  text: 18,
  number: 10,
  money: 17,
  date: 11,
  datetime: 17,
  boolean: 8,
};

/** A spreadsheet column's width in characters: its type's least, or its header whole (up to 40). */
export function xlsxWidth(column: ExportColumn): number {
  return Math.max(XLSX_MIN_WIDTH[column.type], Math.min(40, column.header.length + 2));
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

/**
 * The most characters an Excel cell holds; a longer one makes Excel report the file as damaged
 * (https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3).
 * A note's body may have 50,000, a communication's 100,000: CSV and JSON keep them whole.
 */
export const XLSX_CELL_MAX = 32_767;
const XLSX_CUT_MARK = '… [cut at Excel’s 32,767 characters]';

/** Text cut to what a cell holds, saying so, never between the two halves of an emoji. */
function xlsxText(text: string): string {
  if (text.length <= XLSX_CELL_MAX) return text;
  let end = XLSX_CELL_MAX - XLSX_CUT_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + XLSX_CUT_MARK;
}

/** A typed spreadsheet cell: numbers stay numbers, dates become dates (UTC), money its amount with a currency format. */
export function xlsxCell(column: ExportColumn, cell: ExportCell): XlsxCell {
  if (cell === null) return { value: null };
  if (isMoney(cell)) return { value: cell.amount, numFmt: moneyFormat(cell.currency) };
  if ((column.type === 'date' || column.type === 'datetime') && typeof cell === 'string') {
    const ms = Date.parse(column.type === 'date' ? `${cell}T00:00:00Z` : cell);
    return { value: Number.isNaN(ms) ? cell : new Date(ms) };
  }
  return { value: typeof cell === 'string' ? xlsxText(cell) : cell };
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
