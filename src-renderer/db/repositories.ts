import { type DocumentEntityName, ENTITIES, type EntityByName } from '../../src-shared/entities/registry';
import type { LocalDatabase } from './create-database';
import { EntityRepository } from './entity-repository';

export type Repositories = { [N in DocumentEntityName]: EntityRepository<EntityByName<N>> };

/** One repository per document entity of the registry, keyed by entity name. */
export function createRepositories(db: LocalDatabase): Repositories {
  const repos: Partial<Record<string, unknown>> = {};
  for (const entity of ENTITIES) {
    if (entity.storage === 'document') repos[entity.name] = new EntityRepository(db, entity);
  }
  return repos as Repositories;
}
