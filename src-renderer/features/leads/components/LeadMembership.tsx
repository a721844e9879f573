import { useId, useState } from 'react';
import { useCan, useRepos } from '../../../app/crm-context';
import { errorMessage, toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import { useLeadLists } from '../hooks/useLeadLists';
import type { Lead } from '../lead-inbox.queries';
import { addLeadToList, removeLeadFromList } from '../leads.service';

/** The lists a lead is on, each removable, and a picker to add it to another. */
export function LeadMembership({ lead }: { lead: Lead }) {
  const repos = useRepos();
  const canEdit = useCan('leadListMember', 'create') && !lead.isDeleted;
  const lists = useLeadLists();
  const members = useObservable(
    () => repos.leadListMember.observe({ where: { leadId: lead.id }, limit: 500 }),
    undefined,
    [repos, lead.id],
  );
  const [choice, setChoice] = useState('');
  const [problem, setProblem] = useState<string>();
  const id = useId();
  const memberOf = new Set((members ?? []).map((m) => m.leadListId));
  const on = (lists ?? []).filter((l) => memberOf.has(l.id));
  const off = (lists ?? []).filter((l) => !memberOf.has(l.id));

  const add = async () => {
    setProblem(undefined);
    try {
      await addLeadToList(repos, lead.id, choice);
      toast({ tone: 'success', message: `Added to “${lists?.find((l) => l.id === choice)?.name ?? 'list'}”.` });
      setChoice('');
    } catch (error) {
      setProblem(errorMessage(error).replace(/^leadListMember: leadListId /, 'List '));
    }
  };
  const remove = async (listId: string, name: string) => {
    try {
      await removeLeadFromList(repos, lead.id, listId);
      toast({
        tone: 'info',
        message: `Removed from “${name}”.`,
        action: { label: 'Undo', run: () => void addLeadToList(repos, lead.id, listId).catch(() => undefined) },
      });
    } catch (error) {
      toast({ tone: 'error', message: `Could not remove: ${errorMessage(error)}` });
    }
  };

  return (
    <section className="section" aria-label="Lead lists">
      <h3>Lists</h3>
      {members === undefined || lists === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <ul className="lead-chips">
          {on.length === 0 && <li className="muted">Not on any list.</li>}
          {on.map((l) => (
            <li key={l.id} className="lead-chip">
              {l.name}
              {canEdit && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove from ${l.name}`}
                  onClick={() => void remove(l.id, l.name)}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && off.length > 0 && (
        <div className="lead-assign">
          <label htmlFor={id} className="sr-only">
            Add to list
          </label>
          <select
            id={id}
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            aria-invalid={problem !== undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
          >
            <option value="">Add to list…</option>
            {off.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void add()} disabled={choice === ''}>
            Add
          </button>
          {problem && (
            <span id={`${id}-problem`} className="field-problem" role="alert">
              {problem}
            </span>
          )}
        </div>
      )}
    </section>
  );
}
