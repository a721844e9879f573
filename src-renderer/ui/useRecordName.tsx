import { useEffect, useState } from 'react';
import { getEntity, isEntityName } from '../../src-shared/entities/registry';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import { displayName } from '../../src-shared/schema/display-name';
import { useRepos } from '../app/crm-context';
import type { EntityRepository } from '../db/entity-repository';
import type { Repositories } from '../db/repositories';
import { getBatched } from './record-batch';

/** The repository of an entity named at run time (e.g. a ref field's target). */
export function repoOf(repos: Repositories, entity: string): EntityRepository<EntityDef> | undefined {
  return isEntityName(entity)
    ? (repos as unknown as Record<string, EntityRepository<EntityDef> | undefined>)[entity]
    : undefined;
}

/** The display name of one referenced record ('' while loading, the id when it is not on this device). */
export function useRecordName(entity: string | undefined, id: string | undefined): string {
  const repos = useRepos();
  const [name, setName] = useState('');
  useEffect(() => {
    if (!entity || !id) return setName('');
    const repo = repoOf(repos, entity);
    if (!repo) return setName(id);
    let live = true;
    // With every other name the same render asks for: one read per page, not per cell (record-batch.ts).
    getBatched(repo, id).then(
      (record) => live && setName(record ? displayName(getEntity(entity), record) : id),
      () => live && setName(id),
    );
    return () => {
      live = false;
    };
  }, [repos, entity, id]);
  return name;
}

export function RecordName({ entity, id }: { entity: string | undefined; id: string | undefined }) {
  return <>{useRecordName(entity, id)}</>;
}
