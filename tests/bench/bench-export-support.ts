import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import PDFDocument from 'pdfkit';
import { createExportService } from '../../src-main/services/export/export-service';
import { pdfFonts } from '../../src-main/services/export/pdf-fonts';
import { contactEntity } from '../../src-shared/entities/contact.entity';
import { exportRow } from '../../src-shared/export/export-cells';
import { type ExportFormat, exportColumnsFor } from '../../src-shared/export/export-columns';
import { EXPORT_CHUNK_ROWS, type ExportMeta } from '../../src-shared/export/export-meta';
import { contactInput, emit, round } from './bench-support';

/**
 * EXPORT-<format>: 100k contacts through the app's export path (records → typed cells → chunks of
 * 1000 → the main process's streaming writer → part file renamed into place), timed with its peak
 * heap, against the same run's write of the same rows with the library alone (papaparse, exceljs's
 * WorkbookWriter, pdfkit) straight to a file. Targets: ratio ≤ 1.3; CSV ≤ 3 s, XLSX ≤ 20 s.
 * EXPORT_ROWS overrides the row count.
 */
const FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'jobTitle',
  'status',
  'city',
  'country',
  'doNotContact',
  'createdAt',
] as const;

const TARGET_MS: Partial<Record<ExportFormat, number>> = { csv: 3000, xlsx: 20_000 };

interface Measured {
  ms: number;
  peakMb: number;
  bytes: number;
}

// A full collection before each measured run, so each starts from the same heap (the 100k records).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Runs `work`, sampling the heap every 5 ms; the peak is what it added above the heap it started from. */
async function measure(path: string, work: () => Promise<void>): Promise<Measured> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, peakMb: (peak - before) / 2 ** 20, bytes: (await stat(path)).size };
}

type Records = readonly Record<string, unknown>[];

/** The run of median time (its own peak memory with it). */
function medianBy(runs: readonly Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)] as Measured;
}

function plainRow(record: Record<string, unknown>): (string | boolean | Date | null)[] {
  return FIELDS.map((f) => {
    const v = record[f];
    if (v === undefined) return null;
    return f === 'createdAt' ? new Date(String(v)) : (v as string | boolean);
  });
}

async function baselineCsv(records: Records, path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${Papa.unparse([FIELDS as unknown as string[]])}\r\n`);
  for (let i = 0; i < records.length; i += EXPORT_CHUNK_ROWS) {
    const rows = records.slice(i, i + EXPORT_CHUNK_ROWS).map((r) => FIELDS.map((f) => (r[f] ?? '') as string));
    await write(`${Papa.unparse(rows)}\r\n`);
  }
  out.end();
  await once(out, 'finish');
}

async function baselineXlsx(records: Records, path: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Contacts', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = FIELDS.map((f) => ({ header: f, key: f, width: 16 }));
  for (const record of records) sheet.addRow(plainRow(record)).commit();
  sheet.commit();
  await workbook.commit();
}

/**
 * exceljs alone used as the app uses it: the same typed cells (a date format on createdAt) and one
 * shared style object per column, so exceljs's style cache hits (it keys on the object). The plain
 * baseline above gives every cell a fresh style, which exceljs renders and looks up per cell: the
 * app avoids that, so this is the like-for-like figure beside it.
 */
async function baselineXlsxSharedStyles(records: Records, path: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Contacts', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = FIELDS.map((f) => ({ header: f, key: f, width: 16 }));
  const plain: Partial<ExcelJS.Style> = {};
  const styles = FIELDS.map((f) => (f === 'createdAt' ? { numFmt: 'yyyy-mm-dd hh:mm' } : plain));
  for (const record of records) {
    const row = sheet.addRow(plainRow(record));
    // exceljs's Row has a `style` at runtime (lib/doc/row.js) that its typings leave out.
    (row as ExcelJS.Row & { style: Partial<ExcelJS.Style> }).style = plain;
    for (let i = 0; i < FIELDS.length; i++) row.getCell(i + 1).style = styles[i] as Partial<ExcelJS.Style>;
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

/**
 * pdfkit alone; with `embedded`, drawing with the same embedded DejaVu Sans the app uses (fontkit
 * lays out every word of a TrueType font, where Helvetica's widths come from its AFM metrics), so
 * the font's own cost can be told from the app's.
 */
async function baselinePdf(records: Records, path: string, embedded = false): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 32 });
  const out = createWriteStream(path);
  doc.pipe(out);
  const width = (841.89 - 64) / FIELDS.length;
  let y = 32;
  if (embedded) doc.registerFont('DejaVu', pdfFonts().regular);
  doc.font(embedded ? 'DejaVu' : 'Helvetica').fontSize(7.5);
  for (const record of records) {
    if (y + 12 > 595.28 - 46) {
      doc.addPage();
      y = 32;
    }
    FIELDS.forEach((f, i) => {
      doc.text(String(record[f] ?? ''), 32 + i * width + 2, y + 2.5, {
        width: width - 4,
        height: 12,
        lineBreak: false,
        ellipsis: true,
      });
    });
    y += 12;
  }
  const finished = once(out, 'finish');
  doc.end();
  await finished;
}

const BASELINES: Record<ExportFormat, (records: Records, path: string) => Promise<void>> = {
  csv: baselineCsv,
  xlsx: baselineXlsx,
  pdf: baselinePdf,
  json: async () => undefined,
};

async function appExport(format: ExportFormat, records: Records, dir: string, path: string): Promise<void> {
  const service = createExportService({ chooseFile: async () => path });
  const sources = exportColumnsFor(contactEntity, FIELDS);
  const meta: ExportMeta = {
    format,
    title: 'Contacts',
    entity: 'contact',
    filters: [],
    asOf: null,
    exportedAt: new Date().toISOString(),
    sections: [{ name: 'Contacts', columns: sources.map((s) => s.column) }],
  };
  const chosen = (await service.chooseFile(format, `contacts.${format}`)) ?? join(dir, 'none');
  const { exportId } = await service.begin(chosen, meta);
  for (let i = 0; i < records.length; i += EXPORT_CHUNK_ROWS) {
    const rows = records.slice(i, i + EXPORT_CHUNK_ROWS).map((r) => exportRow(sources, r));
    await service.append(exportId, { section: 0, rows });
  }
  await service.finish(exportId);
}

export async function runExportBench(format: ExportFormat): Promise<void> {
  const count = Number(process.env.EXPORT_ROWS ?? 100_000);
  const records = Array.from({ length: count }, (_, i) => contactInput(i));
  const dir = await mkdtemp(join(tmpdir(), `bench-export-${format}-`));
  try {
    // Warm both paths up on a small slice so neither pays the JIT alone.
    await BASELINES[format](records.slice(0, 2000), join(dir, `warm-base.${format}`));
    await appExport(format, records.slice(0, 2000), dir, join(dir, `warm-app.${format}`));
    const basePath = join(dir, `base.${format}`);
    const appPath = join(dir, `app.${format}`);
    // The shared machine is noisy: short runs are repeated (alternating) and the median kept.
    const repeats = Number(process.env.EXPORT_REPEAT ?? { csv: 5, xlsx: 3, pdf: 1, json: 1 }[format]);
    const bases: Measured[] = [];
    const apps: Measured[] = [];
    for (let r = 0; r < repeats; r++) {
      bases.push(await measure(basePath, () => BASELINES[format](records, basePath)));
      apps.push(await measure(appPath, () => appExport(format, records, dir, appPath)));
    }
    const base = medianBy(bases);
    const app = medianBy(apps);
    // PDF: also the library alone with the app's embedded font, the like-for-like baseline.
    const fontPath = join(dir, 'base-font.pdf');
    const font = format === 'pdf' ? await measure(fontPath, () => baselinePdf(records, fontPath, true)) : undefined;
    // XLSX: also exceljs alone with shared styles as the app writes them, as many runs as above.
    const sharedPath = join(dir, 'base-shared.xlsx');
    const shared: Measured[] = [];
    if (format === 'xlsx')
      for (let r = 0; r < repeats; r++)
        shared.push(await measure(sharedPath, () => baselineXlsxSharedStyles(records, sharedPath)));
    const sharedBase = shared.length > 0 ? medianBy(shared) : undefined;
    emit({
      bench: `EXPORT-${format}`,
      value: round(app.ms, 0),
      unit: 'ms',
      baseline: round(base.ms, 0),
      ratio: round(app.ms / base.ms, 3),
      rows: count,
      runs: repeats,
      peak_mb: round(app.peakMb, 1),
      baseline_peak_mb: round(base.peakMb, 1),
      file_mb: round(app.bytes / 2 ** 20, 1),
      baseline_file_mb: round(base.bytes / 2 ** 20, 1),
      ...(font
        ? {
            baseline_embedded_font: round(font.ms, 0),
            ratio_embedded_font: round(app.ms / font.ms, 3),
            baseline_embedded_font_peak_mb: round(font.peakMb, 1),
          }
        : {}),
      ...(sharedBase
        ? {
            baseline_shared_styles: round(sharedBase.ms, 0),
            ratio_shared_styles: round(app.ms / sharedBase.ms, 3),
          }
        : {}),
      ...(TARGET_MS[format] ? { target_ms: TARGET_MS[format] } : {}),
      target_ratio: 1.3,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
