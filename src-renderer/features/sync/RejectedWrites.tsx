import { useState } from 'react';
import { useCrm } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import type { RejectionItem } from '../../db/sync-review';
import { toast } from '../../ui/toasts';
import { useObservable } from '../../ui/useObservable';
import { RecordName } from '../../ui/useRecordName';
import { fieldLabel } from './review-values';
import { relativeTime } from './sync-status';

type Action = 'retry' | 'discard' | 'dismiss';

/** Writes the server refused for good, with its reason; try again, discard the change, or dismiss (all audited). */
export function RejectedWrites({ now }: { now: number }) {
  const { db } = useCrm();
  const rejections = useObservable(() => db.review.rejections$, [] as readonly RejectionItem[], [db]);
  const [busy, setBusy] = useState<string | undefined>();
  const run = async (item: RejectionItem, action: Action) => {
    setBusy(item.id);
    try {
      if (action === 'retry') await db.review.retryRejected(item.id);
      else if (action === 'discard') await db.review.discardRejected(item.id);
      else await db.review.dismiss(item.id);
      toast({
        tone: 'success',
        message: { retry: 'Sent again', discard: 'Change discarded', dismiss: 'Dismissed' }[action],
      });
    } catch (error) {
      toast({ tone: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(undefined);
    }
  };
  if (rejections.length === 0) return <p className="empty">No refused writes.</p>;
  return (
    <ul className="sync-items" aria-label="Rejected writes">
      {rejections.map((item) => (
        <li key={item.id} className="sync-item rejection">
          <span className="badge badge-lost">Refused</span>
          <div className="sync-item-main">
            <strong>
              <RecordName entity={item.kind} id={item.recordId} />
            </strong>
            <span className="rejection-reason">
              {item.field ? <b>{fieldLabel(item.kind, item.field)}: </b> : null}
              {item.reason}
            </span>
            <span className="muted">
              {item.serverState ? 'Edit' : 'New record'} refused {relativeTime(Date.parse(item.at), now)}
            </span>
          </div>
          <RejectionActions item={item} busy={busy === item.id} run={run} />
        </li>
      ))}
    </ul>
  );
}

function RejectionActions({
  item,
  busy,
  run,
}: {
  item: RejectionItem;
  busy: boolean;
  run: (item: RejectionItem, action: Action) => Promise<void>;
}) {
  const open = useNavigation((s) => s.open);
  const screen = SCREEN_OF[item.kind];
  return (
    <div className="sync-item-actions">
      {screen && (
        <button type="button" onClick={() => open(screen, item.recordId)}>
          Open
        </button>
      )}
      <button type="button" disabled={busy} onClick={() => void run(item, 'retry')}>
        Try again
      </button>
      <button type="button" className="danger" disabled={busy} onClick={() => void run(item, 'discard')}>
        Discard my change
      </button>
      <button type="button" disabled={busy} onClick={() => void run(item, 'dismiss')}>
        Dismiss
      </button>
    </div>
  );
}

const SCREEN_OF: Record<
  string,
  'contacts' | 'companies' | 'leads' | 'deals' | 'tasks' | 'notes' | 'content' | undefined
> = {
  contact: 'contacts',
  company: 'companies',
  lead: 'leads',
  deal: 'deals',
  task: 'tasks',
  note: 'notes',
  content: 'content',
};
