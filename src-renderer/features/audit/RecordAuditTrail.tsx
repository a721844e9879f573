import { Suspense, useState } from 'react';
import { useCan } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import { LoadingStatus } from '../../ui/LoadingStatus';
import { lazyComponent } from '../../ui/on-demand';
import './audit.css';

/**
 * The trail itself (its list, entries, change tables and server merge) is fetched on demand, as the
 * export dialogs are: every record page renders this section at start, but a rep opens History
 * rarely, and a static import kept the audit list's code in the start bundle. Registered in
 * ui/on-demand.ts, so it is preloaded after the first paint and opens offline.
 */
const { Component: AuditList } = lazyComponent(() => import('./components/AuditList').then((m) => m.AuditList));

interface RecordAuditTrailProps {
  /** The record's entity name (e.g. 'contact'). */
  entity: string;
  recordId: string;
  /** Start opened (default: collapsed, so a detail pane reads no audit until asked). */
  defaultOpen?: boolean;
}

/**
 * The history of one record for any detail pane: its audit entries newest first, each opening to
 * the field-level before → after. This device's entries come from the `entityId+newest` index,
 * with its bulk writes that list the record (useListedInBatches), offline included; while signed in
 * and online, the server's trail of the record (other devices' entries, the server's own, bulk
 * writes narrowed to this record) is merged in, each entry marked with its origin.
 */
export function RecordAuditTrail({ entity, recordId, defaultOpen = false }: RecordAuditTrailProps) {
  const canRead = useCan('auditLog', 'read');
  const go = useNavigation((s) => s.go);
  const [open, setOpen] = useState(defaultOpen);
  if (!canRead) return null;
  return (
    <section className="section record-audit" aria-label="History">
      <div className="record-audit-head">
        <button type="button" className="record-audit-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> History
        </button>
        {open && (
          <button type="button" className="link-button" onClick={() => go({ screen: 'audit', id: recordId })}>
            Open in audit log
          </button>
        )}
      </div>
      {open && (
        <Suspense fallback={<LoadingStatus what="history" />}>
          <AuditList
            filter={{ recordId, entityKind: entity }}
            showRecord={false}
            pageSize={20}
            label="History"
            noCreationNote="Its creation is not in the trail shown here: it was written on another device while this one cannot reach the server, or by someone whose entries your role does not show."
          />
        </Suspense>
      )}
    </section>
  );
}
