import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDatabase, type LocalDatabase } from '../../../../src-renderer/db/create-database';
import { deriveDatabaseKey } from '../../../../src-renderer/db/database-key';
import { createFieldCipher, DatabaseKeyError } from '../../../../src-renderer/db/field-encryption-storage';
import { createRepositories } from '../../../../src-renderer/db/repositories';
import { COLLECTION_VERSIONS } from '../../../../src-shared/entities/collections';
import { NEWEST_MAX } from '../../../../src-shared/schema/define-entity';
import { encryptedFields, type StoredDoc, toRxSchema } from '../../../../src-shared/schema/to-rx-schema';
import { ValidationError } from '../../../../src-shared/schema/validation-error';

const KEY = 'unit-test-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const actor = { userId: 'user-rep-1', deviceId: 'device-test' };
const opened: LocalDatabase[] = [];

async function open(factory: IDBFactory, name: string, key = KEY): Promise<LocalDatabase> {
  const db = await createLocalDatabase({
    name,
    key,
    actor: () => actor,
    indexedDB: { indexedDB: factory, IDBKeyRange },
    collections: ['contacts', 'activities', 'audit'],
  });
  opened.push(db);
  return db;
}

/** Every record IndexedDB holds for the database, as raw JSON text (what lands on disk). */
async function rawText(factory: IDBFactory): Promise<string> {
  const out: string[] = [];
  for (const info of await factory.databases()) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(String(info.name));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store, 'readonly').objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      out.push(JSON.stringify(rows));
    }
    db.close();
  }
  return out.join('\n');
}

afterEach(async () => {
  for (const db of opened.splice(0)) if (!db.rx.closed) await db.rx.close();
});

describe('personal fields encrypted at rest', () => {
  it('lists the registry personal fields as encrypted and keeps indexed fields plain', () => {
    expect(encryptedFields('contacts')).toEqual(expect.arrayContaining(['firstName', 'lastName', 'email', 'phone']));
    expect(encryptedFields('contacts')).not.toContain('status');
    expect(encryptedFields('activities')).toEqual(expect.arrayContaining(['body', 'fromAddress', 'toAddresses']));
    expect(encryptedFields('audit')).toEqual(['changes', 'records']);
    expect(encryptedFields('users')).not.toContain('email');
  });

  it('stores ciphertext where the personal values were, and reads them back plain', async () => {
    const factory = new IDBFactory();
    const db = await open(factory, 'crm-enc-1');
    const repos = createRepositories(db);
    const contact = await repos.contact.create({
      firstName: 'Marker-First-Q7',
      lastName: 'Marker-Last-Q7',
      email: 'pii-marker-q7@example.com',
      jobTitle: 'control-marker-q7',
      customFields: { tier: 'custom-marker-q7' },
    } as never);
    await repos.note.create({ subjectType: 'contact', subjectId: contact.id, body: 'marker-note-body-q7' } as never);
    await repos.contact.update(contact.id, { email: 'pii-marker-q7b@example.com' } as never);

    // Through RxDB: plain, and lists still serve it.
    expect(await repos.contact.get(contact.id)).toMatchObject({
      email: 'pii-marker-q7b@example.com',
      customFields: { tier: 'custom-marker-q7' },
    });
    expect((await repos.contact.list()).map((c) => c.firstName)).toEqual(['Marker-First-Q7']);

    const raw = await rawText(factory);
    // The control: a field that is not personal is stored as written, so the scan reads real records.
    expect(raw).toContain('control-marker-q7');
    for (const marker of [
      'Marker-First-Q7',
      'Marker-Last-Q7',
      'pii-marker-q7',
      'marker-note-body-q7',
      'custom-marker-q7',
    ]) {
      expect(raw, `${marker} found in plain text`).not.toContain(marker);
    }
    // One envelope per document, no field of its own.
    expect(raw).toMatch(/"sealed":"e2\.[A-Za-z0-9+/=]{40,}"/);
    expect(raw).not.toMatch(/"(email|firstName|lastName)":"/);
    expect(raw).not.toContain('"tier"');
  });

  it('reads its records after a reopen and refuses another key', async () => {
    const factory = new IDBFactory();
    const db = await open(factory, 'crm-enc-2');
    const created = await createRepositories(db).contact.create({
      firstName: 'Ada',
      email: 'ada@example.com',
    } as never);
    await db.rx.close();
    const again = await open(factory, 'crm-enc-2');
    expect((await createRepositories(again).contact.get(created.id))?.email).toBe('ada@example.com');
    await again.rx.close();
    await expect(open(factory, 'crm-enc-2', 'another-key-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')).rejects.toThrow(
      DatabaseKeyError,
    );
  });

  it('encrypts the records of a database written before encryption as its collections migrate', async () => {
    const factory = new IDBFactory();
    const name = 'crm-enc-legacy';
    const { encrypted: _, ...plainSchema } = toRxSchema('contacts');
    const legacy = await createRxDatabase({
      name,
      storage: getRxStorageDexie({ indexedDB: factory, IDBKeyRange }),
      multiInstance: false,
    });
    const previous = { ...plainSchema, version: COLLECTION_VERSIONS.contacts.version - 1 };
    await legacy.addCollections({ contacts: { schema: previous as RxJsonSchema<StoredDoc> } });
    const at = '2026-10-01T08:00:00.000Z';
    await legacy.collections.contacts?.insert({
      id: 'legacy-1',
      kind: 'contact',
      ownerId: 'user-rep-1',
      createdAt: at,
      updatedAt: at,
      createdBy: 'user-rep-1',
      updatedBy: 'user-rep-1',
      isDeleted: false,
      newest: NEWEST_MAX - Date.parse(at),
      firstName: 'Legacy-Marker-Q7',
      email: 'legacy-marker-q7@example.com',
      status: 'active',
      jobTitle: 'legacy-control-q7',
    } as StoredDoc);
    await legacy.close();
    expect(await rawText(factory)).toContain('legacy-marker-q7@example.com');

    const db = await open(factory, name);
    expect(db.rx.contacts.schema.version).toBe(COLLECTION_VERSIONS.contacts.version);
    expect(await createRepositories(db).contact.get('legacy-1')).toMatchObject({
      firstName: 'Legacy-Marker-Q7',
      email: 'legacy-marker-q7@example.com',
    });
    const raw = await rawText(factory);
    expect(raw).toContain('legacy-control-q7');
    expect(raw).not.toContain('legacy-marker-q7');
    expect(raw).not.toContain('Legacy-Marker-Q7');
  });

  it('refuses a filter on an encrypted field, naming it', async () => {
    const db = await open(new IDBFactory(), 'crm-enc-3');
    const repos = createRepositories(db);
    await expect(repos.contact.list({ where: { email: 'x@example.com' } })).rejects.toThrow(ValidationError);
    await expect(repos.contact.list({ where: { email: 'x@example.com' } })).rejects.toThrow(/email/);
  });

  it('binds a ciphertext to its field and its key', async () => {
    const cipher = createFieldCipher(KEY);
    const sealed = await cipher.encrypt('email', 'a@example.com');
    expect(await cipher.decrypt('email', sealed)).toBe('a@example.com');
    await expect(cipher.decrypt('phone', sealed)).rejects.toThrow(DatabaseKeyError);
    await expect(createFieldCipher(`${KEY}x`).decrypt('email', sealed)).rejects.toThrow(DatabaseKeyError);
    const tampered = `${sealed.slice(0, -4)}AAA=`;
    await expect(cipher.decrypt('email', tampered)).rejects.toThrow(DatabaseKeyError);
  });

  it('derives a browser key from the password, per server and user', async () => {
    const a = await deriveDatabaseKey('correct horse battery', { serverUrl: 'https://a', userId: 'u1' }, 1000);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await deriveDatabaseKey('correct horse battery', { serverUrl: 'https://a', userId: 'u1' }, 1000)).toBe(a);
    expect(await deriveDatabaseKey('correct horse battery', { serverUrl: 'https://a', userId: 'u2' }, 1000)).not.toBe(
      a,
    );
    expect(await deriveDatabaseKey('wrong horse battery', { serverUrl: 'https://a', userId: 'u1' }, 1000)).not.toBe(a);
  });
});
