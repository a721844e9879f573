import type { EntityDef } from '../schema/define-entity';

/**
 * Where a `parent`-owned record's scope comes from: the record its `parentField` points to. A
 * polymorphic reference (`ref: '*'`, e.g. `subjectId`) names its kind in the sibling `…Type` enum
 * (`subjectType`), whose values are entity names.
 */
export interface ParentRef {
  /** The field holding the parent's id. */
  readonly field: string;
  /** For a polymorphic reference: the field holding the parent's kind. */
  readonly typeField?: string;
  /** The entity names the parent can be. */
  readonly kinds: readonly string[];
}

const cache = new WeakMap<EntityDef, ParentRef | null>();

function build(entity: EntityDef): ParentRef | null {
  // Embedded entities (custom field values) travel inside their record and are scoped with it.
  if (entity.owner !== 'parent' || entity.parentField === undefined || entity.storage !== 'document') return null;
  const field = entity.parentField;
  const ref = entity.fields[field]?.ref;
  if (ref === undefined) throw new Error(`${entity.name}.${field}: a parentField must be a ref`);
  if (ref !== '*') return { field, kinds: [ref] };
  const typeField = field.replace(/Id$/, 'Type');
  const kinds = entity.fields[typeField]?.values;
  if (typeField === field || kinds === undefined) {
    throw new Error(`${entity.name}.${field}: a polymorphic parentField needs a ${typeField} enum of entity names`);
  }
  return { field, typeField, kinds };
}

/** The parent reference of a `parent`-owned document entity; undefined for the other owner rules. */
export function parentRefOf(entity: EntityDef): ParentRef | undefined {
  let ref = cache.get(entity);
  if (ref === undefined) {
    ref = build(entity);
    cache.set(entity, ref);
  }
  return ref ?? undefined;
}

/** The kind and id of the record `doc` hangs from; undefined when the entity has no parent or the fields are empty. */
export function parentOf(
  entity: EntityDef,
  doc: Readonly<Record<string, unknown>>,
): { kind: string; id: string } | undefined {
  const ref = parentRefOf(entity);
  if (ref === undefined) return undefined;
  const id = doc[ref.field];
  const kind = ref.typeField === undefined ? ref.kinds[0] : doc[ref.typeField];
  if (typeof id !== 'string' || id === '' || typeof kind !== 'string' || !ref.kinds.includes(kind)) return undefined;
  return { kind, id };
}
