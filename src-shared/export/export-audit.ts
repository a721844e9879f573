import type { ExportFormat } from './export-columns';
import type { ExportFilter } from './export-meta';
import { filtersText } from './export-meta';

/**
 * An export is audited as a `batch` entry of the exported entity (the audit log's action for
 * many records at once; `recordCount` the rows exported, `entityId` the first) whose reason says it
 * was an export, in which format, of how many rows, under which filters. No registry change: reading
 * records out is recorded with the fields a bulk write already uses.
 */
export interface ExportAuditFacts {
  readonly format: ExportFormat;
  readonly entity: string;
  readonly collectionName: string;
  readonly title: string;
  readonly rowCount: number;
  readonly firstId: string;
  readonly filters: readonly ExportFilter[];
  readonly at: string;
  readonly actorId: string;
  readonly deviceId: string;
}

export const EXPORT_REASON_PREFIX = 'Export:';

export function exportAuditEntry(facts: ExportAuditFacts): Record<string, unknown> {
  const reason = `${EXPORT_REASON_PREFIX} ${facts.format.toUpperCase()} of ${facts.rowCount} ${facts.title} (${filtersText(facts.filters)})`;
  return {
    at: facts.at,
    actorId: facts.actorId,
    deviceId: facts.deviceId,
    source: 'local',
    action: 'batch',
    collectionName: facts.collectionName,
    entityKind: facts.entity,
    entityId: facts.firstId,
    recordCount: Math.max(1, facts.rowCount),
    // No per-record changes: the audit views list `records` as changed records, and an export changes none.
    records: [],
    reason: reason.length > 500 ? `${reason.slice(0, 499)}…` : reason,
  };
}

/** An audit trail export's columns by default, in the app and the CLI: who, when, what, and the before/after values (as JSON text). */
export const AUDIT_EXPORT_COLUMNS = [
  'at',
  'actorId',
  'deviceId',
  'source',
  'action',
  'collectionName',
  'entityKind',
  'entityId',
  'recordCount',
  'reason',
  'changes',
  'records',
] as const;
