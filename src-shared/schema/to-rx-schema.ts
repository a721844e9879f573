import type { RxJsonSchema } from 'rxdb';
import { COLLECTION_VERSIONS } from '../entities/collections';
import { COLLECTION_ENTITIES } from '../entities/registry';
import { baseFields, type CollectionName, type EntityDef, SORT_FIELDS } from './define-entity';
import { type FieldSpec, maxLengthOf } from './field';

/** Every stored document: the base fields, the kind's own fields, maybe `customFields`. */
export type StoredDoc = Record<string, unknown> & { id: string; kind: string };

type JsonSchemaProp = Record<string, unknown>;

function toJsonSchema(field: FieldSpec, indexed: boolean): JsonSchemaProp {
  switch (field.type) {
    case 'integer':
    case 'money':
      return indexed
        ? { type: 'integer', minimum: field.min ?? 0, maximum: field.max ?? Number.MAX_SAFE_INTEGER, multipleOf: 1 }
        : { type: 'integer' };
    case 'number':
    case 'percent':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'tags':
      return { type: 'array', items: { type: 'string' } };
    case 'json':
      return {};
    default:
      return { type: 'string', maxLength: maxLengthOf(field) };
  }
}

/** Every kind can list its live records newest first, whatever else it declares. */
const LIST_INDEX = ['isDeleted', 'newest'];

/** The entity's indexes plus the default list index, unprefixed. */
export function declaredIndexes(entity: EntityDef): string[][] {
  const own = (entity.indexes ?? []).map((index) => [...index]);
  const hasList = own.some((index) => index.join('+') === LIST_INDEX.join('+'));
  return hasList ? own : [...own, LIST_INDEX];
}

/** Whether the entity shares its RxDB collection with other kinds (its indexes then start with `kind`). */
export function sharesCollection(entity: EntityDef): boolean {
  return COLLECTION_ENTITIES[entity.collection as CollectionName].length > 1;
}

/** Indexes of one entity as stored: prefixed with `kind` when its collection holds several kinds. */
export function storedIndexes(entity: EntityDef): string[][] {
  const shared = sharesCollection(entity);
  return declaredIndexes(entity).map((index) => (shared ? ['kind', ...index] : index));
}

/**
 * IndexedDB leaves a document out of an index that lacks one of its fields. That is sound for an
 * equality field: a document without the field cannot match `field = value`, and chooseIndex only
 * picks an index whose equality fields all have a value in the query. It is not for a sort field
 * (`newest`, `scoreRank`): a list sorted from that index would silently miss the document, so those
 * must be required. An optional equality field may be followed only by equality fields and the sort.
 */
export function checkIndexFields(entity: EntityDef): void {
  for (const index of entity.indexes ?? []) {
    for (const name of index) {
      const field = entity.allFields[name];
      if (!field) throw new Error(`${entity.name}: index field "${name}" is not declared`);
      if (SORT_FIELDS.has(name) && !field.required) {
        throw new Error(`${entity.name}: index field "${name}" sorts lists, so it must be required`);
      }
      // Dexie stores a missing boolean index value as '0', i.e. as false: `flag = false` would match it.
      if (!field.required && field.type === 'boolean') {
        throw new Error(
          `${entity.name}: optional index field "${name}" cannot be a boolean (Dexie indexes it as false)`,
        );
      }
    }
  }
}

/** Whether the local database keeps the field encrypted (personal data or copies of it). */
export function isEncryptedField(field: FieldSpec): boolean {
  return field.pii === true || field.holdsPii === true;
}

/**
 * Personal fields the device keeps plain on purpose, each because an index needs it: a user's
 * email is the sign-in identity, unique through its index (access.service.ts), and a colleague's
 * work address rather than a customer's.
 */
const PLAIN_BY_DESIGN: Partial<Record<CollectionName, readonly string[]>> = { users: ['email'] };

/**
 * The collection's fields stored encrypted on the device, sorted. A field encrypted for one kind
 * is encrypted for every kind of the collection: the storage sees one schema per collection.
 */
export function encryptedFields(collection: CollectionName): string[] {
  const names = new Set<string>();
  for (const entity of COLLECTION_ENTITIES[collection]) {
    for (const [name, field] of Object.entries(entity.fields)) if (isEncryptedField(field)) names.add(name);
  }
  for (const name of PLAIN_BY_DESIGN[collection] ?? []) names.delete(name);
  return [...names].sort();
}

/** The RxDB schema of one collection: the union of its member entities' fields. */
export function toRxSchema(collection: CollectionName): RxJsonSchema<StoredDoc> {
  const members = COLLECTION_ENTITIES[collection];
  if (members.length === 0) throw new Error(`Collection "${collection}" has no entities`);
  const indexedFields = new Set<string>();
  for (const entity of members) {
    checkIndexFields(entity);
    for (const index of storedIndexes(entity)) for (const f of index) indexedFields.add(f);
  }
  const properties: Record<string, JsonSchemaProp> = {};
  const owners: Record<string, string> = {};
  const add = (name: string, field: FieldSpec, owner: string) => {
    const prop = toJsonSchema(field, indexedFields.has(name));
    const existing = properties[name];
    if (existing && existing.type !== prop.type) {
      throw new Error(
        `${collection}: field "${name}" is ${String(existing.type)} in ${owners[name]} but ${String(prop.type)} in ${owner}`,
      );
    }
    if (existing && typeof existing.maxLength === 'number' && typeof prop.maxLength === 'number') {
      prop.maxLength = Math.max(existing.maxLength, prop.maxLength);
    }
    properties[name] = prop;
    owners[name] = owner;
  };
  for (const [name, field] of Object.entries(baseFields)) add(name, field, 'base');
  for (const entity of members) {
    for (const [name, field] of Object.entries(entity.fields)) add(name, field, entity.name);
    for (const [name, derived] of Object.entries(entity.derived ?? {})) add(name, derived.field, entity.name);
  }
  if (members.some((e) => e.customizable)) properties.customFields = { type: 'object' };
  properties.kind = { type: 'string', maxLength: 40, enum: members.map((e) => e.name) };

  const indexes = new Map<string, string[]>();
  for (const entity of members) for (const index of storedIndexes(entity)) indexes.set(index.join('+'), index);
  // Ciphertext has no order and a fresh IV per write: an index or a query on it would find nothing.
  const encrypted = encryptedFields(collection);
  for (const name of encrypted) {
    if (indexedFields.has(name))
      throw new Error(`${collection}: field "${name}" is personal data, so it cannot be indexed`);
  }

  return {
    title: collection,
    version: COLLECTION_VERSIONS[collection].version,
    primaryKey: 'id',
    type: 'object',
    properties,
    // Dexie's storage refuses index fields that are not "required" (DXE1). A kind-specific index
    // field is required by the kinds whose indexes use it (checked above) though not by its
    // neighbours in a shared collection; those are simply absent from that IndexedDB index, which
    // is why repositories always name the index they query. Likewise an optional equality field
    // (a contact's companyId): contacts without one are absent from the companyId index, which only
    // serves `companyId = <value>` (index-hint.ts). Our validator is the schema of record.
    required: [
      ...new Set([
        ...Object.entries(baseFields)
          .filter(([, field]) => field.required)
          .map(([name]) => name),
        ...indexedFields,
      ]),
    ],
    indexes: [...indexes.values()],
    // Only when there are some: RxDB's schema hash would change for an empty list too.
    ...(encrypted.length > 0 ? { encrypted } : {}),
    additionalProperties: false,
  } as RxJsonSchema<StoredDoc>;
}
