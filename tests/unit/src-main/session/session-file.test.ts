import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSessionFile,
  type SafeStorageLike,
  type StringCipher,
  safeStorageCipher,
} from '../../../../src-main/session/session-file';
import type { StoredSession } from '../../../../src-shared/ipc/contract';

const SESSION: StoredSession = {
  serverUrl: 'https://crm.example.com',
  user: { id: 'u_rep', email: 'rep@example.com', firstName: 'Rita', lastName: 'Rep', roleId: 'role_rep' },
  tokens: {
    accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1X3JlcCJ9.c2lnbmF0dXJl',
    accessTokenExpiresAt: '2026-04-01T09:15:00.000Z',
    refreshToken: `fcrt_${'R'.repeat(43)}`,
  },
};

interface KeyState {
  available: boolean;
  /** The OS account's current key. */
  key: number;
  /** Keys rotated out that still decrypt (as the keychain allows after a rotation). */
  oldKeys?: number[];
}

/** Stands in for safeStorage: XOR with a key byte, so the file is not the JSON. */
function xorCipher(state: KeyState): StringCipher {
  const xor = (bytes: Buffer, key: number) => Buffer.from(bytes.map((b) => b ^ key));
  return {
    isAvailable: async () => state.available,
    encrypt: async (text) => Buffer.concat([Buffer.from([state.key]), xor(Buffer.from(text), state.key)]),
    async decrypt(bytes) {
      const key = bytes[0] ?? -1;
      if (key !== state.key && !state.oldKeys?.includes(key)) {
        throw new Error('Error while decrypting the ciphertext provided');
      }
      return { text: xor(bytes.subarray(1), key).toString(), stale: key !== state.key };
    },
  };
}

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function setUp(state: KeyState = { available: true, key: 7 }) {
  const folder = await mkdtemp(join(tmpdir(), 'fieldcrm-session-'));
  folders.push(folder);
  const path = join(folder, 'userData', 'session.bin');
  const warnings: string[] = [];
  const open = () => createSessionFile({ path, cipher: xorCipher(state), warn: (message) => warnings.push(message) });
  return { path, folder, state, warnings, open };
}

describe('the encrypted session file', () => {
  it('keeps the session across restarts, encrypted, readable by the owner only', async () => {
    const { path, open } = await setUp();
    await open().save(SESSION);
    await expect(open().load()).resolves.toEqual(SESSION);
    const bytes = await readFile(path);
    expect(bytes.toString('latin1')).not.toContain(SESSION.tokens?.refreshToken);
    expect(bytes.toString('latin1')).not.toContain('rep@example.com');
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('reads as signed out when there is no file, or one this OS account cannot decrypt', async () => {
    const { state, warnings, open, path } = await setUp();
    await expect(open().load()).resolves.toBeNull();
    expect(warnings).toEqual([]);
    await open().save(SESSION);
    state.key = 9;
    await expect(open().load()).resolves.toBeNull();
    expect(warnings).toEqual(['session file could not be decrypted']);
    state.key = 7;
    await writeFile(path, 'not encrypted at all');
    await expect(open().load()).resolves.toBeNull();
  });

  it('reads a decrypted file that is not a session as no session', async () => {
    const { open, path, state } = await setUp();
    const cipher = xorCipher(state);
    await open().save(SESSION);
    await writeFile(path, await cipher.encrypt(JSON.stringify({ ...SESSION, tokens: { refreshToken: 'x' } })));
    await expect(open().load()).resolves.toBeNull();
  });

  it('clears the file; clearing twice is harmless', async () => {
    const { folder, open } = await setUp();
    const file = open();
    await file.save(SESSION);
    await file.clear();
    await file.clear();
    await expect(file.load()).resolves.toBeNull();
    expect(await readdir(join(folder, 'userData'))).toEqual([]);
  });

  it('writes nothing to disk where the OS has no encryption, keeping the session for this run only', async () => {
    const { folder, open, warnings } = await setUp({ available: false, key: 7 });
    const file = open();
    await file.save(SESSION);
    await expect(file.load()).resolves.toEqual(SESSION);
    expect(await readdir(folder)).toEqual([]);
    expect(warnings).toEqual(['OS encryption unavailable: the session is kept in memory only']);
    await expect(open().load()).resolves.toBeNull();
  });

  it('keeps the last of concurrent saves whole, and re-encrypts after a key rotation', async () => {
    const { open, state } = await setUp();
    const file = open();
    const sessions = Array.from({ length: 20 }, (_, i) => ({
      ...SESSION,
      user: { ...SESSION.user, lastName: `v${i}` },
    }));
    await Promise.all(sessions.map((s) => file.save(s)));
    await expect(open().load()).resolves.toEqual(sessions.at(-1));

    state.key = 8;
    state.oldKeys = [7];
    await expect(open().load()).resolves.toEqual(sessions.at(-1));
    state.oldKeys = [];
    await expect(open().load()).resolves.toEqual(sessions.at(-1));
  });
});

describe('safeStorageCipher', () => {
  function fakeSafeStorage(available: boolean, backend: string): SafeStorageLike {
    return {
      isAsyncEncryptionAvailable: async () => available,
      encryptStringAsync: async (text) => Buffer.from(text),
      decryptStringAsync: async (bytes) => ({ result: bytes.toString(), shouldReEncrypt: false }),
      getSelectedStorageBackend: () => backend,
    };
  }

  it('counts Linux’s basic_text backend (a password built into Chromium) as no encryption', async () => {
    expect(await safeStorageCipher(fakeSafeStorage(true, 'gnome_libsecret'), 'linux').isAvailable()).toBe(true);
    expect(await safeStorageCipher(fakeSafeStorage(true, 'basic_text'), 'linux').isAvailable()).toBe(false);
    expect(await safeStorageCipher(fakeSafeStorage(false, 'kwallet5'), 'linux').isAvailable()).toBe(false);
    expect(await safeStorageCipher(fakeSafeStorage(true, 'unknown'), 'darwin').isAvailable()).toBe(true);
  });
});
