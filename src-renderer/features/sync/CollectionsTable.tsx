import type { CollectionName } from '../../../src-shared/schema/define-entity';
import { COLLECTION_LABELS, describeSyncError, relativeTime } from './sync-status';
import type { SyncStatus } from './useSyncStatus';

/** Per collection: unsent changes, documents received, last pull and push, the standing error. */
export function CollectionsTable({ status, now }: { status: SyncStatus; now: number }) {
  const names = [...status.activity.keys()];
  if (names.length === 0) {
    return <p className="empty">Sync is not running. Sign in to sync this device with your team.</p>;
  }
  return (
    <table className="sync-table" aria-label="Collections">
      <thead>
        <tr>
          <th scope="col">Collection</th>
          <th scope="col" className="num">
            Pending
          </th>
          <th scope="col" className="num">
            Received
          </th>
          <th scope="col">Last pull</th>
          <th scope="col">Last push</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name: CollectionName) => {
          const a = status.activity.get(name);
          const pending = status.outbox.get(name)?.length;
          return (
            <tr key={name} data-collection={name}>
              <th scope="row">{COLLECTION_LABELS[name]}</th>
              <td className="num">
                {pending === undefined ? '—' : pending > 0 ? <span className="badge badge-high">{pending}</span> : 0}
              </td>
              <td className="num">{name === 'audit' ? '—' : (a?.received ?? 0).toLocaleString()}</td>
              <td>{name === 'audit' ? <span className="muted">sent only</span> : relativeTime(a?.lastPullAt, now)}</td>
              <td>{relativeTime(a?.lastPushAt, now)}</td>
              <td>
                {a?.error ? (
                  <span className="form-error" title={a.error.message}>
                    {describeSyncError(a.error.message)} ({a.error.direction})
                  </span>
                ) : a?.caughtUp || name === 'audit' ? (
                  <span className="badge badge-active">OK</span>
                ) : (
                  <span className="muted">Downloading…</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
