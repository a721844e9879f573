import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Authenticate } from '../auth/authenticate';
import type { ChangeFeed } from './change-feed';

export interface StreamOptions {
  feed: ChangeFeed;
  authenticate: Authenticate;
  /** A comment line this often keeps proxies and NATs from closing an idle stream. */
  pingIntervalMs: number;
}

/**
 * `GET /sync/stream`: Server-Sent Events, `data: {"collection":"…"}` after a push commits changes in
 * that collection. Devices react by pulling, so an event carries no documents and a missed event
 * costs only latency (a device pulls everything when it reconnects).
 */
export function streamRoute(app: FastifyInstance, { feed, authenticate, pingIntervalMs }: StreamOptions): void {
  const open = new Set<ServerResponse>();

  app.get('/sync/stream', async (request, reply) => {
    await authenticate(request);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(': connected\n\n');
    const unsubscribe = feed.subscribe((event) => raw.write(`data: ${JSON.stringify(event)}\n\n`));
    const ping = setInterval(() => raw.write(': ping\n\n'), pingIntervalMs);
    open.add(raw);
    request.log.info({ streams: open.size }, 'stream opened');
    raw.on('close', () => {
      clearInterval(ping);
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
