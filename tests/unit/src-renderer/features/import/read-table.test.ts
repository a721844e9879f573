import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsvText, parseXlsx } from '../../../../../src-renderer/features/import/read-table';

describe('reading import files', () => {
  it('reads CSV with a BOM, quotes, embedded newlines and CRLF, keeping inner blank rows and dropping trailing ones', () => {
    const table = parseCsvText('\uFEFFName , Note\r\n"Smith, Ann","two\nlines"\r\n\r\nBob,x\r\n\r\n');
    expect(table.headers).toEqual(['Name', 'Note']);
    expect(table.rows).toEqual([['Smith, Ann', 'two\nlines'], [''], ['Bob', 'x']]);
  });

  it('reads the first worksheet of an XLSX with dates, numbers, formulas and rich text as text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    sheet.addRow(['Name', 'Birthday', 'Employees', 'Total', 'Note']);
    sheet.addRow([
      'Ann',
      new Date(Date.UTC(1990, 1, 1)),
      250,
      { formula: 'C2*2', result: 500 },
      { richText: [{ text: 'hi ' }, { text: 'there' }] },
    ]);
    sheet.addRow(['Bob', undefined, 3.5]);
    const buffer = await workbook.xlsx.writeBuffer();
    const table = await parseXlsx(buffer as ArrayBuffer);
    expect(table.headers).toEqual(['Name', 'Birthday', 'Employees', 'Total', 'Note']);
    expect(table.rows).toEqual([
      ['Ann', '1990-02-01', '250', '500', 'hi there'],
      ['Bob', '', '3.5', '', ''],
    ]);
  });
});
