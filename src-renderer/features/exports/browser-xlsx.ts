import ExcelJS from 'exceljs';
import type { ExportColumn } from '../../../src-shared/export/export-columns';
import { sheetName, xlsxCell, xlsxColumnFormat, xlsxWidth } from '../../../src-shared/export/export-layout';
import { aboutLines, type ExportChunk, type ExportMeta } from '../../../src-shared/export/export-meta';

/**
 * The workbook the desktop writes (src-main/services/export/xlsx-writer.ts), built in the page with
 * exceljs's browser build: a sheet per section, frozen bold header, typed cells, an About sheet.
 */
export async function xlsxBytes(meta: ExportMeta, chunks: readonly ExportChunk[]): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'FieldCRM';
  workbook.title = meta.title;
  workbook.created = new Date(meta.exportedAt);
  const taken = new Set<string>();
  const sheets = meta.sections.map((section) => {
    const name = sheetName(section.name, taken);
    taken.add(name.toLowerCase());
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    sheet.columns = section.columns.map((c: ExportColumn) => {
      const numFmt = xlsxColumnFormat(c);
      return { header: c.header, key: c.key, width: xlsxWidth(c), ...(numFmt ? { style: { numFmt } } : {}) };
    });
    sheet.getRow(1).font = { bold: true };
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, section.columns.length) } };
    return sheet;
  });
  for (const chunk of chunks) {
    const sheet = sheets[chunk.section];
    const columns = meta.sections[chunk.section]?.columns ?? [];
    if (!sheet) continue;
    for (const cells of chunk.rows) {
      const typed = columns.map((c, i) => xlsxCell(c, cells[i] ?? null));
      const row = sheet.addRow(typed.map((t) => t.value));
      typed.forEach((t, i) => {
        if (t.numFmt) row.getCell(i + 1).numFmt = t.numFmt;
      });
    }
  }
  const about = workbook.addWorksheet(sheetName('About this export', taken));
  about.columns = [{ width: 22 }, { width: 90 }];
  about.addRows(aboutLines(meta));
  about.getColumn(1).font = { bold: true };
  return workbook.xlsx.writeBuffer();
}
