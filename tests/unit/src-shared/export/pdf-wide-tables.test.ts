import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportService } from '../../../../src-main/services/export/export-service';
import { pdfBytes } from '../../../../src-renderer/features/exports/browser-pdf';
import type { ExportCell } from '../../../../src-shared/export/export-cells';
import type { ExportColumn } from '../../../../src-shared/export/export-columns';
import { pdfColumnGroups } from '../../../../src-shared/export/export-layout';
import type { ExportMeta } from '../../../../src-shared/export/export-meta';

/**
 * A contact's default export has 29 columns. Printed side by side on one A4 page each was 26 pt
 * wide, and an email came out as "ana.…". Both PDF writers now print such a table in column groups
 * on successive pages, each starting with the first column; read back with poppler's pdftotext.
 */

const USABLE = 841.89 - 64;
/** About DejaVu Sans at 7.5 pt: wide enough to be realistic, simple enough to reason about. */
const measure = (text: string, bold: boolean) => text.length * (bold ? 4.4 : 4.1);

const WIDE: ExportColumn[] = [
  { key: 'firstName', header: 'First name', type: 'text' },
  { key: 'email', header: 'Email', type: 'text' },
  ...Array.from({ length: 24 }, (_, i): ExportColumn => ({ key: `f${i}`, header: `Field ${i}`, type: 'text' })),
  { key: 'amount', header: 'Amount', type: 'money' },
  { key: 'optIn', header: 'Email opt-in', type: 'boolean' },
  { key: 'createdAt', header: 'Created', type: 'datetime' },
];
const ROWS = 130;
const row = (i: number): ExportCell[] => [
  `Person${i}`,
  `person.number${i}@fabrikam.example`,
  ...Array.from({ length: 24 }, (_, f) => `v${f}-${i}`),
  { amount: 1000 + i, currency: 'EUR' },
  i % 2 === 0,
  '2026-03-01T10:00:00.000Z',
];
const meta = (format: 'pdf'): ExportMeta => ({
  format,
  title: 'Contacts',
  entity: 'contact',
  filters: [],
  asOf: '2026-03-10T08:30:00.000Z',
  exportedAt: '2026-03-10T09:00:00.000Z',
  sections: [{ name: 'Contacts', columns: WIDE }],
});

describe('pdfColumnGroups', () => {
  it('keeps a table that fits on one page, widened to the page', () => {
    const narrow = WIDE.slice(0, 4);
    const groups = pdfColumnGroups(narrow, [['Ada', 'ada@example.com', 'x', 'y']], USABLE, measure);
    expect(groups.map((g) => g.columns)).toEqual([[0, 1, 2, 3]]);
    expect(groups[0]?.widths.reduce((a, b) => a + b, 0)).toBeCloseTo(USABLE - 0.5, 5);
  });

  it('splits a wide table into groups that start with the first column and hold every other column once', () => {
    const sample = Array.from({ length: 50 }, (_, i) =>
      row(i).map((c) => (typeof c === 'string' ? c : 'EUR 1,000.00')),
    );
    const groups = pdfColumnGroups(WIDE, sample, USABLE, measure);
    expect(groups.length).toBeGreaterThan(1);
    for (const group of groups) {
      expect(group.columns[0]).toBe(0);
      expect(group.widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(USABLE);
    }
    expect(groups.flatMap((g) => g.columns.slice(1))).toEqual(WIDE.map((_, i) => i).slice(1));
    // The email column is as wide as most of its values.
    const email = groups[0]?.widths[groups[0].columns.indexOf(1)] ?? 0;
    expect(email).toBeGreaterThanOrEqual(measure('person.number49@fabrikam.example', false));
  });

  it('keeps ten list columns on one page when each still fits its header, sharing the room by what each wants', () => {
    const ten = WIDE.slice(0, 10);
    const sample = Array.from({ length: 50 }, (_, i) =>
      row(i)
        .slice(0, 10)
        .map((c) => `${String(c)} and a good deal more text`),
    );
    const groups = pdfColumnGroups(ten, sample, USABLE, measure);
    expect(groups.map((g) => g.columns)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    const widths = groups[0]?.widths ?? [];
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(USABLE - 0.5, 5);
    // The email wants most, so it gets most; every header stays whole.
    expect(Math.max(...widths)).toBe(widths[1]);
    ten.forEach((c, i) => {
      expect(widths[i]).toBeGreaterThanOrEqual(measure(c.header, true));
    });
  });

  it('bounds a column of very long values and refuses no table', () => {
    const long = [{ key: 'notes', header: 'Notes', type: 'text' } as const];
    const groups = pdfColumnGroups([WIDE[0] as ExportColumn, ...long], [['Ada', 'x'.repeat(5000)]], USABLE, measure);
    expect(groups).toHaveLength(1);
    expect(pdfColumnGroups([], [], USABLE, measure)).toEqual([{ columns: [], widths: [] }]);
  });
});

describe('wide tables in both PDF writers', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdf-wide-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const expectReadable = (text: string) => {
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    // Every page starts its table with the first column, and every row's email is printed whole.
    for (const page of pages) expect(page).toMatch(/^\s*First name\s/m);
    for (let i = 0; i < ROWS; i++) {
      expect(text).toContain(`person.number${i}@fabrikam.example`);
      expect(text).toContain(`v23-${i}`);
    }
    expect(text).toMatch(/Created/);
    expect(text).not.toContain('…');
    return pages;
  };

  it('desktop (pdfkit, streamed)', async () => {
    const service = createExportService({ chooseFile: async () => join(dir, 'wide.pdf') });
    const path = (await service.chooseFile('pdf', 'wide.pdf')) as string;
    const { exportId } = await service.begin(path, meta('pdf'));
    for (let start = 0; start < ROWS; start += 50) {
      const rows = Array.from({ length: Math.min(50, ROWS - start) }, (_, k) => row(start + k));
      await service.append(exportId, { section: 0, rows });
    }
    await service.finish(exportId);
    const pages = expectReadable(execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }));
    // Across, then down: the first page of rows, then its other columns, before the next rows.
    expect(pages[1]).toContain('Person0 ');
    expect(pages[1]).not.toContain('Person0@');
  });

  it('browser (jsPDF + autoTable)', async () => {
    const require = createRequire(import.meta.url);
    const font = (file: string) => readFile(require.resolve(`dejavu-fonts-ttf/ttf/${file}`), 'base64');
    const bytes = await pdfBytes(
      meta('pdf'),
      [{ section: 0, rows: Array.from({ length: ROWS }, (_, i) => row(i)) }],
      async () => ({
        regular: await font('DejaVuSans.ttf'),
        bold: await font('DejaVuSans-Bold.ttf'),
      }),
    );
    const path = join(dir, 'browser.pdf');
    await writeFile(path, Buffer.from(bytes));
    const pages = expectReadable(execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }));
    expect(pages[1]).toContain('Person0 ');
  });
});
