import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../../../src-main/ipc/handlers';
import { IPC_ARG_SCHEMAS } from '../../../../../src-main/ipc/ipc-args';
import { type InvokeEvent, registerHandlers } from '../../../../../src-main/ipc/register-handlers';
import { APP_ORIGIN, isAppUrl } from '../../../../../src-main/security/trusted-url';
import { createExportService } from '../../../../../src-main/services/export/export-service';
import { repositoryFor } from '../../../../../src-renderer/features/exports/export-context';
import { desktopSink } from '../../../../../src-renderer/features/exports/export-sinks';
import { runExport } from '../../../../../src-renderer/features/exports/run-export';
import { builtInPermissions } from '../../../../../src-shared/auth/built-in-roles';
import { parsePermissions } from '../../../../../src-shared/auth/permissions';
import { getEntity } from '../../../../../src-shared/entities/registry';
import { type ExportFormat, exportColumnsFor } from '../../../../../src-shared/export/export-columns';
import { createCrmApi } from '../../../../../src-shared/ipc/crm-api';
import { openTestDb, type TestDb } from '../../../../support/local-db';

// The desktop path end to end without Electron: the renderer's export through window.crm (built by
// the preload's createCrmApi), the validated IPC handlers of main, and the streaming writers, to a
// real file read back with independent readers.

let t: TestDb;
let dir: string;
let chosen: string | undefined;
beforeEach(async () => {
  t = await openTestDb();
  dir = await mkdtemp(join(tmpdir(), 'desktop-export-'));
});
afterEach(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

function crmApi() {
  const listeners = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  registerHandlers(
    { handle: (channel, listener) => void listeners.set(channel, listener) },
    {
      handlers: createHandlers({
        getVersion: () => '1.0.0',
        platform: 'linux',
        sessionFile: { load: async () => null, save: async () => undefined, clear: async () => undefined },
        databaseKeyFile: { get: async () => null, forget: async () => {} },
        exports: createExportService({ chooseFile: async () => chosen }),
      }),
      argSchemas: IPC_ARG_SCHEMAS,
      isTrustedUrl: (url) => isAppUrl(url, [APP_ORIGIN]),
    },
  );
  const event: InvokeEvent = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } };
  return createCrmApi(async (channel, ...args) => listeners.get(channel)?.(event, ...args));
}

const deal = getEntity('deal');

async function exportDeals(format: ExportFormat, signal?: AbortSignal) {
  const api = crmApi();
  return runExport(
    {
      entity: 'deal',
      format,
      title: 'Deals',
      sources: exportColumnsFor(deal, ['name', 'amount', 'stage', 'expectedCloseDate']),
      where: {},
      filters: [],
      asOf: '2026-11-01T08:00:00.000Z',
    },
    {
      repo: repositoryFor(t.repos, 'deal'),
      getMany: (entity, ids) => repositoryFor(t.repos, entity).getMany(ids),
      permissions: parsePermissions(builtInPermissions('manager')),
      now: () => new Date('2026-11-01T10:00:00.000Z'),
      openSink: (meta) => desktopSink(api, meta, `deals.${format}`),
      audit: (entry) => t.repos.auditLog.create(entry as never),
      actor: () => t.db.actor(),
      pageSize: 40,
      ...(signal ? { signal } : {}),
    },
  );
}

async function seedDeals(n: number) {
  const company = await t.repos.company.create({ name: 'Acme' });
  await t.repos.deal.bulkCreate(
    Array.from({ length: n }, (_, i) => ({
      name: `Deal ${i}`,
      companyId: company.id,
      amount: 10_000 + i,
      currency: i % 2 ? 'EUR' : 'USD',
      expectedCloseDate: '2026-12-31',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    })) as never,
  );
}

describe('desktop export through window.crm and main', () => {
  it('writes the file the save dialog chose, with every record', async () => {
    await seedDeals(100);
    chosen = join(dir, 'deals.csv');
    expect(await exportDeals('csv')).toEqual({ status: 'done', rows: 100, target: chosen });
    const rows = parse(await readFile(chosen), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(100);
    expect(rows[0]).toEqual({
      Name: 'Deal 99',
      Amount: '100.99',
      'Amount currency': 'EUR',
      Stage: 'Prospecting',
      'Expected close': '2026-12-31',
    });
    chosen = join(dir, 'deals.pdf');
    await exportDeals('pdf');
    const text = execFileSync('pdftotext', ['-layout', chosen, '-'], { encoding: 'utf8' });
    expect(text).toContain('Data as of last sync 2026-11-01 08:00 UTC');
    for (let i = 0; i < 100; i++) expect(text).toContain(`Deal ${i} `);
  });

  it('a cancelled save dialog writes nothing; a cancelled export leaves no file', async () => {
    await seedDeals(100);
    chosen = undefined;
    expect(await exportDeals('xlsx')).toEqual({ status: 'cancelled' });
    chosen = join(dir, 'deals.xlsx');
    const controller = new AbortController();
    const pending = exportDeals('xlsx', controller.signal);
    controller.abort();
    expect(await pending).toEqual({ status: 'cancelled' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('main refuses a path the dialog did not return, whatever the page sends', async () => {
    const api = crmApi();
    await expect(
      api.export.begin('/etc/cron.d/x.csv', {
        format: 'csv',
        title: 'X',
        entity: 'deal',
        filters: [],
        asOf: null,
        exportedAt: '2026-11-01T10:00:00.000Z',
        sections: [{ name: 'X', columns: [{ key: 'name', header: 'Name', type: 'text' }] }],
      }),
    ).rejects.toThrow('path was not chosen in the save dialog');
    await expect(api.export.chooseFile('exe' as never, 'x.exe')).rejects.toThrow(/invalid-arguments/);
  });
});
