import type { FastifyInstance } from 'fastify';

/** How long a client should wait before trying again: a restart or a rolling deploy takes seconds. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Answers every request that reaches the server while it closes with 503, `Connection: close` and
 * Retry-After, so the client (or the balancer) goes to another instance. In place of Fastify's own
 * `return503OnClosing`, which answers before any hook runs: its 503 carries no CORS headers, and
 * the browser then hides it from the renderer behind a CORS error. Registered after @fastify/cors,
 * whose onRequest hook has set the allowed origin's headers by the time this one answers.
 */
export function closingGate(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing || reply.sent) return;
    return reply
      .code(503)
      .header('connection', 'close')
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send({ error: 'the server is shutting down; try again' });
  });
}
