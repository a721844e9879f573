import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FileIntegrityError,
  FileStore,
  FileTooLargeError,
  MAX_FILE_BYTES,
  sha256Hex,
} from '../../../../src-renderer/files/file-store';
import { backoffMs, FileSync, MAX_BACKOFF_MS } from '../../../../src-renderer/files/file-sync';

let store: FileStore;
let time = 1_000_000;
beforeEach(() => {
  time = 1_000_000;
  store = new FileStore(`files-${Math.random()}`, {
    indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange },
    now: () => time,
  });
});
afterEach(async () => {
  await store.delete();
});

const file = (name: string, text: string, type = 'text/plain') => new File([text], name, { type });
// The SHA-256 of "hello" (RFC-free, well known: `printf hello | sha256sum`).
const HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';

describe('FileStore', () => {
  it('stores bytes by their SHA-256, once however often the same content is added', async () => {
    const a = await store.add(file('a.txt', 'hello'));
    const b = await store.add(file('copy of a.txt', 'hello', 'text/markdown'));
    expect(a).toEqual({ sha256: HELLO, fileName: 'a.txt', mimeType: 'text/plain', sizeBytes: 5 });
    expect(b.sha256).toBe(HELLO);
    expect(b.fileName).toBe('copy of a.txt');
    expect(await store.pendingCount()).toBe(1);
    const stored = await store.get(HELLO);
    expect(new TextDecoder().decode(stored?.bytes)).toBe('hello');
    expect(stored).toMatchObject({ uploaded: 0, attempts: 0, storedAt: 1_000_000 });
  });

  it('refuses a file over the limit, naming it, before reading or storing anything', async () => {
    let read = false;
    const huge = {
      name: 'site survey.mov',
      type: 'video/quicktime',
      size: MAX_FILE_BYTES + 1,
      arrayBuffer: async () => {
        read = true;
        return new ArrayBuffer(0);
      },
    };
    const error = await store.add(huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as FileTooLargeError).field).toBe('attachments');
    expect((error as Error).message).toBe('"site survey.mov" is 26,214,401 bytes: a file can be at most 25 MB');
    expect(read).toBe(false);
    expect(await store.pendingCount()).toBe(0);
  });

  it('checks the size of what was read too, not only what the file claims', async () => {
    const small = new FileStore(`files-${Math.random()}`, {
      indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange },
      limit: 4,
    });
    const liar = { name: 'liar.bin', type: '', size: 1, arrayBuffer: async () => new ArrayBuffer(10) };
    await expect(small.add(liar)).rejects.toThrow('"liar.bin" is 10 B: a file can be at most 4 B');
    expect(await small.pendingCount()).toBe(0);
    await small.delete();
  });

  it('keeps downloaded bytes only when they hash to their name, and never queues them for upload', async () => {
    const bytes = new TextEncoder().encode('hello').buffer as ArrayBuffer;
    await expect(store.addDownloaded('f'.repeat(64), bytes, 'text/plain')).rejects.toBeInstanceOf(FileIntegrityError);
    await store.addDownloaded(HELLO, bytes, 'text/plain');
    expect(await store.get(HELLO)).toMatchObject({ uploaded: 1 });
    expect(await store.pendingCount()).toBe(0);
  });

  it('sha256Hex matches the known digest', async () => {
    expect(await sha256Hex(new TextEncoder().encode('hello').buffer as ArrayBuffer)).toBe(HELLO);
  });
});

describe('FileSync upload queue', () => {
  it('uploads pending files, backs off after a failure and retries once the wait is over', async () => {
    await store.add(file('a.txt', 'hello'));
    const calls: string[] = [];
    let up = false;
    const fakeFetch: typeof fetch = async (url, init) => {
      calls.push(`${init?.method ?? 'GET'} ${String(url)}`);
      return up
        ? new Response(JSON.stringify({ sha256: HELLO }), { status: 201 })
        : new Response(JSON.stringify({ error: 'database unreachable' }), { status: 503 });
    };
    const sync = new FileSync(store, () => ({ baseUrl: 'http://sync.test', fetch: fakeFetch }), { now: () => time });
    const first = await sync.uploadPending();
    expect(first.failed).toEqual([{ sha256: HELLO, error: '503: database unreachable' }]);
    expect(await store.get(HELLO)).toMatchObject({ uploaded: 0, attempts: 1, nextAttemptAt: time + 2000 });

    up = true;
    expect((await sync.uploadPending()).uploaded).toEqual([]); // still waiting
    time += 2000;
    expect((await sync.uploadPending()).uploaded).toEqual([HELLO]);
    expect(calls).toEqual([`PUT http://sync.test/files/${HELLO}`, `PUT http://sync.test/files/${HELLO}`]);
    expect(await store.pendingCount()).toBe(0);
    // A new FileSync over the same store (a reload) finds nothing left to do.
    const again = new FileSync(store, () => ({ baseUrl: 'http://sync.test', fetch: fakeFetch }));
    expect(await again.uploadPending()).toEqual({ uploaded: [], failed: [] });
  });

  it('leaves files queued while there is no server (demo data, signed out)', async () => {
    await store.add(file('a.txt', 'hello'));
    const sync = new FileSync(store, () => undefined);
    expect(await sync.uploadPending()).toEqual({ uploaded: [], failed: [] });
    expect(await store.pendingCount()).toBe(1);
  });

  it('opens a missing file by downloading it once, then from the device', async () => {
    let gets = 0;
    const fakeFetch: typeof fetch = async () => {
      gets++;
      return new Response('hello', { status: 200 });
    };
    const sync = new FileSync(store, () => ({ baseUrl: 'http://sync.test', fetch: fakeFetch }));
    const opened = await sync.open(HELLO, 'text/plain');
    expect(new TextDecoder().decode(opened.bytes)).toBe('hello');
    await sync.open(HELLO, 'text/plain');
    expect(gets).toBe(1);
  });

  it('backs off exponentially up to a cap', () => {
    expect([0, 1, 2, 3].map(backoffMs)).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffMs(50)).toBe(MAX_BACKOFF_MS);
  });
});
