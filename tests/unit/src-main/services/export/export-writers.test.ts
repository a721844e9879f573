import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { createExportService, type ExportService } from '../../../../../src-main/services/export/export-service';
import type { ExportFormat } from '../../../../../src-shared/export/export-columns';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';
import { fixtureMeta, fixtureRow } from './export-fixture';

// Each format is read back with a reader that shares no code with its writer: csv-parse (not
// papaparse), SheetJS (not exceljs), poppler's pdftotext (not pdfkit), JSON.parse.

let dir: string;
let service: ExportService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-'));
  service = createExportService({
    chooseFile: async (format, name) => join(dir, name.replace(/\.\w+$/, `.${format}`)),
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exportRows(meta: ExportMeta, counts: number[], chunk = 1000): Promise<string> {
  const path = await service.chooseFile(meta.format, `deals.${meta.format}`);
  if (!path) throw new Error('no path');
  const { exportId } = await service.begin(path, meta);
  for (const [section, count] of counts.entries()) {
    for (let start = 0; start < count; start += chunk) {
      const rows = Array.from({ length: Math.min(chunk, count - start) }, (_, k) => fixtureRow(start + k));
      await service.append(exportId, { section, rows });
    }
  }
  const done = await service.finish(exportId);
  expect(done).toEqual({ path, rows: counts.reduce((a, b) => a + b, 0) });
  return path;
}

describe('CSV export', () => {
  it('writes a header and every row, money as amount and currency, read back by csv-parse', async () => {
    const path = await exportRows(fixtureMeta('csv'), [2500]);
    const records = parse(await readFile(path), { bom: true, columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
    expect(records).toHaveLength(2500);
    expect(Object.keys(records[0] ?? {})).toEqual([
      'Name',
      'Amount',
      'Amount currency',
      'Probability',
      'Close date',
      'Updated',
      'Won',
      'Sales region',
    ]);
    expect(records[4]).toEqual({
      Name: 'Deal 4, "phase" 0',
      Amount: '1004.25',
      'Amount currency': 'EUR',
      Probability: '1',
      'Close date': '2026-05-15',
      Updated: '2026-03-05T10:04:00.000Z',
      Won: 'true',
      'Sales region': 'Région 4',
    });
    expect(records[9]).toMatchObject({ Amount: '', 'Amount currency': '', 'Close date': '', Won: 'false' });
    expect(records[2499]?.Name).toBe('Deal 2499, "phase" 3');
  });
});

describe('XLSX export', () => {
  it('types its cells, freezes the header and adds a sheet per section, read back by SheetJS', async () => {
    const path = await exportRows(fixtureMeta('xlsx', ['Open', 'Won']), [1200, 30]);
    const buffer = await readFile(path);
    const book = XLSX.read(buffer, { cellDates: true, cellNF: true });
    expect(book.SheetNames).toEqual(['Open', 'Won', 'About this export']);
    const sheet = book.Sheets.Open as XLSX.WorkSheet;
    expect(XLSX.utils.decode_range(sheet['!ref'] ?? '').e.r).toBe(1200);
    expect(sheet.A1?.v).toBe('Name');
    expect(sheet.B1?.v).toBe('Amount');
    // Row 5 of the data (i = 4): EUR money, number, date, datetime, boolean.
    expect(sheet.A6).toMatchObject({ t: 's', v: 'Deal 4, "phase" 0' });
    expect(sheet.B6).toMatchObject({ t: 'n', v: 1004.25 });
    expect(sheet.B6?.z).toBe('#,##0.00 "EUR"');
    expect(sheet.B7?.z).toBe('#,##0 "JPY"');
    expect(sheet.C6).toMatchObject({ t: 'n', v: 1 });
    expect(sheet.D6?.t).toBe('d');
    expect(sheet.D6?.v).toEqual(new Date('2026-05-15T00:00:00.000Z'));
    expect(sheet.D6?.z).toBe('yyyy-mm-dd');
    expect(sheet.E6?.v).toEqual(new Date('2026-03-05T10:04:00.000Z'));
    expect(sheet.F6).toMatchObject({ t: 'b', v: true });
    expect(sheet.B11).toBeUndefined();
    const won = book.Sheets.Won as XLSX.WorkSheet;
    expect(XLSX.utils.decode_range(won['!ref'] ?? '').e.r).toBe(30);
    const about = XLSX.utils.sheet_to_json<string[]>(book.Sheets['About this export'] as XLSX.WorkSheet, { header: 1 });
    expect(about).toContainEqual(['Title', 'Open deals']);
    expect(about).toContainEqual(['Filters', 'Stage: Proposal; Owner: Rita Rep']);
    // The frozen header, as the sheet's XML declares it (SheetJS does not surface panes).
    const zip = XLSX.CFB.read(buffer, { type: 'buffer' });
    const entry = XLSX.CFB.find(zip, '/xl/worksheets/sheet1.xml');
    const sheetXml = Buffer.from(entry?.content ?? []).toString('utf8');
    expect(sheetXml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
  });
});

describe('XLSX cell formats', () => {
  // The writer hands exceljs one shared style object per column (and per currency) instead of a
  // fresh one per cell; each cell must still get its own column's or currency's format.
  it('keeps every cell’s format across chunks and sections, and odd cells keep their value', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => fixtureRow(i));
    // Bad input: an unknown currency, text in number and date columns, a number in a datetime
    // column, money in a text column.
    rows[3] = [
      'x',
      { amount: 1, currency: 'XXX' },
      'text',
      'not a date',
      45000.5,
      null,
      { amount: 2, currency: 'EUR' },
    ];
    rows[5] = ['y', { amount: 3.5, currency: 'KWD' }, null, 45000, 'garbage', true, null];
    const path = (await service.chooseFile('xlsx', 'deals.xlsx')) as string;
    const { exportId } = await service.begin(path, fixtureMeta('xlsx', ['Open', 'Won']));
    for (let start = 0; start < rows.length; start += 1000) {
      await service.append(exportId, { section: 0, rows: rows.slice(start, start + 1000) });
    }
    await service.append(exportId, { section: 1, rows: rows.slice(0, 10) });
    await service.finish(exportId);

    const buffer = await readFile(path);
    const book = XLSX.read(buffer, { cellDates: true, cellNF: true });
    const open = book.Sheets.Open as XLSX.WorkSheet;
    const won = book.Sheets.Won as XLSX.WorkSheet;
    // Sheet row r holds data row r - 2; currencies cycle USD, EUR, JPY.
    expect([open.B2?.z, open.B3?.z, open.B4?.z]).toEqual(['#,##0.00 "USD"', '#,##0.00 "EUR"', '#,##0 "JPY"']);
    expect(open.B2000).toMatchObject({ t: 'n', v: 2998.25, z: '#,##0.00 "USD"' });
    expect(open.B2500).toMatchObject({ t: 'n', v: 3498, z: '#,##0 "JPY"' });
    expect(won.B3).toMatchObject({ t: 'n', v: 1001.25, z: '#,##0.00 "EUR"' });
    expect(open.D2500).toMatchObject({ t: 'd', z: 'yyyy-mm-dd' });
    expect(won.E2).toMatchObject({ t: 'd', z: 'yyyy-mm-dd hh:mm' });
    expect(open.C6).toMatchObject({ t: 'n', v: 1 });
    expect(open.C6?.z ?? 'General').toBe('General');

    expect(open.B5).toMatchObject({ t: 'n', v: 1, z: '#,##0.00 "XXX"' });
    expect(open.C5).toMatchObject({ t: 's', v: 'text' });
    expect(open.D5).toMatchObject({ t: 's', v: 'not a date' });
    expect(open.E5).toMatchObject({ t: 'd', v: new Date('2023-03-15T12:00:00.000Z'), z: 'yyyy-mm-dd hh:mm' });
    // Money outside a money column is its amount, without a currency format.
    expect(open.G5).toMatchObject({ t: 'n', v: 2 });
    expect(open.G5?.z ?? 'General').toBe('General');
    expect(open.B7).toMatchObject({ t: 'n', v: 3.5, z: '#,##0.000 "KWD"' });
    expect(open.D7).toMatchObject({ t: 'd', v: new Date('2023-03-15T00:00:00.000Z'), z: 'yyyy-mm-dd' });
    expect(open.E7).toMatchObject({ t: 's', v: 'garbage' });

    // One cell style per distinct look: plain, date, datetime, the bold header's three, five currencies.
    const zip = XLSX.CFB.read(buffer, { type: 'buffer' });
    const styles = Buffer.from(XLSX.CFB.find(zip, '/xl/styles.xml')?.content ?? []).toString('utf8');
    expect(styles).toContain('<cellXfs count="11">');
  });
});

describe('PDF export', () => {
  it('prints title, filters and the last-sync stamp, repeats the header on every page, keeps every row', async () => {
    const path = await exportRows(fixtureMeta('pdf'), [400]);
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(5);
    expect(pages[0]).toContain('Open deals');
    expect(pages[0]).toContain('Filters: Stage: Proposal; Owner: Rita Rep');
    expect(pages[0]).toContain('Data as of last sync 2026-03-10 08:30 UTC');
    for (const page of pages) {
      expect(page).toMatch(/Name\s+Amount\s+Probability\s+Close date\s+Updated\s+Won\s+Sales region/);
      expect(page).toContain('Data as of last sync');
    }
    for (let i = 0; i < 400; i++) expect(text).toContain(`Deal ${i}, "phase" ${i % 4}`);
    expect(text).toMatch(/Deal 4, "phase" 0\s+€1,004\.25\s+1\s+2026-05-15\s+2026-03-05 10:04\s+Yes\s+Région 4/);
  });
});

describe('JSON export', () => {
  it('writes the file’s facts and every row keyed by column, read back by JSON.parse', async () => {
    const path = await exportRows(fixtureMeta('json', ['Open', 'Won', 'Lost']), [1500, 0, 2]);
    const json = JSON.parse(await readFile(path, 'utf8'));
    expect(json).toMatchObject({
      title: 'Open deals',
      asOf: '2026-03-10T08:30:00.000Z',
      filters: [{ label: 'Stage' }, {}],
    });
    expect(json.sections.map((s: { name: string; rows: unknown[] }) => [s.name, s.rows.length])).toEqual([
      ['Open', 1500],
      ['Won', 0],
      ['Lost', 2],
    ]);
    expect(json.sections[0].rows[4]).toEqual({
      name: 'Deal 4, "phase" 0',
      amount: { amount: 1004.25, currency: 'EUR' },
      probability: 1,
      closeDate: '2026-05-15',
      updatedAt: '2026-03-05T10:04:00.000Z',
      won: true,
      'customFields.region': 'Région 4',
    });
  });

  it.each(['csv', 'xlsx', 'pdf', 'json'] as ExportFormat[])('writes a valid empty %s file', async (format) => {
    const path = await exportRows(fixtureMeta(format), [0]);
    expect((await readFile(path)).length).toBeGreaterThan(0);
    if (format === 'json') expect(JSON.parse(await readFile(path, 'utf8')).sections[0].rows).toEqual([]);
    if (format === 'xlsx') expect(XLSX.read(await readFile(path)).SheetNames[0]).toBe('Deals');
  });
});

describe('bad input', () => {
  it('writes only to the path the save dialog returned, once, in the format it was chosen for', async () => {
    await expect(service.begin(join(dir, 'elsewhere.csv'), fixtureMeta('csv'))).rejects.toThrow(
      'path was not chosen in the save dialog',
    );
    const path = (await service.chooseFile('csv', 'deals.csv')) as string;
    await expect(service.begin(path, fixtureMeta('xlsx'))).rejects.toThrow(
      'format is xlsx but the file was chosen for csv',
    );
    const { exportId } = await service.begin(path, fixtureMeta('csv'));
    await expect(service.begin(path, fixtureMeta('csv'))).rejects.toThrow('path was not chosen in the save dialog');
    await service.cancel(exportId);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a cancelled export leaves no file, and its id is then refused', async () => {
    const path = (await service.chooseFile('xlsx', 'deals.xlsx')) as string;
    const { exportId } = await service.begin(path, fixtureMeta('xlsx'));
    await service.append(exportId, { section: 0, rows: Array.from({ length: 500 }, (_, i) => fixtureRow(i)) });
    expect(await service.cancel(exportId)).toEqual({ cancelled: true });
    expect(await readdir(dir)).toEqual([]);
    await expect(service.append(exportId, { section: 0, rows: [] })).rejects.toThrow(
      'exportId is not an export in progress',
    );
    await expect(service.finish(exportId)).rejects.toThrow('exportId is not an export in progress');
    expect(await service.cancel(exportId)).toEqual({ cancelled: false });
  });

  it('a row of the wrong width fails the export and removes its part file', async () => {
    const path = (await service.chooseFile('pdf', 'deals.pdf')) as string;
    const { exportId } = await service.begin(path, fixtureMeta('pdf'));
    await service.append(exportId, { section: 0, rows: [fixtureRow(0)] });
    await expect(service.append(exportId, { section: 0, rows: [['only one cell']] })).rejects.toThrow(
      'row 0 has 1 cells; the section has 7 columns',
    );
    expect(await readdir(dir)).toEqual([]);
    await expect(service.finish(exportId)).rejects.toThrow('not an export in progress');
  });

  it('a chunk refused at once after begin leaves no part file, though the file was still being opened', async () => {
    // The stream opens its part file asynchronously; the refusal used to remove the file before
    // that open had created it, so it stayed behind (seen once in CI on "out of order" below).
    for (let i = 0; i < 20; i++) {
      const path = (await service.chooseFile('csv', `refused-${i}.csv`)) as string;
      const { exportId } = await service.begin(path, fixtureMeta('csv'));
      await expect(service.append(exportId, { section: 0, rows: [['only one cell']] })).rejects.toThrow('row 0');
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses sections out of order', async () => {
    const path = (await service.chooseFile('json', 'deals.json')) as string;
    const { exportId } = await service.begin(path, fixtureMeta('json', ['A', 'B']));
    await service.append(exportId, { section: 1, rows: [fixtureRow(0)] });
    await expect(service.append(exportId, { section: 0, rows: [fixtureRow(1)] })).rejects.toThrow('out of order');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a save dialog the user cancels starts nothing', async () => {
    const cancelled = createExportService({ chooseFile: async () => undefined });
    expect(await cancelled.chooseFile('csv', 'x.csv')).toBeNull();
  });
});
