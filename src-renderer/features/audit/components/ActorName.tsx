import { useCrm } from '../../../app/crm-context';
import { useRecordName } from '../../../ui/useRecordName';

/** The user who made a change: the current user by name even before their record has synced. */
export function ActorName({ id }: { id: string }) {
  const { user } = useCrm();
  const name = useRecordName('user', id === user.id ? undefined : id);
  return <>{id === user.id ? user.name : name || id}</>;
}
