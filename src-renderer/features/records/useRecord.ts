import { useEffect, useState } from 'react';
import type { EntityDef, EntityRecord } from '../../../src-shared/schema/define-entity';
import type { EntityRepository } from '../../db/entity-repository';

/** One record, live: undefined while loading, null when it is not on this device. */
export function useRecord<E extends EntityDef>(
  repo: EntityRepository<E> | undefined,
  id: string | undefined,
): EntityRecord<E> | null | undefined {
  const [record, setRecord] = useState<EntityRecord<E> | null | undefined>(undefined);
  useEffect(() => {
    setRecord(undefined);
    if (!repo || !id) return;
    const subscription = repo.observeOne(id).subscribe((found) => setRecord(found ?? null));
    return () => subscription.unsubscribe();
  }, [repo, id]);
  return record;
}
