import { combineLatest, distinctUntilChanged, map, type Observable, of, shareReplay, switchMap } from 'rxjs';
import type { CollectionName } from '../../../src-shared/schema/define-entity';
import type { CollectionActivity, Replication } from '../../db/replication';
import { type Outbox, observeOutbox } from '../../sync/outbox';
import type { SessionReplication } from '../../sync/session-replication';

/** What the indicator says, most pressing first. */
export type SyncPhase = 'demo' | 'forced-offline' | 'offline' | 'paused' | 'error' | 'syncing' | 'synced';

export interface SyncSummary {
  phase: SyncPhase;
  /** Record changes not yet accepted by the server (audit entries not counted). */
  pending: number;
  /** Last time every collection that talked to the server did so without an error (ms). */
  lastSyncAt: number | undefined;
  /** The newest error still standing, e.g. "server unreachable". */
  error: string | undefined;
}

const EMPTY: Outbox = new Map();
const outboxes = new WeakMap<SessionReplication, Observable<Outbox>>();

/** One outbox scan per replication however many components show it. */
export function outboxOf(sync: SessionReplication | undefined): Observable<Outbox> {
  if (!sync) return of(EMPTY);
  let outbox = outboxes.get(sync);
  if (!outbox) {
    outbox = sync.replication$.pipe(
      switchMap((replication) => (replication ? observeOutbox(replication) : of(EMPTY))),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    outboxes.set(sync, outbox);
  }
  return outbox;
}

const NETWORK_ERROR = /fetch failed|failed to fetch|networkerror|cannot be reached|load failed|ECONNREFUSED/i;

/** A replication error in words a user can act on. */
export function describeSyncError(message: string): string {
  if (NETWORK_ERROR.test(message)) return 'The sync server cannot be reached';
  const status = /: (\d{3}) /.exec(message)?.[1];
  if (status === '401' || status === '403') return 'The server refused this sign-in';
  if (status?.startsWith('5')) return `The sync server failed (${status})`;
  return message.length > 140 ? `${message.slice(0, 137)}…` : message;
}

export interface SummaryInput {
  demo: boolean;
  online: boolean;
  forcedOffline: boolean;
  running: boolean;
  active: boolean;
  activity: ReadonlyMap<CollectionName, CollectionActivity>;
  outbox: Outbox;
}

/** The indicator's state from the facts; pure, so that every combination is tested. */
export function summarize(input: SummaryInput): SyncSummary {
  let pending = 0;
  for (const [name, docs] of input.outbox) if (name !== 'audit') pending += docs?.length ?? 0;
  let lastSyncAt: number | undefined;
  let error: { message: string; at: number } | undefined;
  let downloading = false;
  for (const [name, a] of input.activity) {
    // Until a collection's pull has caught up once, the device is still downloading it.
    if (name !== 'audit' && !a.caughtUp) downloading = true;
    const last = Math.max(a.lastPullAt ?? 0, a.lastPushAt ?? 0);
    if (last > 0 && (lastSyncAt === undefined || last > lastSyncAt)) lastSyncAt = last;
    if (a.error && (!error || a.error.at > error.at)) error = a.error;
  }
  const base = { pending, lastSyncAt, error: error ? describeSyncError(error.message) : undefined };
  if (input.demo) return { ...base, phase: 'demo' };
  if (input.forcedOffline) return { ...base, phase: 'forced-offline' };
  if (!input.online || (error && NETWORK_ERROR.test(error.message))) return { ...base, phase: 'offline' };
  if (!input.running) return { ...base, phase: 'paused' };
  if (error) return { ...base, phase: 'error' };
  if (input.active || downloading) return { ...base, phase: 'syncing' };
  return { ...base, phase: 'synced' };
}

/** "just now", "5 min ago", "3 h ago", then the date. */
export function relativeTime(at: number | undefined, now: number): string {
  if (at === undefined) return 'never';
  const s = Math.round((now - at) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

/** Collections by what users call them. */
export const COLLECTION_LABELS: Record<CollectionName, string> = {
  users: 'Users and teams',
  settings: 'Settings',
  companies: 'Companies',
  contacts: 'Contacts',
  leads: 'Leads',
  deals: 'Deals',
  activities: 'Activities',
  tasks: 'Tasks',
  content: 'Content',
  research: 'Research',
  audit: 'Audit trail',
};

/** Whether the replication still has requests in flight (RxDB's `active$`, any collection). */
export function anyActive(replication: Replication | undefined): Observable<boolean> {
  const states = replication ? [...replication.states.values()] : [];
  if (states.length === 0) return of(false);
  return combineLatest(states.map((s) => s.active$)).pipe(
    map((active) => active.some(Boolean)),
    distinctUntilChanged(),
  );
}
