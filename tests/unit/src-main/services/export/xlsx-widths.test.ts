import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportService } from '../../../../../src-main/services/export/export-service';
import type { ExportCell } from '../../../../../src-shared/export/export-cells';
import type { ExportColumn } from '../../../../../src-shared/export/export-columns';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';

// Excel and LibreOffice show "########" for a date or number wider than its column (they never
// spill numbers into the next cell), so each typed column must be as wide as what it displays.

const COLUMNS: ExportColumn[] = [
  { key: 'firstName', header: 'First name', type: 'text' },
  { key: 'email', header: 'Email', type: 'text' },
  { key: 'amount', header: 'Amount', type: 'money' },
  { key: 'birthday', header: 'Born', type: 'date' },
  { key: 'createdAt', header: 'Created', type: 'datetime' },
  { key: 'score', header: 'Score', type: 'number' },
];
const ROW: ExportCell[] = [
  'Zoë',
  'zoe.nunez@example.com',
  { amount: 1234567.89, currency: 'EUR' },
  '1990-02-28',
  '2026-12-01T08:22:59.106Z',
  12.5,
];
/** What each cell shows with the column's number format (see moneyFormat, xlsxColumnFormat). */
const SHOWN = ['Zoë', 'zoe.nunez@example.com', '1,234,567.89 EUR', '1990-02-28', '2026-12-01 08:22', '12.5'];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-widths-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('XLSX column widths', () => {
  it('fit the dates, times and amounts they show, however short the header', async () => {
    const service = createExportService({ chooseFile: async () => join(dir, 'contacts.xlsx') });
    const meta: ExportMeta = {
      format: 'xlsx',
      title: 'Contacts',
      entity: 'contact',
      filters: [],
      asOf: null,
      exportedAt: '2026-12-01T09:00:00.000Z',
      sections: [{ name: 'Contacts', columns: COLUMNS }],
    };
    const path = (await service.chooseFile('xlsx', 'contacts.xlsx')) as string;
    const { exportId } = await service.begin(path, meta);
    await service.append(exportId, { section: 0, rows: [ROW] });
    await service.finish(exportId);
    const bytes = await readFile(path);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = book.getWorksheet('Contacts') as ExcelJS.Worksheet;
    const widths = COLUMNS.map((_, i) => sheet.getColumn(i + 1).width ?? 0);
    COLUMNS.forEach((column, i) => {
      if (column.type === 'text') return;
      // A character of width per character shown, and one for the cell's padding.
      expect({ column: column.header, width: widths[i] }).toEqual({
        column: column.header,
        width: expect.toSatisfy((w: number) => w >= (SHOWN[i] ?? '').length + 1),
      });
    });
    // Text spills into the empty cell beside it, but an email should mostly show: wider than its header.
    expect(widths[1]).toBeGreaterThanOrEqual(16);
  });
});
