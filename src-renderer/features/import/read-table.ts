import Papa from 'papaparse';
import type { ImportTable } from '../../../src-shared/import/import-plan';

/**
 * A file → header row (also the CLI import's reader, scripts/cli/import.command.ts) and text cells. CSV through papaparse (RFC 4180: quotes, embedded newlines,
 * CRLF, a UTF-8 BOM); XLSX through exceljs (already the export library, loaded only when an XLSX is
 * chosen), first worksheet, cells as the text a user sees: dates as YYYY-MM-DD, formulas as their
 * result. Blank rows inside the file stay (they keep the spreadsheet's row numbers); trailing ones go.
 */

function trimTable(rows: string[][]): ImportTable {
  while (rows.length > 0 && (rows[rows.length - 1] ?? []).every((c) => c.trim() === '')) rows.pop();
  const [headers = [], ...body] = rows;
  return { headers: headers.map((h) => h.trim()), rows: body };
}

export function parseCsvText(text: string): ImportTable {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  return trimTable(result.data.map((row) => row.map((cell) => String(cell ?? ''))));
}

function pad(n: number) {
  return String(n).padStart(2, '0');
}

/** exceljs cell value → text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const midnight = value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() === 0;
    return midnight ? date : value.toISOString();
  }
  if (typeof value === 'object') {
    const v = value as { result?: unknown; text?: unknown; richText?: { text: string }[]; error?: string };
    if ('result' in v) return cellText(v.result);
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return '';
  }
  return String(value);
}

export async function parseXlsx(data: ArrayBuffer): Promise<ImportTable> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { headers: [], rows: [] };
  const width = sheet.columnCount;
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    rows.push(Array.from({ length: width }, (_, c) => cellText(row.getCell(c + 1).value)));
  }
  return trimTable(rows);
}

export const isXlsxName = (name: string) => /\.xlsx$/i.test(name);

export async function readImportFile(file: File): Promise<ImportTable> {
  return isXlsxName(file.name) ? parseXlsx(await file.arrayBuffer()) : parseCsvText(await file.text());
}
