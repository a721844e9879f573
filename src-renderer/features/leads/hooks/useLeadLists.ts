import { useMemo } from 'react';
import type { EntityByName } from '../../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../../src-shared/schema/define-entity';
import { useRepos } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';

export type LeadList = EntityRecord<EntityByName<'leadList'>>;

/** The lead lists on this device, by name, live. */
export function useLeadLists(): readonly LeadList[] | undefined {
  const repos = useRepos();
  const lists = useObservable(() => repos.leadList.observe(), undefined as LeadList[] | undefined, [repos]);
  return useMemo(() => lists?.toSorted((a, b) => a.name.localeCompare(b.name)), [lists]);
}
