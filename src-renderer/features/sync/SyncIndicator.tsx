import { useNavigation } from '../../app/navigation';
import { InitialSyncProgress } from './InitialSyncProgress';
import { relativeTime, type SyncPhase } from './sync-status';
import './sync.css';
import { useNow, useSyncStatus } from './useSyncStatus';

const LABEL: Record<SyncPhase, string> = {
  demo: 'Demo data · not synced',
  'forced-offline': 'Offline (sync paused)',
  offline: 'Offline',
  paused: 'Sign in to sync',
  error: 'Sync error',
  syncing: 'Syncing…',
  synced: 'Synced',
};

/** Online/offline and sync state, always visible; opens the Sync screen. */
export function SyncIndicator() {
  const status = useSyncStatus();
  const now = useNow();
  const go = useNavigation((s) => s.go);
  const { phase, pending, lastSyncAt, error } = status;
  const when = phase === 'demo' ? '' : `last sync ${relativeTime(lastSyncAt, now)}`;
  const title = [LABEL[phase], when, error, pending > 0 ? `${pending} changes waiting to be sent` : '']
    .filter(Boolean)
    .join(' · ');
  return (
    <>
      <button
        type="button"
        className={`sync-indicator sync-${phase}`}
        title={title}
        aria-label={`Sync status: ${title}. Open the Sync screen`}
        onClick={() => go({ screen: 'sync' })}
      >
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-label">{LABEL[phase]}</span>
        {phase !== 'demo' && <span className="sync-when muted">{relativeTime(lastSyncAt, now)}</span>}
        {pending > 0 && (
          <span className="badge sync-pending" data-testid="sync-pending">
            {pending} pending
          </span>
        )}
      </button>
      {phase !== 'demo' && <InitialSyncProgress status={status} />}
    </>
  );
}
