import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Authenticate } from '../auth/authenticate';
import type { ChangeFeed } from './change-feed';

export interface StreamOptions {
  feed: ChangeFeed;
  authenticate: Authenticate;
  /** A comment line this often keeps proxies and NATs from closing an idle stream. */
  pingIntervalMs: number;
  /** The time token expiry is measured against (the app's clock). */
  now?: () => Date;
}

/**
 * `GET /sync/stream`: Server-Sent Events, `data: {"collection":"…"}` after a push commits changes in
 * that collection. Devices react by pulling, so an event carries no documents and a missed event
 * costs only latency (a device pulls everything when it reconnects).
 */
export function streamRoute(
  app: FastifyInstance,
  { feed, authenticate, pingIntervalMs, now = () => new Date() }: StreamOptions,
): void {
  const open = new Set<ServerResponse>();

  app.get('/sync/stream', async (request, reply) => {
    const principal = await authenticate(request);
    reply.hijack();
    const raw = reply.raw;
    // A hijacked reply skips Fastify's header handling: the headers the onRequest hooks set (CORS
    // from @fastify/cors) must be written here, or a browser refuses to read the stream.
    const inherited = Object.entries(reply.getHeaders()).filter(
      (header): header is [string, string | number | string[]] => header[1] !== undefined,
    );
    raw.writeHead(200, {
      ...Object.fromEntries(inherited),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(': connected\n\n');
    const unsubscribe = feed.subscribe((event) => raw.write(`data: ${JSON.stringify(event)}\n\n`));
    const ping = setInterval(() => raw.write(': ping\n\n'), pingIntervalMs);
    // A stream lives no longer than the token that opened it: the device reconnects with a fresh one,
    // so a sign-in that ended (or a disabled account) stops receiving events within a token's life.
    const expiry =
      principal.expiresAt === undefined
        ? undefined
        : setTimeout(() => raw.end(), Math.max(0, principal.expiresAt.getTime() - now().getTime()));
    open.add(raw);
    request.log.info({ streams: open.size }, 'stream opened');
    raw.on('close', () => {
      clearInterval(ping);
      clearTimeout(expiry);
      unsubscribe();
      open.delete(raw);
      request.log.info({ streams: open.size }, 'stream closed');
    });
  });

  // Streams never end on their own; end them so that close() does not wait for devices to hang up.
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });
}
