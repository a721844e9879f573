import { useEffect, useState } from 'react';
import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { displayName } from '../../../src-shared/schema/display-name';
import type { FieldSpec } from '../../../src-shared/schema/field';
import type { EntityRepository } from '../../db/entity-repository';
import type { Repositories } from '../../db/repositories';

/** Display names of the records the given rows reference, keyed by id, one read per target entity. */
export function useReferenceNames(
  repos: Repositories,
  columns: readonly [string, FieldSpec][],
  rows: readonly Record<string, unknown>[] | undefined,
): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!rows) return;
    let live = true;
    const idsByTarget = new Map<string, Set<string>>();
    for (const [field, spec] of columns) {
      if (spec.type !== 'ref' || !spec.ref || !isEntityName(spec.ref)) continue;
      const ids = idsByTarget.get(spec.ref) ?? new Set<string>();
      for (const row of rows) if (typeof row[field] === 'string') ids.add(row[field] as string);
      idsByTarget.set(spec.ref, ids);
    }
    Promise.all(
      [...idsByTarget].map(async ([target, ids]) => {
        const repo = (repos as unknown as Record<string, EntityRepository<EntityDef> | undefined>)[target];
        const records = repo ? await repo.getMany([...ids]) : [];
        return records.map((r) => [String(r.id), displayName(getEntity(target), r)] as const);
      }),
    ).then((pairs) => live && setNames(new Map(pairs.flat())));
    return () => {
      live = false;
    };
  }, [repos, columns, rows]);
  return names;
}
