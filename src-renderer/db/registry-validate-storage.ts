import { type RxStorage, wrappedValidateStorageFactory } from 'rxdb';
import { getEntity, isEntityName } from '../../src-shared/entities/registry';
import { COLLECTIONS } from '../../src-shared/schema/define-entity';
import { validateRecord } from '../../src-shared/schema/validate';

const ours = new Set<string>(COLLECTIONS);

/**
 * Storage-level validation by the registry's own validator, for dev-mode (tests): it proves that
 * whatever reaches storage, by any path including the audit writer, is a valid record of its kind.
 * Custom field values are checked by the repository, which knows the definitions.
 */
export const wrappedRegistryValidateStorage = wrappedValidateStorageFactory((schema) => {
  if (!ours.has(String(schema.title))) return () => [];
  return (doc: Record<string, unknown>) => {
    const kind = String(doc.kind);
    if (!isEntityName(kind)) return [{ field: 'kind', message: `kind "${kind}" is not an entity` }];
    if (doc._deleted === true) return [];
    const record = Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));
    return validateRecord(getEntity(kind), record).map((p) => ({ field: p.field, message: `${p.field} ${p.problem}` }));
  };
}, 'crm-registry') as (args: { storage: RxStorage<unknown, unknown> }) => RxStorage<unknown, unknown>;
