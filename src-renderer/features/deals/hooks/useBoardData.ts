import { useEffect, useMemo, useState } from 'react';
import type { EntityByName } from '../../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../../src-shared/schema/define-entity';
import { useCrm } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';

export type Deal = EntityRecord<EntityByName<'deal'>>;

/**
 * The deals of one stage, live, from the (ownerId,) stage index. An open stage is read whole (its
 * total needs every deal); a closed stage, which only grows, is read `limit` newest at a time.
 */
export function useStageDeals(stage: string, ownerId: string, limit?: number) {
  const { repos } = useCrm();
  const where: Record<string, string> = ownerId ? { ownerId, stage } : { stage };
  const key = JSON.stringify(where);
  const deals = useObservable(
    () => repos.deal.observe({ where, ...(limit === undefined ? {} : { limit }) }),
    undefined as Deal[] | undefined,
    [repos, key, limit],
  );
  const count = useObservable(() => repos.deal.observeCount({ where }), undefined as number | undefined, [repos, key]);
  return { deals, count };
}

/** Display names of the records `ids` point to, read in one batch per change of the set. */
export function useCompanyNames(ids: readonly string[]): ReadonlyMap<string, string> {
  const { repos } = useCrm();
  const key = [...new Set(ids)].sort().join(',');
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!key) return;
    let live = true;
    void repos.company.getMany(key.split(',')).then((found) => {
      if (live) setNames(new Map(found.map((c) => [c.id, c.name])));
    });
    return () => {
      live = false;
    };
  }, [repos, key]);
  return names;
}

/** Today as an ISO date, for "overdue" and today's exchange rates. */
export function useToday(): string {
  return useMemo(() => new Date().toISOString().slice(0, 10), []);
}
