import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../../src-main/ipc/handlers';
import { IPC_ARG_SCHEMAS } from '../../../../src-main/ipc/ipc-args';
import { type IpcMainLike, IpcRejectedError, registerHandlers } from '../../../../src-main/ipc/register-handlers';
import { APP_ORIGIN, isAppUrl } from '../../../../src-main/security/trusted-url';
import {
  createDatabaseKeyFile,
  type DatabaseKeyFileOptions,
  DatabaseNameError,
} from '../../../../src-main/session/database-key-file';
import {
  type SafeStorageLike,
  type SessionFile,
  type StringCipher,
  safeStorageCipher,
} from '../../../../src-main/session/session-file';

/** XOR with a key byte (the first byte names it), standing in for the OS keychain. */
function xorCipher(state: { available: boolean; key: number; oldKeys?: number[] }): StringCipher {
  const xor = (bytes: Buffer, key: number) => Buffer.from(bytes.map((b) => b ^ key));
  return {
    isAvailable: async () => state.available,
    encrypt: async (text) => Buffer.concat([Buffer.from([state.key]), xor(Buffer.from(text), state.key)]),
    async decrypt(bytes) {
      const key = bytes[0] ?? -1;
      if (key !== state.key && !state.oldKeys?.includes(key)) throw new Error('cannot decrypt');
      return { text: xor(bytes.subarray(1), key).toString(), stale: key !== state.key };
    },
  };
}

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

const DB = 'fieldcrm-u-u1';

/** The key file of DB in a new profile folder, and where the profile's shared key of before lives. */
async function pathInNewFolder() {
  const folder = await mkdtemp(join(tmpdir(), 'fieldcrm-key-'));
  folders.push(folder);
  const dir = join(folder, 'userData', 'database-keys');
  return { dir, legacyPath: join(folder, 'userData', 'database-key.bin'), path: join(dir, `${DB}.bin`) };
}

const present = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** A keyed file store as the app builds it, with this cipher. */
const keyFile = (
  paths: { dir: string; legacyPath: string },
  cipher: StringCipher,
  extra: Partial<DatabaseKeyFileOptions> = {},
) => createDatabaseKeyFile({ dir: paths.dir, legacyPath: paths.legacyPath, cipher, ...extra });

describe('the local database key', () => {
  it('is created once, 256 bits, and read back the same across restarts', async () => {
    const paths = await pathInNewFolder();
    const state = { available: true, key: 9 };
    const first = keyFile(paths, xorCipher(state));
    const [a, b] = await Promise.all([first.get(DB, false), first.get(DB, false)]);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b).toBe(a);
    const restarted = keyFile(paths, xorCipher(state));
    expect(await restarted.get(DB, true)).toBe(a);
    expect(await restarted.get('fieldcrm', false)).not.toBe(a);
  });

  it('is never written in the clear', async () => {
    const { path, ...paths } = await pathInNewFolder();
    const key = await keyFile(paths, xorCipher({ available: true, key: 9 })).get(DB, false);
    const bytes = await readFile(path);
    expect(bytes.toString('latin1')).not.toContain(key);
  });

  it('is not created where the OS has no keychain', async () => {
    const { path, ...paths } = await pathInNewFolder();
    const warnings: string[] = [];
    const file = keyFile(paths, xorCipher({ available: false, key: 9 }), { warn: (m) => warnings.push(m) });
    expect(await file.get(DB, false)).toBeNull();
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(warnings.join()).toMatch(/unavailable/);
  });

  it('is re-encrypted under a rotated OS key and stays the same key', async () => {
    const { path, ...paths } = await pathInNewFolder();
    const key = await keyFile(paths, xorCipher({ available: true, key: 9 })).get(DB, false);
    const rotated = { available: true, key: 11, oldKeys: [9] };
    expect(await keyFile(paths, xorCipher(rotated)).get(DB, true)).toBe(key);
    expect((await readFile(path))[0]).toBe(11);
  });

  it('is not silently replaced when it no longer decrypts (the data it protects would be lost)', async () => {
    const { path, ...paths } = await pathInNewFolder();
    await keyFile(paths, xorCipher({ available: true, key: 9 })).get(DB, false);
    const before = await readFile(path);
    await expect(keyFile(paths, xorCipher({ available: true, key: 12 })).get(DB, true)).rejects.toThrow(
      /cannot decrypt/,
    );
    expect(await readFile(path)).toEqual(before);
  });

  it('refuses a file that holds something other than a key', async () => {
    const { path, ...paths } = await pathInNewFolder();
    await keyFile(paths, xorCipher({ available: true, key: 9 })).get(DB, false);
    const cipher = xorCipher({ available: true, key: 9 });
    await writeFile(path, await cipher.encrypt('not a key'));
    await expect(keyFile(paths, cipher).get(DB, true)).rejects.toThrow(/does not hold a database key/);
  });

  it('refuses a database name that is not one (a path, an empty name), naming it', async () => {
    const { path: _, ...paths } = await pathInNewFolder();
    const file = keyFile(paths, xorCipher({ available: true, key: 9 }));
    for (const name of ['../session', 'a/b', '', 'x'.repeat(121)]) {
      await expect(file.get(name, false)).rejects.toThrow(DatabaseNameError);
      await expect(file.forget(DB, [name])).rejects.toThrow(`databaseName "${name}"`);
    }
  });

  it('hands the profile key of before to databases already on the device, never to new ones', async () => {
    const { path, ...paths } = await pathInNewFolder();
    const cipher = xorCipher({ available: true, key: 9 });
    const shared = 's'.repeat(43);
    await keyFile(paths, cipher).get('fieldcrm', false); // creates the folders
    await writeFile(paths.legacyPath, await cipher.encrypt(shared));
    const file = keyFile(paths, cipher);
    expect(await file.get(DB, true)).toBe(shared);
    expect(await present(path)).toBe(true);
    expect(await file.get('fieldcrm-u-new', false)).not.toBe(shared);
  });
});

/** Electron's safeStorage, faked: "encrypts" by reversing and prefixing, as no keychain is at hand. */
function fakeSafeStorage(): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (text) => Buffer.from(`enc:${[...text].reverse().join('')}`),
    async decryptStringAsync(bytes) {
      const text = bytes.toString();
      if (!text.startsWith('enc:')) throw new Error('not ours');
      return { result: [...text.slice(4)].reverse().join(''), shouldReEncrypt: false };
    },
    getSelectedStorageBackend: () => 'gnome_libsecret',
  };
}

const noSession: SessionFile = { load: async () => null, save: async () => {}, clear: async () => {} };

/** The main process's IPC handlers over a real key store with a fake safeStorage (no Electron). */
function mainProcess(paths: { dir: string; legacyPath: string }) {
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void listeners.set(channel, listener as never) };
  registerHandlers(ipcMain, {
    handlers: createHandlers({
      getVersion: () => '1.0.0',
      platform: 'linux',
      sessionFile: noSession,
      databaseKeyFile: keyFile(paths, safeStorageCipher(fakeSafeStorage(), 'linux')),
    }),
    argSchemas: IPC_ARG_SCHEMAS,
    isTrustedUrl: (url) => isAppUrl(url, [APP_ORIGIN]),
  });
  const event = { senderFrame: { url: 'fieldcrm://app/index.html', parent: null } };
  return async (channel: string, ...args: unknown[]) => listeners.get(channel)?.(event, ...args);
}

describe('the sign-out wipe in the main process', () => {
  it("deletes the wiped database's key, keeps the others', and a new sign-in gets a new key", async () => {
    const { path, ...paths } = await pathInNewFolder();
    const invoke = mainProcess(paths);
    const key = await invoke('crm:keys.databaseKey', DB, false);
    const demo = await invoke('crm:keys.databaseKey', 'fieldcrm', false);
    expect(await readFile(path, 'latin1')).not.toContain(String(key));

    await invoke('crm:keys.forgetDatabaseKey', DB, ['fieldcrm']);
    expect(await present(path)).toBe(false);
    expect(await invoke('crm:keys.databaseKey', 'fieldcrm', true)).toBe(demo);
    const again = await invoke('crm:keys.databaseKey', DB, false);
    expect(again).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(again).not.toBe(key);
  });

  it('deletes the profile key of before once no database left on the device may need it', async () => {
    const { path, ...paths } = await pathInNewFolder();
    const cipher = safeStorageCipher(fakeSafeStorage(), 'linux');
    await keyFile(paths, cipher).get('fieldcrm-u-tmp', false);
    await writeFile(paths.legacyPath, await cipher.encrypt('s'.repeat(43)));
    const invoke = mainProcess(paths);
    expect(await invoke('crm:keys.databaseKey', DB, true)).toBe('s'.repeat(43));

    // The demo database is on the device and has not taken the shared key over yet: it stays.
    await invoke('crm:keys.forgetDatabaseKey', DB, ['fieldcrm']);
    expect(await present(path)).toBe(false);
    expect(await present(paths.legacyPath)).toBe(true);
    expect(await invoke('crm:keys.databaseKey', 'fieldcrm', true)).toBe('s'.repeat(43));
    await invoke('crm:keys.forgetDatabaseKey', 'fieldcrm-u-tmp', ['fieldcrm']);
    expect(await present(paths.legacyPath)).toBe(false);
    expect(await invoke('crm:keys.databaseKey', 'fieldcrm', true)).toBe('s'.repeat(43));
  });

  it('refuses a database name that could reach another file, before the handler runs', async () => {
    const { path: _, ...paths } = await pathInNewFolder();
    const invoke = mainProcess(paths);
    for (const args of [['../session', false], [DB, 'yes'], [DB]]) {
      const error = await Promise.resolve(invoke('crm:keys.databaseKey', ...args)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IpcRejectedError);
      expect(error).toMatchObject({ reason: 'invalid-arguments' });
    }
    const error = await Promise.resolve(invoke('crm:keys.forgetDatabaseKey', DB, ['../database-key'])).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: 'invalid-arguments' });
  });
});
