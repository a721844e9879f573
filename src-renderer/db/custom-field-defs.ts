import type { CustomFieldDef } from '../../src-shared/schema/validate';
import type { CrmRxDatabase } from './create-database';

/**
 * The active custom field definitions of one entity. Read on each write rather than cached from a
 * subscription, so a field defined a moment ago already applies to the next record.
 */
export async function customFieldDefs(rx: CrmRxDatabase, entityKind: string): Promise<CustomFieldDef[] | undefined> {
  // Only multi-device tests open a database without `settings` (collection limit): no definitions to check against.
  if (!rx.collections.settings) return undefined;
  const docs = await rx.settings
    .find({ selector: { kind: 'customField', isDeleted: false }, index: ['kind', 'isDeleted', 'newest'] })
    .exec();
  return docs
    .map((d) => d.toJSON() as unknown as CustomFieldDef & { entityKind: string })
    .filter((d) => d.entityKind === entityKind);
}
