import { useMemo } from 'react';
import { useCrm } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';

export interface UserChoice {
  id: string;
  name: string;
  active: boolean;
}

/** The users on this device, by name, live; `byId` for owner names in lists without a read per row. */
export function useUsers(): {
  users: readonly UserChoice[] | undefined;
  byId: ReadonlyMap<string, UserChoice>;
  /** A user's name; "You" for the current user when not on this device (the demo's local user). */
  nameOf: (id: string) => string;
} {
  const { repos, user } = useCrm();
  const records = useObservable(() => repos.user.observe(), undefined, [repos]);
  return useMemo(() => {
    const users = records
      ?.map((u) => ({ id: u.id, name: `${u.firstName} ${u.lastName}`, active: u.status === 'active' }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const byId = new Map((users ?? []).map((u) => [u.id, u]));
    const nameOf = (id: string) => byId.get(id)?.name ?? (id === user.id ? 'You' : id);
    return { users, byId, nameOf };
  }, [records, user.id]);
}
