import { useMemo } from 'react';
import { useRepos } from '../../app/crm-context';
import { useObservable } from '../../ui/useObservable';
import type { CustomLabels } from './components/ChangeTable';

/** Every custom field's label by `kind.key` (deactivated ones too: old entries still name them). */
export function useCustomLabels(): CustomLabels {
  const repos = useRepos();
  const defs = useObservable(() => repos.customField.observe({ includeDeleted: true }), [], [repos]);
  return useMemo(() => new Map(defs.map((d) => [`${d.entityKind}.${d.key}`, d.label])), [defs]);
}
