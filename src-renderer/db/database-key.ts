import type { CrmApi } from '../../src-shared/ipc/crm-api';

/**
 * Where the key that encrypts the local database's personal fields comes from (README, "Security
 * and privacy"):
 * - desktop: one key per database, made by the main process and kept encrypted by the OS keychain
 *   (Electron safeStorage, `crm:keys.databaseKey`), deleted when the database is wiped;
 * - browser, a user's database: derived from the user's password at sign-in (PBKDF2-SHA256, OWASP's
 *   600,000 iterations) and kept in sessionStorage, i.e. for this browser session only: a new
 *   session needs the password again;
 * - browser, the demo database: a random key in localStorage. The demo's records are made up; the
 *   key only keeps the same code path (and the disk test) honest.
 */

/** The demo database; a signed-in user's records live in a database of their own. */
export const DEMO_DATABASE_NAME = 'fieldcrm';

/** One database per user on a device (useLocalDatabase.ts says why). */
export function userDatabaseName(userId: string): string {
  return `fieldcrm-u-${userId.replace(/[^A-Za-z0-9_-]/g, '_').toLowerCase()}`;
}

/** OWASP Password Storage Cheat Sheet (2023): PBKDF2-HMAC-SHA256, 600,000 iterations. */
export const PBKDF2_ITERATIONS = 600_000;
const SESSION_PREFIX = 'fieldcrm.dbKey.';
const DEMO_KEY = 'fieldcrm.demoDbKey';

type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface DatabaseKeySources {
  /** The desktop bridge; undefined in a plain browser. */
  desktop?: CrmApi['keys'] | undefined;
  session?: KeyStorage;
  local?: KeyStorage;
  /** Where the local databases are, to tell the desktop which ones exist; the browser's by default. */
  indexedDB?: Pick<IDBFactory, 'databases'> | undefined;
}

/** No key for a user's database in this browser session: the user signs in again to unlock it. */
export class DatabaseLockedError extends Error {
  override readonly name = 'DatabaseLockedError';
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const NO_STORAGE: KeyStorage = { getItem: () => null, setItem: () => {}, removeItem: () => {} };

interface AllSources {
  desktop: CrmApi['keys'] | undefined;
  session: KeyStorage;
  local: KeyStorage;
  indexedDB: Pick<IDBFactory, 'databases'> | undefined;
}

function defaultSources(): AllSources {
  return {
    desktop: typeof window !== 'undefined' ? window.crm?.keys : undefined,
    // Node (tests, tools) has neither: nothing is kept there.
    session: typeof sessionStorage === 'undefined' ? NO_STORAGE : sessionStorage,
    local: typeof localStorage === 'undefined' ? NO_STORAGE : localStorage,
    indexedDB: typeof indexedDB === 'undefined' ? undefined : indexedDB,
  };
}

/** RxDB's Dexie storage names each store's IndexedDB database `rxdb-dexie-<database>--<version>--<collection>`. */
const DEXIE_NAME = /^rxdb-dexie-(.+?)--\d+--/;

/** The local databases on this device (their RxDB names), from IndexedDB's list. */
export async function localDatabaseNames(factory: Pick<IDBFactory, 'databases'> | undefined): Promise<string[]> {
  if (!factory) return [];
  const names = new Set<string>();
  for (const info of await factory.databases()) {
    const name = DEXIE_NAME.exec(info.name ?? '')?.[1];
    if (name) names.add(name);
  }
  return [...names].sort();
}

async function desktopKey(databaseName: string, all: AllSources): Promise<string | null> {
  if (!all.desktop) return null;
  const existing = (await localDatabaseNames(all.indexedDB)).includes(databaseName);
  return all.desktop.databaseKey(databaseName, existing);
}

/**
 * The browser's key for a user's database: PBKDF2 of the password, salted with the server and the
 * user (so two users, or one on two servers, never share a key).
 */
export async function deriveDatabaseKey(
  password: string,
  salt: { serverUrl: string; userId: string },
  iterations = PBKDF2_ITERATIONS,
): Promise<string> {
  const encoder = new TextEncoder();
  const material = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'PBKDF2',
      hash: 'SHA-256',
      salt: encoder.encode(`fieldcrm.db|${salt.serverUrl}|${salt.userId}`),
      iterations,
    },
    material,
    256,
  );
  return base64url(new Uint8Array(bits));
}

/** Keeps a password-derived key for this browser session. */
export function rememberDatabaseKey(databaseName: string, key: string, sources: DatabaseKeySources = {}): void {
  (sources.session ?? defaultSources().session).setItem(SESSION_PREFIX + databaseName, key);
}

/**
 * At sign-in, with the password at hand: where the OS keeps no key, derive the user's database key
 * from it and keep it for this browser session. Nothing to do on a desktop with a keychain.
 */
export async function unlockWithPassword(
  signedIn: { serverUrl: string; userId: string; password: string },
  sources: DatabaseKeySources = {},
): Promise<void> {
  const all = { ...defaultSources(), ...sources };
  if (await desktopKey(userDatabaseName(signedIn.userId), all)) return;
  const key = await deriveDatabaseKey(signedIn.password, signedIn);
  rememberDatabaseKey(userDatabaseName(signedIn.userId), key, all);
}

/**
 * Forgets a database's key once the database is wiped (sign-out, a revoked device): the browser's,
 * and the desktop's in the OS keychain, so nothing left of it on disk decrypts any more.
 */
export async function forgetDatabaseKey(databaseName: string, sources: DatabaseKeySources = {}): Promise<void> {
  const all = { ...defaultSources(), ...sources };
  all.session.removeItem(SESSION_PREFIX + databaseName);
  if (databaseName === DEMO_DATABASE_NAME) all.local.removeItem(DEMO_KEY);
  if (!all.desktop) return;
  const others = (await localDatabaseNames(all.indexedDB)).filter((name) => name !== databaseName);
  await all.desktop.forgetDatabaseKey(databaseName, others);
}

/** The key to open `databaseName` with; `demo` databases get a generated one on first use. */
export async function databaseKey(
  databaseName: string,
  kind: 'demo' | 'user',
  sources: DatabaseKeySources = {},
): Promise<string> {
  const all = { ...defaultSources(), ...sources };
  const desktop = await desktopKey(databaseName, all);
  if (desktop) return desktop;
  if (kind === 'demo') {
    let key = all.local.getItem(DEMO_KEY);
    if (!key) {
      key = base64url(crypto.getRandomValues(new Uint8Array(32)));
      all.local.setItem(DEMO_KEY, key);
    }
    return key;
  }
  const key = all.session.getItem(SESSION_PREFIX + databaseName);
  if (!key) throw new DatabaseLockedError('This device keeps your records encrypted: sign in again to open them');
  return key;
}
