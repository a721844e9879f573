import { useMemo } from 'react';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { useCustomFields } from '../../ui/RecordForm';

/**
 * A list's export columns when its file should not be its screen's columns (a name column that
 * shows several fields, fewer columns beside an open record): `fields`, then the custom fields a
 * wide list shows as columns (all but long text, as EntityList shows them).
 */
export function useListExportColumns(entity: EntityDef, fields: readonly string[]): string[] {
  const customDefs = useCustomFields(entity);
  return useMemo(
    () => [...fields, ...customDefs.filter((d) => d.fieldType !== 'text').map((d) => `customFields.${d.key}`)],
    [fields, customDefs],
  );
}
