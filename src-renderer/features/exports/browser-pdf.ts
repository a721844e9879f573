import { jsPDF } from 'jspdf';
import { autoTable } from 'jspdf-autotable';
import { cellText } from '../../../src-shared/export/export-cells';
import { imageBox, pdfColumnGroups } from '../../../src-shared/export/export-layout';
import { asOfText, type ExportChunk, type ExportMeta, filtersText } from '../../../src-shared/export/export-meta';
import { CJK_PDF_FONT, CJK_TEXT, cjkFontData, PDF_FONT, pdfFontData } from './browser-pdf-fonts';

const MARGIN = 32;
const FONT_SIZE = 7.5;
/** As the desktop writer: rows the column widths are measured on. */
const WIDTH_SAMPLE_ROWS = 200;
/** As the desktop writer: the chart takes at most this much of the first page. */
const CHART_MAX_HEIGHT = 250;

/**
 * The PDF in the page (jsPDF + autoTable, which repeats the header row on every page): title,
 * filters and the last-sync stamp on top, the stamp and page number at the foot of every page.
 * Columns too many for a page are split into the desktop writer's groups (`pdfColumnGroups`), by
 * autoTable's horizontal page break with the first column repeated, each group's page right after
 * the page of rows it continues. Chinese, Japanese and Korean text is drawn with the machine's CJK
 * font (`cjkFont`, fetched only when some text needs it), a cell at a time.
 */
export async function pdfBytes(
  meta: ExportMeta,
  chunks: readonly ExportChunk[],
  fontData: () => Promise<{ regular: string; bold: string }> = pdfFontData,
  cjkFont: () => Promise<string> = cjkFontData,
): Promise<ArrayBuffer> {
  const doc = new jsPDF({ orientation: 'landscape', unit: 'pt', format: 'a4' });
  const fonts = await fontData();
  doc.addFileToVFS('DejaVuSans.ttf', fonts.regular);
  doc.addFont('DejaVuSans.ttf', PDF_FONT, 'normal');
  doc.addFileToVFS('DejaVuSans-Bold.ttf', fonts.bold);
  doc.addFont('DejaVuSans-Bold.ttf', PDF_FONT, 'bold');
  const bodies = meta.sections.map((section, index) =>
    chunks
      .filter((c) => c.section === index)
      .flatMap((c) => c.rows.map((row) => section.columns.map((col, i) => cellText(col, row[i] ?? null)))),
  );
  const stamp = asOfText(meta);
  const texts = [meta.title, filtersText(meta.filters), ...meta.sections.map((s) => s.name)];
  const headers = meta.sections.flatMap((s) => s.columns.map((c) => c.header));
  if (
    [...texts, ...headers].some((t) => CJK_TEXT.test(t)) ||
    bodies.some((b) => b.some((r) => r.some((t) => CJK_TEXT.test(t))))
  ) {
    doc.addFileToVFS('cjk.ttf', await cjkFont());
    doc.addFont('cjk.ttf', CJK_PDF_FONT, 'normal');
  }
  // One CJK face for both weights: few CJK fonts come with a bold one, and jsPDF embeds every font
  // registered, used or not (about 1 MB for a CJK face).
  const setFont = (text: string, bold: boolean) =>
    CJK_TEXT.test(text) ? doc.setFont(CJK_PDF_FONT, 'normal') : doc.setFont(PDF_FONT, bold ? 'bold' : 'normal');
  const width = doc.internal.pageSize.getWidth();
  const height = doc.internal.pageSize.getHeight();
  setFont(meta.title, true)
    .setFontSize(16)
    .text(meta.title, MARGIN, MARGIN + 12);
  setFont(filtersText(meta.filters), false)
    .setFontSize(9)
    .text(filtersText(meta.filters), MARGIN, MARGIN + 30);
  doc
    .setFont(PDF_FONT, 'normal')
    .setFontSize(8)
    .setTextColor(68)
    .text(stamp, MARGIN, MARGIN + 42)
    .setTextColor(0);
  let startY = MARGIN + 54;
  for (const image of meta.images ?? []) {
    const box = imageBox(image, width - 2 * MARGIN, CHART_MAX_HEIGHT);
    doc.addImage(image.png, 'PNG', MARGIN + (width - 2 * MARGIN - box.width) / 2, startY, box.width, box.height);
    startY += box.height + 16;
  }
  meta.sections.forEach((section, index) => {
    const columns = section.columns;
    const body = bodies[index] ?? [];
    const widths = new Map<number, number>();
    doc.setFontSize(FONT_SIZE);
    const measure = (text: string, bold: boolean) => setFont(text, bold).getTextWidth(text);
    for (const group of pdfColumnGroups(columns, body.slice(0, WIDTH_SAMPLE_ROWS), width - 2 * MARGIN, measure)) {
      group.columns.forEach((c, i) => {
        widths.set(c, group.widths[i] ?? 0);
      });
    }
    if (meta.sections.length > 1) {
      setFont(section.name, true).setFontSize(11).text(section.name, MARGIN, startY);
      startY += 8;
    }
    autoTable(doc, {
      head: [columns.map((c) => c.header)],
      body,
      startY,
      showHead: 'everyPage',
      margin: { left: MARGIN, right: MARGIN, top: MARGIN, bottom: MARGIN + 8 },
      horizontalPageBreak: true,
      horizontalPageBreakRepeat: 0,
      horizontalPageBreakBehaviour: 'immediately',
      styles: { font: PDF_FONT, fontSize: FONT_SIZE, cellPadding: 2, overflow: 'ellipsize' },
      headStyles: { fillColor: [238, 241, 246], textColor: 0, fontStyle: 'bold' },
      columnStyles: Object.fromEntries(
        columns.map((c, i) => [
          i,
          { cellWidth: widths.get(i) ?? 'auto', halign: c.type === 'number' || c.type === 'money' ? 'right' : 'left' },
        ]),
      ),
      didParseCell: (data) => {
        if (!data.cell.text.some((line) => CJK_TEXT.test(line))) return;
        data.cell.styles.font = CJK_PDF_FONT;
        data.cell.styles.fontStyle = 'normal';
      },
      didDrawPage: () => {
        doc.setFont(PDF_FONT, 'normal').setFontSize(7).setTextColor(102);
        doc.text(`${stamp} · page ${doc.getNumberOfPages()}`, MARGIN, height - MARGIN + 4);
        doc.setTextColor(0);
      },
    });
    startY = ((doc as unknown as { lastAutoTable?: { finalY: number } }).lastAutoTable?.finalY ?? startY) + 24;
  });
  return doc.output('arraybuffer');
}
