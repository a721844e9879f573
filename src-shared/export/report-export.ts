import type { ReportResult, ReportSeries } from '../reports/report-types';
import type { ExportCell } from './export-cells';
import { EXPORT_FORMATS, type ExportColumn, ExportError, isExportFormat } from './export-columns';
import {
  EXPORT_CHUNK_ROWS,
  type ExportChunk,
  type ExportFilter,
  type ExportImage,
  type ExportMeta,
} from './export-meta';

/**
 * A report as an export: its table as one section (one sheet in XLSX, one table in PDF), numbers
 * typed from the series' kinds, and the chart as a picture for the PDF. Pure, so the desktop and
 * the browser build the same file from the same numbers the screen shows.
 */
export interface ReportExportInput {
  /** Checked here: the format arrives from a control or a saved definition. */
  readonly format: unknown;
  readonly title: string;
  readonly result: ReportResult;
  /** The report's filters as the screen shows them (`Dates: This year`, `Currency: EUR`). */
  readonly filters: readonly ExportFilter[];
  /** The currency money is shown in and its minor-unit digits: report money is in minor units. */
  readonly currency: string;
  readonly decimals: number;
  readonly asOf: string | null;
  readonly exportedAt: string;
  /** The chart, rasterised in the page; only a PDF prints it. */
  readonly chart?: ExportImage;
}

export interface ReportExport {
  readonly meta: ExportMeta;
  readonly chunks: readonly ExportChunk[];
  /** The kinds of record behind the numbers: the role must be able to read each to export. */
  readonly readEntities: readonly string[];
  readonly rowCount: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A period report (forecast by month) gets a real date column, so a spreadsheet sorts and filters it as dates. */
function byMonth(result: ReportResult): boolean {
  return result.rows.every((r) => MONTH.test(r.key));
}

function seriesColumn(series: ReportSeries): ExportColumn {
  switch (series.kind) {
    case 'money':
      return { key: series.key, header: series.label, type: 'money' };
    case 'percent':
      return { key: series.key, header: `${series.label} (%)`, type: 'number' };
    case 'days':
      return {
        key: series.key,
        header: /\bdays?\b/i.test(series.label) ? series.label : `${series.label} (days)`,
        type: 'number',
      };
    case 'count':
      return { key: series.key, header: series.label, type: 'number' };
  }
}

function seriesCell(series: ReportSeries, value: number | undefined, currency: string, decimals: number): ExportCell {
  if (value === undefined || !Number.isFinite(value)) return null;
  if (series.kind === 'money') return { amount: value / 10 ** decimals, currency };
  return value;
}

export function reportExport(input: ReportExportInput): ReportExport {
  if (!isExportFormat(input.format)) {
    throw new ExportError(
      'format',
      `must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(input.format)})`,
    );
  }
  const { result } = input;
  if (result.rows.length === 0) {
    throw new ExportError('report', 'has no rows to export: nothing matches these filters');
  }
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new ExportError('currency', 'must be a three-letter ISO code');
  if (!Number.isInteger(input.decimals) || input.decimals < 0 || input.decimals > 4) {
    throw new ExportError('decimals', 'must be a whole number from 0 to 4');
  }
  const months = byMonth(result);
  const columns: ExportColumn[] = [
    months ? { key: 'month', header: 'Month', type: 'date' } : { key: 'group', header: 'Group', type: 'text' },
    ...result.series.map(seriesColumn),
    { key: 'records', header: 'Records', type: 'number' },
  ];
  const rows = result.rows.map((row): ExportCell[] => [
    months ? `${row.key}-01` : row.label,
    ...result.series.map((s) => seriesCell(s, row.values[s.key], input.currency, input.decimals)),
    row.ids.length,
  ]);
  const meta: ExportMeta = {
    format: input.format,
    title: input.title,
    entity: result.entity,
    filters: input.filters,
    asOf: input.asOf,
    exportedAt: input.exportedAt,
    sections: [{ name: input.title, columns }],
    ...(input.format === 'pdf' && input.chart ? { images: [input.chart] } : {}),
  };
  const readEntities = [...new Set(result.series.map((s) => s.entity).filter((e): e is string => e !== undefined))];
  const chunks: ExportChunk[] = [];
  for (let i = 0; i < rows.length; i += EXPORT_CHUNK_ROWS)
    chunks.push({ section: 0, rows: rows.slice(i, i + EXPORT_CHUNK_ROWS) });
  return { meta, chunks, readEntities, rowCount: rows.length };
}
