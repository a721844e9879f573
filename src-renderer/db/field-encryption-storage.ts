import {
  type BulkWriteRow,
  getPrimaryFieldOfPrimaryKey,
  type RxStorage,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
  wrapRxStorageInstance,
} from 'rxdb';
import { aesKey, createFieldCipher, documentAad, openFields, sealFields } from './sealed-envelope';

export { createFieldCipher, DatabaseKeyError } from './sealed-envelope';

type Doc = Record<string, unknown>;
type Instance = RxStorageInstance<Doc, unknown, unknown>;

/**
 * The one stored field that holds a document's sealed fields (sealed-envelope.ts). A document
 * without it was written in the per-field format (v1: each personal field its own `e1.`
 * ciphertext), or before encryption, or has none of the fields to seal.
 */
export const ENVELOPE_FIELD = 'sealed';

/** RxDB's local documents (the sync review store): their `data` may hold refused records' values. */
const LOCAL_DOCUMENT_SCHEMA_TITLE = 'RxLocalDocument';
/** RxDB's replication meta documents: `docData` is the server's last known copy of a record. */
const REPLICATION_META_SCHEMA_TITLE = 'RxReplicationProtocolMetaData';

export interface FieldEncryptionOptions {
  storage: RxStorage<unknown, unknown>;
  /** A high-entropy secret (see database-key.ts); the AES key is derived from it with HKDF. */
  key: string;
}

interface SchemaLike {
  title?: string;
  encrypted?: readonly string[];
  properties?: Record<string, { properties?: Record<string, unknown> } | undefined>;
}

/**
 * Top-level fields this instance seals: the schema's `encrypted` (the registry's personal fields,
 * to-rx-schema.ts), plus `customFields` where records carry them (values an admin defines, which
 * may be personal: issue 7), a local document's data, and the replication meta's copy of a record
 * whose collection seals anything.
 */
export function sealedPathsOf(schema: SchemaLike): string[] {
  if (schema.title === LOCAL_DOCUMENT_SCHEMA_TITLE) return ['data'];
  if (schema.title === REPLICATION_META_SCHEMA_TITLE) {
    const copied = schema.properties?.docData?.properties ?? {};
    return (schema.encrypted?.length ?? 0) > 0 || 'customFields' in copied ? ['docData'] : [];
  }
  const paths = new Set(schema.encrypted ?? []);
  if (schema.properties && 'customFields' in schema.properties) paths.add('customFields');
  return [...paths];
}

/** What the storage below holds: the sealed fields gone (or v1 ciphertext strings) and the envelope. */
type StorageSchema = RxStorageInstanceCreationParams<Doc, unknown>['schema'];

function storedSchema(schema: StorageSchema, paths: readonly string[]): StorageSchema {
  if (ENVELOPE_FIELD in schema.properties) {
    throw new Error(`${schema.title}: field "${ENVELOPE_FIELD}" is reserved for the encrypted fields' envelope`);
  }
  // RxDB's Dexie storage refuses a schema that asks for encryption, which it cannot do.
  const { encrypted: _, ...rest } = schema;
  const properties: Record<string, unknown> = { ...rest.properties, [ENVELOPE_FIELD]: { type: 'string' } };
  for (const path of paths) properties[path] = { type: 'string' };
  const required = (rest.required ?? []).filter((name) => !paths.includes(String(name)));
  return { ...rest, properties, required } as StorageSchema;
}

/**
 * Keeps a document's personal fields and custom field values in ONE AES-GCM envelope in IndexedDB
 * (one encryption per document written, one decryption per document read); RxDB and everything
 * above it see plain values. What lies below (Dexie's queries, the page and change readers) sees
 * the envelope only, so those fields are never indexed (to-rx-schema.ts refuses it) and the
 * repository refuses filters on them (entity-repository.ts); every field an index or a query
 * needs stays plain, as written.
 *
 * Documents still in the per-field format of v1 read as before and are rewritten in the envelope
 * format on their next write.
 *
 * RxDB's own encryption plugin encrypts per field with crypto-js (an MD5 key derivation per value,
 * AES in JavaScript); WebCrypto's AES-GCM is native, authenticated, and its key never leaves it.
 */
export function wrappedFieldEncryptionStorage(options: FieldEncryptionOptions): RxStorage<unknown, unknown> {
  // Derived once per database; every collection reuses the same CryptoKey.
  const key = aesKey(options.key);
  const legacy = createFieldCipher(options.key);
  return Object.assign({}, options.storage, {
    name: `encrypted-${options.storage.name}`,
    async createStorageInstance(params: RxStorageInstanceCreationParams<Doc, unknown>) {
      const paths = sealedPathsOf(params.schema as SchemaLike);
      if (paths.length === 0) return options.storage.createStorageInstance(params);
      const schema = storedSchema(params.schema, paths);
      const instance = (await options.storage.createStorageInstance({ ...params, schema })) as Instance;
      const aesGcm = await key;
      const collection = params.collectionName;
      const primary = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey);

      // The plain document each stored one was sealed from: the change events RxDB emits for our
      // own writes carry the stored form, and need no decryption to give back what was written.
      const plainOf = new WeakMap<object, Doc>();
      // `previous` of a write: RxDB's Dexie storage reads only its `_rev` (conflict check) and
      // hands it back in the change event, so sealing it would be a wasted encryption.
      const unsealed = new WeakSet<object>();

      const sealedNames = new Set<string>([...paths, ENVELOPE_FIELD]);
      // Copies without the sealed fields rather than `delete` them: a deletion turns the object into
      // a slow dictionary for everything that reads it next (Dexie's clone, IndexedDB's serializer).
      const withoutSealed = (doc: Doc): Doc => {
        const out: Doc = {};
        for (const name in doc) if (!sealedNames.has(name)) out[name] = doc[name];
        return out;
      };

      const seal = async <D extends Doc>(doc: D): Promise<D> => {
        if (unsealed.has(doc)) return doc;
        const out = withoutSealed(doc);
        const fields: Doc = {};
        let count = 0;
        for (const path of paths) {
          if (doc[path] !== undefined) {
            fields[path] = doc[path];
            count++;
          }
        }
        if (count > 0) out[ENVELOPE_FIELD] = await sealFields(aesGcm, fields, documentAad(collection, doc[primary]));
        plainOf.set(out, doc);
        return out as D;
      };

      const open = async <D extends Doc>(doc: D): Promise<D> => {
        const plain = plainOf.get(doc);
        if (plain) return plain as D;
        if (unsealed.has(doc)) return doc;
        const id = String(doc[primary]);
        const envelope = doc[ENVELOPE_FIELD];
        if (envelope === undefined) {
          // v1, or written before encryption: each `e1.` value decrypts alone, anything else is plain.
          const out: Doc = { ...doc };
          await Promise.all(
            paths.map(async (path) => {
              if (out[path] !== undefined) out[path] = await legacy.decrypt(path, out[path], { collection, id });
            }),
          );
          return out as D;
        }
        // Only what the envelope authenticates: a plain value stored beside it is not data.
        const out = withoutSealed(doc);
        const fields = await openFields(aesGcm, envelope, documentAad(collection, doc[primary]), { collection, id });
        for (const path of paths) if (fields[path] !== undefined) out[path] = fields[path];
        return out as D;
      };

      const wrapped = wrapRxStorageInstance(params.schema, instance, seal, open);
      const bulkWrite = wrapped.bulkWrite;
      wrapped.bulkWrite = (rows: BulkWriteRow<Doc>[], context: string) =>
        bulkWrite(
          rows.map((row) => {
            if (!row.previous) return row;
            const previous = { ...row.previous };
            unsealed.add(previous);
            return { document: row.document, previous };
          }),
          context,
        );
      return wrapped as unknown as Instance;
    },
  });
}
