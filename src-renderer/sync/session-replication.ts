import { BehaviorSubject } from 'rxjs';
import type { LocalDatabase } from '../db/create-database';
import { type Replication, type ReplicationOptions, startReplication } from '../db/replication';
import { authenticatedTransport } from './authenticated-transport';
import { gatedTransport, type OfflineGate } from './offline-gate';
import type { Session, SessionState } from './session';

export interface SessionReplication {
  /** The running replication; undefined while paused (signed out, or the server wants a new sign-in). */
  readonly replication$: BehaviorSubject<Replication | undefined>;
  stop(): Promise<void>;
}

export interface SessionReplicationOptions extends ReplicationOptions {
  fetch?: typeof fetch;
  /** The forced-offline switch: while it is off, requests wait on the device (offline-gate.ts). */
  gate?: OfflineGate;
}

const keyOf = (state: SessionState) =>
  state.status === 'signed-in' ? `${state.serverUrl}\n${state.user.id}` : undefined;

/**
 * Replicates while the session is signed in and pauses otherwise: a refused refresh stops every
 * collection's retries until the user signs in again, and local work goes on meanwhile.
 */
export function replicateWhileSignedIn(
  db: LocalDatabase,
  session: Session,
  options: SessionReplicationOptions = {},
): SessionReplication {
  const { fetch, gate, ...replicationOptions } = options;
  const replication$ = new BehaviorSubject<Replication | undefined>(undefined);
  let runningKey: string | undefined;
  let closeGate = () => {};
  // Transitions run in order: a stop must finish before the next start reuses the replication ids.
  let transitions: Promise<void> = Promise.resolve();

  const pause = async () => {
    const running = replication$.value;
    runningKey = undefined;
    replication$.next(undefined);
    const stopping = running?.stop();
    // Requests held at the gate give up (after the stop began, so RxDB does not retry them).
    closeGate();
    closeGate = () => {};
    await stopping;
  };

  const follow = (state: SessionState) => {
    transitions = transitions
      .then(async () => {
        const key = keyOf(state);
        if (key === runningKey) return;
        await pause();
        if (key === undefined) return;
        runningKey = key;
        let transport = authenticatedTransport(session, { fetch });
        if (gate) {
          const gated = gatedTransport(transport, gate);
          closeGate = gated.close;
          transport = gated;
        }
        replication$.next(startReplication(db, transport, replicationOptions));
      })
      .catch((error: unknown) => console.error('[sync] replication could not follow the session', error));
  };

  const subscription = session.state$.subscribe(follow);
  return {
    replication$,
    async stop() {
      subscription.unsubscribe();
      transitions = transitions.then(pause);
      await transitions;
    },
  };
}
