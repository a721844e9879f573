import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type ExportColumn, FORMAT_LABELS } from '../../../src-shared/export/export-columns';
import { sheetName, xlsxCell, xlsxColumnFormat, xlsxWidth } from '../../../src-shared/export/export-layout';
import { asOfText, type ExportChunk, type ExportMeta, filtersText } from '../../../src-shared/export/export-meta';
import { checkSection, type ExportFileWriter } from './file-writer';

type Sheet = ExcelJS.Worksheet;

/**
 * exceljs's streaming WorkbookWriter: each row is committed (serialised to the zip stream) as it is
 * added, so 100k rows never sit in memory. A sheet per section with a bold header row frozen in
 * place, typed cells (numbers, dates, money with its currency's format), and an "About" sheet with
 * the title, filters and the last-sync stamp.
 */
export function createXlsxWriter(out: Writable, meta: ExportMeta): ExportFileWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'FieldCRM';
  workbook.title = meta.title;
  workbook.created = new Date(meta.exportedAt);
  const taken = new Set<string>();
  let section = -1;
  let sheet: Sheet | undefined;

  const open = (index: number): Sheet => {
    const s = meta.sections[index];
    const name = sheetName(s?.name ?? 'Sheet', taken);
    taken.add(name.toLowerCase());
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    const columns = s?.columns ?? [];
    ws.columns = columns.map((c: ExportColumn) => {
      const numFmt = xlsxColumnFormat(c);
      return { header: c.header, key: c.key, width: xlsxWidth(c), ...(numFmt ? { style: { numFmt } } : {}) };
    });
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.commit();
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, columns.length) } };
    return ws;
  };
  const moveTo = (index: number) => {
    for (let i = section + 1; i <= index; i++) {
      sheet?.commit();
      sheet = open(i);
    }
    section = index;
  };
  const writeAbout = () => {
    const about = workbook.addWorksheet(sheetName('About this export', taken));
    about.columns = [{ width: 22 }, { width: 90 }];
    const lines: [string, string][] = [
      ['Title', meta.title],
      ['Records', meta.entity],
      ['Format', FORMAT_LABELS[meta.format]],
      ['Filters', filtersText(meta.filters).replace(/^Filters: /, '')],
      ['Data as of', asOfText(meta)],
    ];
    for (const line of lines) about.addRow(line).commit();
    about.getColumn(1).font = { bold: true };
    about.commit();
  };

  return {
    async write(chunk: ExportChunk) {
      checkSection(meta, Math.max(section, 0), chunk);
      if (chunk.section !== section) moveTo(chunk.section);
      const columns = meta.sections[chunk.section]?.columns ?? [];
      const ws = sheet as Sheet;
      for (const cells of chunk.rows) {
        const row = ws.addRow(columns.map((c, i) => xlsxCell(c, cells[i] ?? null).value));
        columns.forEach((c, i) => {
          if (c.type !== 'money') return;
          const numFmt = xlsxCell(c, cells[i] ?? null).numFmt;
          if (numFmt) row.getCell(i + 1).numFmt = numFmt;
        });
        row.commit();
      }
      // Let the zip stream drain before the next chunk: the writer buffers what the file cannot take yet.
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      if (section < meta.sections.length - 1) moveTo(meta.sections.length - 1);
      sheet?.commit();
      writeAbout();
      await workbook.commit();
    },
  };
}
