import { useEffect, useState } from 'react';
import { useCrm } from '../../app/crm-context';
import { COLLECTION_LABELS } from './sync-status';
import type { SyncStatus } from './useSyncStatus';

const doneKey = (userId: string) => `fieldcrm.initialSync.${userId}`;

/**
 * The first pull of a new device: a progress card over the app (documents received per collection)
 * instead of empty lists. The server's pages do not say how many remain, so progress counts the
 * collections that have caught up, and each shows what it received so far. Shown once per user
 * and device; it can be sent to the background.
 */
export function InitialSyncProgress({ status }: { status: SyncStatus }) {
  const { user } = useCrm();
  const [done, setDone] = useState(() => localStorage.getItem(doneKey(user.id)) === 'done');
  const [hidden, setHidden] = useState(false);
  const pulled = [...status.activity.entries()].filter(([name]) => name !== 'audit');
  const caughtUp = pulled.filter(([, a]) => a.caughtUp).length;
  const complete = pulled.length > 0 && caughtUp === pulled.length;
  useEffect(() => {
    if (complete && !done) {
      localStorage.setItem(doneKey(user.id), 'done');
      setDone(true);
    }
  }, [complete, done, user.id]);
  if (done || hidden || !status.replication || status.forcedOffline) return null;
  const received = pulled.reduce((sum, [, a]) => sum + a.received, 0);
  const percent = pulled.length === 0 ? 0 : Math.round((caughtUp / pulled.length) * 100);
  return (
    <div className="initial-sync" role="dialog" aria-modal="false" aria-labelledby="initial-sync-title">
      <div className="initial-sync-card">
        <h2 id="initial-sync-title">Setting up this device</h2>
        <p className="muted">
          Downloading your CRM data so it works offline. {received.toLocaleString()} records received.
        </p>
        <div
          className="progress"
          role="progressbar"
          aria-label="Initial sync"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <span style={{ width: `${Math.max(percent, 4)}%` }} />
        </div>
        {status.error && (
          <p className="form-error" role="alert">
            {status.error} — retrying.
          </p>
        )}
        <ul className="initial-sync-list">
          {pulled.map(([name, a]) => (
            <li key={name} className={a.caughtUp ? 'done' : undefined}>
              <span>{COLLECTION_LABELS[name]}</span>
              <span className="muted">
                {a.received.toLocaleString()} {a.caughtUp ? '✓' : '…'}
              </span>
            </li>
          ))}
        </ul>
        <div className="form-actions">
          <button type="button" onClick={() => setHidden(true)}>
            Continue in the background
          </button>
        </div>
      </div>
    </div>
  );
}
