import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseStoredSession } from '../../src-shared/auth/stored-session';
import type { StoredSession } from '../../src-shared/ipc/contract';

/** Encrypts with a key the OS keeps for this user, so the file alone does not hand over the tokens. */
export interface StringCipher {
  /** False when there is no such key (no keychain, or only a key every install shares). */
  isAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<Buffer>;
  /** `stale`: the key has been rotated since, so the caller should encrypt the text again. */
  decrypt(encrypted: Buffer): Promise<{ text: string; stale: boolean }>;
}

/** The part of Electron's `safeStorage` used here, structurally, so this module loads without Electron. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  getSelectedStorageBackend(): string;
}

/**
 * Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). Linux's `basic_text` backend, used
 * when no keyring is found, encrypts with a password built into Chromium: it counts as none.
 */
export function safeStorageCipher(safeStorage: SafeStorageLike, platform: string): StringCipher {
  return {
    async isAvailable() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
      return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
    },
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    async decrypt(encrypted) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted);
      return { text: result, stale: shouldReEncrypt };
    },
  };
}

export interface SessionFile {
  load(): Promise<StoredSession | null>;
  save(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

export interface SessionFileOptions {
  /** e.g. `<userData>/session.bin`. */
  path: string;
  cipher: StringCipher;
  warn?: (message: string, error?: unknown) => void;
}

/**
 * The last session, encrypted, in one file of the user's profile. Where the OS offers no encryption
 * the session is kept in memory only: the user signs in again after a restart rather than have
 * tokens written in the clear.
 */
export function createSessionFile(options: SessionFileOptions): SessionFile {
  const { path, cipher } = options;
  const warn = options.warn ?? ((message, error) => console.warn(`[session] ${message}`, error ?? ''));
  let unencrypted: StoredSession | null = null;
  // One operation at a time: two saves share the temporary file, and a load that re-encrypts must
  // not write back a session older than a save queued meanwhile.
  let queue: Promise<unknown> = Promise.resolve();
  const queued = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation);
    queue = next.catch(() => undefined);
    return next;
  };

  async function write(session: StoredSession): Promise<void> {
    if (!(await cipher.isAvailable())) {
      warn('OS encryption unavailable: the session is kept in memory only');
      unencrypted = session;
      return;
    }
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed, so a crash mid-write leaves the previous session, not half of one:
    // a lost refresh token ends the sign-in once the server has rotated it.
    const temporary = `${path}.tmp`;
    await writeFile(temporary, await cipher.encrypt(JSON.stringify(session)), { mode: 0o600 });
    await rename(temporary, path);
  }

  async function read(): Promise<StoredSession | null> {
    if (!(await cipher.isAvailable())) return unencrypted;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn('session file unreadable', error);
      return null;
    }
    let session: StoredSession | null;
    let stale: boolean;
    try {
      const decrypted = await cipher.decrypt(bytes);
      session = parseStoredSession(JSON.parse(decrypted.text));
      stale = decrypted.stale;
    } catch (error) {
      // Encrypted under another OS account or keyring, or damaged: as good as signed out.
      warn('session file could not be decrypted', error);
      return null;
    }
    if (session && stale) await write(session).catch((error: unknown) => warn('re-encryption failed', error));
    return session;
  }

  return {
    load: () => queued(read),

    save: (session) => queued(() => write(session)),

    clear: () =>
      queued(async () => {
        unencrypted = null;
        await rm(path, { force: true });
      }),
  };
}
