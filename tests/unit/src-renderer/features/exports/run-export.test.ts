import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repositoryFor } from '../../../../../src-renderer/features/exports/export-context';
import type { ExportSink } from '../../../../../src-renderer/features/exports/export-sinks';
import { type ExportDeps, runExport } from '../../../../../src-renderer/features/exports/run-export';
import { builtInPermissions } from '../../../../../src-shared/auth/built-in-roles';
import { parsePermissions } from '../../../../../src-shared/auth/permissions';
import { getEntity } from '../../../../../src-shared/entities/registry';
import { exportColumnsFor } from '../../../../../src-shared/export/export-columns';
import type { ExportChunk, ExportMeta } from '../../../../../src-shared/export/export-meta';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

const contact = getEntity('contact');
const SOURCES = exportColumnsFor(contact, [
  'firstName',
  'lastName',
  'companyId',
  'status',
  'doNotContact',
  'createdAt',
]);

/** 130 contacts, 60 of them created in the same millisecond (pages must not lose or repeat them). */
async function seed(): Promise<void> {
  const company = await t.repos.company.create({ name: 'Acme Rockets' });
  await t.repos.contact.bulkCreate(
    Array.from({ length: 130 }, (_, i) => ({
      firstName: `Person${String(i).padStart(3, '0')}`,
      lastName: 'Doe',
      status: i % 4 === 0 ? ('inactive' as const) : ('active' as const),
      companyId: i % 2 === 0 ? company.id : undefined,
      doNotContact: i % 3 === 0,
      createdAt: new Date(Date.UTC(2026, 0, 1) + (i < 60 ? 0 : i * 1000)).toISOString(),
    })),
  );
}

function memorySink() {
  const chunks: ExportChunk[] = [];
  let meta: ExportMeta | undefined;
  const state = { finished: false, cancelled: false };
  const open = async (m: ExportMeta): Promise<ExportSink> => {
    meta = m;
    return {
      write: async (chunk) => {
        chunks.push(chunk);
      },
      finish: async () => {
        state.finished = true;
        return 'contacts.csv';
      },
      cancel: async () => {
        state.cancelled = true;
      },
    };
  };
  return { chunks, open, state, meta: () => meta };
}

function deps(sink: ReturnType<typeof memorySink>, extra: Partial<ExportDeps> = {}): ExportDeps {
  return {
    repo: repositoryFor(t.repos, 'contact'),
    getMany: (entity, ids) => repositoryFor(t.repos, entity).getMany(ids),
    permissions: parsePermissions(builtInPermissions('rep')),
    now: () => new Date('2026-11-01T10:00:00.000Z'),
    openSink: sink.open,
    audit: (entry) => t.repos.auditLog.create(entry as never),
    actor: () => t.db.actor(),
    pageSize: 25,
    ...extra,
  };
}

const request = {
  entity: 'contact',
  format: 'csv' as const,
  title: 'Contacts',
  sources: SOURCES,
  where: { status: 'active' },
  filters: [{ label: 'Status', value: 'Active' }],
  asOf: null,
};

async function exportAudits() {
  return (await t.repos.auditLog.list({ where: { action: 'batch' } })).filter((a) => a.reason?.startsWith('Export:'));
}

describe('runExport', () => {
  it('exports every record of the filtered list once, in the list’s order, with names for references', async () => {
    await seed();
    const sink = memorySink();
    const progress: number[] = [];
    const outcome = await runExport(request, deps(sink, { onProgress: (p) => progress.push(p.done) }));
    const expected = await t.repos.contact.list({ where: { status: 'active' } });
    expect(expected).toHaveLength(97);
    expect(outcome).toEqual({ status: 'done', rows: 97, target: 'contacts.csv' });
    const rows = sink.chunks.flatMap((c) => c.rows);
    expect(rows.map((r) => r[0])).toEqual(expected.map((c) => c.firstName));
    expect(new Set(rows.map((r) => r[0])).size).toBe(97);
    expect(sink.chunks.map((c) => c.rows.length)).toEqual([25, 25, 25, 22]);
    expect(progress).toEqual([0, 25, 50, 75, 97]);
    const withCompany = rows.find((r) => r[2] !== null);
    expect(withCompany?.slice(2, 5)).toEqual(['Acme Rockets', 'Active', expect.any(Boolean)]);
    expect(sink.meta()?.sections[0]?.columns.map((c) => c.type)).toEqual([
      'text',
      'text',
      'text',
      'text',
      'boolean',
      'datetime',
    ]);
  });

  it('audits the export: a batch entry naming format, row count and filters', async () => {
    await seed();
    await runExport(request, deps(memorySink()));
    const [audit, ...more] = await exportAudits();
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      action: 'batch',
      entityKind: 'contact',
      collectionName: 'contacts',
      actorId: 'user-rep-1',
      recordCount: 97,
      reason: 'Export: CSV of 97 Contacts (Filters: Status: Active)',
      records: [],
    });
  });

  it('exports several filters merged in the list’s order, newest first, as the list shows them', async () => {
    await seed();
    const sink = memorySink();
    await runExport({ ...request, where: [{ status: 'active' }, { status: 'inactive' }] }, deps(sink));
    const rows = sink.chunks.flatMap((c) => c.rows);
    const expected = await t.repos.contact.list({ limit: 1000 });
    expect(rows.map((r) => r[0])).toEqual(expected.map((c) => c.firstName));
    expect(sink.chunks.map((c) => c.rows.length)).toEqual([25, 25, 25, 25, 25, 5]);
  });

  it('exports leads in the inbox’s score order, highest first, across its status filters', async () => {
    await t.repos.lead.bulkCreate(
      Array.from({ length: 60 }, (_, i) => ({
        lastName: `Lead${String(i).padStart(2, '0')}`,
        score: (i * 37) % 101,
        status: i % 2 === 0 ? ('new' as const) : ('contacted' as const),
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      })) as never,
    );
    const sink = memorySink();
    await runExport(
      {
        ...request,
        entity: 'lead',
        title: 'Leads',
        sources: exportColumnsFor(getEntity('lead'), ['lastName', 'score']),
        where: [{ status: 'new' }, { status: 'contacted' }],
        order: 'score',
      },
      deps(sink, { repo: repositoryFor(t.repos, 'lead') }),
    );
    const rows = sink.chunks.flatMap((c) => c.rows);
    const expected = await t.repos.lead.list({ order: 'score', limit: 1000 });
    expect(rows.map((r) => r[0])).toEqual(expected.map((l) => l.lastName));
    expect(rows.map((r) => r[1])).toEqual(rows.map((r) => r[1]).toSorted((a, b) => Number(b) - Number(a)));
  });

  it('refuses a role that may not read the entity, before opening any file', async () => {
    await seed();
    const sink = memorySink();
    const permissions = parsePermissions({ ...builtInPermissions('rep'), contact: { read: 'none' } });
    await expect(runExport(request, deps(sink, { permissions }))).rejects.toThrow(
      'contact cannot be exported: your role may not read contacts',
    );
    expect(sink.meta()).toBeUndefined();
    expect(await exportAudits()).toEqual([]);
  });

  it('cancel discards the file and audits nothing', async () => {
    await seed();
    const sink = memorySink();
    const controller = new AbortController();
    const outcome = await runExport(
      request,
      deps(sink, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done >= 25) controller.abort();
        },
      }),
    );
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(sink.state).toEqual({ finished: false, cancelled: true });
    expect(await exportAudits()).toEqual([]);
  });

  it('a save dialog the user closes exports nothing', async () => {
    await seed();
    const outcome = await runExport(request, deps(memorySink(), { openSink: async () => undefined }));
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(await exportAudits()).toEqual([]);
  });

  it('a sink that fails cancels the file and reports the error', async () => {
    await seed();
    const sink = memorySink();
    const failing = async (m: ExportMeta) => ({
      ...(await sink.open(m)),
      write: async () => {
        throw new Error('disk full');
      },
    });
    await expect(runExport(request, deps(sink, { openSink: failing }))).rejects.toThrow('disk full');
    expect(sink.state.cancelled).toBe(true);
    expect(await exportAudits()).toEqual([]);
  });
});
