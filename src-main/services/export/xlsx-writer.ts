import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ExportColumn } from '../../../src-shared/export/export-columns';
import {
  sheetName,
  type XlsxCell,
  xlsxCell,
  xlsxColumnFormat,
  xlsxWidth,
} from '../../../src-shared/export/export-layout';
import { aboutLines, type ExportChunk, type ExportMeta } from '../../../src-shared/export/export-meta';
import { checkSection, type ExportFileWriter } from './file-writer';

type Sheet = ExcelJS.Worksheet;
type CellStyle = Partial<ExcelJS.Style>;
/** exceljs's Row keeps its own style object in `style` (lib/doc/row.js), which its typings leave out. */
type StyledRow = ExcelJS.Row & { style: CellStyle };

/**
 * Shared, frozen style objects. exceljs gives every new cell (and row) a fresh style object and
 * its StylesXform caches style ids in a WeakMap keyed by that object, so with fresh objects it
 * renders each cell's style to XML and looks it up again: about half of the time spent writing a
 * row (profiled on 20k contacts). Handing every cell of a column the same object makes that a
 * WeakMap hit. Frozen, so a stray `cell.numFmt = …` throws instead of restyling a whole column.
 * One plain object serves every unformatted column: without a numFmt exceljs picks a default by
 * cell type, and every type these columns hold (text, number, boolean, empty) gets style 0; only
 * Date values get another (`mm-dd-yy`), and those come only from date columns, which carry a format.
 */
const PLAIN: CellStyle = Object.freeze({});

function formatStyle(numFmt: string | undefined): CellStyle {
  return numFmt ? Object.freeze({ numFmt }) : PLAIN;
}

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
  let columnStyles: CellStyle[] = [];
  const moneyStyles = new Map<string, CellStyle>();
  const moneyStyle = (numFmt: string): CellStyle => {
    let style = moneyStyles.get(numFmt);
    if (!style) {
      style = formatStyle(numFmt);
      moneyStyles.set(numFmt, style);
    }
    return style;
  };

  const open = (index: number): Sheet => {
    const s = meta.sections[index];
    const name = sheetName(s?.name ?? 'Sheet', taken);
    taken.add(name.toLowerCase());
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    const columns = s?.columns ?? [];
    columnStyles = columns.map((c) => formatStyle(xlsxColumnFormat(c)));
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
    for (const line of aboutLines(meta)) about.addRow(line).commit();
    about.getColumn(1).font = { bold: true };
    about.commit();
  };

  return {
    async write(chunk: ExportChunk) {
      checkSection(meta, Math.max(section, 0), chunk);
      if (chunk.section !== section) moveTo(chunk.section);
      const columns = meta.sections[chunk.section]?.columns ?? [];
      const ws = sheet as Sheet;
      const width = columns.length;
      const values = new Array<XlsxCell['value']>(width);
      const styles = new Array<CellStyle>(width);
      for (const cells of chunk.rows) {
        for (let i = 0; i < width; i++) {
          const column = columns[i] as ExportColumn;
          const typed = xlsxCell(column, cells[i] ?? null);
          values[i] = typed.value;
          // Money's format follows each row's currency; every other column keeps its own.
          styles[i] =
            column.type === 'money' && typed.numFmt ? moneyStyle(typed.numFmt) : (columnStyles[i] as CellStyle);
        }
        const row = ws.addRow(values) as StyledRow;
        row.style = PLAIN;
        for (let i = 0; i < width; i++) row.getCell(i + 1).style = styles[i] as CellStyle;
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
