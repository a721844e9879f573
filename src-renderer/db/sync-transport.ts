import type { CollectionName } from '../../src-shared/schema/define-entity';
import type { PullRequest, PullResponse, PushRequest, PushResponse, StreamEvent } from '../../src-shared/sync/protocol';

/** How a device reaches the sync server; tests may pass another implementation. */
export interface SyncTransport {
  pull(collection: CollectionName, request: PullRequest): Promise<PullResponse>;
  push(collection: CollectionName, request: PushRequest): Promise<PushResponse>;
  /** Calls `onEvent` for each change announcement; returns a function that closes the stream. */
  stream(onEvent: (event: StreamEvent) => void, onError: (error: unknown) => void): () => void;
}

export class SyncHttpError extends Error {
  override readonly name = 'SyncHttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpTransportOptions {
  baseUrl: string;
  /** Headers for every request (the session's credentials). */
  headers?: () => Record<string, string>;
  fetch?: typeof fetch;
}

/** JSON over HTTP for pull and push; Server-Sent Events (read with fetch) for the live stream. */
export function httpTransport(options: HttpTransportOptions): SyncTransport {
  const doFetch = options.fetch ?? fetch;
  const headers = () => ({ 'content-type': 'application/json', ...(options.headers?.() ?? {}) });

  async function post<T>(path: string, body: unknown): Promise<T> {
    const response = await doFetch(`${options.baseUrl}${path}`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new SyncHttpError(response.status, `${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  return {
    pull: (collection, request) => post<PullResponse>(`/sync/${collection}/pull`, request),
    push: (collection, request) => post<PushResponse>(`/sync/${collection}/push`, request),
    stream(onEvent, onError) {
      const abort = new AbortController();
      (async () => {
        const response = await doFetch(`${options.baseUrl}/sync/stream`, { headers: headers(), signal: abort.signal });
        if (!response.ok || !response.body) throw new SyncHttpError(response.status, 'stream refused');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) throw new Error('stream closed by the server');
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trim())
              .join('\n');
            if (data) onEvent(JSON.parse(data) as StreamEvent);
            end = buffer.indexOf('\n\n');
          }
        }
      })().catch((error: unknown) => {
        if (!abort.signal.aborted) onError(error);
      });
      return () => abort.abort();
    },
  };
}
