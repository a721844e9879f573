import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { createExportService } from '../../../../src-main/services/export/export-service';
import { pdfBytes } from '../../../../src-renderer/features/exports/browser-pdf';
import { desktopSink } from '../../../../src-renderer/features/exports/export-sinks';
import { exportTable } from '../../../../src-renderer/features/exports/run-export';
import { builtInPermissions } from '../../../../src-shared/auth/built-in-roles';
import { parsePermissions } from '../../../../src-shared/auth/permissions';
import { type ExportChunk, type ExportMeta, exportMetaSchema } from '../../../../src-shared/export/export-meta';
import { type ReportExportInput, reportExport } from '../../../../src-shared/export/report-export';
import type { CrmApi } from '../../../../src-shared/ipc/crm-api';
import { EMPTY_DATA, type ReportDeal, type ReportResult, reportById } from '../../../../src-shared/reports';

// A report exported as the Reports screen does (reportExport → exportTable → main's writers), each
// file read back by a reader that shares no code with its writer, and compared with the report's
// own numbers.

const USD_TO_EUR = 0.5;
const deal = (id: string, patch: Partial<ReportDeal>): ReportDeal => ({
  id,
  ownerId: 'user-1',
  stage: 'proposal',
  amount: 100_000,
  currency: 'USD',
  probability: 50,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});
const deals = [
  deal('d1', { expectedCloseDate: '2026-03-10', amount: 250_000 }),
  deal('d2', { expectedCloseDate: '2026-03-20', stage: 'negotiation', amount: 130_050 }),
  deal('d3', { stage: 'closedWon', closedAt: '2026-04-02T10:00:00.000Z', amount: 99_999, currency: 'EUR' }),
];
/** The forecast in EUR: USD halved, EUR kept. */
const forecast: ReportResult = reportById('forecast').compute(
  { ...EMPTY_DATA, deals },
  {
    currency: 'EUR',
    convert: (amount, currency) => (currency === 'EUR' ? amount : Math.round(amount * USD_TO_EUR)),
  },
);
const FILTERS = [
  { label: 'Dates (expected close)', value: 'This year' },
  { label: 'Owner', value: 'Rita Rep' },
  { label: 'Currency', value: 'EUR' },
];

/** A real PNG (a 40×20 blue rectangle), built with zlib so the test needs no image library. */
function png(width: number, height: number): string {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [47, 91, 234]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}
const CHART = { title: 'Forecast by month', png: png(40, 20), width: 400, height: 200 };

const input = (format: unknown, patch: Partial<ReportExportInput> = {}): ReportExportInput => ({
  format,
  title: 'Forecast by month',
  result: forecast,
  filters: FILTERS,
  currency: 'EUR',
  decimals: 2,
  asOf: '2026-04-30T17:45:00.000Z',
  exportedAt: '2026-05-01T08:00:00.000Z',
  chart: CHART,
  ...patch,
});

let dir: string;
const audits: Record<string, unknown>[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-export-'));
  audits.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The Electron path: main's export service behind the IPC calls the renderer makes. */
function api(path: string): CrmApi {
  const service = createExportService({ chooseFile: async () => path });
  return {
    export: {
      chooseFile: (f: never, n: string) => service.chooseFile(f, n),
      // As the IPC edge does (src-main/ipc/ipc-args.ts): the meta is validated before main writes.
      begin: async (p: string, m: ExportMeta) => service.begin(p, exportMetaSchema.parse(m)),
      append: (id: string, c: ExportChunk) => service.append(id, c),
      finish: (id: string) => service.finish(id),
      cancel: (id: string) => service.cancel(id),
    },
  } as unknown as CrmApi;
}

async function exportTo(format: string): Promise<string> {
  const path = join(dir, `forecast.${format}`);
  const built = reportExport(input(format));
  const outcome = await exportTable(
    built.meta,
    built.readEntities,
    (async function* () {
      yield* built.chunks;
    })(),
    built.rowCount,
    {
      permissions: parsePermissions(builtInPermissions('rep')),
      now: () => new Date('2026-05-01T08:00:00.000Z'),
      openSink: (meta) => desktopSink(api(path), meta, `forecast.${format}`),
      audit: async (entry) => audits.push(entry),
      actor: () => ({ userId: 'user-1', deviceId: 'device-1' }),
    },
  );
  expect(outcome).toEqual({ status: 'done', rows: forecast.rows.length, target: path });
  return path;
}

const euros = (minor: number | undefined) => (minor ?? 0) / 100;

describe('report export', () => {
  it('the report the files are compared with: two months in EUR', () => {
    expect(forecast.rows.map((r) => r.key)).toEqual(['2026-03', '2026-04']);
    expect(forecast.rows[0]?.values.pipeline).toBe(125_000 + 65_025);
  });

  it('XLSX: the table as typed cells (dates, EUR amounts, counts), a frozen bold header, an About sheet', async () => {
    const path = await exportTo('xlsx');
    const bytes = await readFile(path);
    const book = XLSX.read(bytes, { cellNF: true, cellDates: true, cellStyles: true, bookFiles: true });
    expect(book.SheetNames).toEqual(['Forecast by month', 'About this export']);
    const sheet = book.Sheets['Forecast by month'] as XLSX.WorkSheet;
    const header = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1 })[0];
    expect(header).toEqual(['Month', 'Won', 'Commit', 'Best case', 'Weighted', 'Pipeline', 'Deals', 'Records']);
    forecast.rows.forEach((row, i) => {
      const r = i + 2;
      expect(sheet[`A${r}`]).toMatchObject({ t: 'd', z: 'yyyy-mm-dd' });
      expect((sheet[`A${r}`] as XLSX.CellObject).v).toEqual(new Date(`${row.key}-01T00:00:00.000Z`));
      ['won', 'commit', 'bestCase', 'weighted', 'pipeline'].forEach((key, c) => {
        expect(sheet[`${'BCDEF'[c]}${r}`]).toMatchObject({ t: 'n', v: euros(row.values[key]), z: '#,##0.00 "EUR"' });
      });
      expect(sheet[`G${r}`]).toMatchObject({ t: 'n', v: row.values.deals });
      expect(sheet[`H${r}`]).toMatchObject({ t: 'n', v: row.ids.length });
    });
    // Frozen first row and bold header, read from the sheet's own XML.
    const files = (book as unknown as { files: Record<string, { content: Uint8Array }> }).files;
    const xml = Buffer.from(files['xl/worksheets/sheet1.xml']?.content ?? []).toString('utf8');
    expect(xml).toMatch(/<pane[^>]*ySplit="1"[^>]*state="frozen"/);
    expect(Buffer.from(files['xl/styles.xml']?.content ?? []).toString('utf8')).toContain('<b/>');
    const about = XLSX.utils.sheet_to_json<string[]>(book.Sheets['About this export'] as XLSX.WorkSheet, {
      header: 1,
    });
    expect(about).toContainEqual(['Filters', 'Dates (expected close): This year; Owner: Rita Rep; Currency: EUR']);
    expect(about).toContainEqual([
      'Data as of',
      'Data as of last sync 2026-04-30 17:45 UTC · exported 2026-05-01 08:00 UTC',
    ]);
    // One batch audit entry for the whole export.
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'batch',
        entityKind: 'deal',
        recordCount: 2,
        reason: expect.stringMatching(/^Export: XLSX of 2 Forecast by month \(Filters: .*Owner: Rita Rep/),
      }),
    ]);
  });

  it('PDF (desktop): title, filters, stamp, the rows, and the chart as an image', async () => {
    const path = await exportTo('pdf');
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(text).toContain('Forecast by month');
    expect(text).toContain('Filters: Dates (expected close): This year; Owner: Rita Rep; Currency: EUR');
    expect(text).toContain('Data as of last sync 2026-04-30 17:45 UTC');
    expect(text).toMatch(/2026-03-01\s+€0\.00\s+€650\.25\s+€650\.25\s+€950\.13\s+€1,900\.25\s+2\s+2/);
    const images = execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatch(/^\s*1\s+\d+\s+image\s+40\s+20\s+rgb/);
  });

  it('PDF (browser, jsPDF): the same chart image and rows', async () => {
    const require = createRequire(import.meta.url);
    const font = (file: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)).toString('base64');
    const built = reportExport(input('pdf'));
    const bytes = await pdfBytes(built.meta, built.chunks, async () => ({
      regular: font('DejaVuSans.ttf'),
      bold: font('DejaVuSans-Bold.ttf'),
    }));
    const path = join(dir, 'browser.pdf');
    await writeFile(path, Buffer.from(bytes));
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(text).toContain('Filters: Dates (expected close): This year; Owner: Rita Rep; Currency: EUR');
    expect(text).toMatch(/2026-04-01\s+€999\.99/);
    expect(execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' })).toMatch(/image\s+40\s+20\s+rgb/);
  });

  it('CSV: the table with money as amount and currency; no chart', async () => {
    const path = await exportTo('csv');
    const rows: string[][] = parse((await readFile(path, 'utf8')).replace(/^\ufeff/, ''));
    expect(rows[0]?.slice(0, 3)).toEqual(['Month', 'Won', 'Won currency']);
    expect(rows[1]).toEqual([
      '2026-03-01',
      '0',
      'EUR',
      '650.25',
      'EUR',
      '650.25',
      'EUR',
      '950.13',
      'EUR',
      '1900.25',
      'EUR',
      '2',
      '2',
    ]);
    expect(rows[2]?.slice(0, 3)).toEqual(['2026-04-01', '999.99', 'EUR']);
  });

  it('JSON: rows, filters and when it was made', async () => {
    const path = await exportTo('json');
    const doc = JSON.parse(await readFile(path, 'utf8'));
    expect(doc).toMatchObject({ title: 'Forecast by month', filters: FILTERS, exportedAt: '2026-05-01T08:00:00.000Z' });
    expect(doc.sections[0].rows[1]).toEqual({
      month: '2026-04-01',
      won: { amount: 999.99, currency: 'EUR' },
      commit: { amount: 999.99, currency: 'EUR' },
      bestCase: { amount: 999.99, currency: 'EUR' },
      weighted: { amount: 0, currency: 'EUR' },
      pipeline: { amount: 0, currency: 'EUR' },
      deals: 1,
      records: 1,
    });
  });

  it('a report without month keys keeps its labels, with percent columns named', () => {
    const winLoss = reportById('winloss-owner').compute(
      { ...EMPTY_DATA, deals: [deal('w', { stage: 'closedWon', closedAt: '2026-02-01T00:00:00.000Z' })] },
      { currency: 'USD', convert: (a) => a },
    );
    const built = reportExport(input('xlsx', { result: winLoss }));
    expect(built.meta.sections[0]?.columns.map((c) => c.header)).toContain('Win rate (%)');
    expect(built.chunks[0]?.rows[0]?.[0]).toBe('Unknown user');
    expect(built.meta.images).toBeUndefined();
  });

  it('refuses an unknown format and an empty report with a message naming the problem', () => {
    expect(() => reportExport(input('docx'))).toThrow('format must be one of csv, xlsx, pdf, json (got "docx")');
    expect(() => reportExport(input('csv', { result: { ...forecast, rows: [] } }))).toThrow(
      'report has no rows to export: nothing matches these filters',
    );
    expect(() => reportExport(input('csv', { currency: 'euro' }))).toThrow('currency must be a three-letter ISO code');
  });

  it('main refuses a chart that is not base64 PNG data before writing anything', async () => {
    const built = reportExport(input('pdf', { chart: { ...CHART, png: 'not an image!' } }));
    const path = join(dir, 'bad.pdf');
    const sink = api(path);
    await sink.export.chooseFile('pdf', 'bad.pdf');
    await expect(sink.export.begin(path, built.meta)).rejects.toThrow('Invalid base64-encoded string');
    const gif = reportExport(input('pdf', { chart: { ...CHART, png: Buffer.from('GIF89a').toString('base64') } }));
    await sink.export.chooseFile('pdf', 'bad.pdf');
    await expect(sink.export.begin(path, gif.meta)).rejects.toThrow('must be a PNG image');
    expect(await readdir(dir)).toEqual([]);
  });
});
