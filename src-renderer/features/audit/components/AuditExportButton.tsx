import { useState } from 'react';
import { auditLogEntity } from '../../../../src-shared/entities/audit.entity';
import { EXPORT_FORMATS, type ExportFormat, exportFileName } from '../../../../src-shared/export/export-columns';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { appSession, useSessionState } from '../../../app/app-session';
import { useCan, useCrm } from '../../../app/crm-context';
import { batchEntriesListing } from '../../../db/audit-batches';
import type { EntityRepository } from '../../../db/entity-repository';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { Dialog } from '../../../ui/Dialog';
import { toast } from '../../../ui/toasts';
import { ExportOpener, FORMAT_TEXT, loadExportRunner } from '../../exports';
import { type AuditFilter, auditListOptions, matchesAuditFilter } from '../audit.queries';
import { type AuditExportSources, auditExport, auditExportFilters, collectAuditEntries } from '../audit-export';
import { recordSource } from '../merge-audit';
import { type AuditDoc, fetchServerAudit } from '../server-audit.queries';

/** "Export…" on the Audit log: the entries the filters match, to CSV, Excel, PDF or JSON; audited. */
export function AuditExportButton({ filter, actorName }: { filter: AuditFilter; actorName: (id: string) => string }) {
  const canRead = useCan(auditLogEntity.name, 'read');
  if (!canRead) return null;
  return (
    <ExportOpener
      title="Export these entries"
      dialog={(close) => <AuditExportDialog filter={filter} actorName={actorName} onClose={close} />}
    />
  );
}

function AuditExportDialog({
  filter,
  actorName,
  onClose,
}: {
  filter: AuditFilter;
  actorName: (id: string) => string;
  onClose: () => void;
}) {
  const crm = useCrm();
  const session = useSessionState();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [phase, setPhase] = useState<'choose' | 'running' | { failed: string }>('choose');

  const start = async () => {
    setPhase('running');
    const now = new Date();
    try {
      const repo = crm.repos.auditLog as unknown as EntityRepository<EntityDef>;
      const options = auditListOptions(filter);
      const sources: AuditExportSources = {
        readLocal: (skip, limit) => repo.list({ ...options, skip, limit }) as Promise<AuditDoc[]>,
        ...(serverUrl === undefined
          ? {}
          : {
              readServer: (cursor) => fetchServerAudit(authorizedFetch(appSession()), serverUrl, filter, cursor, 500),
            }),
      };
      const collected = await collectAuditEntries(sources);
      // A record's trail includes the bulk writes that list it, as the list shows it (useListedInBatches).
      const recordId = filter.recordId?.trim();
      const entries = recordId
        ? recordSource(
            { entries: collected, complete: true },
            (await batchEntriesListing(crm.db.rx.collections.audit, new Set([recordId]))).filter((e) =>
              matchesAuditFilter(e, filter),
            ),
            recordId,
          ).entries
        : collected;
      const built = auditExport(entries, {
        format,
        filters: auditExportFilters(filter, actorName),
        asOf: serverUrl === undefined ? null : now.toISOString(),
        exportedAt: now.toISOString(),
        names: (entity, id) => (entity === 'user' ? actorName(id) : undefined),
      });
      // The export code is fetched on demand (preloaded soon after the app opened).
      const { exportTable, openSink } = await loadExportRunner();
      const outcome = await exportTable(built.meta, [], built.chunks, built.rowCount, {
        permissions: crm.user.permissions,
        now: () => new Date(),
        openSink: (meta) => openSink(meta, exportFileName('Audit log', format, now)),
        audit: (entry) => crm.repos.auditLog.create(entry as never).then(() => undefined),
        actor: () => crm.db.actor(),
      });
      if (outcome.status === 'cancelled') {
        setPhase('choose');
        return;
      }
      toast({ tone: 'success', message: `Exported the audit log (${outcome.rows} entries) to ${outcome.target}.` });
      onClose();
    } catch (error) {
      setPhase({ failed: error instanceof Error ? error.message : String(error) });
    }
  };
  const running = phase === 'running';
  return (
    <Dialog title="Export the audit log" open onClose={onClose}>
      <div className="export-dialog">
        <label>
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} disabled={running}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_TEXT[f].name}
              </option>
            ))}
          </select>
        </label>
        <p className="muted">
          The entries matching the filters on screen
          {serverUrl === undefined ? ', as this device holds them' : ': this device’s and the server’s trail'}.
        </p>
        {typeof phase === 'object' && (
          <p className="export-error" role="alert">
            Export failed: {phase.failed}
          </p>
        )}
        <div className="export-actions">
          <button type="button" onClick={onClose} disabled={running}>
            Close
          </button>
          <button type="button" className="primary" onClick={() => void start()} disabled={running}>
            {running ? 'Exporting…' : `Export ${FORMAT_TEXT[format].name}`}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
