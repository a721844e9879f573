import { useMemo } from 'react';
import { useCrm } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';

export interface Person {
  id: string;
  name: string;
  initials: string;
}

/** The users deals can be owned by, live, by name; the demo's local user included. */
export function useUsers(): { list: readonly Person[]; byId: ReadonlyMap<string, Person> } {
  const { repos, user } = useCrm();
  const records = useObservable(() => repos.user.observe(), [], [repos]);
  return useMemo(() => {
    const list = records.map((u) => person(u.id, `${u.firstName} ${u.lastName}`));
    if (!list.some((p) => p.id === user.id)) list.push(person(user.id, user.name));
    list.sort((a, b) => a.name.localeCompare(b.name));
    return { list, byId: new Map(list.map((p) => [p.id, p])) };
  }, [records, user]);
}

function person(id: string, name: string): Person {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .slice(0, 2)
    .join('');
  return { id, name, initials };
}
