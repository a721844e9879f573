import { of } from 'rxjs';
import { getEntity } from '../../../../src-shared/entities/registry';
import type { EntityDef, EntityRecord } from '../../../../src-shared/schema/define-entity';
import { displayName } from '../../../../src-shared/schema/display-name';
import { useRepos } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { repoOf } from '../../../ui/useRecordName';

/**
 * A record's name, live: a communication can arrive before the contact it is about (collections
 * sync side by side), and the name appears once the contact does. Until then, a muted placeholder.
 */
export function SubjectName({ entity, id }: { entity: string; id: string }) {
  const repos = useRepos();
  const record = useObservable(
    () => repoOf(repos, entity)?.observeOne(id) ?? of(undefined),
    undefined as EntityRecord<EntityDef> | undefined,
    [repos, entity, id],
  );
  if (!record) return <span className="muted">Not on this device yet</span>;
  return <>{displayName(getEntity(entity), record)}</>;
}
