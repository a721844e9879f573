import { useEffect, useId, useState } from 'react';
import { useCan, useRepos } from '../../../app/crm-context';
import { errorMessage, toast } from '../../../ui/toasts';
import { useUsers } from '../hooks/useUsers';
import type { Lead } from '../lead-inbox.queries';
import { assignLead } from '../leads.service';

/** Owner of the lead with a picker of active users; Assign writes the change (Undo gives it back). */
export function AssignOwner({ lead }: { lead: Lead }) {
  const repos = useRepos();
  const canUpdate = useCan('lead', 'update');
  const { users, byId, nameOf } = useUsers();
  const [choice, setChoice] = useState(lead.ownerId);
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const id = useId();
  useEffect(() => {
    setChoice(lead.ownerId);
    setProblem(undefined);
  }, [lead.ownerId]);
  const ownerName = nameOf(lead.ownerId);

  const assign = async () => {
    setSaving(true);
    setProblem(undefined);
    const previous = lead.ownerId;
    try {
      const updated = await assignLead(repos, lead.id, choice);
      if (updated.ownerId === previous) return;
      toast({
        tone: 'success',
        message: `Assigned to ${nameOf(choice)}.`,
        // Undo puts the previous owner back as it was, even one who is no longer an active user.
        action: {
          label: 'Undo',
          run: () =>
            repos.lead.update(lead.id, { ownerId: previous }).then(
              () => undefined,
              (error: unknown) => toast({ tone: 'error', message: `Could not undo: ${errorMessage(error)}` }),
            ),
        },
      });
    } catch (error) {
      setProblem(errorMessage(error).replace(/^lead: ownerId /, 'Owner '));
    } finally {
      setSaving(false);
    }
  };

  if (!canUpdate || lead.isDeleted)
    return (
      <p className="lead-owner">
        <span className="muted">Owner</span> {ownerName}
      </p>
    );
  return (
    <div className="lead-assign">
      <label htmlFor={id} className="muted">
        Owner
      </label>
      <select
        id={id}
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
      >
        {!byId.has(lead.ownerId) && <option value={lead.ownerId}>{ownerName}</option>}
        {(users ?? [])
          .filter((u) => u.active || u.id === lead.ownerId)
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
      </select>
      <button type="button" onClick={() => void assign()} disabled={saving || choice === lead.ownerId}>
        Assign
      </button>
      {problem && (
        <span id={`${id}-problem`} className="field-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
