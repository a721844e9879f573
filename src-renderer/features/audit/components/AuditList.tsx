import { useEffect, useMemo, useRef } from 'react';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { useRepos } from '../../../app/crm-context';
import type { EntityRepository } from '../../../db/entity-repository';
import { listCountText } from '../../../ui/count-text';
import { usePagedList } from '../../../ui/usePagedList';
import { type AuditFilter, auditListOptions, recordChangesOf } from '../audit.queries';
import { mergeAudit, recordSource } from '../merge-audit';
import type { AuditDoc } from '../server-audit.queries';
import { useCustomLabels } from '../useCustomLabels';
import { useListedInBatches } from '../useListedInBatches';
import { type ServerAuditState, useServerAudit, useUnpushedAuditIds } from '../useServerAudit';
import { AuditEntry } from './AuditEntry';

/** One line on where the entries come from: the server's state in words. */
function ServerNote({ server }: { server: ServerAuditState }) {
  switch (server.status) {
    case 'none':
      return null;
    case 'offline':
      return (
        <p className="audit-source-note audit-source-offline" role="status">
          Offline: showing this device’s entries. The server’s trail (other devices’ changes) is unavailable offline.
        </p>
      );
    case 'loading':
      return (
        <p className="audit-source-note muted" role="status">
          Loading the server’s entries…
        </p>
      );
    case 'error':
      return (
        <p className="audit-source-note audit-source-offline" role="status">
          The server’s entries could not be loaded ({server.message}); showing this device’s.
        </p>
      );
    case 'ready':
      return null;
  }
}

/** "12 entries · 9 from the server's trail · 1 on this device only" */
function countText(shown: number, more: boolean, fromServer: number | undefined, unsynced: number): string {
  const parts = [`${shown.toLocaleString()} ${shown === 1 ? 'entry' : 'entries'}${more ? ' shown' : ''}`];
  if (fromServer !== undefined) parts.push(`${fromServer.toLocaleString()} from the server\u2019s trail`);
  if (unsynced > 0) parts.push(`${unsynced.toLocaleString()} on this device only, not synced yet`);
  return parts.join(' \u00b7 ');
}

/**
 * Audit entries matching a filter, newest first: this device's, read a page at a time from the audit
 * indexes, merged with the server's (other devices' and the server's own, fetched while signed in
 * and online), each marked with where it comes from.
 */
export function AuditList({
  filter,
  showRecord,
  pageSize = 50,
  label,
  noCreationNote,
}: {
  filter: AuditFilter;
  showRecord: boolean;
  pageSize?: number;
  label: string;
  /** Shown under a complete list that holds no creation entry (a record's own trail). */
  noCreationNote?: string;
}) {
  const repo = useRepos().auditLog as unknown as EntityRepository<EntityDef>;
  const custom = useCustomLabels();
  const { rows, total, totalCapped, loadMore } = usePagedList(repo, auditListOptions(filter), pageSize);
  const server = useServerAudit(filter, pageSize);
  const listed = useListedInBatches(filter);
  const recordId = filter.recordId?.trim();
  const unpushed = useUnpushedAuditIds();
  const serverSource = server.status === 'ready' ? server.source : undefined;
  // An entry of this device just reached the server: ask again, so it shows as synced.
  const refresh = server.status === 'ready' ? server.refresh : undefined;
  const waiting = useRef(unpushed.size);
  useEffect(() => {
    if (unpushed.size < waiting.current) refresh?.();
    waiting.current = unpushed.size;
  }, [unpushed, refresh]);
  const merged = useMemo(() => {
    if (rows === undefined || listed === undefined) return undefined;
    const page = {
      entries: rows as unknown as AuditDoc[],
      complete: total !== undefined && !totalCapped && rows.length >= total,
    };
    return mergeAudit(recordId ? recordSource(page, listed, recordId) : page, serverSource, unpushed);
  }, [rows, total, totalCapped, listed, recordId, serverSource, unpushed]);
  if (merged === undefined) return <p className="muted pad">Loading…</p>;
  const entries = merged.entries;
  const fromServer = entries.filter((m) => m.origin === 'server').length;
  const unsynced = entries.filter((m) => m.origin === 'unsynced').length;
  const sourceNote = <ServerNote server={server} />;
  const note =
    noCreationNote &&
    !merged.hasMore &&
    !entries.some((m) => recordChangesOf(m.entry).some((c) => c.action === 'insert')) ? (
      <p className="muted audit-note">{noCreationNote}</p>
    ) : null;
  if (entries.length === 0) {
    return (
      <>
        {sourceNote}
        <div className="empty audit-empty">
          {server.status === 'loading'
            ? 'Loading…'
            : showRecord
              ? 'No entries match these filters.'
              : server.status === 'ready'
                ? 'No changes recorded.'
                : 'No changes recorded on this device.'}
        </div>
        {note}
      </>
    );
  }
  const more = () => {
    if (total !== undefined && rows !== undefined && (totalCapped || rows.length < total)) loadMore();
    if (server.status === 'ready' && !server.source.complete) server.loadMore();
  };
  return (
    <div className="audit-list">
      {sourceNote}
      <p className="muted audit-count" aria-live="polite">
        {server.status === 'ready' || merged.hasMore || unsynced > 0 || (listed?.length ?? 0) > 0
          ? countText(entries.length, merged.hasMore, server.status === 'ready' ? fromServer : undefined, unsynced)
          : listCountText(total, totalCapped, 'entry', 'entries')}
      </p>
      <ul aria-label={label}>
        {entries.map(({ entry, origin }) => (
          <li key={entry.id}>
            <AuditEntry
              entry={entry}
              custom={custom}
              showRecord={showRecord}
              origin={server.status === 'none' ? undefined : origin}
            />
          </li>
        ))}
      </ul>
      {note}
      {merged.hasMore && (
        <button
          type="button"
          className="audit-more"
          onClick={more}
          disabled={server.status === 'ready' && server.loadingMore}
        >
          Show more
        </button>
      )}
    </div>
  );
}
