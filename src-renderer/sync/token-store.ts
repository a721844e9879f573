import { parseStoredSession } from '../../src-shared/auth/stored-session';
import type { StoredSession } from '../../src-shared/ipc/contract';
import type { CrmApi } from '../../src-shared/ipc/crm-api';

/**
 * Where the last session lives between runs, so the app reopens offline under it. The session
 * module reads the refresh token from here each time it refreshes and never keeps it in memory.
 */
export interface TokenStore {
  /** `desktop`: encrypted by the main process with the OS keychain's key; `browser`: localStorage, in the clear. */
  readonly kind: 'desktop' | 'browser' | 'memory';
  load(): Promise<StoredSession | null>;
  save(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

/** The desktop app's store: `window.crm.session`, a file in userData encrypted with safeStorage. */
export function desktopTokenStore(api: CrmApi['session']): TokenStore {
  return {
    kind: 'desktop',
    load: () => api.load(),
    save: async (session) => {
      await api.save(session);
    },
    clear: async () => {
      await api.clear();
    },
  };
}

const BROWSER_KEY = 'fieldcrm.session';

/**
 * The browser fallback: localStorage. Weaker than the desktop store (README, "Signing in"): the
 * tokens sit unencrypted in the browser profile, and any script running on the page can read them.
 */
export function browserTokenStore(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage,
): TokenStore {
  return {
    kind: 'browser',
    async load() {
      const text = storage.getItem(BROWSER_KEY);
      if (text === null) return null;
      try {
        return parseStoredSession(JSON.parse(text));
      } catch {
        return null;
      }
    },
    async save(session) {
      storage.setItem(BROWSER_KEY, JSON.stringify(session));
    },
    async clear() {
      storage.removeItem(BROWSER_KEY);
    },
  };
}

/** For tests: a copy in memory, so nothing outside can change what was saved. */
export function memoryTokenStore(initial: StoredSession | null = null): TokenStore {
  let stored = initial === null ? null : structuredClone(initial);
  return {
    kind: 'memory',
    async load() {
      return stored === null ? null : structuredClone(stored);
    },
    async save(session) {
      stored = structuredClone(session);
    },
    async clear() {
      stored = null;
    },
  };
}

/** The desktop store when the preload bridge is there, else the browser fallback. */
export function defaultTokenStore(): TokenStore {
  return window.crm ? desktopTokenStore(window.crm.session) : browserTokenStore();
}
