import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { WRITERS } from '../../../../../src-main/services/export/export-service';
import {
  auditExport,
  auditExportFilters,
  collectAuditEntries,
} from '../../../../../src-renderer/features/audit/audit-export';
import type { AuditDoc, ServerAuditPage } from '../../../../../src-renderer/features/audit/server-audit.queries';
import { AUDIT_EXPORT_COLUMNS } from '../../../../../src-shared/export/export-audit';

const entry = (id: string, at: string, overrides: Record<string, unknown> = {}): AuditDoc => ({
  id,
  kind: 'auditLog',
  at,
  createdAt: at,
  actorId: 'u_ada',
  deviceId: 'dev-1',
  source: 'local',
  action: 'update',
  collectionName: 'contacts',
  entityKind: 'contact',
  entityId: 'c_1',
  recordCount: 1,
  changes: { jobTitle: ['Engineer', 'Admiral'] },
  ...overrides,
});

describe('the Audit log export', () => {
  it('merges the device’s and the server’s entries newest first, each once, over every page', async () => {
    const serverPages: ServerAuditPage[] = [
      {
        entries: [entry('s3', '2026-05-03T00:00:00.000Z'), entry('both', '2026-05-02T00:00:00.000Z')],
        next: { before: 'x', beforeId: 'both' },
      },
      { entries: [entry('s1', '2026-05-01T00:00:00.000Z', { source: 'server' })], next: null },
    ];
    const local = [
      entry('d4', '2026-05-04T00:00:00.000Z'),
      entry('both', '2026-05-02T00:00:00.000Z', { reason: 'local copy' }),
    ];
    const cursors: unknown[] = [];
    const entries = await collectAuditEntries({
      readLocal: async (skip, limit) => local.slice(skip, skip + limit),
      readServer: async (cursor) => {
        cursors.push(cursor);
        return serverPages[cursors.length - 1] as ServerAuditPage;
      },
    });
    expect(entries.map((e) => e.id)).toEqual(['d4', 's3', 'both', 's1']);
    expect(entries.find((e) => e.id === 'both')?.reason).toBe('local copy');
    expect(cursors).toEqual([null, { before: 'x', beforeId: 'both' }]);
    // Offline or signed out: the device's entries alone.
    expect((await collectAuditEntries({ readLocal: async () => local })).map((e) => e.id)).toEqual(['d4', 'both']);
  });

  it('names the filters on screen, and writes a file that reads back with the entries', async () => {
    const filters = auditExportFilters(
      { entityKind: 'contact', actorId: 'u_ada', from: '2026-05-01', recordId: ' c_1 ' },
      (id) => (id === 'u_ada' ? 'Ada Admin' : id),
    );
    expect(filters).toEqual([
      { label: 'Entity', value: 'contact' },
      { label: 'By', value: 'Ada Admin' },
      { label: 'Record id', value: 'c_1' },
      { label: 'From', value: '2026-05-01' },
    ]);
    const entries = [
      entry('e2', '2026-05-02T00:00:00.000Z', { reason: 'fixed a typo' }),
      entry('e1', '2026-05-01T00:00:00.000Z'),
    ];
    const built = auditExport(entries, {
      format: 'csv',
      filters,
      asOf: null,
      exportedAt: '2026-05-05T00:00:00.000Z',
      names: (entity, id) => (entity === 'user' && id === 'u_ada' ? 'Ada Admin' : undefined),
    });
    expect(built.meta.sections[0]?.columns.map((c) => c.key)).toEqual([...AUDIT_EXPORT_COLUMNS]);
    expect(built.rowCount).toBe(2);

    const stream = new PassThrough();
    const bytes: Buffer[] = [];
    stream.on('data', (b: Buffer) => bytes.push(b));
    const writer = WRITERS.csv(stream, built.meta);
    for await (const chunk of built.chunks) await writer.write(chunk);
    await writer.end();
    const rows = parse(Buffer.concat(bytes), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.Who, r.Record, r.Reason])).toEqual([
      ['Ada Admin', 'c_1', 'fixed a typo'],
      ['Ada Admin', 'c_1', ''],
    ]);
    expect(rows[0]?.Changes).toContain('Admiral');
  });
});
