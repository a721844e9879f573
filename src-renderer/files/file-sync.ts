import { Subject } from 'rxjs';
import type { FileStore, StoredFile } from './file-store';

/**
 * Moves file bytes between this device and the sync server: uploads what the server lacks
 * (PUT /files/<sha256>) and fetches a file a user opens that this device lacks (GET). The queue is
 * the file store's `uploaded` flag, so it survives reloads; a failed upload waits longer each time
 * (2 s, 4 s, … up to 10 minutes) and is tried again, also at once when the browser comes online.
 * A file asked for before the device that attached it has uploaded it is awaited the same way.
 */

export interface FileServer {
  /** The server's base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** `fetch` that authenticates as the user (src-renderer/sync/authenticated-transport.ts). */
  readonly fetch: typeof fetch;
}

/** A file this device does not have and cannot fetch now (signed out, offline, refused). */
export class FileUnavailableError extends Error {
  override readonly name: string = 'FileUnavailableError';
  constructor(
    readonly sha256: string,
    reason: string,
    /** Whether asking again later may succeed (offline), or only a change of rights or sign-in will. */
    readonly retryable = false,
  ) {
    super(reason);
  }
}

/**
 * The server knows the attachment but not its bytes yet: the device that attached the file has
 * not uploaded it (it does when it is next online). This device asks again later by itself.
 */
export class FileNotUploadedError extends FileUnavailableError {
  override readonly name = 'FileNotUploadedError';
  constructor(sha256: string) {
    super(sha256, 'The device that attached this file has not uploaded it yet; it is fetched here once it has.', true);
  }
}

/**
 * How the server words a readable attachment whose bytes it lacks (sync-server/src/files, GET):
 * its only 404 that is not "no attachment you may read", and the answer carries no code.
 */
const NOT_UPLOADED = /has not been uploaded yet/;

export const MAX_BACKOFF_MS = 10 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 2000 * 2 ** Math.min(attempts, 20));
}

export interface UploadReport {
  uploaded: string[];
  failed: { sha256: string; error: string }[];
}

export interface FileSyncOptions {
  now?: () => number;
  /** How often the queue looks for work while started. */
  intervalMs?: number;
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return `${response.status}: ${body.error}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return `${response.status} ${response.statusText}`.trim();
}

export class FileSync {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<UploadReport> | undefined;
  private readonly onOnline = () => this.kick();
  private readonly changed = new Subject<string>();
  /** The hash of each file whose state on this device changed (uploaded, downloaded, awaited). */
  readonly changes$ = this.changed.asObservable();
  /** Files this device was asked for that the server does not have yet, fetched once it does. */
  private readonly awaiting = new Map<string, { mimeType: string; attempts: number; nextAttemptAt: number }>();
  private retrying: Promise<string[]> | undefined;

  constructor(
    readonly store: FileStore,
    /** The server to talk to now; undefined while signed out (demo data): files stay on the device. */
    private readonly server: () => FileServer | undefined,
    options: FileSyncOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? 15_000;
  }

  /** Uploads every pending file whose wait is over; one run at a time. */
  uploadPending(): Promise<UploadReport> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<UploadReport> {
    const report: UploadReport = { uploaded: [], failed: [] };
    const server = this.server();
    if (!server) return report;
    for (const file of await this.store.pendingUploads()) {
      if (file.nextAttemptAt > this.now()) continue;
      const error = await this.upload(server, file);
      if (error === undefined) {
        await this.store.markUploaded(file.sha256);
        report.uploaded.push(file.sha256);
        this.changed.next(file.sha256);
      } else {
        await this.store.markFailed(file.sha256, error, this.now() + backoffMs(file.attempts));
        report.failed.push({ sha256: file.sha256, error });
      }
    }
    return report;
  }

  /** undefined when the server has the bytes; else why not. */
  private async upload(server: FileServer, file: StoredFile): Promise<string | undefined> {
    try {
      const response = await server.fetch(`${server.baseUrl}/files/${file.sha256}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: file.bytes,
      });
      if (response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return undefined;
      }
      return await errorText(response);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** The file's bytes: from this device, else fetched from the server (checked, then kept here). */
  async open(sha256: string, mimeType: string): Promise<StoredFile> {
    const local = await this.store.get(sha256);
    if (local) return local;
    const server = this.server();
    if (!server) {
      throw new FileUnavailableError(sha256, 'This file is not on this device; sign in to fetch it from the server.');
    }
    let response: Response;
    try {
      response = await server.fetch(`${server.baseUrl}/files/${sha256}`);
    } catch {
      throw new FileUnavailableError(
        sha256,
        'This file is not on this device yet and the server cannot be reached.',
        true,
      );
    }
    if (!response.ok) {
      const reason = await errorText(response);
      if (response.status === 404 && NOT_UPLOADED.test(reason)) {
        this.await(sha256, mimeType);
        throw new FileNotUploadedError(sha256);
      }
      throw new FileUnavailableError(sha256, `The server did not send the file (${reason}).`);
    }
    const stored = await this.store.addDownloaded(sha256, await response.arrayBuffer(), mimeType);
    this.awaiting.delete(sha256);
    this.changed.next(sha256);
    return stored;
  }

  /** Whether the file was asked for and the server is waiting for the device that attached it. */
  isAwaitingUpload(sha256: string): boolean {
    return this.awaiting.has(sha256);
  }

  private await(sha256: string, mimeType: string): void {
    if (this.awaiting.has(sha256)) return;
    this.awaiting.set(sha256, { mimeType, attempts: 0, nextAttemptAt: this.now() + backoffMs(0) });
    this.changed.next(sha256);
  }

  /**
   * Asks again for each awaited file whose wait is over (2 s, 4 s, … up to 10 minutes, as uploads
   * wait); returns the hashes fetched. A refusal ends the wait: the file shows as on the server
   * again and opening it says why.
   */
  retryAwaiting(): Promise<string[]> {
    this.retrying ??= this.runAwaiting().finally(() => {
      this.retrying = undefined;
    });
    return this.retrying;
  }

  private async runAwaiting(): Promise<string[]> {
    const fetched: string[] = [];
    for (const [sha256, entry] of [...this.awaiting]) {
      if (entry.nextAttemptAt > this.now()) continue;
      try {
        await this.open(sha256, entry.mimeType);
        fetched.push(sha256);
      } catch (error) {
        if (error instanceof FileUnavailableError && error.retryable) {
          entry.attempts += 1;
          entry.nextAttemptAt = this.now() + backoffMs(entry.attempts);
        } else {
          this.awaiting.delete(sha256);
          this.changed.next(sha256);
        }
      }
    }
    return fetched;
  }

  /** Runs the queues now (a file was just added, or the network came back). */
  kick(): void {
    void this.uploadPending().catch((error: unknown) => console.warn('[files] upload run failed', error));
    void this.retryAwaiting().catch((error: unknown) => console.warn('[files] download retry failed', error));
  }

  /** Uploads now, then every interval and whenever the browser comes online, until stopped. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    this.kick();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
  }
}
