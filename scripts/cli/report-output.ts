import Papa from 'papaparse';
import { csvText } from '../../src-shared/export/export-cells';
import type { ReportResult, ReportSeries } from '../../src-shared/reports';

/**
 * A report's rows as the CLI prints them: money in major units of the report's currency (the
 * reports compute minor units), percents and days to one decimal, a missing value empty.
 */

export type ReportFormat = 'table' | 'json' | 'csv';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'csv'];

export interface ReportHeader {
  readonly id: string;
  readonly title: string;
  readonly currency: string;
  readonly decimals: number;
  readonly from?: string;
  readonly to?: string;
}

function shownValue(series: ReportSeries, value: number | undefined, decimals: number): number | undefined {
  if (value === undefined) return undefined;
  if (series.kind === 'money') return Number((value / 10 ** decimals).toFixed(decimals));
  if (series.kind === 'count') return value;
  return Math.round(value * 10) / 10;
}

const headerOf = (s: ReportSeries, currency: string) =>
  s.kind === 'money'
    ? `${s.label} (${currency})`
    : s.kind === 'percent'
      ? `${s.label} (%)`
      : s.kind === 'days'
        ? `${s.label} (days)`
        : s.label;

export function reportTable(result: ReportResult, header: ReportHeader): (string | number)[][] {
  return [
    ['', ...result.series.map((s) => headerOf(s, header.currency))],
    ...result.rows.map((row) => [
      row.label,
      ...result.series.map((s) => shownValue(s, row.values[s.key], header.decimals) ?? ''),
    ]),
  ];
}

export function formatReport(result: ReportResult, header: ReportHeader, format: ReportFormat): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        report: header.id,
        title: header.title,
        currency: header.currency,
        from: header.from ?? null,
        to: header.to ?? null,
        series: result.series.map((s) => ({ key: s.key, label: s.label, kind: s.kind })),
        rows: result.rows.map((row) => ({
          key: row.key,
          label: row.label,
          values: Object.fromEntries(
            result.series.map((s) => [s.key, shownValue(s, row.values[s.key], header.decimals) ?? null]),
          ),
          records: row.ids.length,
        })),
        unconvertible: result.unconvertible,
      },
      null,
      2,
    )}\n`;
  }
  const table = reportTable(result, header);
  if (format === 'csv') {
    // A label is a name someone typed: one starting like a formula is made text (csvText, OWASP).
    const safe = table.map((row) => row.map((cell) => (typeof cell === 'string' ? csvText(cell) : cell)));
    return `${Papa.unparse(safe, { newline: '\n' })}\n`;
  }
  const text = table.map((row) =>
    row.map((cell) =>
      typeof cell === 'number' ? cell.toLocaleString('en-US', { maximumFractionDigits: header.decimals }) : cell,
    ),
  );
  const widths = (text[0] ?? []).map((_, i) => Math.max(...text.map((row) => String(row[i] ?? '').length)));
  const lines = text.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
  );
  const range = header.from || header.to ? ` · ${header.from ?? '…'} to ${header.to ?? '…'}` : '';
  const title = `${header.title} (${header.currency}${range})`;
  const notes =
    result.unconvertible.length > 0
      ? [`${result.unconvertible.length} record(s) had no exchange rate to ${header.currency} on their date`]
      : [];
  return `${[title, '', ...lines, ...(result.rows.length === 0 ? ['(no rows)'] : []), ...notes].join('\n')}\n`;
}
