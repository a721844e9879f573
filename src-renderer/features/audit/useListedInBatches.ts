import { useEffect, useState } from 'react';
import { useCrm } from '../../app/crm-context';
import { batchEntriesListing } from '../../db/audit-batches';
import { useObservable } from '../../ui/useObservable';
import { type AuditFilter, matchesAuditFilter } from './audit.queries';
import type { AuditDoc } from './server-audit.queries';

/**
 * The device's batch entries that list the filter's record (an import's creation of it, say),
 * narrowed to it and matching the rest of the filter; [] without a record filter, undefined while
 * read. Read again whenever a batch entry is added.
 */
export function useListedInBatches(filter: AuditFilter): readonly AuditDoc[] | undefined {
  const { db, repos } = useCrm();
  const recordId = filter.recordId?.trim();
  const batches = useObservable(() => repos.auditLog.observeCount({ where: { action: 'batch' } }), -1, [repos]);
  const key = JSON.stringify(filter);
  const [found, setFound] = useState<{ key: string; entries: readonly AuditDoc[] }>();
  useEffect(() => {
    if (!recordId || batches < 0) return;
    let live = true;
    const audit = db.rx.collections.audit;
    const filterNow = JSON.parse(key) as AuditFilter;
    batchEntriesListing(audit, new Set([recordId]))
      .then((entries) => {
        if (live) setFound({ key, entries: entries.filter((e) => matchesAuditFilter(e, filterNow)) });
      })
      // Unreadable batch entries leave the trail as the index finds it; the list says nothing worse.
      .catch(() => live && setFound({ key, entries: [] }));
    return () => {
      live = false;
    };
  }, [db, recordId, key, batches]);
  if (!recordId) return [];
  return found?.key === key ? found.entries : undefined;
}
