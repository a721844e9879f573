import { ENTITIES } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { dataColumnsOf } from '../db/sync-schema';

// Apart from subject.ts so that the row writer's erasure check (erasure-lock.ts) can use it
// without importing the row writer back.

/** A field of an entity that can point at a person: a ref to a contact or lead, or an any-kind subject ref. */
export interface PersonRef {
  entity: EntityDef;
  field: string;
  column: string;
}

/** Every field of every document entity that can reference a contact or a lead. */
export const PERSON_REFS: readonly PersonRef[] = ENTITIES.filter((e) => e.storage === 'document').flatMap((entity) =>
  Object.entries(entity.fields)
    .filter(([, spec]) => spec.type === 'ref' && (spec.ref === 'contact' || spec.ref === 'lead' || spec.ref === '*'))
    .map(([field]) => ({
      entity: entity as EntityDef,
      field,
      column: dataColumnsOf(entity as EntityDef).find((c) => c.name === field)?.column ?? field,
    })),
);
