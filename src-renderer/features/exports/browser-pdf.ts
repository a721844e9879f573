import { jsPDF } from 'jspdf';
import { autoTable } from 'jspdf-autotable';
import { cellText } from '../../../src-shared/export/export-cells';
import { imageBox, pdfColumnGroups } from '../../../src-shared/export/export-layout';
import { asOfText, type ExportChunk, type ExportMeta, filtersText } from '../../../src-shared/export/export-meta';
import { PDF_FONT, pdfFontData } from './browser-pdf-fonts';

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
 * the page of rows it continues.
 */
export async function pdfBytes(
  meta: ExportMeta,
  chunks: readonly ExportChunk[],
  fontData: () => Promise<{ regular: string; bold: string }> = pdfFontData,
): Promise<ArrayBuffer> {
  const doc = new jsPDF({ orientation: 'landscape', unit: 'pt', format: 'a4' });
  const fonts = await fontData();
  doc.addFileToVFS('DejaVuSans.ttf', fonts.regular);
  doc.addFont('DejaVuSans.ttf', PDF_FONT, 'normal');
  doc.addFileToVFS('DejaVuSans-Bold.ttf', fonts.bold);
  doc.addFont('DejaVuSans-Bold.ttf', PDF_FONT, 'bold');
  const width = doc.internal.pageSize.getWidth();
  const height = doc.internal.pageSize.getHeight();
  const stamp = asOfText(meta);
  doc
    .setFont(PDF_FONT, 'bold')
    .setFontSize(16)
    .text(meta.title, MARGIN, MARGIN + 12);
  doc
    .setFont(PDF_FONT, 'normal')
    .setFontSize(9)
    .text(filtersText(meta.filters), MARGIN, MARGIN + 30);
  doc
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
    const body = chunks
      .filter((c) => c.section === index)
      .flatMap((c) => c.rows.map((row) => columns.map((col, i) => cellText(col, row[i] ?? null))));
    const widths = new Map<number, number>();
    doc.setFontSize(FONT_SIZE);
    const measure = (text: string, bold: boolean) => doc.setFont(PDF_FONT, bold ? 'bold' : 'normal').getTextWidth(text);
    for (const group of pdfColumnGroups(columns, body.slice(0, WIDTH_SAMPLE_ROWS), width - 2 * MARGIN, measure)) {
      group.columns.forEach((c, i) => {
        widths.set(c, group.widths[i] ?? 0);
      });
    }
    if (meta.sections.length > 1) {
      doc.setFont(PDF_FONT, 'bold').setFontSize(11).text(section.name, MARGIN, startY);
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
