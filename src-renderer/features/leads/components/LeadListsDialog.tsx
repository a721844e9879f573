import { useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { useCan, useRepos } from '../../../app/crm-context';
import { Dialog } from '../../../ui/Dialog';
import { newDraftPlace } from '../../../ui/form-drafts.store';
import { RecordForm } from '../../../ui/RecordForm';
import { toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import { type LeadList, useLeadLists } from '../hooks/useLeadLists';
import { createLeadList } from '../leads.service';

function MemberCount({ listId }: { listId: string }) {
  const repos = useRepos();
  // Counted from the members' [leadListId] index: no member is read.
  const count = useObservable(() => repos.leadListMember.observeCount({ where: { leadListId: listId } }), undefined, [
    repos,
    listId,
  ]);
  return <span className="muted num">{count === undefined ? '' : `${count.toLocaleString()} leads`}</span>;
}

interface LeadListsDialogProps {
  open: boolean;
  onClose: () => void;
  /** Shows the inbox filtered to this list; undefined: every lead. */
  onPick: (list: LeadList | undefined) => void;
  /** The list the inbox shows now. */
  currentId?: string;
}

/** Every lead list with its size; pick one to filter the inbox, or make a new one. */
export function LeadListsDialog({ open, onClose, onPick, currentId }: LeadListsDialogProps) {
  const repos = useRepos();
  const lists = useLeadLists();
  const canCreate = useCan('leadList', 'create');
  const [creating, setCreating] = useState(false);
  const close = () => {
    setCreating(false);
    onClose();
  };
  return (
    <Dialog title={creating ? 'New lead list' : 'Lead lists'} open={open} onClose={close}>
      {creating ? (
        <RecordForm
          entity={getEntity('leadList')}
          fields={['name', 'purpose', 'description']}
          initial={{ purpose: 'campaign' }}
          submitLabel="Create list"
          draftPlace={newDraftPlace('leadList', 'lists')}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const list = await createLeadList(repos, values as never);
            toast({ tone: 'success', message: `List “${list.name}” created.` });
            setCreating(false);
            onPick(list);
          }}
        />
      ) : (
        <>
          {lists === undefined ? (
            <p className="muted">Loading…</p>
          ) : lists.length === 0 ? (
            <p className="empty">No lead lists yet. Lists group leads for a campaign, an event or a nurture track.</p>
          ) : (
            <ul className="lead-list-choices">
              <li>
                <button
                  type="button"
                  className={currentId ? undefined : 'current'}
                  aria-current={currentId ? undefined : 'true'}
                  onClick={() => onPick(undefined)}
                >
                  <span>
                    <strong>All leads</strong>
                    <span className="muted">The whole inbox, on a list or not</span>
                  </span>
                </button>
              </li>
              {lists.map((list) => (
                <li key={list.id}>
                  <button
                    type="button"
                    className={list.id === currentId ? 'current' : undefined}
                    aria-current={list.id === currentId ? 'true' : undefined}
                    onClick={() => onPick(list)}
                  >
                    <span>
                      <strong>{list.name}</strong>
                      {list.description && <span className="muted">{list.description}</span>}
                    </span>
                    <span className="lead-list-meta">
                      {list.type === 'dynamic' && <span className="badge">Dynamic</span>}
                      <MemberCount listId={list.id} />
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {canCreate && (
            <div className="form-actions">
              <button type="button" className="primary" onClick={() => setCreating(true)}>
                New list
              </button>
            </div>
          )}
        </>
      )}
    </Dialog>
  );
}
