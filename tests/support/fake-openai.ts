import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelCall {
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: { model?: string; messages?: { role: string; content: string }[]; temperature?: number };
}

export interface FakeModel {
  /** The OpenAI-compatible base (…/v1). */
  url: string;
  calls: ModelCall[];
  close(): Promise<void>;
}

/**
 * A real OpenAI-compatible chat-completions server on a loopback port (not a mock of fetch):
 * each call is answered with the next of `statuses` (then 200), a 200 with `answer` by `fake-llm-2026`.
 * `port` reopens it where an earlier one listened (a restarted endpoint).
 */
export async function fakeModel(
  statuses: number[] = [],
  options: { answer?: string; port?: number } = {},
): Promise<FakeModel> {
  const calls: ModelCall[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    request.on('end', () => {
      calls.push({ path: request.url, headers: request.headers, body: JSON.parse(raw) as ModelCall['body'] });
      response.statusCode = statuses.shift() ?? 200;
      response.setHeader('content-type', 'application/json');
      response.end(
        response.statusCode === 200
          ? JSON.stringify({
              model: 'fake-llm-2026',
              choices: [{ message: { content: ` ${options.answer ?? 'Acme brief by the model.'} ` } }],
            })
          : JSON.stringify({ error: { message: 'unavailable' } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
