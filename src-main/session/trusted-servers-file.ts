import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { trustableServerOrigin } from '../security/server-origins';

/** Sync server origins the user confirmed in the "trust this server" dialog, kept beside the session. */
export interface TrustedServersFile {
  load(): Promise<string[]>;
  /** Adds an origin (already confirmed); throws on one that is not a plain http(s) origin. */
  add(origin: string): Promise<string[]>;
}

export interface TrustedServersFileOptions {
  /** e.g. `<userData>/trusted-servers.json`. */
  path: string;
  warn?: (message: string, error?: unknown) => void;
}

/**
 * Plain JSON (origins are not secret): `{ "origins": [...] }`. What is read back passes the same
 * predicate as the IPC argument, so an edited file cannot widen the CSP beyond exact origins.
 */
export function createTrustedServersFile(options: TrustedServersFileOptions): TrustedServersFile {
  const { path } = options;
  const warn = options.warn ?? ((message, error) => console.warn(`[trusted-servers] ${message}`, error ?? ''));
  let queue: Promise<unknown> = Promise.resolve();
  const queued = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation);
    queue = next.catch(() => undefined);
    return next;
  };

  async function read(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn('file unreadable', error);
      return [];
    }
    let origins: unknown;
    try {
      origins = (JSON.parse(text) as { origins?: unknown }).origins;
    } catch (error) {
      warn('file is not JSON; no server is trusted from it', error);
      return [];
    }
    if (!Array.isArray(origins)) return [];
    const kept = new Set<string>();
    for (const entry of origins) {
      const origin = typeof entry === 'string' ? trustableServerOrigin(entry) : null;
      if (origin) kept.add(origin);
      else warn(`ignoring ${JSON.stringify(entry)}: not an http(s) origin`);
    }
    return [...kept];
  }

  return {
    load: () => queued(read),
    add: (raw) =>
      queued(async () => {
        const origin = trustableServerOrigin(raw);
        if (!origin) throw new Error(`"${raw}" is not an http(s) origin`);
        const origins = await read();
        if (origins.includes(origin)) return origins;
        const next = [...origins, origin];
        await mkdir(dirname(path), { recursive: true });
        // Written aside and renamed: a crash mid-write keeps the previous list.
        const temporary = `${path}.tmp`;
        await writeFile(temporary, `${JSON.stringify({ origins: next }, null, 2)}\n`, { mode: 0o600 });
        await rename(temporary, path);
        return next;
      }),
  };
}
