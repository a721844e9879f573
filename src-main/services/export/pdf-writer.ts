import { once } from 'node:events';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { cellText } from '../../../src-shared/export/export-cells';
import type { ExportColumn } from '../../../src-shared/export/export-columns';
import { columnWidths, imageBox } from '../../../src-shared/export/export-layout';
import {
  asOfText,
  type ExportChunk,
  type ExportImage,
  type ExportMeta,
  filtersText,
} from '../../../src-shared/export/export-meta';
import { checkSection, type ExportFileWriter } from './file-writer';
import { BODY_FONT, BOLD_FONT, fontFor, pdfFonts } from './pdf-fonts';

/** A4 landscape in points. */
const PAGE = { width: 841.89, height: 595.28, margin: 32 };
const ROW_HEIGHT = 12;
const FONT_SIZE = 7.5;
const HEADER_FILL = '#eef1f6';
const CHART_MAX_HEIGHT = 250;

/** Pages after which the embedded fonts' layout cache starts over (~900 rows). */
const LAYOUT_CACHE_PAGES = 20;

/**
 * pdfkit caches the fontkit layout of every word it draws with an embedded font (DejaVu), for the
 * life of the document and without a bound: 100k contacts' unique names, emails and phone numbers
 * held 2.3 GB (EXPORT-pdf). Starting the caches over every LAYOUT_CACHE_PAGES pages keeps the
 * memory flat while the recurring words (headers, statuses, countries, Yes/No) stay cached most of
 * the time. `_fontFamilies` is pdfkit's own table of the fonts in use (pdfkit 0.17, js/pdfkit.js).
 */
function resetLayoutCaches(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies;
  for (const font of Object.values(families ?? {})) {
    if (font.layoutCache) font.layoutCache = Object.create(null) as object;
  }
}

/**
 * pdfkit writes each page to the stream as soon as the next one starts, so memory stays flat. The
 * first page carries the title, filters and the last-sync stamp; every page repeats the section's
 * header row and ends with the stamp and page number, so any printed page says what it shows.
 */
export function createPdfWriter(out: Writable, meta: ExportMeta): ExportFileWriter {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    // A small bottom margin: the footer sits below the table, and pdfkit moves text that would
    // cross the margin onto a new page.
    margins: { top: PAGE.margin, left: PAGE.margin, right: PAGE.margin, bottom: 8 },
    autoFirstPage: false,
    info: { Title: meta.title, Creator: 'FieldCRM', CreationDate: new Date(meta.exportedAt) },
  });
  doc.pipe(out);
  const fonts = pdfFonts();
  doc.registerFont(BODY_FONT, fonts.regular);
  doc.registerFont(BOLD_FONT, fonts.bold);
  const usable = PAGE.width - 2 * PAGE.margin;
  const bottom = PAGE.height - PAGE.margin - 14;
  const stamp = asOfText(meta);
  let section = -1;
  let columns: readonly ExportColumn[] = [];
  let widths: number[] = [];
  let y = 0;
  let page = 0;

  // Per-column text options, built once per section rather than per cell.
  let cellOptions: PDFKit.Mixins.TextOptions[] = [];
  let font = '';
  const setFont = (name: string, size: number) => {
    if (font !== `${name}/${size}`) doc.font(name).fontSize(size);
    font = `${name}/${size}`;
  };
  const drawCells = (texts: readonly string[], bold: boolean) => {
    let x = PAGE.margin;
    texts.forEach((text, i) => {
      setFont(fontFor(text, bold), FONT_SIZE);
      doc.text(text, x + 2, y + 2.5, cellOptions[i]);
      x += widths[i] ?? 0;
    });
    y += ROW_HEIGHT;
  };
  const drawHeader = () => {
    doc.rect(PAGE.margin, y, usable, ROW_HEIGHT).fill(HEADER_FILL).fillColor('black');
    drawCells(
      columns.map((c) => c.header),
      true,
    );
  };
  const newPage = (first: boolean) => {
    if (page > 0 && page % LAYOUT_CACHE_PAGES === 0) resetLayoutCaches(doc);
    doc.addPage();
    page++;
    y = PAGE.margin;
    const footer = `${stamp} · page ${page}`;
    doc.font(fontFor(footer, false)).fontSize(7).fillColor('#666666');
    doc.text(footer, PAGE.margin, PAGE.height - PAGE.margin - 8, {
      width: usable,
      lineBreak: false,
    });
    doc.fillColor('black');
    if (first) {
      doc
        .font(fontFor(meta.title, true))
        .fontSize(16)
        .text(meta.title, PAGE.margin, y, { width: usable, lineBreak: false });
      y += 22;
      const filters = filtersText(meta.filters);
      doc.font(fontFor(filters, false)).fontSize(9).text(filters, PAGE.margin, y, { width: usable });
      y = doc.y + 2;
      doc
        .font(fontFor(stamp, false))
        .fontSize(8)
        .fillColor('#444444')
        .text(stamp, PAGE.margin, y, { width: usable, lineBreak: false });
      doc.fillColor('black');
      y += 16;
      for (const image of meta.images ?? []) y = drawImage(image, y);
    }
    font = '';
  };
  // A chart takes at most this much of the first page, so the table starts under it.
  const drawImage = (image: ExportImage, top: number): number => {
    const { width, height } = imageBox(image, usable, CHART_MAX_HEIGHT);
    doc.image(Buffer.from(image.png, 'base64'), PAGE.margin + (usable - width) / 2, top, { width, height });
    return top + height + 12;
  };
  const openSection = (index: number) => {
    const s = meta.sections[index];
    columns = s?.columns ?? [];
    widths = columnWidths(columns, usable);
    cellOptions = columns.map((c, i) => ({
      width: (widths[i] ?? 0) - 4,
      height: ROW_HEIGHT,
      lineBreak: false,
      ellipsis: true,
      align: c.type === 'number' || c.type === 'money' ? 'right' : 'left',
    }));
    if (index === 0) newPage(true);
    else if (y + 3 * ROW_HEIGHT + 18 > bottom) newPage(false);
    else y += 10;
    if (meta.sections.length > 1) {
      doc
        .font(fontFor(s?.name ?? '', true))
        .fontSize(11)
        .text(s?.name ?? '', PAGE.margin, y, { lineBreak: false });
      y += 16;
      font = '';
    }
    drawHeader();
    section = index;
  };
  const moveTo = (index: number) => {
    for (let i = section + 1; i <= index; i++) openSection(i);
  };

  return {
    async write(chunk: ExportChunk) {
      checkSection(meta, Math.max(section, 0), chunk);
      if (chunk.section !== section) moveTo(chunk.section);
      for (const row of chunk.rows) {
        if (y + ROW_HEIGHT > bottom) {
          newPage(false);
          drawHeader();
        }
        drawCells(
          columns.map((c, i) => cellText(c, row[i] ?? null)),
          false,
        );
      }
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      moveTo(meta.sections.length - 1);
      // doc.end() ends the piped stream once pdfkit has flushed its last page.
      const finished = once(out, 'finish');
      doc.end();
      await finished;
    },
  };
}
