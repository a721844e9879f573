import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../scripts/cli/report-output';
import type { ReportResult } from '../../../src-shared/reports';

// `npm run crm -- report … --format csv`: row labels are names people typed (a company, an owner),
// so one starting like a formula must not run when the CSV is opened in a spreadsheet (OWASP CSV injection).

const result: ReportResult = {
  entity: 'deal',
  chart: 'bar',
  unconvertible: [],
  series: [
    { key: 'won', label: 'Won', kind: 'money' },
    { key: 'change', label: 'Change', kind: 'percent' },
  ],
  rows: [
    { key: 'c1', label: '=HYPERLINK("http://evil","x")', values: { won: 125050, change: -12.5 }, ids: ['d1'] },
    { key: 'c2', label: 'Zoë Ñúñez', values: { won: 0 }, ids: ['d2'] },
  ],
};

describe('report CSV', () => {
  it('prefixes a quote to a label that starts like a formula; negative numbers stay numbers', () => {
    const text = formatReport(result, { id: 'won', title: 'Won', currency: 'EUR', decimals: 2 }, 'csv');
    expect(parse(text)).toEqual([
      ['', 'Won (EUR)', 'Change (%)'],
      ['\'=HYPERLINK("http://evil","x")', '1250.5', '-12.5'],
      ['Zoë Ñúñez', '0', ''],
    ]);
  });
});
