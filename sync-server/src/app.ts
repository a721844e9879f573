import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type Authenticate, headerAuthenticate } from './auth/authenticate';
import type { Database } from './db/database';
import { readiness } from './db/migrate';
import { errorHandler } from './http/errors';
import { ChangeFeed } from './sync/change-feed';
import { HorizonNotifier } from './sync/horizon-notifier';
import { syncRoutes } from './sync/routes';
import { streamRoute } from './sync/stream';

/** Largest request body: a push of 2,000 documents of a few KB each, with room. */
export const BODY_LIMIT = 16 * 1024 * 1024;

export interface AppOptions {
  db: Database;
  /** Fastify's pino options; off by default (tests), `index.ts` turns it on. */
  logger?: FastifyServerOptions['logger'];
  authenticate?: Authenticate;
  /** The time server audit entries carry. */
  now?: () => Date;
  /** Ids of server audit entries. */
  newId?: () => string;
  feed?: ChangeFeed;
  pingIntervalMs?: number;
  /** Browser origins allowed to call the API (the renderer served by `npm start`, the desktop app). */
  corsOrigins?: readonly string[];
}

/** The renderer's own origins: the web fallback (Vite, both loopback names) and the packaged app. */
export const DEFAULT_CORS_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173', 'fieldcrm://app'] as const;

/** The HTTP app without listening: `index.ts` listens, tests call `inject` or listen on port 0. */
export function createApp(options: AppOptions): FastifyInstance {
  const { db } = options;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT, return503OnClosing: true });
  const authenticate = options.authenticate ?? headerAuthenticate;
  const feed = options.feed ?? new ChangeFeed();
  // An exact allow-list, never a wildcard: the API carries bearer tokens and personal data.
  const origins = new Set(options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  void app.register(cors, {
    origin: (origin, done) => done(null, origin === undefined || origins.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization'],
    maxAge: 600,
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (request, reply) => {
    try {
      const state = await readiness(db);
      return reply.status(state.ready ? 200 : 503).send(state);
    } catch (error) {
      request.log.warn({ err: error }, 'database unreachable');
      return reply.status(503).send({ ready: false, error: 'database unreachable' });
    }
  });

  const notifier = new HorizonNotifier(db, feed, 20, (error) => app.log.warn({ err: error }, 'horizon check failed'));
  app.addHook('onClose', async () => notifier.close());
  syncRoutes(app, {
    db,
    notifier,
    authenticate,
    context: {
      now: options.now ?? (() => new Date()),
      newId: options.newId ?? (() => `srv_${randomUUID().replaceAll('-', '')}`),
    },
  });
  streamRoute(app, {
    feed,
    authenticate,
    pingIntervalMs: options.pingIntervalMs ?? 15_000,
    ...(options.now ? { now: options.now } : {}),
  });
  return app;
}
