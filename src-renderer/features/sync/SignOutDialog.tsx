import type { CollectionName } from '../../../src-shared/schema/define-entity';
import { Dialog } from '../../ui/Dialog';
import { COLLECTION_LABELS } from './sync-status';

interface SignOutDialogProps {
  open: boolean;
  /** Unsent record changes per collection (null: not countable); undefined when sync is paused. */
  pending: readonly { collection: CollectionName; count: number | null }[] | undefined;
  userName: string;
  busy: 'push' | 'discard' | undefined;
  /** Why the last "Push and sign out" stopped (nothing was removed). */
  problem?: string | undefined;
  onCancel: () => void;
  onPushAndSignOut: () => void;
  onDiscard: () => void;
}

/**
 * Signing out removes this device's copy of the user's records and its key (README, "Security and
 * privacy"). With changes not yet on the server, it says which and offers to send them first.
 */
export function SignOutDialog(props: SignOutDialogProps) {
  const { open, pending, userName, busy, problem } = props;
  const total = pending?.reduce((sum, row) => sum + (row.count ?? 0), 0);
  return (
    <Dialog title="Sign out and remove this device’s data?" open={open} onClose={props.onCancel}>
      <p>
        Signing out removes {userName}’s records from this device, with the key that encrypts them. They stay on the
        server.
      </p>
      {pending === undefined ? (
        <p>
          <strong>Sync is paused: changes made since the last sync may not have reached the server.</strong>
        </p>
      ) : pending.length > 0 ? (
        <>
          <p>
            <strong>
              {total} {total === 1 ? 'change has' : 'changes have'} not reached the server yet and would be lost:
            </strong>
          </p>
          <ul aria-label="Unsent changes">
            {pending.map((row) => (
              <li key={row.collection}>
                {COLLECTION_LABELS[row.collection]}: {row.count ?? 'unknown number of'}{' '}
                {row.count === 1 ? 'change' : 'changes'}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">Every change has reached the server.</p>
      )}
      {problem && (
        <p className="form-error" role="alert">
          Not signed out: {problem}. Nothing was removed.
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={props.onCancel} disabled={busy !== undefined}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={props.onDiscard} disabled={busy !== undefined}>
          {busy === 'discard' ? 'Removing…' : 'Sign out and discard'}
        </button>
        <button type="button" className="primary" onClick={props.onPushAndSignOut} disabled={busy !== undefined}>
          {busy === 'push' ? 'Sending…' : 'Push and sign out'}
        </button>
      </div>
    </Dialog>
  );
}
