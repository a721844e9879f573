import { useEffect, useState } from 'react';
import { BehaviorSubject } from 'rxjs';
import { useStore } from 'zustand';
import type { CollectionName } from '../../../src-shared/schema/define-entity';
import { useCrm } from '../../app/crm-context';
import type { CollectionActivity, Replication } from '../../db/replication';
import { forcedOfflineStore } from '../../sync/offline-gate';
import type { Outbox } from '../../sync/outbox';
import { useReplication } from '../../sync/useReplication';
import { useOnline } from '../../sync/useServerOnline';
import { useObservable } from '../../ui/useObservable';
import { anyActive, outboxOf, type SyncSummary, summarize } from './sync-status';

const NO_ACTIVITY: ReadonlyMap<CollectionName, CollectionActivity> = new Map();
const EMPTY_OUTBOX: Outbox = new Map();

/** The forced-offline switch (zustand, persisted). */
export function useForcedOffline(): [boolean, (offline: boolean) => void] {
  const forcedOffline = useStore(forcedOfflineStore, (s) => s.forcedOffline);
  const set = useStore(forcedOfflineStore, (s) => s.setForcedOffline);
  return [forcedOffline, set];
}

/** A clock that ticks, for "5 min ago" labels. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export interface SyncStatus extends SyncSummary {
  replication: Replication | undefined;
  outbox: Outbox;
  activity: ReadonlyMap<CollectionName, CollectionActivity>;
  forcedOffline: boolean;
  setForcedOffline: (offline: boolean) => void;
}

/** Everything the indicator and the Sync screen show, from the replication's own observables. */
export function useSyncStatus(): SyncStatus {
  const { sync, mode, user } = useCrm();
  const replication = useReplication();
  const online = useOnline();
  const [forcedOffline, setForcedOffline] = useForcedOffline();
  const outbox = useObservable(() => outboxOf(sync), EMPTY_OUTBOX, [sync]);
  const activity = useObservable(
    () => replication?.activity$ ?? new BehaviorSubject(NO_ACTIVITY),
    replication?.activity$.value ?? NO_ACTIVITY,
    [replication],
  );
  const active = useObservable(() => anyActive(replication), false, [replication]);
  const summary = summarize({
    demo: mode === 'demo',
    online,
    forcedOffline,
    running: replication !== undefined,
    active,
    activity,
    outbox,
  });
  // The last sync survives a reload: after a restart offline, "last synced 2 h ago" is still true.
  const key = `fieldcrm.lastSyncAt.${user.id}`;
  useEffect(() => {
    if (summary.lastSyncAt !== undefined) localStorage.setItem(key, String(summary.lastSyncAt));
  }, [key, summary.lastSyncAt]);
  const stored = Number(localStorage.getItem(key) ?? Number.NaN);
  const lastSyncAt = summary.lastSyncAt ?? (Number.isFinite(stored) ? stored : undefined);
  return { ...summary, lastSyncAt, replication, outbox, activity, forcedOffline, setForcedOffline };
}
