import { auditLogEntity } from '../../../src-shared/entities/audit.entity';
import { AUDIT_EXPORT_COLUMNS } from '../../../src-shared/export/export-audit';
import { exportRow, type NameLookup } from '../../../src-shared/export/export-cells';
import { type ExportFormat, exportColumnsFor } from '../../../src-shared/export/export-columns';
import {
  EXPORT_CHUNK_ROWS,
  type ExportChunk,
  type ExportFilter,
  type ExportMeta,
} from '../../../src-shared/export/export-meta';

import type { AuditFilter } from './audit.queries';
import { compareAudit } from './merge-audit';
import type { AuditDoc, ServerAuditPage } from './server-audit.queries';

/**
 * The Audit log screen's export: every entry the filters match, this device's and (signed in and
 * online) the server's, merged newest first without duplicates, as the list shows them, with who,
 * when, what, the reason and the before/after values (JSON text). The same columns as the server's
 * `npm run crm -- export auditLog`.
 */

const PAGE = 500;

export interface AuditExportSources {
  /** This device's entries matching the filter, newest first, `limit` from `skip`. */
  readLocal(skip: number, limit: number): Promise<readonly AuditDoc[]>;
  /** The server's pages for the filter; undefined when its trail cannot be read (offline, signed out). */
  readServer?: (cursor: ServerAuditPage['next']) => Promise<ServerAuditPage>;
}

/** Every matching entry of both sources, newest first, each once (the device's copy kept). */
export async function collectAuditEntries(sources: AuditExportSources): Promise<AuditDoc[]> {
  const byId = new Map<string, AuditDoc>();
  if (sources.readServer) {
    let cursor: ServerAuditPage['next'] = null;
    do {
      const page: ServerAuditPage = await sources.readServer(cursor);
      for (const entry of page.entries) byId.set(entry.id, entry);
      cursor = page.next;
    } while (cursor !== null);
  }
  for (let skip = 0; ; skip += PAGE) {
    const page = await sources.readLocal(skip, PAGE);
    for (const entry of page) byId.set(entry.id, entry);
    if (page.length < PAGE) break;
  }
  return [...byId.values()].sort(compareAudit);
}

/** The filters on screen as the file names them. */
export function auditExportFilters(filter: AuditFilter, actorName: (id: string) => string): ExportFilter[] {
  const out: ExportFilter[] = [];
  if (filter.entityKind) out.push({ label: 'Entity', value: filter.entityKind });
  if (filter.action) out.push({ label: 'Action', value: filter.action });
  if (filter.actorId) out.push({ label: 'By', value: actorName(filter.actorId) });
  if (filter.recordId?.trim()) out.push({ label: 'Record id', value: filter.recordId.trim() });
  if (filter.from) out.push({ label: 'From', value: filter.from });
  if (filter.to) out.push({ label: 'To', value: filter.to });
  return out;
}

/** The file's description and its rows, a chunk at a time. */
export function auditExport(
  entries: readonly AuditDoc[],
  options: {
    format: ExportFormat;
    filters: readonly ExportFilter[];
    asOf: string | null;
    exportedAt: string;
    names?: NameLookup;
  },
): { meta: ExportMeta; chunks: AsyncIterable<ExportChunk>; rowCount: number } {
  const sources = exportColumnsFor(auditLogEntity, AUDIT_EXPORT_COLUMNS);
  const meta: ExportMeta = {
    format: options.format,
    title: 'Audit log',
    entity: auditLogEntity.name,
    filters: options.filters,
    asOf: options.asOf,
    exportedAt: options.exportedAt,
    sections: [{ name: 'Audit log', columns: sources.map((s) => s.column) }],
  };
  async function* chunks(): AsyncGenerator<ExportChunk> {
    for (let i = 0; i < entries.length; i += EXPORT_CHUNK_ROWS) {
      yield {
        section: 0,
        rows: entries.slice(i, i + EXPORT_CHUNK_ROWS).map((e) => exportRow(sources, e, options.names)),
      };
    }
  }
  return { meta, chunks: chunks(), rowCount: entries.length };
}
