import { describe, expect, it } from 'vitest';
import {
  DatabaseLockedError,
  databaseKey,
  forgetDatabaseKey,
  localDatabaseNames,
  unlockWithPassword,
  userDatabaseName,
} from '../../../../src-renderer/db/database-key';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

const desktopWith = (key: string | null) => ({
  asked: [] as [string, boolean][],
  forgotten: [] as [string, string[]][],
  async databaseKey(name: string, existing: boolean) {
    this.asked.push([name, existing]);
    return key;
  },
  async forgetDatabaseKey(name: string, others: string[]) {
    this.forgotten.push([name, others]);
    return undefined;
  },
});

/** IndexedDB's list as RxDB's Dexie storage leaves it: one database per collection. */
const databasesOf = (...names: string[]) => ({
  databases: async () => names.map((name) => ({ name, version: 1 })),
});

describe('where the database key comes from', () => {
  it('prefers the OS keychain key on the desktop, for every database', async () => {
    const sources = { desktop: desktopWith('k'.repeat(43)), session: memoryStorage(), local: memoryStorage() };
    expect(await databaseKey('fieldcrm', 'demo', sources)).toBe('k'.repeat(43));
    expect(await databaseKey(userDatabaseName('u1'), 'user', sources)).toBe('k'.repeat(43));
    expect(sources.local.items.size + sources.session.items.size).toBe(0);
  });

  it('generates and keeps a demo key in the browser', async () => {
    const sources = { desktop: undefined, session: memoryStorage(), local: memoryStorage() };
    const first = await databaseKey('fieldcrm', 'demo', sources);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await databaseKey('fieldcrm', 'demo', sources)).toBe(first);
    await forgetDatabaseKey('fieldcrm', sources);
    expect(await databaseKey('fieldcrm', 'demo', sources)).not.toBe(first);
  });

  it("locks a user's browser database until the password derives its key again", async () => {
    const sources = { desktop: desktopWith(null), session: memoryStorage(), local: memoryStorage() };
    await expect(databaseKey(userDatabaseName('u-1'), 'user', sources)).rejects.toThrow(DatabaseLockedError);
    await unlockWithPassword({ serverUrl: 'https://crm.example', userId: 'u-1', password: 'correct horse' }, sources);
    const key = await databaseKey(userDatabaseName('u-1'), 'user', sources);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await forgetDatabaseKey(userDatabaseName('u-1'), sources);
    await expect(databaseKey(userDatabaseName('u-1'), 'user', sources)).rejects.toThrow(DatabaseLockedError);
  }, 30_000);

  it('derives nothing at sign-in when the keychain holds the key', async () => {
    const sources = { desktop: desktopWith('k'.repeat(43)), session: memoryStorage(), local: memoryStorage() };
    await unlockWithPassword({ serverUrl: 'https://crm.example', userId: 'u-1', password: 'correct horse' }, sources);
    expect(sources.session.items.size).toBe(0);
  });

  it('asks the desktop for the key of the database, saying whether it is already on the device', async () => {
    const desktop = desktopWith('k'.repeat(43));
    const indexedDB = databasesOf(
      'rxdb-dexie-fieldcrm--0--_rxdb_internal',
      'rxdb-dexie-fieldcrm-u-u1--2--contacts',
      'rxdb-dexie-fieldcrm-u--odd--2--plugin-local-documents-contacts',
      'unrelated',
    );
    expect(await localDatabaseNames(indexedDB)).toEqual(['fieldcrm', 'fieldcrm-u--odd', 'fieldcrm-u-u1']);
    const sources = { desktop, session: memoryStorage(), local: memoryStorage(), indexedDB };
    await databaseKey(userDatabaseName('u1'), 'user', sources);
    await databaseKey(userDatabaseName('u2'), 'user', sources);
    expect(desktop.asked).toEqual([
      ['fieldcrm-u-u1', true],
      ['fieldcrm-u-u2', false],
    ]);
  });

  it("has the desktop delete a wiped database's key, naming the databases still on the device", async () => {
    const desktop = desktopWith('k'.repeat(43));
    const indexedDB = databasesOf('rxdb-dexie-fieldcrm--0--_rxdb_internal', 'rxdb-dexie-fieldcrm-u-u1--2--contacts');
    await forgetDatabaseKey(userDatabaseName('u1'), { desktop, session: memoryStorage(), indexedDB });
    expect(desktop.forgotten).toEqual([['fieldcrm-u-u1', ['fieldcrm']]]);
  });
});
