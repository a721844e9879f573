import { once } from 'node:events';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { cellText } from '../../../src-shared/export/export-cells';
import type { ExportColumn } from '../../../src-shared/export/export-columns';
import { imageBox, type PdfColumnGroup, pdfColumnGroups } from '../../../src-shared/export/export-layout';
import {
  asOfText,
  type ExportChunk,
  type ExportImage,
  type ExportMeta,
  filtersText,
} from '../../../src-shared/export/export-meta';
import { checkSection, type ExportFileWriter } from './file-writer';
import { BODY_FONT, BOLD_FONT, CJK_FONT, cjkFont, fontFor as fontOfText, pdfFonts } from './pdf-fonts';

/** A4 landscape in points. */
const PAGE = { width: 841.89, height: 595.28, margin: 32 };
const ROW_HEIGHT = 12;
const FONT_SIZE = 7.5;
const HEADER_FILL = '#eef1f6';
const CHART_MAX_HEIGHT = 250;

/** Rows of a section's first chunk its column widths are measured on. */
const WIDTH_SAMPLE_ROWS = 200;

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
 * Columns too many for one page are printed in groups (`pdfColumnGroups`): a page's worth of rows
 * is held until it is full, then printed once per group, each group on its own page.
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
  let cjkRegistered = false;
  /** fontOfText, with the machine's CJK font registered the first time a text needs it. */
  const fontFor = (text: string, bold: boolean): string => {
    const name = fontOfText(text, bold);
    const face = name === CJK_FONT && !cjkRegistered ? cjkFont() : undefined;
    if (face) {
      doc.registerFont(CJK_FONT, face.path, face.postscriptName);
      cjkRegistered = true;
    }
    return name;
  };
  const usable = PAGE.width - 2 * PAGE.margin;
  const bottom = PAGE.height - PAGE.margin - 14;
  const stamp = asOfText(meta);
  let section = -1;
  let columns: readonly ExportColumn[] = [];
  let groups: PdfColumnGroup[] = [];
  /** The rows of the page being filled, as text; printed once per group when the page is full. */
  let held: string[][] = [];
  /** Where the page being filled starts its table (its header row). */
  let top = 0;
  let y = 0;
  let page = 0;

  let font = '';
  const setFont = (name: string, size: number) => {
    if (font !== `${name}/${size}`) doc.font(name).fontSize(size);
    font = `${name}/${size}`;
  };
  const measure = (text: string, bold: boolean) => {
    setFont(fontFor(text, bold), FONT_SIZE);
    return doc.widthOfString(text);
  };
  const drawGroup = (group: PdfColumnGroup) => {
    // Per-column text options, built once per group rather than per cell.
    const options: PDFKit.Mixins.TextOptions[] = group.columns.map((c, i) => ({
      width: (group.widths[i] ?? 0) - 4,
      height: ROW_HEIGHT,
      lineBreak: false,
      ellipsis: true,
      align: columns[c]?.type === 'number' || columns[c]?.type === 'money' ? 'right' : 'left',
    }));
    const drawCells = (texts: readonly string[], bold: boolean) => {
      let x = PAGE.margin;
      group.columns.forEach((c, i) => {
        const text = texts[c] ?? '';
        setFont(fontFor(text, bold), FONT_SIZE);
        doc.text(text, x + 2, y + 2.5, options[i]);
        x += group.widths[i] ?? 0;
      });
      y += ROW_HEIGHT;
    };
    const width = group.widths.reduce((sum, w) => sum + w, 0);
    doc.rect(PAGE.margin, y, width, ROW_HEIGHT).fill(HEADER_FILL).fillColor('black');
    drawCells(
      columns.map((c) => c.header),
      true,
    );
    for (const row of held) drawCells(row, false);
  };
  /** Prints the held rows under the section's header, once per column group. */
  const flush = () => {
    groups.forEach((group, index) => {
      if (index > 0) newPage(false);
      else y = top;
      drawGroup(group);
    });
    held = [];
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
  const openSection = (index: number, sample: readonly (readonly string[])[]) => {
    if (section >= 0) flush();
    const s = meta.sections[index];
    columns = s?.columns ?? [];
    groups = pdfColumnGroups(columns, sample, usable, measure);
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
    top = y;
    section = index;
  };
  const moveTo = (index: number, sample: readonly (readonly string[])[] = []) => {
    for (let i = section + 1; i <= index; i++) openSection(i, i === index ? sample : []);
  };
  const rowTexts = (row: ExportChunk['rows'][number]) => columns.map((c, i) => cellText(c, row[i] ?? null));

  return {
    async write(chunk: ExportChunk) {
      checkSection(meta, Math.max(section, 0), chunk);
      if (chunk.section !== section) {
        const sectionColumns = meta.sections[chunk.section]?.columns ?? [];
        const sample = chunk.rows
          .slice(0, WIDTH_SAMPLE_ROWS)
          .map((row) => sectionColumns.map((c, i) => cellText(c, row[i] ?? null)));
        moveTo(chunk.section, sample);
      }
      for (const row of chunk.rows) {
        // The header row and the held rows, with this one.
        if (top + (held.length + 2) * ROW_HEIGHT > bottom) {
          flush();
          newPage(false);
          top = y;
        }
        held.push(rowTexts(row));
      }
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      moveTo(meta.sections.length - 1);
      flush();
      // doc.end() ends the piped stream once pdfkit has flushed its last page.
      const finished = once(out, 'finish');
      doc.end();
      await finished;
    },
  };
}
