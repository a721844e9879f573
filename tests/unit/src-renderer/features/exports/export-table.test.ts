import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { createExportService } from '../../../../../src-main/services/export/export-service';
import { desktopSink } from '../../../../../src-renderer/features/exports/export-sinks';
import { exportTable, type TableExportDeps } from '../../../../../src-renderer/features/exports/run-export';
import { builtInPermissions } from '../../../../../src-shared/auth/built-in-roles';
import { parsePermissions } from '../../../../../src-shared/auth/permissions';
import type { ExportChunk, ExportMeta } from '../../../../../src-shared/export/export-meta';
import type { CrmApi } from '../../../../../src-shared/ipc/crm-api';

// A report's export: several sections (a sheet each in XLSX), rows computed rather than read from
// one list, through main's writers as the desktop app does.

let dir: string;
const audits: Record<string, unknown>[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-table-'));
  audits.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function api(path: string): CrmApi {
  const service = createExportService({ chooseFile: async () => path });
  return {
    export: {
      chooseFile: (f: never, n: string) => service.chooseFile(f, n),
      begin: (p: string, m: ExportMeta) => service.begin(p, m),
      append: (id: string, c: ExportChunk) => service.append(id, c),
      finish: (id: string) => service.finish(id),
      cancel: (id: string) => service.cancel(id),
    },
  } as unknown as CrmApi;
}

const meta = (format: ExportMeta['format']): ExportMeta => ({
  format,
  title: 'Pipeline by stage',
  entity: 'deal',
  filters: [{ label: 'Close date', value: '2026-01-01 to 2026-03-31' }],
  asOf: '2026-03-31T18:00:00.000Z',
  exportedAt: '2026-04-01T09:00:00.000Z',
  sections: [
    {
      name: 'By stage',
      columns: [
        { key: 'stage', header: 'Stage', type: 'text' },
        { key: 'amount', header: 'Amount', type: 'money' },
      ],
    },
    {
      name: 'By owner',
      columns: [
        { key: 'owner', header: 'Owner', type: 'text' },
        { key: 'deals', header: 'Deals', type: 'number' },
      ],
    },
  ],
});

async function* rows(): AsyncGenerator<ExportChunk> {
  yield {
    section: 0,
    rows: [
      ['Proposal', { amount: 12_500, currency: 'EUR' }],
      ['Negotiation', null],
    ],
  };
  yield { section: 1, rows: [['Rita Rep', 4]] };
}

function deps(path: string, format: ExportMeta['format']): TableExportDeps {
  return {
    permissions: parsePermissions(builtInPermissions('rep')),
    now: () => new Date('2026-04-01T09:00:00.000Z'),
    openSink: (m) => desktopSink(api(path), m, `pipeline.${format}`),
    audit: async (entry) => audits.push(entry),
    actor: () => ({ userId: 'user-rep-1', deviceId: 'device-1' }),
  };
}

describe('exportTable', () => {
  it('writes a sheet per section and audits the export', async () => {
    const path = join(dir, 'pipeline.xlsx');
    const outcome = await exportTable(meta('xlsx'), ['company'], rows(), 3, deps(path, 'xlsx'));
    expect(outcome).toEqual({ status: 'done', rows: 3, target: path });
    const book = XLSX.read(await readFile(path), { cellNF: true });
    expect(book.SheetNames).toEqual(['By stage', 'By owner', 'About this export']);
    expect(book.Sheets['By stage']?.B2).toMatchObject({ t: 'n', v: 12_500, z: '#,##0.00 "EUR"' });
    expect(book.Sheets['By owner']?.B2).toMatchObject({ t: 'n', v: 4 });
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'batch',
        entityKind: 'deal',
        recordCount: 3,
        reason: 'Export: XLSX of 3 Pipeline by stage (Filters: Close date: 2026-01-01 to 2026-03-31)',
      }),
    ]);
  });

  it('prints each section under its name in the PDF', async () => {
    const path = join(dir, 'pipeline.pdf');
    await exportTable(meta('pdf'), [], rows(), 3, deps(path, 'pdf'));
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(text).toMatch(
      /Pipeline by stage[\s\S]*By stage[\s\S]*Proposal\s+€12,500\.00[\s\S]*By owner[\s\S]*Rita Rep\s+4/,
    );
  });

  it('refuses a role that cannot read an entity behind the rows', async () => {
    const path = join(dir, 'pipeline.csv');
    const permissions = parsePermissions({ ...builtInPermissions('rep'), company: { read: 'none' } });
    await expect(
      exportTable(meta('csv'), ['contact', 'company'], rows(), 3, { ...deps(path, 'csv'), permissions }),
    ).rejects.toThrow('company cannot be exported: your role may not read companies');
    expect(audits).toEqual([]);
  });
});
