import { useSessionState } from '../../app/app-session';
import { useCrm } from '../../app/crm-context';
import type { CollisionItem, RejectionItem } from '../../db/sync-review';
import { useObservable } from '../../ui/useObservable';
import { CollectionsTable } from './CollectionsTable';
import { ConflictsInbox } from './ConflictsInbox';
import { Outbox } from './Outbox';
import { RejectedWrites } from './RejectedWrites';
import { relativeTime } from './sync-status';
import './sync.css';
import { useNow, useSyncStatus } from './useSyncStatus';

const PHASE_TEXT = {
  demo: 'Demo data on this device only. Sign in to sync with your team.',
  'forced-offline': 'Sync is paused: changes stay on this device until you turn it back on.',
  offline: 'Offline: changes are kept on this device and sent when the connection is back.',
  paused: 'Sync waits for you to sign in again.',
  error: 'Sync has a problem; it keeps retrying.',
  syncing: 'Syncing…',
  synced: 'Up to date.',
} as const;

/** Sync, in full: status and the forced-offline switch, per-collection state, outbox, refusals, conflicts. */
export function SyncScreen() {
  const { db, mode } = useCrm();
  const session = useSessionState();
  const status = useSyncStatus();
  const now = useNow(5_000);
  const collisions = useObservable(() => db.review.collisions$, [] as readonly CollisionItem[], [db]);
  const rejections = useObservable(() => db.review.rejections$, [] as readonly RejectionItem[], [db]);
  const syncNow = () => {
    for (const state of status.replication?.states.values() ?? []) state.reSync();
  };
  return (
    <div className="sync-screen pad">
      <header className="sync-head">
        <div>
          <h2>Sync</h2>
          <p className={`sync-phase sync-${status.phase}`} role="status">
            <span className="sync-dot" aria-hidden="true" /> {PHASE_TEXT[status.phase]}
            {status.error && status.phase !== 'demo' && <span className="form-error"> {status.error}.</span>}
          </p>
          {mode === 'signed-in' && session.status !== 'signed-out' && (
            <p className="muted">
              {new URL(session.serverUrl).host} · last sync {relativeTime(status.lastSyncAt, now)}
            </p>
          )}
        </div>
        {mode === 'signed-in' && (
          <div className="sync-controls">
            <label className="switch">
              <input
                type="checkbox"
                role="switch"
                aria-checked={status.forcedOffline}
                checked={status.forcedOffline}
                onChange={(e) => status.setForcedOffline(e.target.checked)}
              />
              <span>Work offline</span>
            </label>
            <button type="button" onClick={syncNow} disabled={status.forcedOffline || !status.replication}>
              Sync now
            </button>
          </div>
        )}
      </header>

      <div className="sync-cards">
        <a className="sync-card" href="#outbox">
          <span className="sync-card-n" data-testid="outbox-count">
            {status.replication ? status.pending : '—'}
          </span>
          <span>waiting to be sent</span>
        </a>
        <a className="sync-card" href="#rejected">
          <span className="sync-card-n">{rejections.length}</span>
          <span>refused by the server</span>
        </a>
        <a className="sync-card" href="#conflicts">
          <span className="sync-card-n">{collisions.length}</span>
          <span>conflicts to review</span>
        </a>
      </div>

      <section className="section" aria-labelledby="outbox">
        <h3 id="outbox">Outbox</h3>
        <Outbox status={status} now={now} />
      </section>
      <section className="section" aria-labelledby="rejected">
        <h3 id="rejected">Refused by the server</h3>
        <RejectedWrites now={now} />
      </section>
      <section className="section" aria-labelledby="conflicts">
        <h3 id="conflicts">Conflicts</h3>
        <ConflictsInbox />
      </section>
      {mode === 'signed-in' && (
        <section className="section" aria-labelledby="sync-collections">
          <h3 id="sync-collections">Collections</h3>
          <CollectionsTable status={status} now={now} />
        </section>
      )}
    </div>
  );
}
