import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BACKENDS, startServer } from './sync-server-fixtures';

/**
 * GET /sync/stream hijacks its reply to write Server-Sent Events, which skips Fastify's own header
 * handling; the CORS headers @fastify/cors set for the request must still reach the browser, or
 * Chromium refuses to read the stream (and logs a CORS error, also when the server closing ends it).
 */

const [postgres] = BACKENDS;
if (!postgres) throw new Error('no Postgres backend');

/** Opens the stream with an Origin header (Node's fetch drops it) and resolves with the answer's headers and body. */
function openStream(
  base: URL,
  origin: string,
): Promise<{ status?: number; headers: Record<string, unknown>; body: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path: '/sync/stream', headers: { origin } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      const body = new Promise<string>((done) => res.on('end', () => done(text)));
      resolve({ status: res.statusCode, headers: res.headers, body });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the live stream and CORS', () => {
  it('carries the allowed origin on the stream, up to the server closing it', async () => {
    const app = await startServer(await postgres.open(), {
      authenticate: async () => ({ userId: 'u_admin', roleId: 'admin' }) as never,
    });
    const base = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const stream = await openStream(base, 'http://127.0.0.1:5173');
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    const other = await openStream(base, 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // Closing ends both streams cleanly (not reset), after their greeting.
    await app.close();
    expect(await stream.body).toMatch(/^: connected/);
    expect(await other.body).toMatch(/^: connected/);
  });
});
