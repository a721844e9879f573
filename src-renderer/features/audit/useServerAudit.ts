import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import { debounceTime, merge, of } from 'rxjs';
import { appSession, useSessionState } from '../../app/app-session';
import { useCrm } from '../../app/crm-context';
import type { Replication } from '../../db/replication';
import { authorizedFetch } from '../../sync/authenticated-transport';
import { observePending } from '../../sync/outbox';
import { useReplication } from '../../sync/useReplication';
import { useServerOnline } from '../../sync/useServerOnline';
import { useObservable } from '../../ui/useObservable';
import type { AuditFilter } from './audit.queries';
import type { AuditSource } from './merge-audit';
import { fetchServerAudit, type ServerAuditPage, serverAuditKeys } from './server-audit.queries';

/** What the viewer can say about the server's entries. */
export type ServerAuditState =
  /** Demo mode or signed out: there is no server. */
  | { status: 'none' }
  | { status: 'offline' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; source: AuditSource; loadMore: () => void; loadingMore: boolean; refresh: () => void };

/**
 * Calls `refresh` (at most once a second) when records arrive from the server: another device
 * wrote, so the server's trail has new entries.
 */
function useRefreshOnPull(replication: Replication | undefined, refresh: () => void, active: boolean): void {
  useEffect(() => {
    if (!replication || !active) return;
    const pulled = [...replication.states].filter(([name]) => name !== 'audit').map(([, state]) => state.received$);
    const subscription = merge(...pulled)
      .pipe(debounceTime(1000))
      .subscribe(() => refresh());
    return () => subscription.unsubscribe();
  }, [replication, refresh, active]);
}

/** The server's audit entries matching a filter, a page at a time, while signed in and online. */
export function useServerAudit(filter: AuditFilter, pageSize: number, enabled = true): ServerAuditState {
  const { mode, user } = useCrm();
  const replication = useReplication();
  const session = useSessionState();
  const online = useServerOnline();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  const active = enabled && mode === 'signed-in' && serverUrl !== undefined && online;
  const query = useInfiniteQuery({
    queryKey: serverAuditKeys.list(serverUrl ?? '', user.id, filter),
    queryFn: ({ pageParam, signal }) =>
      fetchServerAudit(authorizedFetch(appSession()), serverUrl ?? '', filter, pageParam, pageSize, signal),
    initialPageParam: null as ServerAuditPage['next'],
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: active,
    staleTime: 15_000,
    // Other devices' entries reach the server meanwhile: asked again when their records are pulled
    // (useRefreshOnPull), and now and then while open.
    refetchInterval: 60_000,
    retry: 1,
  });
  const { refetch } = query;
  useRefreshOnPull(
    replication,
    useCallback(() => void refetch(), [refetch]),
    active,
  );
  if (mode !== 'signed-in' || serverUrl === undefined) return { status: 'none' };
  if (!online) return { status: 'offline' };
  if (query.isError) return { status: 'error', message: query.error.message };
  if (!query.data) return { status: 'loading' };
  return {
    status: 'ready',
    source: { entries: query.data.pages.flatMap((p) => p.entries), complete: !query.hasNextPage },
    loadMore: () => void query.fetchNextPage(),
    loadingMore: query.isFetchingNextPage,
    refresh: () => void query.refetch(),
  };
}

const NONE: ReadonlySet<string> = new Set();

/** Ids of this device's audit entries not pushed yet (the audit collection's outbox). */
export function useUnpushedAuditIds(): ReadonlySet<string> {
  const state = useReplication()?.states.get('audit');
  const pending = useObservable(() => (state ? observePending('audit', state, 500) : of(undefined)), undefined, [
    state,
  ]);
  return useMemo(() => (pending ? new Set(pending.map((p) => p.id)) : NONE), [pending]);
}
