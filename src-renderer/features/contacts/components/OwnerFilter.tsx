import { useMemo } from 'react';
import { useCrm, useRepos } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';

/** "All owners / Me / each user" as a select ('' means anyone); invited and disabled users own records too. */
export function OwnerFilter({ value, onChange }: { value: string; onChange: (ownerId: string) => void }) {
  const repos = useRepos();
  const { user } = useCrm();
  const users = useObservable(() => repos.user.observe(), [], [repos]);
  // Sorted when the users change, not on every render: the list re-renders it on each filter switch.
  const others = useMemo(
    () => users.filter((u) => u.id !== user.id).sort((a, b) => a.lastName.localeCompare(b.lastName)),
    [users, user.id],
  );
  return (
    <label className="filter">
      <span className="sr-only">Owner</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label="Filter by owner">
        <option value="">All owners</option>
        <option value={user.id}>Me ({user.name})</option>
        {others.map((u) => (
          <option key={u.id} value={u.id}>
            {u.firstName} {u.lastName}
            {u.status === 'active' ? '' : ` (${u.status})`}
          </option>
        ))}
      </select>
    </label>
  );
}
