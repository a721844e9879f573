import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportService } from '../../../../../src-main/services/export/export-service';
import { xlsxBytes } from '../../../../../src-renderer/features/exports/browser-xlsx';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';

// The workbook's "About this export" sheet says in words what the file holds.

const meta: ExportMeta = {
  format: 'xlsx',
  title: 'Clientes España',
  entity: 'contact',
  filters: [{ label: 'Status', value: 'Active' }],
  asOf: null,
  exportedAt: '2026-12-01T09:00:00.000Z',
  sections: [{ name: 'Contacts', columns: [{ key: 'firstName', header: 'First name', type: 'text' }] }],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-about-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function aboutOf(bytes: ArrayBuffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  const about = book.getWorksheet('About this export') as ExcelJS.Worksheet;
  const rows: string[][] = [];
  about.eachRow((row) => {
    rows.push([String(row.getCell(1).value), String(row.getCell(2).value)]);
  });
  return rows;
}

const EXPECTED = [
  ['Title', 'Clientes España'],
  ['Record type', 'Contact'],
  ['Format', 'Excel (XLSX)'],
  ['Filters', 'Status: Active'],
  ['Data as of', 'Data as of last sync: never synced (local data) · exported 2026-12-01 09:00 UTC'],
];

describe('XLSX About sheet', () => {
  it('names the kind of record in words, not by its key, in the desktop file', async () => {
    const service = createExportService({ chooseFile: async () => join(dir, 'contacts.xlsx') });
    const path = (await service.chooseFile('xlsx', 'contacts.xlsx')) as string;
    const { exportId } = await service.begin(path, meta);
    await service.append(exportId, { section: 0, rows: [['Zoë']] });
    await service.finish(exportId);
    const bytes = await readFile(path);
    expect(
      await aboutOf(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer),
    ).toEqual(EXPECTED);
  });

  it('and in the workbook built in the page', async () => {
    expect(await aboutOf(await xlsxBytes(meta, [{ section: 0, rows: [['Zoë']] }]))).toEqual(EXPECTED);
  });

  it('a key of several words is printed as words', async () => {
    const rows = await aboutOf(await xlsxBytes({ ...meta, entity: 'auditLog' }, []));
    expect(rows[1]).toEqual(['Record type', 'Audit log']);
  });
});
