import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportService } from '../../../../../src-main/services/export/export-service';
import { xlsxBytes } from '../../../../../src-renderer/features/exports/browser-xlsx';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';

// Excel holds at most 32,767 characters in a cell and reports a file with a longer one as damaged
// (https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3).
// A note's body may have 50,000, a communication's 100,000.

const EXCEL_CELL_MAX = 32_767;
const meta: ExportMeta = {
  format: 'xlsx',
  title: 'Notes',
  entity: 'note',
  filters: [],
  asOf: null,
  exportedAt: '2026-12-01T09:00:00.000Z',
  sections: [
    {
      name: 'Notes',
      columns: [
        { key: 'title', header: 'Title', type: 'text' },
        { key: 'body', header: 'Note', type: 'text' },
      ],
    },
  ],
};
// Emoji are two UTF-16 units each: the cut must not split one.
const LONG = `Zoë 🐉 ${'lorem ipsum 😀 '.repeat(4000)}`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-long-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bodyOf(bytes: ArrayBuffer): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  return String((book.getWorksheet('Notes') as ExcelJS.Worksheet).getCell('B2').value);
}

function expectCut(body: string) {
  expect(LONG.length).toBeGreaterThan(EXCEL_CELL_MAX);
  expect(body.length).toBeLessThanOrEqual(EXCEL_CELL_MAX);
  expect(body.endsWith('… [cut at Excel’s 32,767 characters]')).toBe(true);
  const kept = body.slice(0, body.indexOf('… [cut'));
  expect(LONG.startsWith(kept)).toBe(true);
  expect(kept.length).toBeGreaterThan(32_000);
  // No lone half of a surrogate pair.
  expect(kept).not.toMatch(/[\uD800-\uDBFF]$/);
}

describe('XLSX text longer than Excel’s cell limit', () => {
  it('is cut to fit, saying so, in the desktop file', async () => {
    const service = createExportService({ chooseFile: async () => join(dir, 'notes.xlsx') });
    const path = (await service.chooseFile('xlsx', 'notes.xlsx')) as string;
    const { exportId } = await service.begin(path, meta);
    await service.append(exportId, { section: 0, rows: [['Long one', LONG]] });
    await service.finish(exportId);
    const bytes = await readFile(path);
    expectCut(await bodyOf(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer));
  });

  it('and in the workbook built in the page; text within the limit is untouched', async () => {
    expectCut(await bodyOf(await xlsxBytes(meta, [{ section: 0, rows: [['Long one', LONG]] }])));
    // An emoji across the cut is left out whole, not halved.
    const mark = '… [cut at Excel’s 32,767 characters]';
    const across = `${'a'.repeat(EXCEL_CELL_MAX - mark.length - 1)}😀${'b'.repeat(100)}`;
    const cut = await bodyOf(await xlsxBytes(meta, [{ section: 0, rows: [['Emoji', across]] }]));
    expect(cut).toBe(`${'a'.repeat(EXCEL_CELL_MAX - mark.length - 1)}${mark}`);
    const fits = 'x'.repeat(EXCEL_CELL_MAX);
    expect(await bodyOf(await xlsxBytes(meta, [{ section: 0, rows: [['Fits', fits]] }]))).toBe(fits);
  });
});
