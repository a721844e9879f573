import type { RxReplicationPullStreamItem, RxReplicationWriteToMasterRow } from 'rxdb';
import { type RxReplicationState, replicateRxCollection } from 'rxdb/plugins/replication';
import { BehaviorSubject, Subject } from 'rxjs';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { StoredDoc } from '../../src-shared/schema/to-rx-schema';
import {
  MAX_PULL_LIMIT,
  MAX_PUSH_ROWS,
  type PushRejection,
  type PushResponse,
  type SyncCheckpoint,
  type WireDoc,
} from '../../src-shared/sync/protocol';
import { consentRetry } from './consent-retry';
import type { LocalDatabase } from './create-database';
import { pacedPull } from './pull-pacer';
import { PushEchoes, withoutEchoes } from './push-echoes';
import { pushInParts } from './push-parts';
import { RefusedRepull } from './refused-repull';
import type { RejectedRow } from './sync-review';
import type { SyncTransport } from './sync-transport';

type PushRowOf = RxReplicationWriteToMasterRow<StoredDoc>;

export interface CollectionRejection extends PushRejection {
  collection: CollectionName;
}

export interface ReplicationOptions {
  /** Documents per pull and per push request (RxDB defaults to 100; B4 measured 1000 best here). */
  batchSize?: number;
  /**
   * Concurrent requests a push batch is sent as (push-parts.ts); 1 sends each batch whole. Measured
   * here, not a setting a user needs.
   */
  pushRequests?: number;
  /** Wait before retrying after a failed request. */
  retryTime?: number;
  /** The clock that stamps `activity$` (ms). */
  now?: () => number;
}

/** What the UI shows of one collection's replication: when it last talked to the server, and how that went. */
export interface CollectionActivity {
  /** When a pull last succeeded (ms), by this device's clock; undefined: not in this session. */
  lastPullAt?: number;
  lastPushAt?: number;
  /** The last request's failure, cleared by the next success. */
  error?: { message: string; at: number; direction: 'pull' | 'push' };
  /** Documents received by pulls in this session. */
  received: number;
  /** Documents the server accepted from pushes in this session. */
  pushed: number;
  /** A pull has returned a short page: the collection has caught up with the server at least once. */
  caughtUp: boolean;
  /** Of `received`, this device's own accepted writes coming back, not handed to RxDB again (push-echoes.ts); absent: none. */
  echoes?: number;
}

export interface Replication {
  states: ReadonlyMap<CollectionName, RxReplicationState<StoredDoc, SyncCheckpoint>>;
  /**
   * Writes the server refused for good in this session, with its reason (rule 6). They are also
   * persisted, with the refused state, in the database's review store (`db.review`), which is what
   * the UI lists: this subject forgets them on restart.
   */
  rejected$: BehaviorSubject<readonly CollectionRejection[]>;
  /** Per collection: last successful pull and push, the current error, documents received (sync status, initial progress). */
  activity$: BehaviorSubject<ReadonlyMap<CollectionName, CollectionActivity>>;
  /** Resolves when every collection has pushed and pulled everything known so far. */
  awaitInSync(): Promise<void>;
  stop(): Promise<void>;
}

/** Collections a device sends but never receives: its audit trail is pushed, the server keeps it. */
const PUSH_ONLY = new Set<CollectionName>(['audit']);

/** The wire form of a local document: stored fields and `_deleted`, none of RxDB's bookkeeping. */
function toWire(doc: Record<string, unknown>): WireDoc {
  const wire: Record<string, unknown> = {};
  // for…in and a char code, not Object.entries and startsWith: two per pushed row (PEER's profile).
  for (const key in doc) if (key.charCodeAt(0) !== 95 /* _ */) wire[key] = doc[key];
  wire._deleted = doc._deleted === true;
  return wire as WireDoc;
}

/**
 * Replicates every open collection with the server: pull from a checkpoint that never skips a row,
 * push with conflict detection, and a live stream that tells each collection when to pull.
 * Keeps syncing while the window is hidden (toggleOnDocumentVisible: false, DESIGN.md §4).
 */
export function startReplication(
  db: LocalDatabase,
  transport: SyncTransport,
  options: ReplicationOptions = {},
): Replication {
  // B4: 1000 and 2000 beat 500 at 20k and 100k rows; 1000 keeps push requests small.
  // Never above what the server accepts: a pull over MAX_PULL_LIMIT is refused, and RxDB would retry it forever.
  const batchSize = Math.min(options.batchSize ?? 1000, MAX_PULL_LIMIT, MAX_PUSH_ROWS);
  const streams = new Map<CollectionName, Subject<RxReplicationPullStreamItem<StoredDoc, SyncCheckpoint>>>();
  const rejected$ = new BehaviorSubject<readonly CollectionRejection[]>([]);
  const states = new Map<CollectionName, RxReplicationState<StoredDoc, SyncCheckpoint>>();
  const now = options.now ?? Date.now;
  const activity$ = new BehaviorSubject<ReadonlyMap<CollectionName, CollectionActivity>>(
    new Map(
      Object.keys(db.rx.collections).map((name) => [
        name as CollectionName,
        { received: 0, pushed: 0, caughtUp: false },
      ]),
    ),
  );
  const note = (name: CollectionName, change: (a: CollectionActivity) => CollectionActivity) => {
    const next = new Map(activity$.value);
    next.set(name, change(next.get(name) ?? { received: 0, pushed: 0, caughtUp: false }));
    activity$.next(next);
  };
  /** Runs a request and notes how it went; the error is rethrown for RxDB to retry. */
  async function noted<T>(name: CollectionName, direction: 'pull' | 'push', request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof Error && error.name === 'GateClosedError')) {
        note(name, (a) => ({ ...a, error: { message, at: now(), direction } }));
      }
      throw error;
    }
  }

  /**
   * Sets refused writes aside in the review store before RxDB counts the batch as pushed, so a
   * refusal is durable before the push is forgotten. RxDB treats a refused row as written: the
   * record keeps the user's edit, and the store keeps the refused state even if a later pull
   * replaces the record. A later accepted push of the record closes its rejection.
   */
  const review = async (name: CollectionName, rows: readonly PushRowOf[], response: PushResponse) => {
    const refused = new Set(response.rejected.map((r) => r.id));
    const conflicted = new Set(response.conflicts.map((c) => c.id));
    const byId = new Map(rows.map((row) => [String(row.newDocumentState.id), row]));
    const rejectedRows: RejectedRow[] = [];
    for (const rejection of response.rejected) {
      const row = byId.get(rejection.id);
      if (!row) continue;
      rejectedRows.push({
        rejection,
        newDocumentState: toWire(row.newDocumentState as Record<string, unknown>),
        ...(row.assumedMasterState
          ? { assumedMasterState: toWire(row.assumedMasterState as Record<string, unknown>) }
          : {}),
      });
    }
    try {
      await db.review.recordRejections(name, rejectedRows);
      await db.review.clearAccepted(
        name,
        [...byId.keys()].filter((id) => !refused.has(id) && !conflicted.has(id)),
      );
    } catch (error) {
      // Throwing would make RxDB retry the whole batch forever; the subject above still has it.
      console.error('Rejected writes not recorded for review', error);
    }
  };

  // A communication refused only because its consent had not reached the server yet goes again (consent-retry.ts).
  const afterPush = consentRetry(db.review);

  for (const [name, collection] of Object.entries(db.rx.collections) as [
    CollectionName,
    (typeof db.rx.collections)[CollectionName],
  ][]) {
    const stream$ = new Subject<RxReplicationPullStreamItem<StoredDoc, SyncCheckpoint>>();
    streams.set(name, stream$);
    // RxDB's own comparison of a pulled state with the assumed master state.
    const echoes = new PushEchoes((a, b) => collection.conflictHandler.isEqual(a as never, b as never, 'push-echo'));
    // Pulls again what a pull brought while a refused push was unsettled (refused-repull.ts).
    const repull = new RefusedRepull((a, b) => collection.conflictHandler.isEqual(a as never, b as never, 'refused'));
    const state = replicateRxCollection<StoredDoc, SyncCheckpoint>({
      collection,
      replicationIdentifier: `crm-sync-${name}`,
      live: true,
      retryTime: options.retryTime ?? 5000,
      waitForLeadership: false,
      toggleOnDocumentVisible: false,
      autoStart: true,
      push: {
        batchSize,
        async handler(rows) {
          const wireRows = rows.map((row) => ({
            newDocumentState: toWire(row.newDocumentState as Record<string, unknown>),
            ...(row.assumedMasterState
              ? { assumedMasterState: toWire(row.assumedMasterState as Record<string, unknown>) }
              : {}),
          }));
          const window = repull.pushStarted();
          const response = await noted(name, 'push', () =>
            pushInParts((part) => transport.push(name, { rows: part }), wireRows, options.pushRequests),
          ).catch((error: unknown) => {
            repull.pushFailed(window);
            throw error;
          });
          const refused = new Set(response.rejected.map((r) => r.id));
          repull.answered(
            window,
            PUSH_ONLY.has(name)
              ? []
              : wireRows.flatMap((row) => (refused.has(row.newDocumentState.id) ? [row.newDocumentState] : [])),
            states.get(name),
            () => stream$.next('RESYNC'),
          );
          if (!PUSH_ONLY.has(name)) {
            const notAccepted = new Set([
              ...response.conflicts.map((c) => c.id),
              ...response.rejected.map((r) => r.id),
            ]);
            echoes.pushed(
              wireRows.map((row) => row.newDocumentState),
              notAccepted,
            );
          }
          note(name, ({ error: _, ...a }) => ({
            ...a,
            lastPushAt: now(),
            pushed: a.pushed + rows.length - response.rejected.length,
          }));
          if (response.rejected.length > 0) {
            rejected$.next([...rejected$.value, ...response.rejected.map((r) => ({ ...r, collection: name }))]);
          }
          await review(name, rows, response);
          await afterPush(name, rows, response).catch((error: unknown) => {
            console.error('Communications set aside for a consent not sent again', error);
          });
          return response.conflicts as never;
        },
      },
      ...(PUSH_ONLY.has(name)
        ? {}
        : {
            pull: {
              batchSize,
              stream$: stream$.asObservable(),
              // Fetches during RxDB's writes, at most PAGES_AHEAD pages ahead of them (pull-pacer.ts).
              handler: pacedPull(
                () => states.get(name),
                withoutEchoes(
                  echoes,
                  repull.fetching(async (checkpoint: SyncCheckpoint | undefined, size: number) => {
                    const response = await noted(name, 'pull', () =>
                      transport.pull(name, { checkpoint: checkpoint ?? null, limit: size }),
                    );
                    note(name, ({ error: _, ...a }) => ({
                      ...a,
                      lastPullAt: now(),
                      received: a.received + response.documents.length,
                      caughtUp: a.caughtUp || response.documents.length < size,
                    }));
                    return { documents: response.documents, checkpoint: response.checkpoint ?? checkpoint };
                  }),
                  (count) => note(name, (a) => ({ ...a, echoes: (a.echoes ?? 0) + count })),
                ),
              ) as never,
            },
          }),
    });
    states.set(name, state);
  }

  let closeStream = () => {};
  let stopped = false;
  let failures = 0;
  const openStream = () => {
    if (stopped) return;
    closeStream = transport.stream(
      (event) => {
        failures = 0;
        streams.get(event.collection)?.next('RESYNC');
      },
      () => {
        // Reconnect with backoff, then pull everything: changes may have landed while it was down.
        setTimeout(
          () => {
            openStream();
            for (const s of streams.values()) s.next('RESYNC');
          },
          Math.min(30_000, 500 * 2 ** failures++),
        );
      },
    );
  };
  openStream();

  return {
    states,
    rejected$,
    activity$,
    async awaitInSync() {
      await Promise.all([...states.values()].map((s) => s.awaitInSync()));
    },
    async stop() {
      stopped = true;
      closeStream();
      await Promise.all([...states.values()].map((s) => s.cancel()));
    },
  };
}
