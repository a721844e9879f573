import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BACKENDS, startServer } from './sync-server-fixtures';

/**
 * A request that reaches an instance while it shuts down (a keep-alive connection, a balancer that has
 * not noticed yet) is answered 503 so the client retries elsewhere. The browser only lets the renderer
 * read that answer when it carries the CORS headers; Fastify's own 503 (return503OnClosing) does not,
 * and the renderer saw a CORS error instead of "try again".
 */

const [postgres] = BACKENDS;
if (!postgres) throw new Error('no Postgres backend');

function get(base: URL, path: string, origin: string) {
  return new Promise<{ status?: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, headers: { origin }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a closing server', () => {
  it('answers 503 with the CORS headers of an allowed origin (and none for another)', async () => {
    const app = await startServer(await postgres.open());
    // Holds the shutdown between "closing" and the listener going away, as a slow drain does.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const closing = new Promise<void>((resolve) => {
      entered = resolve;
    });
    app.addHook('preClose', async () => {
      entered();
      await held;
    });
    const base = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    expect((await get(base, '/health', 'http://127.0.0.1:5173')).status).toBe(200);
    const closed = app.close();
    await closing;
    try {
      const allowed = await get(base, '/health', 'http://127.0.0.1:5173');
      expect(allowed.status).toBe(503);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
      expect(allowed.headers.connection).toBe('close');
      expect(allowed.headers['retry-after']).toBeDefined();
      expect(JSON.parse(allowed.body)).toEqual({ error: expect.stringMatching(/shutting down/) });
      const other = await get(base, '/sync/contacts/pull', 'https://evil.example');
      expect(other.status).toBe(503);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      release();
      await closed;
    }
  });
});
