import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  addRxPlugin,
  createRxDatabase,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
  wrapRxStorageInstance,
} from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDatabase, type LocalDatabase } from '../../../../src-renderer/db/create-database';
import { sealedPathsOf } from '../../../../src-renderer/db/field-encryption-storage';
import { createRepositories } from '../../../../src-renderer/db/repositories';
import {
  aesKey,
  createFieldCipher,
  DatabaseKeyError,
  documentAad,
  fromBase64,
  openFields,
  sealFields,
  toBase64,
} from '../../../../src-renderer/db/sealed-envelope';
import { NEWEST_MAX } from '../../../../src-shared/schema/define-entity';
import { type StoredDoc, toRxSchema } from '../../../../src-shared/schema/to-rx-schema';

addRxPlugin(RxDBLocalDocumentsPlugin);

const KEY = 'unit-test-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const actor = { userId: 'user-rep-1', deviceId: 'device-test' };
const opened: LocalDatabase[] = [];
type Doc = Record<string, unknown>;

async function open(factory: IDBFactory, name: string): Promise<LocalDatabase> {
  const db = await createLocalDatabase({
    name,
    key: KEY,
    actor: () => actor,
    indexedDB: { indexedDB: factory, IDBKeyRange },
    collections: ['contacts', 'audit'],
  });
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) if (!db.rx.closed) await db.rx.close();
});

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** The stored row with this primary key, wherever IndexedDB holds it; `change` rewrites it in place. */
async function rawRow(factory: IDBFactory, id: string, change?: (row: Doc) => Doc): Promise<Doc | undefined> {
  for (const info of await factory.databases()) {
    const db = await request(factory.open(String(info.name)));
    try {
      for (const store of Array.from(db.objectStoreNames)) {
        const row = (await request(db.transaction(store, 'readonly').objectStore(store).get(id))) as Doc | undefined;
        if (row === undefined || row.kind === undefined) continue;
        if (change) await request(db.transaction(store, 'readwrite').objectStore(store).put(change(row)));
        return row;
      }
    } finally {
      db.close();
    }
  }
  return undefined;
}

/**
 * The per-field format (v1) as the wrapper wrote it before the envelope: each personal field its
 * own `e1.` ciphertext, custom field values plain. Written here to prove such data still reads.
 */
function v1Storage(inner: RxStorage<unknown, unknown>): RxStorage<unknown, unknown> {
  const cipher = createFieldCipher(KEY);
  return Object.assign({}, inner, {
    async createStorageInstance(params: RxStorageInstanceCreationParams<Doc, unknown>) {
      const schema = params.schema as RxJsonSchema<Doc> & { encrypted?: string[] };
      const paths = schema.title === 'RxLocalDocument' ? ['data'] : [...(schema.encrypted ?? [])];
      if (paths.length === 0) return inner.createStorageInstance(params);
      const { encrypted: _, ...rest } = schema;
      const properties: Record<string, unknown> = { ...rest.properties };
      for (const path of paths) properties[path] = { type: 'string' };
      const stored = { ...rest, properties } as RxJsonSchema<Doc>;
      const instance = (await inner.createStorageInstance({ ...params, schema: stored })) as RxStorageInstance<
        Doc,
        unknown,
        unknown
      >;
      const map = (fn: (path: string, value: unknown) => Promise<unknown>) => async (doc: Doc) => {
        const out: Doc = { ...doc };
        for (const path of paths) if (out[path] !== undefined) out[path] = await fn(path, out[path]);
        return out;
      };
      return wrapRxStorageInstance(schema, instance, map(cipher.encrypt), map(cipher.decrypt) as never);
    },
  });
}

const at = '2026-10-01T08:00:00.000Z';
const contact = (id: string, extra: Doc): StoredDoc =>
  ({
    id,
    kind: 'contact',
    ownerId: 'user-rep-1',
    createdAt: at,
    updatedAt: at,
    createdBy: 'user-rep-1',
    updatedBy: 'user-rep-1',
    isDeleted: false,
    newest: NEWEST_MAX - Date.parse(at),
    status: 'active',
    ...extra,
  }) as StoredDoc;

describe('one sealed envelope per document', () => {
  it('seals custom field values too, where records carry them, and the replication copy of them', () => {
    expect(sealedPathsOf(toRxSchema('contacts'))).toEqual(expect.arrayContaining(['email', 'customFields']));
    expect(sealedPathsOf(toRxSchema('deals'))).toEqual(['customFields']);
    expect(sealedPathsOf(toRxSchema('tasks'))).toEqual([]);
    expect(sealedPathsOf({ title: 'RxLocalDocument' })).toEqual(['data']);
    const meta = (copied: Doc) => ({
      title: 'RxReplicationProtocolMetaData',
      properties: { docData: { properties: copied } },
    });
    expect(sealedPathsOf(meta({ customFields: {} }))).toEqual(['docData']);
    expect(sealedPathsOf(meta({ title: {} }))).toEqual([]);
  });

  it('reads documents written in the per-field format and rewrites them as an envelope on their next write', async () => {
    const factory = new IDBFactory();
    const name = 'crm-env-v1';
    const v1 = await createRxDatabase({
      name,
      storage: v1Storage(getRxStorageDexie({ indexedDB: factory, IDBKeyRange })),
      multiInstance: false,
      localDocuments: true,
    });
    // The key check of create-database.ts, as v1 wrote it (its data encrypted per field).
    await v1.insertLocal('database-key-check', { since: at });
    await v1.addCollections({ contacts: { schema: toRxSchema('contacts') } });
    const fields = { firstName: 'V1-First-Q7', email: 'v1-marker-q7@example.com', jobTitle: 'v1-control-q7' };
    await v1.collections.contacts?.insert(contact('v1-1', { ...fields, customFields: { tier: 'v1-custom-q7' } }));
    await v1.close();
    const before = await rawRow(factory, 'v1-1');
    expect(before?.email).toMatch(/^e1\./);
    expect(before?.sealed).toBeUndefined();

    const db = await open(factory, name);
    const repos = createRepositories(db);
    expect(await repos.contact.get('v1-1')).toMatchObject({ ...fields, customFields: { tier: 'v1-custom-q7' } });
    expect((await repos.contact.list()).map((c) => c.email)).toEqual(['v1-marker-q7@example.com']);

    await repos.contact.update('v1-1', { jobTitle: 'v1-control-q7b' } as never);
    const after = (await rawRow(factory, 'v1-1')) as Doc;
    expect(after.sealed).toMatch(/^e2\./);
    expect(after.jobTitle).toBe('v1-control-q7b');
    expect(JSON.stringify(after)).not.toMatch(/e1\.|v1-marker|V1-First|v1-custom/);
    await db.rx.close();
    const again = createRepositories(await open(factory, name));
    expect(await again.contact.get('v1-1')).toMatchObject({
      ...fields,
      jobTitle: 'v1-control-q7b',
      customFields: { tier: 'v1-custom-q7' },
    });
  });

  it('refuses a tampered or moved envelope with an error naming the collection and the document', async () => {
    const factory = new IDBFactory();
    const name = 'crm-env-tamper';
    const db = await open(factory, name);
    const repos = createRepositories(db);
    await repos.contact.create({ id: 'c-tamper', firstName: 'Ada', email: 'ada@example.com' } as never);
    await repos.contact.create({ id: 'c-other', firstName: 'Bob', email: 'bob@example.com' } as never);
    await db.rx.close();

    // A plain value planted beside the envelope is not taken for data.
    await rawRow(factory, 'c-other', (row) => ({ ...row, email: 'planted@example.com' }));
    const reopened = createRepositories(await open(factory, name));
    expect((await reopened.contact.get('c-other'))?.email).toBe('bob@example.com');
    await opened[opened.length - 1]?.rx.close();

    const other = (await rawRow(factory, 'c-other')) as Doc;
    const flip = (text: string) => `${text.slice(0, 20)}${text[20] === 'A' ? 'B' : 'A'}${text.slice(21)}`;
    for (const sealed of [flip(String(other.sealed)), other.sealed, 'e2.not-base64!', 'plain text']) {
      // `other.sealed` on c-tamper: an envelope moved from another document.
      await rawRow(factory, 'c-tamper', (row) => ({ ...row, sealed }));
      const repo = createRepositories(await open(factory, name)).contact;
      const failure = await repo.get('c-tamper').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure, String(sealed)).toBeInstanceOf(DatabaseKeyError);
      expect((failure as DatabaseKeyError).message).toMatch(/contacts document "c-tamper"/);
      expect(failure).toMatchObject({ collection: 'contacts', documentId: 'c-tamper' });
      await opened[opened.length - 1]?.rx.close();
    }
  });

  it('binds an envelope to its document and key, and rejects anything else as damaged', async () => {
    const key = await aesKey(KEY);
    const where = { collection: 'contacts', id: 'c1' };
    const sealed = await sealFields(
      key,
      { email: 'a@example.com', customFields: { tier: 'x' } },
      documentAad('contacts', 'c1'),
    );
    expect(await openFields(key, sealed, documentAad('contacts', 'c1'), where)).toEqual({
      email: 'a@example.com',
      customFields: { tier: 'x' },
    });
    for (const aad of [documentAad('contacts', 'c2'), documentAad('leads', 'c1')]) {
      await expect(openFields(key, sealed, aad, where)).rejects.toThrow(DatabaseKeyError);
    }
    const otherKey = await aesKey(`${KEY}x`);
    await expect(openFields(otherKey, sealed, documentAad('contacts', 'c1'), where)).rejects.toThrow(
      /contacts document "c1".*another key, or damaged data/,
    );
    for (const bad of [42, null, 'e2.', 'e2.AAAA', `${sealed.slice(0, -4)}AAA=`, 'e1.AAAA']) {
      await expect(openFields(key, bad, documentAad('contacts', 'c1'), where)).rejects.toThrow(DatabaseKeyError);
    }
    const array = await sealFields(key, [1, 2] as never, documentAad('contacts', 'c1'));
    await expect(openFields(key, array, documentAad('contacts', 'c1'), where)).rejects.toThrow(
      /decrypt to something other than fields/,
    );
  });
});

describe('the envelope base64', () => {
  it('writes standard padded base64, as Buffer does, and reads it back, for every length of remainder', () => {
    for (let length = 0; length <= 64; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromBase64(text)).toEqual(bytes);
    }
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toBase64(everyByte)).toBe(Buffer.from(everyByte).toString('base64'));
  });

  it('reads nothing that is not base64', () => {
    for (const text of ['abc', 'ab!=', 'é===', 'QUJD\n']) expect(fromBase64(text)).toBeNull();
  });
});
