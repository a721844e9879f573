import Dexie, { type Table } from 'dexie';

/**
 * The bytes of attached files on this device, in an IndexedDB database of their own (RxDB keeps
 * records; a 20 MB PDF has no business in a replicated document). Content-addressed by SHA-256:
 * the same file attached twice is stored once, and bytes can be checked against their name after
 * a download. A file is written here BEFORE any record naming it, so that nothing is saved before
 * it is durable locally. `uploaded` is the upload queue: derived from stored state, it survives
 * reloads and restarts.
 */

/** Largest file one may attach; the server refuses bigger uploads (sync-server/src/files/files.routes.ts). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** What is attached: a File, or anything shaped like one (tests, drag-and-drop items). */
export interface FileInput {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface StoredFile {
  readonly sha256: string;
  readonly bytes: ArrayBuffer;
  readonly mimeType: string;
  readonly sizeBytes: number;
  /** ms since the epoch, by the device's clock. */
  readonly storedAt: number;
  /** 1 once the server has the bytes (uploaded from here, or downloaded from it); an index, so not a boolean. */
  readonly uploaded: 0 | 1;
  readonly attempts: number;
  /** When the upload queue may try again (ms since the epoch). */
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}

/** What an attachment record needs to know of a stored file. */
export interface StoredFileRef {
  readonly sha256: string;
  readonly fileName: string;
  readonly mimeType: string;
  readonly sizeBytes: number;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** A file over MAX_FILE_BYTES, named, refused before any byte of it is read. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  readonly field = 'attachments';
  constructor(
    readonly fileName: string,
    readonly sizeBytes: number,
    readonly limit: number = MAX_FILE_BYTES,
  ) {
    // Just over the limit reads the same rounded: then the exact byte count says why.
    const size =
      formatBytes(sizeBytes) === formatBytes(limit)
        ? `${sizeBytes.toLocaleString('en')} bytes`
        : formatBytes(sizeBytes);
    super(`"${fileName}" is ${size}: a file can be at most ${formatBytes(limit)}`);
  }
}

/** Downloaded bytes that do not hash to the name they were asked for. */
export class FileIntegrityError extends Error {
  override readonly name = 'FileIntegrityError';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `the file received is not the one asked for (SHA-256 ${actual.slice(0, 12)}…, not ${expected.slice(0, 12)}…)`,
    );
  }
}

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function checkFileSize(file: Pick<FileInput, 'name' | 'size'>, limit = MAX_FILE_BYTES): void {
  if (file.size > limit) throw new FileTooLargeError(file.name, file.size, limit);
}

export interface FileStoreOptions {
  /** IndexedDB to use (fake-indexeddb in tests); the browser's by default. */
  indexedDB?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange };
  now?: () => number;
  limit?: number;
}

class FilesDexie extends Dexie {
  files!: Table<StoredFile, string>;
  constructor(name: string, options: FileStoreOptions) {
    super(name, options.indexedDB ?? {});
    this.version(1).stores({ files: 'sha256, uploaded' });
  }
}

export class FileStore {
  private readonly db: FilesDexie;
  private readonly now: () => number;
  readonly limit: number;

  constructor(
    readonly name: string,
    options: FileStoreOptions = {},
  ) {
    this.db = new FilesDexie(name, options);
    this.now = options.now ?? Date.now;
    this.limit = options.limit ?? MAX_FILE_BYTES;
  }

  /**
   * Stores a file's bytes (once per content) and resolves when they are committed to IndexedDB.
   * Throws FileTooLargeError, naming the file, before reading it.
   */
  async add(file: FileInput): Promise<StoredFileRef> {
    checkFileSize(file, this.limit);
    const bytes = await file.arrayBuffer();
    // The size a File reports is checked again on what was read (a file can change under a picker).
    checkFileSize({ name: file.name, size: bytes.byteLength }, this.limit);
    const sha256 = await sha256Hex(bytes);
    const mimeType = file.type || 'application/octet-stream';
    await this.db.transaction('rw', this.db.files, async () => {
      if (await this.db.files.get(sha256)) return;
      await this.db.files.add({
        sha256,
        bytes,
        mimeType,
        sizeBytes: bytes.byteLength,
        storedAt: this.now(),
        uploaded: 0,
        attempts: 0,
        nextAttemptAt: 0,
      });
    });
    return { sha256, fileName: file.name, mimeType, sizeBytes: bytes.byteLength };
  }

  /** Bytes fetched from the server: checked against their name, kept, never uploaded back. */
  async addDownloaded(sha256: string, bytes: ArrayBuffer, mimeType: string): Promise<StoredFile> {
    const actual = await sha256Hex(bytes);
    if (actual !== sha256) throw new FileIntegrityError(sha256, actual);
    const record: StoredFile = {
      sha256,
      bytes,
      mimeType,
      sizeBytes: bytes.byteLength,
      storedAt: this.now(),
      uploaded: 1,
      attempts: 0,
      nextAttemptAt: 0,
    };
    await this.db.files.put(record);
    return record;
  }

  get(sha256: string): Promise<StoredFile | undefined> {
    return this.db.files.get(sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.db.files.where('sha256').equals(sha256).count()) > 0;
  }

  /** Files the server does not have yet, oldest first. */
  async pendingUploads(): Promise<StoredFile[]> {
    const pending = await this.db.files.where('uploaded').equals(0).toArray();
    return pending.sort((a, b) => a.storedAt - b.storedAt);
  }

  pendingCount(): Promise<number> {
    return this.db.files.where('uploaded').equals(0).count();
  }

  async markUploaded(sha256: string): Promise<void> {
    await this.db.files.update(sha256, { uploaded: 1, lastError: undefined });
  }

  async markFailed(sha256: string, error: string, nextAttemptAt: number): Promise<void> {
    await this.db.files
      .where('sha256')
      .equals(sha256)
      .modify((file) => {
        Object.assign(file, { attempts: file.attempts + 1, nextAttemptAt, lastError: error });
      });
  }

  close(): void {
    this.db.close();
  }

  /** Deletes the whole store (tests, sign-out clean-up). */
  async delete(): Promise<void> {
    await this.db.delete();
  }
}
