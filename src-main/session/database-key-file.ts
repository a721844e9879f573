import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StringCipher } from './session-file';

/** 256 bits, base64url: the key the renderer encrypts a local database's personal fields with. */
const KEY_BYTES = 32;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A local database's name (database-key.ts: `fieldcrm`, `fieldcrm-u-<id>`), safe as a file name. */
export const DATABASE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,120}$/;

export interface DatabaseKeyFile {
  /**
   * The key of one local database, created on its first use and kept encrypted by the OS keychain.
   * `existing`: the database is already on the device, so a profile that still has the one key
   * every database shared before per-database keys hands that one over (it encrypts the data).
   * null where the OS offers no encryption: a key written in the clear next to the database would
   * protect nothing, so the renderer derives one from the password instead.
   */
  get(databaseName: string, existing: boolean): Promise<string | null>;
  /**
   * Deletes the database's key (sign-out wipe, a revoked device): whatever of the database is left
   * on disk cannot be decrypted any more. `otherDatabases`, those still on the device: the shared
   * key of before goes too once none of them may still need it.
   */
  forget(databaseName: string, otherDatabases: readonly string[]): Promise<void>;
}

export interface DatabaseKeyFileOptions {
  /** e.g. `<userData>/database-keys`: one `<database name>.bin` per database. */
  dir: string;
  /** e.g. `<userData>/database-key.bin`: the profile's one key of before (all databases shared it). */
  legacyPath?: string;
  cipher: StringCipher;
  warn?: (message: string, error?: unknown) => void;
}

export class DatabaseNameError extends Error {
  override readonly name = 'DatabaseNameError';
}

function checkName(databaseName: string): void {
  if (!DATABASE_NAME_PATTERN.test(databaseName)) {
    throw new DatabaseNameError(`databaseName "${databaseName}" is not a local database name`);
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export function createDatabaseKeyFile(options: DatabaseKeyFileOptions): DatabaseKeyFile {
  const { dir, legacyPath, cipher } = options;
  const warn = options.warn ?? ((message, error) => console.warn(`[database-key] ${message}`, error ?? ''));
  const pending = new Map<string, Promise<string | null>>();
  const pathOf = (databaseName: string) => join(dir, `${databaseName}.bin`);

  async function write(path: string, key: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.tmp`;
    await writeFile(temporary, await cipher.encrypt(key), { mode: 0o600 });
    await rename(temporary, path);
  }

  /** The key in the file, null when there is no file. */
  async function readKey(path: string): Promise<string | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return null;
    }
    // A key that no longer decrypts is not replaced: a new key would make the existing local data
    // unreadable without saying so. The caller reports it and the user re-syncs.
    const { text, stale } = await cipher.decrypt(bytes);
    if (!KEY_PATTERN.test(text)) throw new Error(`${path} does not hold a database key`);
    if (stale) await write(path, text);
    return text;
  }

  async function read(databaseName: string, existing: boolean): Promise<string | null> {
    if (!(await cipher.isAvailable())) {
      warn('OS encryption unavailable: no stored database key');
      return null;
    }
    const path = pathOf(databaseName);
    const own = await readKey(path);
    if (own) return own;
    const shared = existing && legacyPath ? await readKey(legacyPath) : null;
    const key = shared ?? randomBytes(KEY_BYTES).toString('base64url');
    await write(path, key);
    return key;
  }

  return {
    get(databaseName, existing) {
      if (!DATABASE_NAME_PATTERN.test(databaseName)) {
        return Promise.reject(new DatabaseNameError(`databaseName "${databaseName}" is not a local database name`));
      }
      // One creation even when the renderer asks twice at start-up.
      let once = pending.get(databaseName);
      if (!once) {
        once = read(databaseName, existing).finally(() => pending.delete(databaseName));
        pending.set(databaseName, once);
      }
      return once;
    },

    async forget(databaseName, otherDatabases) {
      checkName(databaseName);
      for (const other of otherDatabases) checkName(other);
      await pending.get(databaseName)?.catch(() => undefined);
      await rm(pathOf(databaseName), { force: true });
      if (!legacyPath) return;
      const keyed = await Promise.all(otherDatabases.map((other) => exists(pathOf(other))));
      if (keyed.every(Boolean)) await rm(legacyPath, { force: true });
    },
  };
}
