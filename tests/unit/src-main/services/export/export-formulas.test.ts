import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportService, type ExportService } from '../../../../../src-main/services/export/export-service';
import { xlsxBytes } from '../../../../../src-renderer/features/exports/browser-xlsx';
import type { ExportCell } from '../../../../../src-shared/export/export-cells';
import type { ExportColumn } from '../../../../../src-shared/export/export-columns';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';

// A contact whose name or note starts like a formula, exported by the desktop writers (the CLI
// uses the same ones) and read back as a spreadsheet would see it.

const COLUMNS: ExportColumn[] = [
  { key: 'name', header: 'Name', type: 'text' },
  { key: 'balance', header: 'Balance', type: 'number' },
  { key: 'note', header: 'Note', type: 'text' },
];
const EVIL = '=HYPERLINK("http://evil","x")';
const ROWS: ExportCell[][] = [
  [EVIL, -12.5, '@SUM(A1:A9)\nsecond line'],
  ['Zoë Ñúñez', 3, '-40 at the door'],
];

let dir: string;
let service: ExportService;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-formulas-'));
  service = createExportService({ chooseFile: async (format) => join(dir, `contacts.${format}`) });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exportRows(format: 'csv' | 'xlsx'): Promise<string> {
  const meta: ExportMeta = {
    format,
    title: 'Contacts',
    entity: 'contact',
    filters: [],
    asOf: null,
    exportedAt: '2026-03-10T09:00:00.000Z',
    sections: [{ name: 'Contacts', columns: COLUMNS }],
  };
  const path = (await service.chooseFile(format, `contacts.${format}`)) as string;
  const { exportId } = await service.begin(path, meta);
  await service.append(exportId, { section: 0, rows: ROWS });
  await service.finish(exportId);
  return path;
}

describe('formula-like text in exports', () => {
  it('CSV: text cells that start like a formula begin with a quote; a negative number stays a number', async () => {
    const text = await readFile(await exportRows('csv'), 'utf8');
    expect(parse(text, { bom: true, columns: true })).toEqual([
      { Name: `'${EVIL}`, Balance: '-12.5', Note: "'@SUM(A1:A9)\nsecond line" },
      { Name: 'Zoë Ñúñez', Balance: '3', Note: "'-40 at the door" },
    ]);
    // Unquoted, so a spreadsheet reads it as the number it is.
    expect(text).toContain(',-12.5,');
  });

  it('XLSX: such text is stored as a string cell, never a formula; numbers stay numbers', async () => {
    const book = new ExcelJS.Workbook();
    const bytes = await readFile(await exportRows('xlsx'));
    // exceljs types load()'s argument as an ArrayBuffer-backed Buffer; a file's bytes as an ArrayBuffer.
    await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = book.getWorksheet('Contacts') as ExcelJS.Worksheet;
    const name = sheet.getCell('A2');
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.value).toBe(EVIL);
    expect(name.formula).toBeUndefined();
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('B2').value).toBe(-12.5);
    // The sheet's XML holds the text as an inline string, with no <f> (formula) element anywhere.
    const xml = await sheetXml(await readFile(join(dir, 'contacts.xlsx')));
    expect(xml).not.toContain('<f>');
    expect(xml).toContain('<c r="A2" t="str"><v>=HYPERLINK(');
  });

  it('XLSX built in the page (browser download): the same text is a string cell too', async () => {
    const meta: ExportMeta = {
      format: 'xlsx',
      title: 'Contacts',
      entity: 'contact',
      filters: [],
      asOf: null,
      exportedAt: '2026-03-10T09:00:00.000Z',
      sections: [{ name: 'Contacts', columns: COLUMNS }],
    };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsxBytes(meta, [{ section: 0, rows: ROWS }]));
    const cell = (book.getWorksheet('Contacts') as ExcelJS.Worksheet).getCell('A2');
    expect([cell.type, cell.value, cell.formula]).toEqual([ExcelJS.ValueType.String, EVIL, undefined]);
  });
});

async function sheetXml(bytes: Buffer): Promise<string> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(bytes);
  return (await zip.file('xl/worksheets/sheet1.xml')?.async('string')) ?? '';
}
