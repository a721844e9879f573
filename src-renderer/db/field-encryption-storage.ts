import {
  type BulkWriteRow,
  getPrimaryFieldOfPrimaryKey,
  type RxStorage,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
  wrapRxStorageInstance,
} from 'rxdb';
import { RecentEnvelopes } from './recent-envelopes';
import { aesKey, createFieldCipher, documentAad, fieldsOf, openText, sealText } from './sealed-envelope';

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
  /**
   * Measurement only (bench PEER's split, create-database.ts): the fields stay in the clear, the
   * schema's `encrypted` list is dropped (Dexie refuses it). The app never sets it.
   */
  plaintextForMeasurement?: boolean;
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
  // The collections' schemas by their `properties` object, which RxDB hands on, as is, to the
  // schema of the replication meta instance's `docData` (getRxReplicationMetaInstanceSchema).
  const records = new WeakMap<object, RecordFormat>();
  // Envelopes just sealed or opened, so the meta's copy of a record reuses the record's own.
  const recent = new RecentEnvelopes();
  return Object.assign({}, options.storage, {
    name: `encrypted-${options.storage.name}`,
    async createStorageInstance(params: RxStorageInstanceCreationParams<Doc, unknown>) {
      if (options.plaintextForMeasurement) {
        const { encrypted: _, ...plain } = params.schema as StorageSchema & { encrypted?: unknown };
        return options.storage.createStorageInstance({ ...params, schema: plain as StorageSchema });
      }
      const paths = sealedPathsOf(params.schema as SchemaLike);
      if (paths.length === 0) return options.storage.createStorageInstance(params);
      const schema = storedSchema(params.schema, paths);
      const instance = (await options.storage.createStorageInstance({ ...params, schema })) as Instance;
      const aesGcm = await key;
      const format: RecordFormat = {
        collection: params.collectionName,
        primary: getPrimaryFieldOfPrimaryKey(params.schema.primaryKey),
        paths,
        sealedNames: new Set<string>([...paths, ENVELOPE_FIELD]),
      };
      records.set(params.schema.properties, format);
      const copiedProperties = (params.schema as SchemaLike).properties?.docData?.properties;
      const copied = (params.schema as SchemaLike).title === REPLICATION_META_SCHEMA_TITLE && copiedProperties;
      const envelopes: Envelopes = { aesGcm, recent, legacy };
      const sealer = sealerOf(format, envelopes, copied ? records.get(copiedProperties) : undefined);

      const wrapped = wrapRxStorageInstance(params.schema, instance, sealer.seal, sealer.open);
      const bulkWrite = wrapped.bulkWrite;
      wrapped.bulkWrite = (rows: BulkWriteRow<Doc>[], context: string) =>
        bulkWrite(
          rows.map((row) => {
            if (!row.previous) return row;
            const previous = { ...row.previous };
            sealer.unsealed.add(previous);
            return { document: row.document, previous };
          }),
          context,
        );
      return wrapped as unknown as Instance;
    },
  });
}

/** How a collection's documents are stored: which fields its envelope holds, and its additional data. */
interface RecordFormat {
  collection: string;
  primary: string;
  paths: readonly string[];
  /** The paths and the envelope field: what a document stored never holds in the clear. */
  sealedNames: ReadonlySet<string>;
}

interface Envelopes {
  aesGcm: CryptoKey;
  recent: RecentEnvelopes;
  legacy: ReturnType<typeof createFieldCipher>;
}

/** A copy without the sealed fields (not `delete`: that turns the object into a slow dictionary). */
function withoutSealed(doc: Doc, format: RecordFormat): Doc {
  const out: Doc = {};
  for (const name in doc) if (!format.sealedNames.has(name)) out[name] = doc[name];
  return out;
}

/**
 * A record's sealed fields as stored: the record without them, and their envelope bound to the
 * record's collection and id. Reuses the envelope of the same text sealed or opened a moment ago
 * (a pushed record's meta copy, a pulled record and its meta copy): one encryption, not two.
 */
async function sealRecord(doc: Doc, format: RecordFormat, envelopes: Envelopes): Promise<Doc> {
  const out = withoutSealed(doc, format);
  const fields: Doc = {};
  let count = 0;
  for (const path of format.paths) {
    if (doc[path] !== undefined) {
      fields[path] = doc[path];
      count++;
    }
  }
  if (count === 0) return out;
  const aad = documentAad(format.collection, doc[format.primary]);
  const json = JSON.stringify(fields);
  let envelope = envelopes.recent.envelopeOf(aad, json);
  if (envelope === undefined) {
    envelope = await sealText(envelopes.aesGcm, json, aad);
    envelopes.recent.remember(aad, json, envelope);
  }
  out[ENVELOPE_FIELD] = envelope;
  return out;
}

/** The record `sealRecord` stored, with its sealed fields back. */
async function openRecord(doc: Doc, format: RecordFormat, envelopes: Envelopes, at: string): Promise<Doc> {
  const id = String(doc[format.primary]);
  const envelope = doc[ENVELOPE_FIELD];
  // A meta copy without one: its record had no field to seal, or it was stored before encryption.
  if (envelope === undefined) return doc;
  // Only what the envelope authenticates: a plain value stored beside it is not data.
  const out = withoutSealed(doc, format);
  const aad = documentAad(format.collection, doc[format.primary]);
  let text = envelopes.recent.textOf(aad, envelope);
  if (text === undefined) {
    text = openText(envelopes.aesGcm, envelope, aad, { collection: at, id });
    if (typeof envelope === 'string') envelopes.recent.remember(aad, text, envelope);
  }
  const fields = fieldsOf(await text, { collection: at, id });
  for (const path of format.paths) if (fields[path] !== undefined) out[path] = fields[path];
  return out;
}

/**
 * The seal and open of one storage instance. A replication meta document whose collection is known
 * (`copyOf`) keeps its copy of the record in the record's own format: `docData` without the sealed
 * fields plus their envelope, bound to the record (not to the meta document), which is the record's
 * state it is a copy of. Meta documents stored before, with all of `docData` in the meta's own
 * envelope, still read.
 */
function sealerOf(format: RecordFormat, envelopes: Envelopes, copyOf: RecordFormat | undefined) {
  // The plain document each stored one was sealed from: the change events RxDB emits for our
  // own writes carry the stored form, and need no decryption to give back what was written.
  const plainOf = new WeakMap<object, Doc>();
  // `previous` of a write: RxDB's Dexie storage reads only its `_rev` (conflict check) and
  // hands it back in the change event, so sealing it would be a wasted encryption.
  const unsealed = new WeakSet<object>();
  const { collection, primary, paths } = format;

  const seal = async <D extends Doc>(doc: D): Promise<D> => {
    if (unsealed.has(doc)) return doc;
    let out: Doc;
    const copy = doc.docData;
    if (copyOf && copy !== null && typeof copy === 'object') {
      out = { ...doc, docData: await sealRecord(copy as Doc, copyOf, envelopes) };
    } else {
      out = await sealRecord(doc, format, envelopes);
    }
    plainOf.set(out, doc);
    return out as D;
  };

  const open = async <D extends Doc>(doc: D): Promise<D> => {
    const plain = plainOf.get(doc);
    if (plain) return plain as D;
    if (unsealed.has(doc)) return doc;
    if (doc[ENVELOPE_FIELD] !== undefined) return (await openRecord(doc, format, envelopes, collection)) as D;
    const copy = doc.docData;
    if (copyOf && copy !== null && typeof copy === 'object') {
      return { ...doc, docData: await openRecord(copy as Doc, copyOf, envelopes, copyOf.collection) } as D;
    }
    // v1, or written before encryption: each `e1.` value decrypts alone, anything else is plain.
    const id = String(doc[primary]);
    const out: Doc = { ...doc };
    await Promise.all(
      paths.map(async (path) => {
        if (out[path] !== undefined) out[path] = await envelopes.legacy.decrypt(path, out[path], { collection, id });
      }),
    );
    return out as D;
  };

  return { seal, open, unsealed };
}
