import { useEffect, useState } from 'react';
import { getEntity, isEntityName } from '../../src-shared/entities/registry';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import { displayName } from '../../src-shared/schema/display-name';
import { type CurrentUser, useCrm } from '../app/crm-context';
import type { EntityRepository } from '../db/entity-repository';
import type { Repositories } from '../db/repositories';
import { getBatched } from './record-batch';

/** The repository of an entity named at run time (e.g. a ref field's target). */
export function repoOf(repos: Repositories, entity: string): EntityRepository<EntityDef> | undefined {
  return isEntityName(entity)
    ? (repos as unknown as Record<string, EntityRepository<EntityDef> | undefined>)[entity]
    : undefined;
}

/**
 * The name of a referenced record that is not on this device: the id, except for the current user,
 * who may have no user record here (the demo's local user never has one; a signed-in user's may
 * not have synced yet) and is named as the rest of the app names them (the deals' owner filter, the
 * dashboard), not by an id such as "local-user".
 */
export function missingRecordName(entity: string, id: string, current: Pick<CurrentUser, 'id' | 'name'>): string {
  return entity === 'user' && id === current.id ? current.name : id;
}

/** The display name of one referenced record ('' while loading, the id when it is not on this device). */
export function useRecordName(entity: string | undefined, id: string | undefined): string {
  const { repos, user } = useCrm();
  const [name, setName] = useState('');
  useEffect(() => {
    if (!entity || !id) return setName('');
    const repo = repoOf(repos, entity);
    if (!repo) return setName(id);
    let live = true;
    const missing = () => missingRecordName(entity, id, user);
    // With every other name the same render asks for: one read per page, not per cell (record-batch.ts).
    getBatched(repo, id).then(
      (record) => live && setName(record ? displayName(getEntity(entity), record) : missing()),
      () => live && setName(missing()),
    );
    return () => {
      live = false;
    };
  }, [repos, user, entity, id]);
  return name;
}

export function RecordName({ entity, id }: { entity: string | undefined; id: string | undefined }) {
  return <>{useRecordName(entity, id)}</>;
}
