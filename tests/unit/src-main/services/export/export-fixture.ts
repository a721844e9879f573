import type { ExportCell } from '../../../../../src-shared/export/export-cells';
import type { ExportColumn } from '../../../../../src-shared/export/export-columns';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';

/** Every column type, as a deal list with a custom field would export them. */
export const COLUMNS: ExportColumn[] = [
  { key: 'name', header: 'Name', type: 'text' },
  { key: 'amount', header: 'Amount', type: 'money' },
  { key: 'probability', header: 'Probability', type: 'number' },
  { key: 'closeDate', header: 'Close date', type: 'date' },
  { key: 'updatedAt', header: 'Updated', type: 'datetime' },
  { key: 'won', header: 'Won', type: 'boolean' },
  { key: 'customFields.region', header: 'Sales region', type: 'text' },
];

const CURRENCIES = ['USD', 'EUR', 'JPY'] as const;

/** Row i of the fixture; every 10th leaves the optional cells empty. */
export function fixtureRow(i: number): ExportCell[] {
  const empty = i % 10 === 9;
  const currency = CURRENCIES[i % 3] ?? 'USD';
  return [
    `Deal ${i}, "phase" ${i % 4}`,
    empty ? null : { amount: currency === 'JPY' ? 1000 + i : 1000 + i + 0.25, currency },
    empty ? null : (i % 100) / 4,
    empty ? null : `2026-${String((i % 12) + 1).padStart(2, '0')}-15`,
    `2026-03-0${(i % 9) + 1}T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
    i % 2 === 0,
    empty ? null : `Région ${i % 5}`,
  ];
}

export function fixtureMeta(format: ExportMeta['format'], sections = ['Deals']): ExportMeta {
  return {
    format,
    title: 'Open deals',
    entity: 'deal',
    filters: [
      { label: 'Stage', value: 'Proposal' },
      { label: 'Owner', value: 'Rita Rep' },
    ],
    asOf: '2026-03-10T08:30:00.000Z',
    exportedAt: '2026-03-10T09:00:00.000Z',
    sections: sections.map((name) => ({ name, columns: COLUMNS })),
  };
}
